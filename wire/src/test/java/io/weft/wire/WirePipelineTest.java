package io.weft.wire;

import static io.weft.wire.WireTestSupport.ACCEPT;
import static io.weft.wire.WireTestSupport.CHALLENGE;
import static io.weft.wire.WireTestSupport.HANDSHAKE_LIMIT;
import static io.weft.wire.WireTestSupport.HEADER_BYTES;
import static io.weft.wire.WireTestSupport.MAX_FRAME;
import static io.weft.wire.WireTestSupport.PING;
import static io.weft.wire.WireTestSupport.PONG;
import static io.weft.wire.WireTestSupport.PROOF;
import static io.weft.wire.WireTestSupport.SHUTDOWN;
import static io.weft.wire.WireTestSupport.body;
import static io.weft.wire.WireTestSupport.concat;
import static io.weft.wire.WireTestSupport.credentials;
import static io.weft.wire.WireTestSupport.drainOutbound;
import static io.weft.wire.WireTestSupport.embedded;
import static io.weft.wire.WireTestSupport.feed;
import static io.weft.wire.WireTestSupport.frame;
import static io.weft.wire.WireTestSupport.longs;
import static io.weft.wire.WireTestSupport.otherRun;
import static io.weft.wire.WireTestSupport.otherSecret;
import static io.weft.wire.WireTestSupport.ping;
import static io.weft.wire.WireTestSupport.pong;
import static io.weft.wire.WireTestSupport.shuttle;
import static io.weft.wire.WireTestSupport.shutdown;
import static io.weft.wire.WireTestSupport.string;
import static io.weft.wire.WireTestSupport.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.weft.wire.WireTestSupport.AuthenticatedClient;
import io.weft.wire.WireTestSupport.Recorder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipeline on Netty {@link EmbeddedChannel}s, without sockets: two channels set up by
 * {@link WirePipeline#configure}, one accepting and one connecting, with the bytes each writes moved to the other
 * by hand; or one channel and a peer played by the test, byte by byte.
 */
class WirePipelineTest {
    private final RunCredentials creds = credentials(11);
    private final UUID run = creds.runId();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final List<ByteBuf> inputs = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    /** One end of a connection. */
    private final class Side {
        final Recorder listener;
        final CompletableFuture<WireConnection> future = new CompletableFuture<>();
        final EmbeddedChannel channel;

        Side(boolean accepting, RunCredentials c) {
            this(accepting, c, MAX_FRAME, new Recorder());
        }

        Side(boolean accepting, RunCredentials c, int maxFrame, Recorder listener) {
            this.listener = listener;
            this.channel = embedded(accepting, c, maxFrame, listener, future);
            channels.add(channel);
        }

        void receive(byte[] bytes) {
            inputs.add(feed(channel, bytes));
        }
    }

    private AuthenticatedClient authenticatedClient(int maxFrame) {
        AuthenticatedClient c = new AuthenticatedClient(creds, maxFrame);
        channels.add(c.channel);
        return c;
    }

    private void receive(AuthenticatedClient c, byte[] bytes) {
        inputs.add(feed(c.channel, bytes));
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> e).join();
    }

    private static void assertRejectedOnce(EmbeddedChannel ch, Recorder listener, String... reasonFragments) {
        ch.checkException();
        assertThat(ch.isOpen()).as("the channel is closed").isFalse();
        assertThat(listener.rejections).as("rejection reports").hasSize(1);
        for (String fragment : reasonFragments) {
            assertThat(listener.rejections.get(0)).containsIgnoringCase(fragment);
        }
    }

    private void assertInputsReleased() {
        for (ByteBuf b : inputs) {
            assertThat(b.refCnt()).as("an input buffer was not released").isZero();
        }
    }

    // ---- a successful handshake -------------------------------------------------------------------------------

    @Test
    void matchingCredentials_completeBothFutures_thenPingPongAndShutdownRoundTrip() {
        Side server = new Side(true, creds);
        Side client = new Side(false, RunCredentials.of(run, creds.secret()));

        shuttle(server.channel, client.channel);

        assertThat(server.future).isCompleted();
        assertThat(client.future).isCompleted();
        assertThat(server.listener.authenticated).containsExactly(server.future.join());
        assertThat(client.listener.authenticated).containsExactly(client.future.join());
        assertThat(server.channel.isOpen()).isTrue();
        assertThat(client.channel.isOpen()).isTrue();

        WireConnection toServer = client.future.join();
        WireConnection toClient = server.future.join();
        toServer.send(new Message.Ping(1, 123_456_789L));
        shuttle(server.channel, client.channel);
        toClient.send(new Message.Pong(1, 123_456_789L));
        shuttle(server.channel, client.channel);
        toServer.send(new Message.Ping(Long.MIN_VALUE, -1));
        toServer.send(new Message.Hello("gpu-nöde-1", 4242L, 43101, "10.0.0.7"));
        toServer.send(new Message.Shutdown("done — até logo 👋"));
        toClient.send(new Message.Shutdown(""));
        shuttle(server.channel, client.channel);

        assertThat(server.listener.received).containsExactly(new Message.Ping(1, 123_456_789L),
                new Message.Ping(Long.MIN_VALUE, -1), new Message.Hello("gpu-nöde-1", 4242L, 43101, "10.0.0.7"),
                new Message.Shutdown("done — até logo 👋"));
        assertThat(client.listener.received).containsExactly(new Message.Pong(1, 123_456_789L),
                new Message.Shutdown(""));
        assertThat(server.listener.rejections).isEmpty();
        assertThat(client.listener.rejections).isEmpty();
        assertInputsReleased();
    }

    @Test
    void handshake_completesWhenEveryByteArrivesSeparately() {
        Side server = new Side(true, creds);
        Side client = new Side(false, creds);

        shuttle(server.channel, client.channel, 1);
        client.future.join().send(new Message.Ping(9, 9));
        shuttle(server.channel, client.channel, 1);

        assertThat(server.future).isCompleted();
        assertThat(client.future).isCompleted();
        assertThat(server.listener.received).containsExactly(new Message.Ping(9, 9));
    }

    @Test
    void acceptingSideListenerThatSendsOnAuthentication_messageReachesThePeerAfterTheHandshake() {
        // A master greeting each worker as soon as it is authenticated is the natural thing to do.
        Recorder greeter = new Recorder() {
            @Override
            public void authenticated(WireConnection connection) {
                super.authenticated(connection);
                connection.send(new Message.Ping(7, 7));
            }
        };
        Side server = new Side(true, creds, MAX_FRAME, greeter);
        Side client = new Side(false, creds);

        shuttle(server.channel, client.channel);

        assertThat(client.listener.rejections).isEmpty();
        assertThat(client.future).isCompleted();
        assertThat(client.listener.received).containsExactly(new Message.Ping(7, 7));
    }

    @Test
    void bytesRightBehindTheAcceptFrame_areDecodedAsMessages() {
        byte[] firstPing = ping(run, 5, 6);
        AuthenticatedClient client = new AuthenticatedClient(creds, MAX_FRAME,
                concat(firstPing, shutdown(run, "x"), Arrays.copyOf(pong(run, 1, 1), 10)));
        channels.add(client.channel);

        receive(client, Arrays.copyOfRange(pong(run, 1, 1), 10, 4 + HEADER_BYTES + 16));

        assertThat(client.listener.received).containsExactly(new Message.Ping(5, 6), new Message.Shutdown("x"),
                new Message.Pong(1, 1));
        assertThat(client.channel.isOpen()).isTrue();
    }

    @Test
    void bytesRightBehindTheAcceptFrame_areDeliveredOnlyAfterTheListenerHearsOfTheAuthentication() {
        // WireListener.authenticated: "A peer proved it belongs to the run; messages may flow."
        AuthenticatedClient client = new AuthenticatedClient(creds, MAX_FRAME, ping(run, 5, 6));
        channels.add(client.channel);

        assertThat(client.listener.events).containsExactly(Recorder.AUTHENTICATED, new Message.Ping(5, 6));
    }

    @Test
    void malformedFrameRightBehindTheAcceptFrame_isReportedAfterTheAuthenticationNotBeforeIt() {
        AuthenticatedClient client = new AuthenticatedClient(creds, MAX_FRAME, frame(PING, run, new byte[3]));
        channels.add(client.channel);

        assertThat(client.channel.isOpen()).isFalse();
        assertThat(client.listener.events).startsWith(Recorder.AUTHENTICATED, Recorder.REJECTED);
    }

    // ---- proofs that fail ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "wrong secret on the {0} side")
    @ValueSource(strings = {"connecting", "accepting"})
    void wrongSecret_isDisconnectedByTheAcceptingSideBeforeAnyMessageIsDecoded(String wrongSide) {
        boolean impostorConnects = wrongSide.equals("connecting");
        Side server = new Side(true, impostorConnects ? creds : otherSecret(creds));
        Side client = new Side(false, impostorConnects ? otherSecret(creds) : creds);

        client.receive(drainOutbound(server.channel));
        byte[] proof = drainOutbound(client.channel);
        assertThat(type(proof)).isEqualTo(PROOF);
        // The connecting side follows its proof with a message at once, in the same buffer.
        server.receive(concat(proof, ping(run, 1, 2), shutdown(run, "let me in")));

        assertRejectedOnce(server.channel, server.listener, "secret");
        assertThat(server.listener.received).isEmpty();
        assertThat(server.listener.authenticated).isEmpty();
        assertThat(drainOutbound(server.channel)).as("no ACCEPT is sent").isEmpty();
        assertThat(failure(server.future)).isInstanceOf(WireException.class).hasMessageContaining("secret");

        client.channel.close(); // the connecting side sees the connection end
        assertThat(failure(client.future)).isInstanceOf(WireException.class);
        assertThat(client.listener.authenticated).isEmpty();
        assertInputsReleased();
    }

    @Test
    void acceptingSideThatCannotProveTheSecret_isRejectedByTheConnectingSide() {
        Side client = new Side(false, creds);
        byte[] challenge = new byte[32];
        Arrays.fill(challenge, (byte) 3);
        client.receive(frame(CHALLENGE, run, challenge));
        byte[] nonce = Arrays.copyOf(body(drainOutbound(client.channel)), 32);
        byte[] forged = Handshake.serverProof(otherSecret(creds), challenge, nonce);

        client.receive(concat(frame(ACCEPT, run, forged), ping(run, 1, 2)));

        assertRejectedOnce(client.channel, client.listener, "secret");
        assertThat(client.listener.received).isEmpty();
        assertThat(client.listener.authenticated).isEmpty();
        assertThat(failure(client.future)).isInstanceOf(WireException.class).hasMessageContaining("secret");
        assertInputsReleased();
    }

    @Test
    void connectingSidesOwnProofReflectedBack_isNotAcceptedAsTheAcceptingSidesProof() {
        Side client = new Side(false, creds);
        client.receive(frame(CHALLENGE, run, new byte[32]));
        byte[] proofBody = body(drainOutbound(client.channel));
        byte[] ownMac = Arrays.copyOfRange(proofBody, 32, 64);

        client.receive(frame(ACCEPT, run, ownMac));

        assertRejectedOnce(client.channel, client.listener, "secret");
        assertThat(client.future).isCompletedExceptionally();
    }

    @Test
    void connectingSideOfAnotherRun_rejectsTheChallengeAsStale() {
        Side server = new Side(true, creds);
        Side client = new Side(false, otherRun(creds));

        shuttle(server.channel, client.channel);

        assertRejectedOnce(client.channel, client.listener, "stale", "not of this run");
        assertThat(failure(client.future)).hasMessageContaining("stale");
        assertThat(server.future).isCompletedExceptionally();
        assertThat(server.listener.authenticated).isEmpty();
    }

    @Test
    void proofFromAPeerOfAnotherRun_isRejectedAsStale() {
        Side server = new Side(true, creds);
        byte[] challenge = body(drainOutbound(server.channel));
        RunCredentials stale = otherRun(creds); // same secret, an earlier run
        byte[] nonce = new byte[32];

        server.receive(frame(PROOF, stale.runId(), concat(nonce, Handshake.clientProof(stale, challenge, nonce))));

        assertRejectedOnce(server.channel, server.listener, "stale");
        assertThat(server.listener.authenticated).isEmpty();
    }

    @ParameterizedTest(name = "version {1} to the {0} side")
    @MethodSource("versionsAndSides")
    void anotherProtocolVersion_isRejectedDuringTheHandshake(String side, int version) {
        Side s = new Side(side.equals("accepting"), creds);

        s.receive(frame(version, side.equals("accepting") ? PROOF : CHALLENGE, run, new byte[32]));

        assertRejectedOnce(s.channel, s.listener, "protocol version " + version);
        assertThat(s.future).isCompletedExceptionally();
    }

    static Stream<Arguments> versionsAndSides() {
        return Stream.of(arguments("accepting", 0), arguments("accepting", 3), arguments("connecting", 4),
                arguments("connecting", 255));
    }

    // ---- frames that do not belong in the handshake ---------------------------------------------------------

    @ParameterizedTest(name = "to the {0} side")
    @ValueSource(strings = {"accepting", "connecting", "connecting, after the challenge"})
    void messageFrameBeforeTheHandshakeIsDone_isRejectedAndNeverDelivered(String side) {
        Side s = new Side(side.equals("accepting"), creds);
        if (side.endsWith("challenge")) {
            s.receive(frame(CHALLENGE, run, new byte[32]));
        }

        s.receive(ping(run, 1, 2));

        assertRejectedOnce(s.channel, s.listener, "type " + PING);
        assertThat(s.listener.received).isEmpty();
        assertThat(s.listener.authenticated).isEmpty();
        assertThat(s.future).isCompletedExceptionally();
        assertInputsReleased();
    }

    @ParameterizedTest(name = "length {1} to the {0} side")
    @MethodSource("overHandshakeLimit")
    void frameLongerThanTheHandshakeLimit_isRejectedAsSoonAsItsLengthIsRead(String side, long length) {
        Side s = new Side(side.equals("accepting"), creds);

        // Only the length prefix and a few bytes: the rest never has to arrive.
        s.receive(concat(ByteBuffer.allocate(4).putInt((int) length).array(), new byte[10]));

        assertRejectedOnce(s.channel, s.listener);
        assertThat(s.future).isCompletedExceptionally();
        assertInputsReleased();
    }

    static Stream<Arguments> overHandshakeLimit() {
        return Stream.of("accepting", "connecting").flatMap(side -> Stream.of(HANDSHAKE_LIMIT + 1L, 4096L,
                0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL).map(length -> arguments(side, length)));
    }

    @ParameterizedTest(name = "length {1} to the {0} side")
    @MethodSource("withinHandshakeLimit")
    void lengthPrefixWithinTheHandshakeLimit_waitsForTheRestOfTheFrame(String side, int length) {
        // docs/protocol.md: the length field "is capped at 82 bytes during the handshake"; a PROOF has length 82.
        Side s = new Side(side.equals("accepting"), creds);

        s.receive(ByteBuffer.allocate(4).putInt(length).array());

        s.channel.checkException();
        assertThat(s.listener.rejections).isEmpty();
        assertThat(s.channel.isOpen()).isTrue();
    }

    static Stream<Arguments> withinHandshakeLimit() {
        return Stream.of("accepting", "connecting").flatMap(side -> Stream.of(HEADER_BYTES + 32,
                HANDSHAKE_LIMIT - 4, HANDSHAKE_LIMIT - 1, HANDSHAKE_LIMIT).map(length -> arguments(side, length)));
    }

    @Test
    void challengeOfTheWrongSize_isRejected() {
        Side client = new Side(false, creds);

        client.receive(frame(CHALLENGE, run, new byte[31]));

        assertRejectedOnce(client.channel, client.listener, "31-byte body");
    }

    // ---- the handshake timeout (fake time: EmbeddedChannel.advanceTimeBy) -------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"accepting", "connecting", "connecting, after the challenge"})
    void silentPeer_isDisconnectedWhenTheHandshakeTimesOut(String side) {
        Side s = new Side(side.equals("accepting"), creds);
        s.channel.freezeTime();
        if (side.endsWith("challenge")) {
            s.receive(frame(CHALLENGE, run, new byte[32]));
        }

        s.channel.advanceTimeBy(9_900, TimeUnit.MILLISECONDS);
        s.channel.runScheduledPendingTasks();
        assertThat(s.channel.isOpen()).as("still open before 10 s").isTrue();

        s.channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        s.channel.runScheduledPendingTasks();
        s.channel.runPendingTasks();

        assertRejectedOnce(s.channel, s.listener, "no handshake within 10000 ms");
        // On an EmbeddedChannel, close() runs channelInactive at once, so the future may already have failed with
        // "the connection closed during the handshake" before reject() completes it with the timeout reason.
        assertThat(failure(s.future)).isInstanceOf(WireException.class);
    }

    @Test
    void authenticatedConnection_isNotClosedByTheHandshakeTimeout() {
        AuthenticatedClient client = authenticatedClient(MAX_FRAME);
        client.channel.freezeTime();

        client.channel.advanceTimeBy(60, TimeUnit.SECONDS);
        client.channel.runScheduledPendingTasks();

        assertThat(client.channel.isOpen()).isTrue();
        assertThat(client.listener.rejections).isEmpty();
    }

    // ---- after the handshake ----------------------------------------------------------------------------------

    @Test
    void afterAuthentication_validMessagesAreDeliveredInOrder() {
        AuthenticatedClient client = authenticatedClient(MAX_FRAME);

        receive(client, concat(ping(run, 1, 2), pong(run, -3, Long.MAX_VALUE), shutdown(run, "why not"),
                shutdown(run, ""), shutdown(run, "漢字 ünïcödé 🚀")));

        assertThat(client.listener.received).containsExactly(new Message.Ping(1, 2),
                new Message.Pong(-3, Long.MAX_VALUE), new Message.Shutdown("why not"), new Message.Shutdown(""),
                new Message.Shutdown("漢字 ünïcödé 🚀"));
        assertThat(client.channel.isOpen()).isTrue();
        assertThat(client.listener.rejections).isEmpty();
        assertInputsReleased();
    }

    @Test
    void afterAuthentication_aShutdownReasonOfTheMaximumLength_isDelivered() {
        AuthenticatedClient client = authenticatedClient(1 << 16);
        String longest = "é".repeat(4096); // 4096 characters, 8192 UTF-8 bytes

        receive(client, shutdown(run, longest));

        assertThat(client.listener.received).containsExactly(new Message.Shutdown(longest));
    }

    @ParameterizedTest(name = "length field {0} (maxFrame " + MAX_FRAME + ")")
    @ValueSource(ints = {MAX_FRAME - 4, MAX_FRAME - 1, MAX_FRAME})
    void afterAuthentication_aFrameUpToMaxFrame_isDelivered(int lengthField) {
        // docs/protocol.md: "length counts everything after itself", capped "at the limit the endpoint was
        // configured with"; WireServer/WireClient: maxFrame is "the largest frame accepted".
        AuthenticatedClient client = authenticatedClient(MAX_FRAME);
        String reason = "r".repeat(lengthField - HEADER_BYTES - 2);
        byte[] frame = shutdown(run, reason);
        assertThat(ByteBuffer.wrap(frame).getInt()).isEqualTo(lengthField);

        receive(client, frame);

        assertThat(client.listener.rejections).isEmpty();
        assertThat(client.listener.received).containsExactly(new Message.Shutdown(reason));
    }

    @ParameterizedTest(name = "length field {0} (maxFrame " + MAX_FRAME + ")")
    @ValueSource(longs = {MAX_FRAME + 1, 1 << 20, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL})
    void afterAuthentication_aFrameLongerThanMaxFrame_closesTheConnectionAndIsReported(long lengthField) {
        AuthenticatedClient client = authenticatedClient(MAX_FRAME);

        receive(client, concat(ByteBuffer.allocate(4).putInt((int) lengthField).array(), new byte[100]));

        assertRejectedOnce(client.channel, client.listener, "TooLongFrame");
        assertThat(client.listener.received).isEmpty();
        assertThat(client.listener.closed).hasSize(1);
        assertInputsReleased();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedMessages")
    void afterAuthentication_aMalformedMessage_closesTheConnectionAndIsReported(String name, byte[] frame,
            String reason) {
        AuthenticatedClient client = authenticatedClient(1 << 16);

        receive(client, frame);

        assertRejectedOnce(client.channel, client.listener, reason);
        assertThat(client.listener.received).isEmpty();
        assertThat(client.listener.closed).hasSize(1);
        assertInputsReleased();
    }

    static Stream<Arguments> malformedMessages() {
        UUID run = credentials(11).runId();
        return Stream.of(
                arguments("unknown type 40", frame(40, run, longs(1, 2)), "unknown message type 40"),
                arguments("fetch cut short", frame(MessageCodec.FETCH, run, new byte[12]), "cut short"),
                arguments("data whose byte array is longer than the frame", frame(MessageCodec.DATA, run,
                        ByteBuffer.allocate(13 + 10).putLong(1).put((byte) 1).putInt(1 << 30).array()),
                        "byte array of 1073741824 bytes"),
                arguments("data with a boolean of 7", frame(MessageCodec.DATA, run,
                        ByteBuffer.allocate(9).putLong(1).put((byte) 7).array()), "a boolean of 7"),
                arguments("forget with a count beyond the frame", frame(MessageCodec.FORGET, run,
                        ByteBuffer.allocate(4 + 16).putInt(1000).array()), "a count of 1000"),
                arguments("forget with a negative count", frame(MessageCodec.FORGET, run,
                        ByteBuffer.allocate(4).putInt(-5).array()), "a count of -5"),
                arguments("put with a byte array length of -2", frame(MessageCodec.PUT, run,
                        ByteBuffer.allocate(13).putLong(1).put((byte) 0).putInt(-2).array()), "byte array of -2"),
                arguments("unknown type 255", frame(255, run, new byte[0]), "unknown message type 255"),
                arguments("type 15, below the first message type", frame(15, run, longs(1, 2)), "type 15"),
                arguments("ping cut short (15-byte body)", frame(PING, run, new byte[15]), "cut short"),
                arguments("pong cut short (8-byte body)", frame(PONG, run, new byte[8]), "cut short"),
                arguments("ping with an empty body", frame(PING, run, new byte[0]), "cut short"),
                arguments("ping with a trailing byte", frame(PING, run, new byte[17]), "1 unexpected bytes"),
                arguments("pong with 100 trailing bytes", frame(PONG, run, new byte[116]), "100 unexpected bytes"),
                arguments("shutdown with an empty body", frame(SHUTDOWN, run, new byte[0]), "cut short"),
                arguments("shutdown with half a string length", frame(SHUTDOWN, run, new byte[1]), "cut short"),
                arguments("shutdown whose string length is beyond the frame",
                        frame(SHUTDOWN, run, concat(new byte[] {0, 100}, new byte[10])), "string of 100 bytes"),
                arguments("shutdown whose string length is 65535",
                        frame(SHUTDOWN, run, concat(new byte[] {-1, -1}, new byte[10])), "string of 65535 bytes"),
                arguments("shutdown with a trailing byte", frame(SHUTDOWN, run, concat(string("ok"), new byte[1])),
                        "1 unexpected bytes"),
                arguments("shutdown of 4097 characters", shutdown(run, "x".repeat(4097)), "4097"),
                arguments("an empty frame (length 0)", new byte[] {0, 0, 0, 0}, "shorter than its header"),
                arguments("a frame of 17 bytes, shorter than its header",
                        concat(new byte[] {0, 0, 0, 17}, new byte[17]), "shorter than its header"),
                arguments("protocol version 1", frame(1, PING, run, longs(1, 2)), "protocol version 1"),
                arguments("protocol version 0", frame(0, PING, run, longs(1, 2)), "protocol version 0"),
                arguments("a frame of another run", ping(new UUID(run.getMostSignificantBits(),
                        ~run.getLeastSignificantBits()), 1, 2), "stale"));
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {CHALLENGE, PROOF, ACCEPT})
    void afterAuthentication_aHandshakeFrame_isRejected(int type) {
        AuthenticatedClient client = authenticatedClient(MAX_FRAME);

        receive(client, frame(type, run, new byte[type == PROOF ? 64 : 32]));

        assertRejectedOnce(client.channel, client.listener, "after the handshake");
        assertThat(client.listener.received).isEmpty();
    }

    @Test
    void afterAuthentication_framesBehindARejectedFrameInTheSameRead_areNotDelivered() {
        // WireListener.rejected: "Nothing it sent was decoded beyond what this reason names."
        AuthenticatedClient client = authenticatedClient(MAX_FRAME);

        receive(client, concat(ping(run, 1, 1), frame(PING, run, new byte[15]), ping(run, 2, 2),
                shutdown(run, "after the bad frame")));

        assertRejectedOnce(client.channel, client.listener, "cut short");
        assertThat(client.listener.received).containsExactly(new Message.Ping(1, 1));
    }

    @Test
    void afterAuthentication_framesBehindAnOversizedFrame_areNotDecodedWhenTheConnectionCloses() {
        // The oversized frame is complete in the buffer, so the frame decoder skips it and throws; the connection
        // is closed, and the frame decoder decodes what it still holds as the channel goes inactive.
        AuthenticatedClient client = authenticatedClient(MAX_FRAME);
        byte[] oversized = frame(PING, run, new byte[MAX_FRAME]);

        receive(client, concat(oversized, ping(run, 2, 2)));

        assertRejectedOnce(client.channel, client.listener, "TooLongFrame");
        assertThat(client.listener.received).isEmpty();
    }

    @ParameterizedTest(name = "behind {0}")
    @ValueSource(strings = {"a message frame", "a complete frame over the handshake limit"})
    void validProofBehindARejectedFrameInTheSameRead_doesNotAuthenticateTheClosedConnection(String rejected) {
        Side server = new Side(true, creds);
        byte[] challenge = body(drainOutbound(server.channel));
        byte[] nonce = new byte[32];
        byte[] validProof = frame(PROOF, run, concat(nonce, Handshake.clientProof(creds, challenge, nonce)));
        byte[] first = rejected.startsWith("a message") ? ping(run, 1, 1) : frame(PROOF, run, new byte[80]);

        server.receive(concat(first, validProof, ping(run, 2, 2)));

        assertRejectedOnce(server.channel, server.listener);
        assertThat(server.listener.authenticated).isEmpty();
        assertThat(server.listener.received).isEmpty();
        assertThat(drainOutbound(server.channel)).as("no ACCEPT is sent").isEmpty();
        assertThat(server.future).isCompletedExceptionally();
    }

    @Test
    void sendingAMessageLargerThanMaxFrame_neverPutsItOnTheWireAndThrowsNothingAtTheCaller() {
        AuthenticatedClient client = authenticatedClient(64);

        client.connection().send(new Message.Shutdown("x".repeat(100)));
        client.channel.runPendingTasks(); // the loop writes what was sent on it once it is done with its reads

        client.channel.checkException();
        assertThat(drainOutbound(client.channel)).isEmpty();
    }
}
