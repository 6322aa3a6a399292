package io.weft.runtime.worker.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.Message.DataRef;
import io.weft.wire.Message.Produced;
import io.weft.wire.RunCredentials;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireListener;
import io.weft.wire.WireServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker endpoint on real loopback connections, with this test as its master: it runs tasks, sends small results
 * back inline, keeps large ones (spilling them to its directory beyond its budget), serves them, and forgets them.
 */
class WorkerEndpointTest {
    private static final int MAX_FRAME = 16 << 20;

    /** A task that makes a version too large to go back inline (160 000 bytes). */
    public static double[] makeLarge(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * 0.5;
        }
        return a;
    }

    /** A task that reads a version and returns a small value. */
    public static double sum(double[] a) {
        return Arrays.stream(a).sum();
    }

    /** A task that throws. */
    public static int fail(int x) {
        throw new IllegalArgumentException("no " + x);
    }

    private static final java.util.concurrent.CountDownLatch SLEEPING = new java.util.concurrent.CountDownLatch(1);

    /** A task that sleeps for a minute unless interrupted. */
    public static int sleepLong(int x) throws InterruptedException {
        SLEEPING.countDown();
        Thread.sleep(60_000);
        return x;
    }

    private static final java.util.concurrent.CountDownLatch GATE = new java.util.concurrent.CountDownLatch(1);
    private static final java.util.concurrent.CountDownLatch PEER_GATE = new java.util.concurrent.CountDownLatch(1);

    /** A task that updates its counter once {@link #PEER_GATE} opens. */
    public static void bumpAfterPeerGate(int[] c) throws InterruptedException {
        PEER_GATE.await();
        c[0]++;
    }

    /** A task that updates its counter once {@link #GATE} opens. */
    public static void bumpAfterGate(int[] c) throws InterruptedException {
        GATE.await();
        c[0]++;
    }

    private static final java.util.concurrent.CountDownLatch EARLIER_GATE = new java.util.concurrent.CountDownLatch(1);
    private static final java.util.concurrent.CountDownLatch EARLIER_STARTED = new java.util.concurrent.CountDownLatch(1);
    private static final java.util.concurrent.CountDownLatch WITHDRAW_GATE = new java.util.concurrent.CountDownLatch(1);
    private static final java.util.concurrent.CountDownLatch WITHDRAW_STARTED =
            new java.util.concurrent.CountDownLatch(1);

    /** A task that updates its counter once {@link #EARLIER_GATE} opens. */
    public static void bumpAfterEarlierGate(int[] c) throws InterruptedException {
        EARLIER_STARTED.countDown();
        EARLIER_GATE.await();
        c[0]++;
    }

    private static final java.util.concurrent.CountDownLatch SHARED_GATE = new java.util.concurrent.CountDownLatch(1);

    /** A task that updates its counter once {@link #SHARED_GATE} opens. */
    public static void bumpAfterSharedGate(int[] c) throws InterruptedException {
        SHARED_GATE.await();
        c[0]++;
    }

    private static final java.util.concurrent.CountDownLatch HELD_GATE = new java.util.concurrent.CountDownLatch(1);
    private static final java.util.concurrent.CountDownLatch THIRD_GATE = new java.util.concurrent.CountDownLatch(1);
    private static final java.util.concurrent.CountDownLatch THIRD_STARTED = new java.util.concurrent.CountDownLatch(1);

    /** A task that updates its counter once {@link #THIRD_GATE} opens. */
    public static void bumpAfterThirdGate(int[] c) throws InterruptedException {
        THIRD_STARTED.countDown();
        THIRD_GATE.await();
        c[0]++;
    }

    /** A task that updates its counter once {@link #HELD_GATE} opens. */
    public static void bumpAfterHeldGate(int[] c) throws InterruptedException {
        HELD_GATE.await();
        c[0]++;
    }

    /** A task that updates its counter once {@link #WITHDRAW_GATE} opens. */
    public static void bumpAfterWithdrawGate(int[] c) throws InterruptedException {
        WITHDRAW_STARTED.countDown();
        WITHDRAW_GATE.await();
        c[0]++;
    }

    /** A task that updates its counter. */
    public static void bump(int[] c) {
        c[0]++;
    }

    /** A task that fails while updating its counter. */
    public static void bumpAndFail(int[] c) {
        throw new IllegalStateException("failed at " + c[0]);
    }

    @TempDir
    Path dir;

    private final BlockingQueue<Message> fromWorker = new LinkedBlockingQueue<>();
    private WireServer server;
    private WireClient client;
    private WireConnection worker;
    private WorkerEndpoint service;
    private final CompletableFuture<WireConnection> accepted = new CompletableFuture<>();
    /** The connections of workers to this test as their master, in the order they came. */
    private final BlockingQueue<WireConnection> connections = new LinkedBlockingQueue<>();
    /** A second worker, {@code w2} ({@link #startTwo}), and the servers on which each worker serves its peers. */
    private WorkerEndpoint second;
    private WireConnection toSecond;
    private WireServer firstData;
    private WireServer secondData;
    /** The {@link Message.AwaitKept} requests the first worker's data server received from its peer. */
    private final java.util.concurrent.atomic.AtomicInteger awaitsAtFirst = new java.util.concurrent.atomic.AtomicInteger();

    private final RunCredentials credentials = RunCredentials.generate();

    private void start(long budget) throws Exception {
        server = WireServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, MAX_FRAME, new WireListener() {
            @Override
            public void authenticated(WireConnection connection) {
                accepted.complete(connection);
                connections.add(connection);
            }

            @Override
            public void received(WireConnection connection, Message message) {
                fromWorker.add(message);
            }
        });
        client = new WireClient(credentials, MAX_FRAME);
        service = new WorkerEndpoint("w1", 1, WorkerResources.cores(1), client, () -> {}, dir, budget);
        service.master(client.connect(server.address(), service).get(10, TimeUnit.SECONDS));
        worker = accepted.get(10, TimeUnit.SECONDS);
    }

    /** Two workers, each serving its peers on a data server of its own, as worker processes do. */
    private void startTwo() throws Exception {
        start(Long.MAX_VALUE);
        connections.take(); // the first worker's
        Path secondDir = Files.createDirectories(dir.resolve("w2"));
        second = new WorkerEndpoint("w2", 1, WorkerResources.cores(1), client, () -> {}, secondDir, Long.MAX_VALUE);
        second.master(client.connect(server.address(), second).get(10, TimeUnit.SECONDS));
        toSecond = connections.poll(10, TimeUnit.SECONDS);
        assertThat(toSecond).isNotNull();
        WorkerEndpoint first = service;
        firstData = WireServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, MAX_FRAME, new WireListener() {
            @Override
            public void received(WireConnection connection, Message message) {
                if (message instanceof Message.AwaitKept) {
                    awaitsAtFirst.incrementAndGet();
                }
                first.received(connection, message);
            }

            @Override
            public void closed(WireConnection connection) {
                first.closed(connection);
            }
        });
        secondData = WireServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, MAX_FRAME, second);
    }

    @AfterEach
    void stop() {
        for (WireServer data : new WireServer[] {firstData, secondData}) {
            if (data != null) {
                data.close();
            }
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Message.RunTask task(long id, String method, String descriptor, Object[] plain, int[] argBinding,
            DataRef[] refs, long resultKey) {
        return new Message.RunTask(id, 1, WorkerEndpointTest.class.getName(), method, descriptor, -1, 1, 0, 0, 0, null,
                -1, argBinding, plain == null ? null : PayloadCodec.serialize(plain), refs, resultKey, false, 0, false, new long[0]);
    }

    /** An attempt that updates a counter of its own, keeping it here under {@code keep} even though it is small. */
    private static Message.RunTask updates(long id, String method, int[] counter, long outputKey, long keep) {
        Message.RunTask t = task(id, method, "([I)V", null, new int[] {0},
                new DataRef[] {DataRef.inline(PayloadCodec.serialize(counter), false, true, outputKey)}, 900 + id);
        return keep == 0 ? t : withKeep(t, keep);
    }

    /** An attempt sent ahead: it updates, in place, the counter an earlier attempt keeps under {@code key}. */
    private static Message.RunTask ahead(long id, long key, long outputKey) {
        return task(id, "bump", "([I)V", null, new int[] {0},
                new DataRef[] {DataRef.ahead(key, false, true, outputKey)}, 900 + id);
    }

    private static Message.RunTask attempt(int attempt, Message.RunTask t) {
        return new Message.RunTask(t.taskId(), attempt, t.className(), t.methodName(), t.descriptor(),
                t.executorHint(), t.cores(), t.gpus(), t.gpuMemoryBytes(), t.memoryBytes(), t.gpuName(),
                t.receiverBinding(), t.argumentBinding(), t.arguments(), t.bindings(), t.resultKey(), t.check(),
                t.timeoutNanos(), t.restoreOnFailure(), t.keep());
    }

    private static Message.RunTask withKeep(Message.RunTask t, long... keep) {
        return new Message.RunTask(t.taskId(), t.attempt(), t.className(), t.methodName(), t.descriptor(),
                t.executorHint(), t.cores(), t.gpus(), t.gpuMemoryBytes(), t.memoryBytes(), t.gpuName(),
                t.receiverBinding(), t.argumentBinding(), t.arguments(), t.bindings(), t.resultKey(), t.check(),
                t.timeoutNanos(), t.restoreOnFailure(), keep);
    }

    private static int counter(Message.TaskDone d) {
        assertThat(d.errorText()).isEmpty();
        assertThat(d.used()[0].kind()).isEqualTo(Produced.INLINE);
        return ((int[]) PayloadCodec.deserialize(d.used()[0].bytes()))[0];
    }

    /** The next reports are those of tasks 1, 2, … in that order, each with the counter value given. */
    private void reportsInOrder(int... counters) throws InterruptedException {
        for (int i = 0; i < counters.length; i++) {
            Message.TaskDone d = done();
            assertThat(d.taskId()).isEqualTo(i + 1);
            assertThat(counter(d)).isEqualTo(counters[i]);
        }
    }

    /**
     * The next reports are those of tasks 1, 2, … each with the counter value given, in any order: reports from two
     * workers come over two connections, and one may overtake the other (the master allows for that too).
     */
    private void reportsInAnyOrder(int... counters) throws InterruptedException {
        Map<Long, Integer> expected = new HashMap<>();
        Map<Long, Integer> got = new HashMap<>();
        for (int i = 0; i < counters.length; i++) {
            expected.put(i + 1L, counters[i]);
            Message.TaskDone d = done();
            got.put(d.taskId(), counter(d));
        }
        assertThat(got).isEqualTo(expected);
    }

    /**
     * Sends the first attempt at task 1, which adds one to a counter of 10 (kept under {@code key}) once its gate
     * opens, and waits until it runs.
     */
    private void firstAttemptRunning(String method, java.util.concurrent.CountDownLatch started, long key)
            throws InterruptedException {
        worker.send(updates(1, method, new int[] {10}, key, key));
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
    }

    /** The next report is of that attempt at a task, which left its counter at the value given. */
    private void reported(int attempt, int counter) throws InterruptedException {
        Message.TaskDone d = done();
        assertThat(d.attempt()).isEqualTo(attempt);
        assertThat(counter(d)).isEqualTo(counter);
    }

    private Message.TaskDone done() throws InterruptedException {
        Message m = fromWorker.poll(20, TimeUnit.SECONDS);
        assertThat(m).isInstanceOf(Message.TaskDone.class);
        return (Message.TaskDone) m;
    }

    private byte[] fetch(long key) throws InterruptedException {
        worker.send(new Message.Fetch(7, key, false));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        while (true) {
            Message.Data d = (Message.Data) fromWorker.poll(20, TimeUnit.SECONDS);
            assertThat(d).isNotNull();
            assertThat(d.error()).isNull();
            whole.writeBytes(d.chunk());
            if (d.last()) {
                return whole.toByteArray();
            }
        }
    }

    private static long spilledFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".fory")).count();
        }
    }

    @Test
    void smallResults_comeBackInline_largeOnesAreKeptServedAndUsedInPlace() throws Exception {
        start(Long.MAX_VALUE);

        worker.send(task(1, "makeLarge", "(I)[D", new Object[] {20_000}, new int[] {-1}, new DataRef[0], 100));
        Message.TaskDone made = done();
        assertThat(made.errorText()).isEmpty();
        assertThat(made.result().kind()).isEqualTo(Produced.STORED);
        assertThat(made.result().key()).isEqualTo(100);
        assertThat(made.result().className()).isEqualTo("[D");
        assertThat(made.result().size()).isGreaterThan(TaskReports.INLINE_BYTES);

        assertThat((double[]) PayloadCodec.deserialize(fetch(100))).isEqualTo(makeLarge(20_000));

        worker.send(task(2, "sum", "([D)D", null, new int[] {0},
                new DataRef[] {DataRef.stored(DataRef.STORED, 100, false, false, 0)}, 101));
        Message.TaskDone summed = done();
        assertThat(summed.result().kind()).isEqualTo(Produced.INLINE);
        assertThat(PayloadCodec.deserialize(summed.result().bytes())).isEqualTo(sum(makeLarge(20_000)));
        assertThat(service.storeSummary()).startsWith("1 in memory");

        worker.send(new Message.Forget(new long[] {100}));
        worker.send(new Message.Fetch(8, 100, false));
        Message.Data gone = (Message.Data) fromWorker.poll(20, TimeUnit.SECONDS);
        assertThat(gone.error()).contains("no object under key 100");
    }

    @Test
    void beyondItsBudget_aKeptVersionGoesToDisk_andIsStillServedAndUsable() throws Exception {
        start(1000);

        worker.send(task(1, "makeLarge", "(I)[D", new Object[] {20_000}, new int[] {-1}, new DataRef[0], 100));
        assertThat(done().result().kind()).isEqualTo(Produced.STORED);
        assertThat(service.storeSummary()).isEqualTo("0 in memory (0 bytes), 1 spilled");
        assertThat(spilledFiles(dir)).isEqualTo(1);

        assertThat((double[]) PayloadCodec.deserialize(fetch(100))).isEqualTo(makeLarge(20_000));
        worker.send(task(2, "sum", "([D)D", null, new int[] {0},
                new DataRef[] {DataRef.stored(DataRef.STORED, 100, false, false, 0)}, 101));
        assertThat(PayloadCodec.deserialize(done().result().bytes())).isEqualTo(sum(makeLarge(20_000)));

        worker.send(new Message.Forget(new long[] {100}));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (spilledFiles(dir) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(spilledFiles(dir)).isZero();
    }

    @Test
    void aTaskThatThrows_isReportedWithItsOwnException() throws Exception {
        start(Long.MAX_VALUE);

        worker.send(task(1, "fail", "(I)I", new Object[] {42}, new int[] {-1}, new DataRef[0], 100));
        Message.TaskDone d = done();

        assertThat(d.errorText()).contains("IllegalArgumentException: no 42");
        assertThat(PayloadCodec.deserialize(d.error())).isInstanceOf(IllegalArgumentException.class)
                .hasFieldOrPropertyWithValue("message", "no 42");
    }

    @Test
    void cancel_stopsTheRunningAttempt_andTakesTheQueuedOneOut_eachReportedAsACancellation() throws Exception {
        start(Long.MAX_VALUE);

        worker.send(task(1, "sleepLong", "(I)I", new Object[] {1}, new int[] {-1}, new DataRef[0], 100));
        assertThat(SLEEPING.await(20, TimeUnit.SECONDS)).isTrue();
        worker.send(task(2, "sleepLong", "(I)I", new Object[] {2}, new int[] {-1}, new DataRef[0], 101));
        worker.send(new Message.Cancel(new long[] {2, 1}));

        Map<Long, Message.TaskDone> ends = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Message.TaskDone d = done();
            ends.put(d.taskId(), d);
        }
        assertThat((Throwable) PayloadCodec.deserialize(ends.get(1L).error()))
                .isInstanceOf(java.util.concurrent.CancellationException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(ends.get(1L).errorText()).contains("was cancelled; it stopped on the interrupt");
        assertThat(ends.get(2L).errorText()).contains("CancellationException", "cancelled before it started");
    }

    @Test
    void withdraw_takesBackATaskStillWaitingForItsInputs_whichThenNeitherRunsNorFails() throws Exception {
        start(Long.MAX_VALUE);
        // A peer that holds the input but does not answer yet: the task stays on the intake, not queued.
        CompletableFuture<WireConnection> asked = new CompletableFuture<>();
        WireServer peer = WireServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, MAX_FRAME,
                new WireListener() {
                    @Override
                    public void received(WireConnection connection, Message message) {
                        asked.complete(connection);
                    }
                });
        try {
            worker.send(task(1, "sum", "([D)D", null, new int[] {0}, new DataRef[] {DataRef.remote(9, "127.0.0.1",
                    peer.address().getPort(), false, false, 0)}, 101));
            asked.get(20, TimeUnit.SECONDS);
            worker.send(new Message.Withdraw(5, new long[] {1}));

            Message answer = fromWorker.poll(20, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOf(Message.Withdrawn.class);
            assertThat(((Message.Withdrawn) answer).taskIds()).containsExactly(1L);
        } finally {
            peer.close(); // the fetch fails now: the withdrawn task must not report it
        }
        worker.send(task(2, "sum", "([D)D", null, new int[] {0},
                new DataRef[] {DataRef.inline(PayloadCodec.serialize(new double[] {1, 2}), false, false, 0)}, 102));
        Message.TaskDone d = done();
        assertThat(d.taskId()).isEqualTo(2);
        assertThat(d.errorText()).isEmpty();
        assertThat(fromWorker.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aTaskSentAhead_waitsForTheAttemptItReadsFrom_isReportedAfterIt_andRunsOnWhatItKept() throws Exception {
        start(Long.MAX_VALUE);

        worker.send(updates(1, "bumpAfterGate", new int[] {40}, 200, 200));
        worker.send(withKeep(ahead(2, 200, 201), 201));
        worker.send(withKeep(ahead(3, 201, 202), 202)); // behind a task that waits itself
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull(); // neither starts before the first ends
        GATE.countDown();

        reportsInOrder(41, 42, 43); // tasks 1, 2 and 3, each bumping the counter of the one before

        // Sent after its producer ended: it finds what that kept, and goes at once.
        worker.send(ahead(4, 202, 203));
        assertThat(counter(done())).isEqualTo(44);
    }

    @Test
    void tasksSentAhead_areDroppedUnreported_whenTheAttemptTheyWaitForFails() throws Exception {
        start(Long.MAX_VALUE);

        worker.send(updates(1, "bumpAndFail", new int[] {7}, 300, 300));
        worker.send(withKeep(ahead(2, 300, 301), 301));
        worker.send(ahead(3, 301, 302));
        Message.TaskDone failed = done();
        assertThat(failed.taskId()).isEqualTo(1);
        assertThat(failed.errorText()).contains("failed at 7");
        worker.send(ahead(4, 300, 303)); // sent after the failure: dropped too
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();

        worker.send(updates(5, "bump", new int[] {1}, 304, 0));
        Message.TaskDone d = done();
        assertThat(d.taskId()).isEqualTo(5);
        assertThat(counter(d)).isEqualTo(2);
        assertThat(fromWorker.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    /** An attempt sent ahead to the second worker: it updates the counter the first worker keeps under {@code key}. */
    private Message.RunTask aheadOnFirst(long id, long key, long outputKey) {
        return task(id, "bump", "([I)V", null, new int[] {0}, new DataRef[] {DataRef.aheadOn(key, "127.0.0.1",
                firstData.address().getPort(), true, outputKey)}, 900 + id);
    }

    @Test
    void aTaskSentAheadToAnotherWorker_startsThereWhenTheAttemptItReadsFromEnds_onWhatThatAttemptMade()
            throws Exception {
        startTwo();

        worker.send(updates(1, "bumpAfterPeerGate", new int[] {40}, 200, 200));
        toSecond.send(withKeep(aheadOnFirst(2, 200, 201), 201));
        toSecond.send(ahead(3, 201, 202)); // behind it, on its own worker
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull(); // neither starts before the first ends
        PEER_GATE.countDown();

        reportsInAnyOrder(41, 42, 43); // tasks 1, 2 and 3, each bumping the counter of the one before

        // Sent after that end: answered at once. The first worker's own copy is unchanged by the second's update.
        toSecond.send(aheadOnFirst(4, 200, 203));
        assertThat(counter(done())).isEqualTo(42);
    }

    @Test
    void tasksSentAheadToAnotherWorker_thatReadTheSameObject_askItsWorkerOnce_andEachWorksOnItsOwn() throws Exception {
        startTwo();

        worker.send(updates(1, "bumpAfterSharedGate", new int[] {40}, 600, 600));
        toSecond.send(aheadOnFirst(2, 600, 601));
        toSecond.send(aheadOnFirst(3, 600, 602));
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
        SHARED_GATE.countDown();

        reportsInAnyOrder(41, 42, 42); // tasks 2 and 3 each bump an object of its own, made from the one answer
        assertThat(awaitsAtFirst).hasValue(1);
    }

    @Test
    void aTaskSentAheadToAnotherWorker_thatAsksBeforeTheAttemptReachesItsWorker_waitsForIt() throws Exception {
        startTwo();

        toSecond.send(aheadOnFirst(2, 400, 401));
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
        worker.send(updates(1, "bump", new int[] {5}, 400, 400));

        reportsInAnyOrder(6, 7);
    }

    @Test
    void aLaterAttemptAtATask_waitsForTheEarlierOneStillUnderWay_andEachIsReportedAsItself() throws Exception {
        start(Long.MAX_VALUE);

        // The master took the first attempt back after it started (see TaskIntake#later) and sends the task again.
        firstAttemptRunning("bumpAfterEarlierGate", EARLIER_STARTED, 500);
        worker.send(attempt(2, updates(1, "bump", new int[] {20}, 501, 501)));
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
        EARLIER_GATE.countDown();

        reported(1, 11);
        reported(2, 21);
    }

    @Test
    void withdrawingATask_whoseLaterAttemptWaitsForAnEarlierOne_takesBackTheLaterOne() throws Exception {
        start(Long.MAX_VALUE);

        firstAttemptRunning("bumpAfterWithdrawGate", WITHDRAW_STARTED, 510);
        worker.send(attempt(2, updates(1, "bump", new int[] {20}, 511, 511)));
        worker.send(attempt(2, ahead(2, 511, 512))); // sent ahead of the later attempt's end: it goes with it
        worker.send(new Message.Withdraw(9, new long[] {1}));
        Message answer = fromWorker.poll(20, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOf(Message.Withdrawn.class);
        assertThat(((Message.Withdrawn) answer).taskIds()).containsExactly(1L);
        WITHDRAW_GATE.countDown();

        reported(1, 11); // the earlier attempt, which had started, ends and is reported
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull(); // neither the later one nor task 2 runs
    }

    @Test
    void aLaterAttemptAtATask_whoseEarlierOneWaitsForAPeerForEver_goesAtOnce_andTheEarlierIsNeverReported()
            throws Exception {
        startTwo();

        // The first worker never keeps key 720 (the master forgot it, say): the first attempt would wait for ever.
        toSecond.send(aheadOnFirst(1, 720, 721));
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
        toSecond.send(attempt(2, updates(1, "bump", new int[] {20}, 722, 0)));

        reported(2, 21);
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aThirdAttemptAtATask_replacesTheOneThatWaited_whichIsNeverRun() throws Exception {
        start(Long.MAX_VALUE);

        firstAttemptRunning("bumpAfterThirdGate", THIRD_STARTED, 540);
        worker.send(attempt(2, updates(1, "bump", new int[] {20}, 541, 541))); // waits for the first to end
        worker.send(attempt(3, updates(1, "bump", new int[] {30}, 542, 542))); // the master took the second back
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
        THIRD_GATE.countDown();

        reported(1, 11);
        reported(3, 31);
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aLaterAttemptAtATask_whoseEarlierOneIsHeldHere_takesItsPlace() throws Exception {
        start(Long.MAX_VALUE);

        worker.send(updates(9, "bumpAfterHeldGate", new int[] {5}, 730, 730));
        worker.send(attempt(1, ahead(1, 730, 731))); // held behind task 9
        worker.send(attempt(2, updates(1, "bump", new int[] {20}, 732, 0)));
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
        HELD_GATE.countDown();

        Map<Long, Integer> attempts = new HashMap<>();
        Map<Long, Integer> counters = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Message.TaskDone d = done();
            attempts.put(d.taskId(), d.attempt());
            counters.put(d.taskId(), counter(d));
        }
        assertThat(attempts).isEqualTo(Map.of(9L, 1, 1L, 2));
        assertThat(counters).isEqualTo(Map.of(9L, 6, 1L, 21));
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull(); // the first attempt at task 1 never runs
    }

    @Test
    void tasksSentAheadToAnotherWorker_areDroppedUnreported_whenTheAttemptTheyWaitForFails() throws Exception {
        startTwo();

        worker.send(updates(1, "bumpAndFail", new int[] {7}, 300, 300));
        toSecond.send(withKeep(aheadOnFirst(2, 300, 301), 301));
        toSecond.send(ahead(3, 301, 302)); // behind it: dropped in turn
        Message.TaskDone failed = done();
        assertThat(failed.taskId()).isEqualTo(1);
        assertThat(failed.errorText()).contains("failed at 7");
        toSecond.send(aheadOnFirst(4, 300, 303)); // asked after the failure: dropped too
        assertThat(fromWorker.poll(300, TimeUnit.MILLISECONDS)).isNull();
        // A master that lost the first worker before hearing of that failure asks for them back: they will not run.
        toSecond.send(new Message.Withdraw(9, new long[] {2, 4}));
        Message answer = fromWorker.poll(20, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOf(Message.Withdrawn.class);
        assertThat(((Message.Withdrawn) answer).taskIds()).containsExactlyInAnyOrder(2L, 4L);

        toSecond.send(updates(5, "bump", new int[] {1}, 304, 0)); // the second worker goes on
        Message.TaskDone d = done();
        assertThat(d.taskId()).isEqualTo(5);
        assertThat(counter(d)).isEqualTo(2);
        assertThat(fromWorker.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void anInputItDoesNotHold_failsTheTaskSayingSo() throws Exception {
        start(Long.MAX_VALUE);

        worker.send(task(1, "sum", "([D)D", null, new int[] {0},
                new DataRef[] {DataRef.stored(DataRef.STORED, 555, false, false, 0)}, 101));
        Message.TaskDone d = done();

        assertThat(d.errorText()).contains("worker w1 holds no object under key 555");
    }

    @Test
    void aMethodItCannotFind_failsTheTaskNamingIt() throws Exception {
        start(Long.MAX_VALUE);

        worker.send(task(1, "sum", "([I)D", null, new int[] {-1}, new DataRef[0], 101));
        Message.TaskDone d = done();

        assertThat(d.errorText()).contains("finds no method").contains("sum([I)D");
    }
}
