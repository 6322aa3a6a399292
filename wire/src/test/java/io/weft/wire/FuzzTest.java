package io.weft.wire;

import static io.weft.wire.WireTestSupport.ACCEPT;
import static io.weft.wire.WireTestSupport.CHALLENGE;
import static io.weft.wire.WireTestSupport.HANDSHAKE_LIMIT;
import static io.weft.wire.WireTestSupport.HEADER_BYTES;
import static io.weft.wire.WireTestSupport.PING;
import static io.weft.wire.WireTestSupport.PONG;
import static io.weft.wire.WireTestSupport.PROOF;
import static io.weft.wire.WireTestSupport.SHUTDOWN;
import static io.weft.wire.WireTestSupport.HELLO;
import static io.weft.wire.WireTestSupport.VERSION;
import static io.weft.wire.WireTestSupport.body;
import static io.weft.wire.WireTestSupport.concat;
import static io.weft.wire.WireTestSupport.drainOutbound;
import static io.weft.wire.WireTestSupport.embedded;
import static io.weft.wire.WireTestSupport.frame;
import static io.weft.wire.WireTestSupport.longs;
import static io.weft.wire.WireTestSupport.random;
import static io.weft.wire.WireTestSupport.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.weft.wire.WireTestSupport.Recorder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Throws random and mutated frames at fresh pipelines, in each state a connection can be in: the accepting side
 * waiting for a proof, the connecting side waiting for a challenge or for the accept, and an authenticated
 * connection. Mutations start from valid frames of that state (flipped bits and bytes, truncation, extension,
 * length prefixes that are negative as an int, huge or off by a few, other versions, types and run ids, string
 * lengths), whole frames are concatenated, and the bytes are delivered in one buffer, frame by frame, in random
 * pieces or byte by byte.
 *
 * <p>Each case is also run through {@link Model}, a reference decoder written from {@code docs/protocol.md}, and
 * the pipeline's outcome is compared with it. The run happens once ({@link #fuzz}); each test checks one property.
 * The seed is printed; rerun with {@code -Dweft.fuzz.seed=...} (and {@code -Dweft.fuzz.iterations=...}).
 */
class FuzzTest {
    static final long SEED = Long.getLong("weft.fuzz.seed", 0x5EED_F00D_2025L);
    static final int ITERATIONS = Integer.getInteger("weft.fuzz.iterations", 7_000);
    static final int MAX_FRAME = 512;
    static final RunCredentials CREDS = WireTestSupport.credentials(SEED);
    static final UUID RUN = CREDS.runId();
    private static final int SHOWN = 5;

    enum Scenario { ACCEPTING_AWAITING_PROOF, CONNECTING_AWAITING_CHALLENGE, CONNECTING_AWAITING_ACCEPT,
        AUTHENTICATED }

    /** What the whole run found. */
    static final class Results {
        long frames;
        long bytes;
        long buffers;
        long rejected;
        long stayedOpen;
        long messagesDelivered;
        long authenticatedByFuzz;
        final Map<Scenario, Integer> perScenario = new TreeMap<>();
        final Map<String, Integer> reasons = new TreeMap<>();
        // robustness
        final List<String> escaped = new ArrayList<>();
        final List<String> badOutcome = new ArrayList<>();
        final List<String> invalidAccepted = new ArrayList<>();
        final List<String> leakedInputs = new ArrayList<>();
        // strict agreement with the protocol document
        final List<String> validRejected = new ArrayList<>();
        final List<String> behindRejection = new ArrayList<>();
    }

    static Results results;

    private static ResourceLeakDetector.Level previousLevel;
    private static final List<String> leakReports = new CopyOnWriteArrayList<>();
    private static final Logger LEAK_LOGGER = Logger.getLogger(ResourceLeakDetector.class.getName());
    private static final Handler LEAK_HANDLER = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().contains("LEAK")) {
                leakReports.add(r.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private static boolean leakDetectorWired;
    private static List<String> fuzzLeakReports;
    private static boolean canaryReported;

    @BeforeAll
    static void fuzz() {
        previousLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        leakDetectorWired = InternalLoggerFactory.getDefaultFactory() instanceof JdkLoggerFactory;
        LEAK_LOGGER.addHandler(LEAK_HANDLER);
        LEAK_LOGGER.setUseParentHandlers(false); // captured here; the canary's report need not reach the console
        collectLeakReports(); // whatever earlier tests left is not ours
        leakReports.clear();

        long start = System.nanoTime();
        results = new Fuzzer(new Random(SEED)).run(ITERATIONS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        collectLeakReports();
        fuzzLeakReports = List.copyOf(leakReports);
        // Proves the hook above sees leaks: one buffer dropped on purpose must be reported.
        leakOneBuffer();
        collectLeakReports();
        canaryReported = leakReports.size() > fuzzLeakReports.size();

        Results r = results;
        System.out.printf("FuzzTest: seed=0x%X (rerun with -Dweft.fuzz.seed=%d), %d iterations in %d ms%n", SEED,
                SEED, ITERATIONS, millis);
        System.out.printf("FuzzTest: %d frames, %d bytes in %d buffers; per scenario %s%n", r.frames, r.bytes,
                r.buffers, r.perScenario);
        System.out.printf("FuzzTest: %d channels closed with a rejection, %d stayed open; %d messages delivered; "
                + "%d handshakes completed by fuzz input%n", r.rejected, r.stayedOpen, r.messagesDelivered,
                r.authenticatedByFuzz);
        System.out.printf("FuzzTest: escaped exceptions %d, bad outcomes %d, invalid input accepted %d, leaked "
                + "inputs %d, leak reports %d (detector %s, canary leak %s); valid input rejected %d, "
                + "delivered/authenticated behind a rejection %d%n", r.escaped.size(), r.badOutcome.size(),
                r.invalidAccepted.size(), r.leakedInputs.size(), fuzzLeakReports.size(),
                leakDetectorWired ? "hooked" : "NOT hooked (Netty does not log through JUL here)",
                canaryReported ? "reported" : "not seen", r.validRejected.size(), r.behindRejection.size());
        System.out.println("FuzzTest: most frequent rejection reasons:");
        r.reasons.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
                .forEach(e -> System.out.printf("  %6d  %s%n", e.getValue(), e.getKey()));
    }

    @AfterAll
    static void restore() {
        LEAK_LOGGER.removeHandler(LEAK_HANDLER);
        LEAK_LOGGER.setUseParentHandlers(true);
        ResourceLeakDetector.setLevel(previousLevel);
    }

    private static void leakOneBuffer() {
        Unpooled.directBuffer(16).writeByte(1); // never released
    }

    /** Lets the leak detector see buffers that were collected: it reports when the next buffer is tracked. */
    private static void collectLeakReports() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Unpooled.directBuffer(8).release();
        }
    }

    private static String shown(List<String> cases) {
        return cases.size() + " cases, the first ones:\n" + String.join("\n", cases.subList(0,
                Math.min(SHOWN, cases.size())));
    }

    // ---- the properties ----------------------------------------------------------------------------------------

    @Test
    void fuzz_coversAtLeastTenThousandFrames_inEveryState() {
        assertThat(results.frames).isGreaterThanOrEqualTo(10_000);
        assertThat(results.perScenario).hasSize(Scenario.values().length);
        assertThat(results.rejected).isPositive();
        assertThat(results.stayedOpen).isPositive();
        assertThat(results.messagesDelivered).isPositive();
    }

    @Test
    void fuzz_noExceptionEverEscapesThePipeline() {
        assertThat(results.escaped.size()).as(shown(results.escaped)).isZero();
    }

    @Test
    void fuzz_everyChannelEndsOpenWithOnlyValidMessages_orClosedWithExactlyOneRejection() {
        assertThat(results.badOutcome.size()).as(shown(results.badOutcome)).isZero();
    }

    @Test
    void fuzz_invalidInputIsNeverAccepted() {
        // A frame the protocol document calls invalid always closes the connection; nothing invalid is delivered
        // and no invalid proof authenticates.
        assertThat(results.invalidAccepted.size()).as(shown(results.invalidAccepted)).isZero();
    }

    @Test
    void fuzz_noBufferLeaks() {
        assertThat(results.leakedInputs.size()).as(shown(results.leakedInputs)).isZero();
        assertThat(fuzzLeakReports.size()).as("ResourceLeakDetector (PARANOID) reports: %s", fuzzLeakReports)
                .isZero();
    }

    @Test
    void fuzz_validInputIsNeverRejected() {
        // Inputs that docs/protocol.md calls valid (including unmutated handshake frames) keep the connection open.
        assertThat(results.validRejected.size()).as(shown(results.validRejected)).isZero();
    }

    @Test
    void fuzz_nothingIsDeliveredOrAuthenticatedBehindARejectedFrame() {
        // WireListener.rejected: "Nothing it sent was decoded beyond what this reason names."
        assertThat(results.behindRejection.size()).as(shown(results.behindRejection)).isZero();
    }

    // ---- the fuzzer --------------------------------------------------------------------------------------------

    static final class Fuzzer {
        private final Random rnd;
        private final Results results = new Results();

        Fuzzer(Random rnd) {
            this.rnd = rnd;
        }

        Results run(int iterations) {
            for (int i = 0; i < iterations; i++) {
                runCase(i, Scenario.values()[rnd.nextInt(Scenario.values().length)]);
            }
            return results;
        }

        private void runCase(int iteration, Scenario scenario) {
            results.perScenario.merge(scenario, 1, Integer::sum);
            Recorder listener = new Recorder();
            CompletableFuture<WireConnection> future = new CompletableFuture<>();
            EmbeddedChannel ch = embedded(scenario == Scenario.ACCEPTING_AWAITING_PROOF, CREDS, MAX_FRAME, listener,
                    future);
            List<ByteBuf> inputs = new ArrayList<>();
            Model model = new Model();
            byte[] handshakeFrame;
            try {
                switch (scenario) {
                    case ACCEPTING_AWAITING_PROOF -> {
                        model.state = Model.State.AWAITING_PROOF;
                        model.challenge = body(drainOutbound(ch));
                        byte[] nonce = random(rnd, 32);
                        handshakeFrame = frame(PROOF, RUN,
                                concat(nonce, Handshake.clientProof(CREDS, model.challenge, nonce)));
                    }
                    case CONNECTING_AWAITING_CHALLENGE -> {
                        model.state = Model.State.AWAITING_CHALLENGE;
                        handshakeFrame = frame(CHALLENGE, RUN, random(rnd, 32));
                    }
                    default -> {
                        model.state = Model.State.AWAITING_ACCEPT;
                        model.challenge = random(rnd, 32);
                        inputs.add(write(ch, frame(CHALLENGE, RUN, model.challenge)));
                        model.nonce = Arrays.copyOf(body(drainOutbound(ch)), 32);
                        handshakeFrame = frame(ACCEPT, RUN,
                                Handshake.serverProof(CREDS, model.challenge, model.nonce));
                        if (scenario == Scenario.AUTHENTICATED) {
                            inputs.add(write(ch, handshakeFrame));
                            if (listener.authenticated.size() != 1) {
                                throw new AssertionError("setup: the connecting side did not authenticate");
                            }
                            model.state = Model.State.AUTHENTICATED;
                            handshakeFrame = null;
                        }
                    }
                }
            } catch (Throwable t) {
                results.escaped.add("iteration " + iteration + " " + scenario + ", during setup: " + t);
                ch.finishAndReleaseAll();
                return;
            }
            int setupEvents = listener.events.size();

            List<byte[]> frames = new ArrayList<>();
            int count = scenario == Scenario.AUTHENTICATED ? 1 + rnd.nextInt(4) : pick(1, 1, 1, 2, 2, 3);
            for (int i = 0; i < count; i++) {
                frames.add(nextFrame(handshakeFrame, i));
            }
            byte[] stream = concat(frames.toArray(byte[][]::new));
            List<byte[]> chunks = chunks(frames, stream);
            results.frames += count;
            results.bytes += stream.length;

            String escaped = null;
            for (byte[] chunk : chunks) {
                if (!ch.isOpen()) {
                    break;
                }
                try {
                    ByteBuf b = Unpooled.directBuffer(chunk.length).writeBytes(chunk);
                    inputs.add(b);
                    results.buffers++;
                    ch.writeInbound(b);
                    ch.checkException();
                } catch (Throwable t) {
                    escaped = t.toString();
                    break;
                }
            }
            byte[] outbound = drainOutbound(ch);
            boolean open = ch.isOpen();
            List<String> rejections = List.copyOf(listener.rejections);
            List<Object> log = List.copyOf(listener.events.subList(setupEvents, listener.events.size()));
            int rejectedAt = log.contains(Recorder.REJECTED) ? log.indexOf(Recorder.REJECTED) : log.size();
            List<Message> received = messages(log.subList(0, rejectedAt));
            int authenticated = Collections.frequency(log.subList(0, rejectedAt), Recorder.AUTHENTICATED);
            List<Object> afterRejection = log.subList(Math.min(rejectedAt + 1, log.size()), log.size()).stream()
                    .filter(e -> e != Recorder.CLOSED).toList();
            try {
                ch.finishAndReleaseAll();
            } catch (Throwable t) {
                escaped = escaped == null ? "at finish: " + t : escaped;
            }

            if (scenario == Scenario.CONNECTING_AWAITING_CHALLENGE && outbound.length >= 4 + HEADER_BYTES + 64) {
                model.nonce = Arrays.copyOfRange(outbound, 4 + HEADER_BYTES, 4 + HEADER_BYTES + 32);
            }
            model.run(stream);

            String description = "iteration " + iteration + " " + scenario + ", " + chunks.size() + " buffer(s), "
                    + "input " + hex(stream) + "\n    model: " + model + "\n    pipeline: "
                    + (open ? "open" : "closed") + ", rejections " + rejections + ", received " + received
                    + ", authenticated " + authenticated + (afterRejection.isEmpty() ? ""
                    : ", and after the rejection: " + afterRejection);

            if (escaped != null) {
                results.escaped.add(description + "\n    escaped: " + escaped);
            }
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).refCnt() != 0) {
                    results.leakedInputs.add(description + "\n    input buffer " + i + " has refCnt "
                            + inputs.get(i).refCnt());
                }
            }
            rejections.forEach(reason -> results.reasons.merge(normalise(reason), 1, Integer::sum));
            results.messagesDelivered += messages(log).size();
            results.authenticatedByFuzz += Collections.frequency(log, Recorder.AUTHENTICATED);
            if (open) {
                results.stayedOpen++;
            } else {
                results.rejected++;
            }

            // Robustness: closed exactly when reported, once; authenticated at most once.
            if (open != rejections.isEmpty() || rejections.size() > 1 || authenticated > 1) {
                results.badOutcome.add(description);
            }
            // Invalid input is never accepted.
            if (model.rejected && open) {
                results.invalidAccepted.add(description + "\n    -> the model rejects, the channel stayed open");
            }
            int agreed = Math.min(received.size(), model.messages.size());
            if (!received.subList(0, agreed).equals(model.messages.subList(0, agreed))) {
                results.invalidAccepted.add(description + "\n    -> delivered messages differ from the model's");
            }
            if (received.size() > model.messages.size()) {
                results.invalidAccepted.add(description + "\n    -> delivered more than the model decodes");
            }
            if (authenticated > 0 && !model.authenticated) {
                results.invalidAccepted.add(description + "\n    -> authenticated without a valid handshake");
            }
            if (open && received.size() != model.messages.size()) {
                results.invalidAccepted.add(description + "\n    -> open, but did not deliver what the model "
                        + "decodes");
            }
            // Strict agreement with the protocol document.
            if (!model.rejected && !open) {
                results.validRejected.add(description);
            } else if (model.authenticated && authenticated == 0) {
                results.validRejected.add(description + "\n    -> a valid handshake did not authenticate");
            } else if (received.size() < model.messages.size()) {
                results.validRejected.add(description + "\n    -> closed before valid messages the model decodes");
            }
            if (!afterRejection.isEmpty()) {
                results.behindRejection.add(description);
            }
        }

        private static List<Message> messages(List<Object> events) {
            return events.stream().filter(Message.class::isInstance).map(Message.class::cast).toList();
        }

        private static ByteBuf write(EmbeddedChannel ch, byte[] bytes) {
            ByteBuf b = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            ch.writeInbound(b);
            ch.checkException();
            return b;
        }

        private int pick(int... choices) {
            return choices[rnd.nextInt(choices.length)];
        }

        // ---- generating frames ---------------------------------------------------------------------------------

        /**
         * The i-th frame of a case. Its base is the state's valid handshake frame first (a valid message frame
         * once authenticated); later frames start from a message frame (what follows a successful handshake) or
         * from the handshake frame again.
         */
        private byte[] nextFrame(byte[] handshakeFrame, int index) {
            byte[] base = handshakeFrame != null && (index == 0 || rnd.nextInt(3) == 0)
                    ? handshakeFrame : validMessageFrame();
            int r = rnd.nextInt(100);
            if (r < 15) {
                return base;
            } else if (r < 23) {
                return random(rnd, rnd.nextInt(pick(1, 8, 100, 700)));
            } else if (r < 30) {
                byte[] body = random(rnd, rnd.nextInt(pick(30, 120, 600)));
                return concat(ByteBuffer.allocate(4).putInt(body.length).array(), body);
            } else if (r < 38) {
                return frame(VERSION, pick(0, 1, 2, 3, 4, 15, 16, 17, 18, 19, 255, rnd.nextInt(256)), RUN,
                        random(rnd, pick(0, 8, 16, 32, 64, rnd.nextInt(100))));
            }
            byte[] f = base.clone();
            int mutations = 1 + rnd.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                f = mutate(f, base);
            }
            return f;
        }

        private byte[] validMessageFrame() {
            return switch (rnd.nextInt(3)) {
                case 0 -> frame(PING, RUN, longs(rnd.nextLong(), rnd.nextLong()));
                case 1 -> frame(PONG, RUN, longs(rnd.nextLong(), rnd.nextLong()));
                default -> frame(SHUTDOWN, RUN, string(reason()));
            };
        }

        private String reason() {
            return switch (rnd.nextInt(6)) {
                case 0 -> "";
                case 1 -> "worker lost";
                case 2 -> "ünïcödé 漢字 🚀".repeat(1 + rnd.nextInt(3));
                case 3 -> "x".repeat(MAX_FRAME - HEADER_BYTES - 2 - rnd.nextInt(4)); // at the frame limit
                default -> {
                    StringBuilder s = new StringBuilder();
                    int n = rnd.nextInt(40);
                    for (int i = 0; i < n; i++) {
                        s.append((char) (0x20 + rnd.nextInt(0x5f)));
                    }
                    yield s.toString();
                }
            };
        }

        private byte[] mutate(byte[] f, byte[] base) {
            switch (rnd.nextInt(13)) {
                case 0 -> { // flip a bit
                    if (f.length > 0) {
                        f[rnd.nextInt(f.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 1 -> { // set a byte
                    if (f.length > 0) {
                        f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> f = Arrays.copyOf(f, f.length == 0 ? 0 : rnd.nextInt(f.length)); // truncate
                case 3 -> f = concat(f, random(rnd, 1 + rnd.nextInt(20))); // extend, length unchanged
                case 4 -> f = fixLength(concat(f, random(rnd, 1 + rnd.nextInt(20)))); // extend, length fixed
                case 5 -> { // cut bytes out of the middle, length fixed
                    if (f.length > 5) {
                        int from = 4 + rnd.nextInt(f.length - 4);
                        int to = Math.min(f.length, from + 1 + rnd.nextInt(16));
                        f = fixLength(concat(Arrays.copyOf(f, from), Arrays.copyOfRange(f, to, f.length)));
                    }
                }
                case 6 -> { // another length prefix
                    if (f.length >= 4) {
                        long current = ByteBuffer.wrap(f).getInt() & 0xffff_ffffL;
                        long[] lengths = {0, 1, 17, 18, 19, current - 1, current + 1, current + 4,
                            HANDSHAKE_LIMIT - 4, HANDSHAKE_LIMIT - 1, HANDSHAKE_LIMIT, HANDSHAKE_LIMIT + 1,
                            MAX_FRAME - 4, MAX_FRAME, MAX_FRAME + 1, MAX_FRAME + 4, 0x7fff_ffffL, 0x8000_0000L,
                            0xffff_fffeL, 0xffff_ffffL, rnd.nextInt() & 0xffff_ffffL};
                        ByteBuffer.wrap(f).putInt((int) lengths[rnd.nextInt(lengths.length)]);
                    }
                }
                case 7 -> { // another version
                    if (f.length > 4) {
                        f[4] = (byte) pick(0, 2, 255, rnd.nextInt(256));
                    }
                }
                case 8 -> { // another type
                    if (f.length > 5) {
                        f[5] = (byte) pick(0, 1, 2, 3, 4, 15, 16, 17, 18, 19, 127, 128, 255);
                    }
                }
                case 9 -> { // another run id: a stale peer, or one bit off
                    if (f.length >= 4 + HEADER_BYTES) {
                        if (rnd.nextBoolean()) {
                            UUID other = UUID.randomUUID();
                            ByteBuffer.wrap(f, 6, 16).putLong(other.getMostSignificantBits())
                                    .putLong(other.getLeastSignificantBits());
                        } else {
                            f[6 + rnd.nextInt(16)] ^= (byte) (1 << rnd.nextInt(8));
                        }
                    }
                }
                case 10 -> { // another string length, where a Shutdown's would be
                    if (f.length >= 4 + HEADER_BYTES + 2) {
                        int current = ByteBuffer.wrap(f, 4 + HEADER_BYTES, 2).getShort() & 0xffff;
                        ByteBuffer.wrap(f, 4 + HEADER_BYTES, 2).putShort((short) pick(0, 1, current - 1,
                                current + 1, 4096, 4097, 16384, 16385, 0xffff, rnd.nextInt(0x10000)));
                    }
                }
                case 11 -> f = concat(f, f); // the frame twice
                default -> f = rnd.nextBoolean() ? concat(f, base) : concat(base, f); // beside a valid frame
            }
            return f;
        }

        private static byte[] fixLength(byte[] f) {
            if (f.length >= 4) {
                ByteBuffer.wrap(f).putInt(f.length - 4);
            }
            return f;
        }

        /** How the stream is cut into buffers: whole, frame by frame, random pieces, or byte by byte. */
        private List<byte[]> chunks(List<byte[]> frames, byte[] stream) {
            int mode = rnd.nextInt(10);
            if (mode < 5) {
                return List.of(stream);
            } else if (mode < 8) {
                return frames;
            }
            List<byte[]> out = new ArrayList<>();
            int max = mode == 9 && stream.length <= 300 ? 1 : 1 + rnd.nextInt(24);
            for (int i = 0; i < stream.length; ) {
                int n = Math.min(stream.length - i, 1 + rnd.nextInt(max));
                out.add(Arrays.copyOfRange(stream, i, i + n));
                i += n;
            }
            return out;
        }
    }

    private static String hex(byte[] b) {
        String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 160));
        return b.length > 160 ? h + "...(" + b.length + " bytes)" : h + " (" + b.length + " bytes)";
    }

    private static String normalise(String reason) {
        return reason.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<run>")
                .replaceAll("\\d+", "N");
    }

    // ---- the reference decoder ---------------------------------------------------------------------------------

    /** The protocol of docs/protocol.md, decoded from a byte stream, independently of the pipeline. */
    static final class Model {
        enum State { AWAITING_PROOF, AWAITING_CHALLENGE, AWAITING_ACCEPT, AUTHENTICATED }

        State state;
        byte[] challenge;
        byte[] nonce;
        boolean authenticated;
        boolean rejected;
        State rejectedIn;
        String why;
        final List<Message> messages = new ArrayList<>();

        void run(byte[] s) {
            int pos = 0;
            while (!rejected && s.length - pos >= 4) {
                long length = ByteBuffer.wrap(s, pos, 4).getInt() & 0xffff_ffffL;
                long limit = state == State.AUTHENTICATED ? MAX_FRAME : HANDSHAKE_LIMIT;
                if (length > limit) {
                    reject("length " + length + " over " + limit);
                    return;
                }
                if (s.length - pos - 4 < length) {
                    return; // waits for the rest
                }
                frame(Arrays.copyOfRange(s, pos + 4, pos + 4 + (int) length));
                pos += 4 + (int) length;
            }
        }

        private void reject(String reason) {
            rejected = true;
            rejectedIn = state;
            why = reason;
        }

        private void frame(byte[] f) {
            if (f.length < HEADER_BYTES) {
                reject("shorter than a header");
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(f);
            int version = b.get() & 0xff;
            int type = b.get() & 0xff;
            UUID run = new UUID(b.getLong(), b.getLong());
            if (version != VERSION || !run.equals(RUN)) {
                reject(version != VERSION ? "version " + version : "another run");
                return;
            }
            byte[] body = Arrays.copyOfRange(f, HEADER_BYTES, f.length);
            switch (state) {
                case AWAITING_PROOF -> {
                    if (type != PROOF || body.length != 64 || !Arrays.equals(Arrays.copyOfRange(body, 32, 64),
                            Handshake.clientProof(CREDS, challenge, Arrays.copyOf(body, 32)))) {
                        reject("not a valid proof");
                        return;
                    }
                    state = State.AUTHENTICATED;
                    authenticated = true;
                }
                case AWAITING_CHALLENGE -> {
                    if (type != CHALLENGE || body.length != 32) {
                        reject("not a challenge");
                        return;
                    }
                    challenge = body;
                    state = State.AWAITING_ACCEPT;
                }
                case AWAITING_ACCEPT -> {
                    if (type != ACCEPT || body.length != 32 || nonce == null
                            || !Arrays.equals(body, Handshake.serverProof(CREDS, challenge, nonce))) {
                        reject("not a valid accept");
                        return;
                    }
                    state = State.AUTHENTICATED;
                    authenticated = true;
                }
                case AUTHENTICATED -> message(type, body);
            }
        }

        private void message(int type, byte[] body) {
            ByteBuffer b = ByteBuffer.wrap(body);
            switch (type) {
                case PING, PONG -> {
                    if (body.length != 16) {
                        reject("a ping or pong of " + body.length + " bytes");
                        return;
                    }
                    long sequence = b.getLong();
                    long sent = b.getLong();
                    messages.add(type == PING ? new Message.Ping(sequence, sent) : new Message.Pong(sequence, sent));
                }
                case SHUTDOWN -> {
                    if (body.length < 2) {
                        reject("no string length");
                        return;
                    }
                    int n = b.getShort() & 0xffff;
                    if (n != body.length - 2) {
                        reject("string length " + n + " in a body of " + body.length);
                        return;
                    }
                    String reason = new String(body, 2, n, StandardCharsets.UTF_8);
                    if (reason.length() > 4096) {
                        reject("a string of " + reason.length() + " characters");
                        return;
                    }
                    messages.add(new Message.Shutdown(reason));
                }
                case HELLO -> {
                    if (body.length < 2) {
                        reject("no string length");
                        return;
                    }
                    int n = b.getShort() & 0xffff;
                    if (n + 12 != body.length - 2) {
                        reject("a hello of " + body.length + " bytes with a " + n + "-byte name");
                        return;
                    }
                    String node = new String(body, 2, n, StandardCharsets.UTF_8);
                    if (node.length() > 4096) {
                        reject("a string of " + node.length() + " characters");
                        return;
                    }
                    b.position(2 + n);
                    messages.add(new Message.Hello(node, b.getLong(), b.getInt(), ""));
                }
                default -> reject("type " + type);
            }
        }

        @Override
        public String toString() {
            return (rejected ? "rejects in " + rejectedIn + " (" + why + ")" : "stays open in " + state)
                    + ", decodes " + messages.stream().map(Object::toString).collect(Collectors.joining(", ", "[",
                    "]")) + (authenticated ? ", authenticates" : "");
        }
    }
}
