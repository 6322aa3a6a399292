package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A local cluster ({@code workers=3}): tasks run in three worker JVMs on this host, reached over the wire, with one
 * executor each so that the three stay light. Programs print what they print without the agent; tasks spread over
 * the workers; objects too large to come back inline (over 64 KiB) and files go from one worker to another; a worker
 * killed with SIGKILL is noticed and its tasks run elsewhere; a task's exception names the worker it failed on.
 */
class ClusterIT {
    /**
     * Three workers of one executor each: this machine has two cores and runs the rest of the suite too. They all
     * serve before main (awaitWorkers), since these tests check how tasks and data spread over them; other tests
     * (QueuesIT, DataMovementIT, RandomProgramsIT, LaunchIT) run with workers that start while main runs.
     */
    static final String CLUSTER = "workers=3,threads=1,awaitWorkers=true";
    /** How long a cluster run may take before it is killed, workers and all. */
    private static final long TIMEOUT = 120;
    private static final Pattern WORKER = Pattern.compile("worker[123]");

    private static ChildJvm cluster(String moreOptions) {
        return ChildJvm.withAgent().agentArgs(CLUSTER + "," + moreOptions).timeout(TIMEOUT);
    }

    private static Path record() throws Exception {
        return TemporaryFolders.file("weft-placements", ".jsonl");
    }

    // ---------------------------------------------------------------- the examples

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "io.weft.examples.increment.Increment | 5",
        "io.weft.examples.matmul.Matmul       | 4 32",
        "io.weft.examples.wordcount.WordCount | 8 2000",
        "io.weft.examples.kmeans.KMeans       | 4 1000 4 5"
    })
    void example_printsWhatItsSequentialRunPrints_withTasksOnSeveralWorkers(String mainClass, String args)
            throws Exception {
        String[] argv = args.split(" ");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(ChildJvm.EXAMPLES).run(mainClass, argv);
        assertThat(sequential.exitCode()).as("sequential run: %s", sequential).isZero();
        assertThat(sequential.stdout()).isNotBlank();

        Path record = record();
        ChildJvm.Result parallel = cluster("summary=true,placements=" + record).classPath(ChildJvm.EXAMPLES)
                .in(TemporaryFolders.directory("weft-cluster")).run(mainClass, argv);
        assertThat(parallel.exitCode()).as("cluster run: %s", parallel).isZero();
        assertThat(parallel.stdout()).as("stdout on the cluster").isEqualTo(sequential.stdout());
        Matcher summary = Pattern.compile("weft: (\\d+) tasks, 0 failed, .* on 3 nodes, 3 executor threads")
                .matcher(parallel.stderr());
        assertThat(summary.find()).as("summary: %s", parallel.stderr()).isTrue();

        Placements placements = Placements.read(record);
        assertThat(placements.entries()).as("one placement per task").hasSize(Integer.parseInt(summary.group(1)))
                .allMatch(e -> !e.failed() && e.attempt() == 1);
        Set<String> nodes = nodes(placements.entries());
        assertThat(nodes).as("the nodes tasks ran on").allMatch(n -> WORKER.matcher(n).matches());
        assertThat(nodes).as("tasks ran on more than one worker").hasSizeGreaterThan(1);
    }

    @Test
    void heterogeneousExample_failsAtOnce_becauseNoWorkerHasItsHardware() throws Exception {
        long start = System.nanoTime();
        ChildJvm.Result r = cluster("summary=false").classPath(ChildJvm.EXAMPLES)
                .run("io.weft.examples.heterogeneous.Heterogeneous", "24");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.stdout()).as("it stops before reporting anything").isEmpty();
        assertThat(r.stderr()).contains(
                "io.weft.api.UnschedulableTaskException: task Kernels.onPower cannot run on any node of this run"
                        + " (3 nodes)",
                "worker1: unmet processorArchitecture = ppc64le",
                "worker3: unmet processorArchitecture = ppc64le",
                "at io.weft.examples.heterogeneous.Heterogeneous.main(");
        assertThat(seconds).as("it fails at the first call it cannot place, not after a wait").isLessThan(30);
    }

    // ---------------------------------------------------------------- objects across workers

    /**
     * Chains of tasks over a 1M-entry {@code double[]} (8 MB) and over a ring of non-Serializable nodes with shared
     * payload arrays (about 300 KB). Each written version is too large to come back inline, so it stays in the
     * worker that wrote it and the next task, on another worker ({@code scheduler=fifo}: equally free nodes take
     * turns), fetches it from there. Each task checks the shape of the ring it is given and throws if a shared
     * reference or the cycle did not survive.
     */
    private static final String BIG = """
            package big;
            import io.weft.api.*;
            import java.util.IdentityHashMap;

            public class Big {
                /** A node of a ring; two neighbours share one payload array. No no-arg constructor. */
                static final class Node {
                    final int id;
                    Node next;
                    double[] payload;
                    Node(int id) { this.id = id; }
                }

                static final class Ring {
                    Node head;
                    Node[] all;
                    Ring(int n) {
                        all = new Node[n];
                        for (int i = 0; i < n; i++) {
                            all[i] = new Node(i);
                            all[i].payload = i % 2 == 0 ? new double[128] : all[i - 1].payload;
                        }
                        for (int i = 0; i < n; i++) all[i].next = all[(i + 1) % n];
                        head = all[0];
                    }
                }

                static final class Total { double value; }

                @Task static void fill(@Out double[] a, int seed) {
                    for (int i = 0; i < a.length; i++) a[i] = (i * 31 + seed) % 1000 * 0.5;
                }

                @Task static void scale(@InOut double[] a, double factor) {
                    for (int i = 0; i < a.length; i++) a[i] *= factor;
                }

                @Task static void shift(@InOut double[] a, double by) {
                    for (int i = 0; i < a.length; i++) a[i] += by * (i % 3);
                }

                @Task static void addInto(@InOut double[] a, double[] b) {
                    for (int i = 0; i < a.length; i++) a[i] += b[i];
                }

                @Task static Total total(double[] a) {
                    Total t = new Total();
                    for (int i = 0; i < a.length; i++) t.value += a[i] * (i % 5 + 1);
                    return t;
                }

                @Task static Ring makeRing(int n) { return new Ring(n); }

                /** Walks the ring and updates every payload; throws if the ring lost its shape. */
                @Task static void bump(@InOut Ring r, int round) {
                    check(r);
                    Node at = r.head;
                    for (int i = 0; i < r.all.length; i++) {
                        for (int k = 0; k < at.payload.length; k++) at.payload[k] += at.id * round + k;
                        at = at.next;
                    }
                }

                @Task static Total weigh(Ring r) {
                    check(r);
                    Total t = new Total();
                    t.value = sum(r);
                    return t;
                }

                static void check(Ring r) {
                    Node at = r.head;
                    for (int i = 0; i < r.all.length; i++) {
                        if (at != r.all[i]) throw new IllegalStateException("ring node " + i + " is not all[" + i + "]");
                        if (i % 2 == 1 && at.payload != r.all[i - 1].payload) {
                            throw new IllegalStateException("nodes " + (i - 1) + " and " + i + " no longer share");
                        }
                        at = at.next;
                    }
                    if (at != r.head) throw new IllegalStateException("the ring does not close");
                }

                static double sum(Ring r) {
                    double s = 0;
                    for (Node n : r.all) for (double v : n.payload) s += v;
                    return s;
                }

                static String shape(Ring r) {
                    IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
                    Node at = r.head;
                    int steps = 0;
                    do {
                        seen.put(at.payload, true);
                        at = at.next;
                        steps++;
                    } while (at != r.head && steps <= r.all.length);
                    return steps + " nodes, " + seen.size() + " payloads, closes " + (at == r.head);
                }

                static double checksum(double[] a) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) s += a[i] * (i % 7 + 1);
                    return s;
                }

                public static void main(String[] args) {
                    double[] a = new double[1_000_000];
                    fill(a, 1);
                    scale(a, 3.0);
                    shift(a, 1.5);
                    scale(a, 0.25);
                    Total t = total(a);
                    System.out.println("total " + t.value);
                    System.out.println("main sees a: " + checksum(a) + " " + a[0] + " " + a[999_999]);
                    Weft.barrier(); // the next chain starts on its own

                    Ring r = makeRing(600);
                    for (int round = 1; round <= 4; round++) bump(r, round);
                    Total w = weigh(r);
                    System.out.println("a task weighs the ring: " + w.value);
                    check(r);
                    System.out.println("main sees the ring: " + shape(r) + ", weight " + sum(r));
                    Weft.barrier();

                    double[] b = new double[1_000_000];
                    fill(b, 2);
                    addInto(a, b); // a and b kept by different workers, or by one and the master
                    System.out.println("after adding b: " + checksum(a) + " " + checksum(b));
                }
            }
            """;

    @Test
    void largeObjects_writtenOnOneWorker_areReadAndUpdatedOnOthers() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("big/Big.java", BIG), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run("big.Big");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        assertThat(sequential.stdout()).contains("300 payloads, closes true");

        Path record = record();
        ChildJvm.Result parallel = cluster("scheduler=fifo,placements=" + record).classPath(classes)
                .run("big.Big");
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());

        Placements placements = Placements.read(record);
        assertThat(placements.entries()).allMatch(e -> !e.failed() && WORKER.matcher(e.node()).matches());
        // Each chain runs one task at a time: every task reads what the previous one wrote, on another worker.
        assertChainCrossesWorkers(placements, "Big.fill", "Big.scale", "Big.shift", "Big.scale", "Big.total");
        assertChainCrossesWorkers(placements, "Big.makeRing", "Big.bump", "Big.bump", "Big.bump", "Big.bump",
                "Big.weigh");
        assertThat(parallel.stderr()).as("nothing but the program's own words on standard error")
                .doesNotContain("Exception");
    }

    /**
     * The tasks named, in task order, are the consecutive ones of the record (each consumes its predecessor's
     * output); each ran on another worker than the one before it.
     */
    private static void assertChainCrossesWorkers(Placements placements, String... names) {
        List<Placements.Entry> all = new ArrayList<>(placements.entries());
        all.sort(Comparator.comparingLong(Placements.Entry::task));
        int from = -1;
        for (int i = 0; i < all.size() && from < 0; i++) {
            if (all.get(i).name().equals(names[0]) && i + names.length <= all.size()) {
                boolean match = true;
                for (int k = 0; k < names.length; k++) {
                    match &= all.get(i + k).name().equals(names[k]);
                }
                from = match ? i : -1;
            }
        }
        assertThat(from).as("the chain %s in the record %s", List.of(names), all).isNotNegative();
        for (int k = 1; k < names.length; k++) {
            Placements.Entry producer = all.get(from + k - 1);
            Placements.Entry consumer = all.get(from + k);
            assertThat(consumer.node()).as("%s ran where %s, whose output it reads, ran", consumer, producer)
                    .isNotEqualTo(producer.node());
        }
    }

    /** A task returning an array cannot return a placeholder: the call waits and gives the program the array. */
    @Test
    void largeArrayReturnedByATask_reachesTheCaller() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("big/Result.java", """
                package big;
                import io.weft.api.*;
                public class Result {
                    @Task static double[] produce(int n) {
                        double[] a = new double[n];
                        for (int i = 0; i < n; i++) a[i] = i % 97;
                        return a;
                    }
                    @Task static String text(int n) { return "x".repeat(n); }
                    public static void main(String[] args) {
                        double[] small = produce(1000);            // comes back inline
                        double[] large = produce(1_000_000);       // 8 MB: stays in the worker that made it
                        double s = 0;
                        for (double v : large) s += v;
                        System.out.println(small.length + " " + large.length + " " + s);
                        System.out.println(text(100_000).length());
                    }
                }
                """), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run("big.Result");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        ChildJvm.Result parallel = cluster("scheduler=fifo").classPath(classes).run("big.Result");
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
    }

    // ---------------------------------------------------------------- files across workers

    static final String FILES = """
            package files;
            import io.weft.api.*;
            import java.io.*;
            import java.nio.file.*;
            import java.util.List;

            public class Files2 {
                static final class Count { int lines; int chars; }

                @Task static void write(@Out Path f, String text) throws IOException { Files.writeString(f, text); }

                @Task static void append(@InOut Path f, String line) throws IOException {
                    Files.writeString(f, line + "\\n", StandardOpenOption.APPEND);
                }

                @Task static void appendToFile(@InOut File f, String line) throws IOException {
                    try (Writer w = new FileWriter(f, true)) { w.write(line + "\\n"); }
                }

                @Task static void rewrite(@InOut Path f) throws IOException {
                    List<String> lines = Files.readAllLines(f);
                    StringBuilder b = new StringBuilder();
                    for (int i = lines.size() - 1; i >= 0; i--) b.append(i).append(':').append(lines.get(i)).append('\\n');
                    Files.writeString(f, b.toString());
                }

                @Task static Count count(Path f) throws IOException {
                    Count c = new Count();
                    String text = Files.readString(f);
                    c.lines = text.split("\\n", -1).length - 1;
                    c.chars = text.length();
                    return c;
                }

                @Task static void upper(Path from, @Out File to) throws IOException {
                    Files.writeString(to.toPath(), Files.readString(from).toUpperCase());
                }

                public static void main(String[] args) throws IOException {
                    Path dir = Path.of(args[0]);
                    Path f = dir.resolve("log.txt");
                    Path g = dir.resolve("upper.txt");
                    write(f, "start\\n");
                    append(f, "one");
                    appendToFile(f.toFile(), "two");
                    append(f, "three");
                    rewrite(f);
                    Count c = count(f);
                    upper(f, g.toFile());
                    append(f, "four"); // a new version of f; count and upper read the one before
                    System.out.println("count " + c.lines + " lines, " + c.chars + " chars");
                    System.out.print("f:\\n" + Files.readString(f));
                    System.out.print("g:\\n" + Files.readString(g));
                    try (var listing = Files.list(dir)) {
                        System.out.println("files " + listing.map(p -> p.getFileName().toString()).sorted().toList());
                    }
                }
            }
            """;

    @Test
    void files_writtenOnOneWorker_areReadAndAppendedOnOthers() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("files/Files2.java", FILES), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes)
                .run("files.Files2", TemporaryFolders.directory("weft-files-seq").toString());
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        assertThat(sequential.stdout()).contains("0:start", "3:three", "3:THREE", "four");

        Path record = record();
        ChildJvm.Result parallel = cluster("scheduler=fifo,placements=" + record).classPath(classes)
                .run("files.Files2", TemporaryFolders.directory("weft-files-cluster").toString());
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());

        Placements placements = Placements.read(record);
        assertThat(placements.entries()).hasSize(8).allMatch(e -> !e.failed() && WORKER.matcher(e.node()).matches());
        assertChainCrossesWorkers(placements, "Files2.write", "Files2.append", "Files2.appendToFile",
                "Files2.append", "Files2.rewrite");
    }

    // ---------------------------------------------------------------- a worker killed

    /**
     * Twelve tasks of 1.5 s each (the sleep is an argument: the sequential run, which only says what the program
     * prints, does not sleep). Each leaves a marker file named after its index and the process it runs in, so that
     * the test knows which worker runs what, and when.
     */
    private static final String SLOW = """
            package slow;
            import io.weft.api.*;
            import java.nio.file.*;

            public class Slow {
                static final class Cell { long v; Cell(long v) { this.v = v; } }

                @Task static void work(@InOut Cell c, int i, String markers, long sleep) throws Exception {
                    Files.createFile(Path.of(markers, "task-" + i + "-pid-" + ProcessHandle.current().pid()));
                    Thread.sleep(sleep);
                    c.v = c.v * 31 + (long) i * i + 7;
                }

                public static void main(String[] args) throws Exception {
                    Cell[] cells = new Cell[12];
                    for (int i = 0; i < cells.length; i++) {
                        cells[i] = new Cell(i);
                        work(cells[i], i, args[0], Long.parseLong(args[1]));
                    }
                    long sum = 0;
                    for (int i = 0; i < cells.length; i++) {
                        System.out.println("cell " + i + " = " + cells[i].v);
                        sum += cells[i].v;
                    }
                    System.out.println("sum " + sum);
                }
            }
            """;

    private static final Pattern MARKER = Pattern.compile("task-(\\d+)-pid-(\\d+)");
    private static final Pattern NODE_ARGUMENT = Pattern.compile("--node (\\S+)");

    @Test
    void workerKilledWithSigkill_isNoticed_andItsTaskRunsElsewhere() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("slow/Slow.java", SLOW), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes)
                .run("slow.Slow", TemporaryFolders.directory("weft-markers-seq").toString(), "0");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();

        Path markers = TemporaryFolders.directory("weft-markers");
        Path record = record();
        ChildJvm.Running master = cluster("scheduler=fifo,summary=true,placements=" + record).classPath(classes)
                .start("slow.Slow", markers.toString(), "1500");
        ChildJvm.Result parallel;
        String killedNode;
        long killedPid;
        List<ProcessHandle> workers;
        try {
            // Wait (bounded) until a worker process has started a task, then kill that worker in the middle of it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Optional<ProcessHandle> victim = Optional.empty();
            workers = List.of();
            while (victim.isEmpty()) {
                assertThat(System.nanoTime()).as("a task started in a worker within 60 s: %s",
                        master.stderrSoFar()).isLessThan(deadline);
                assertThat(master.process().isAlive()).as("the master is still running: %s", master.stderrSoFar())
                        .isTrue();
                Thread.sleep(20);
                workers = master.process().descendants().filter(p -> commandLine(p).contains(
                        "io.weft.runtime.worker.process.WorkerMain")).toList();
                Set<Long> busy = markers(markers).values().stream().flatMap(Set::stream).collect(Collectors.toSet());
                victim = workers.stream().filter(p -> busy.contains(p.pid())).findFirst();
            }
            ProcessHandle w = victim.get();
            Matcher node = NODE_ARGUMENT.matcher(commandLine(w));
            assertThat(node.find()).as("the worker's command line names its node: %s", commandLine(w)).isTrue();
            killedNode = node.group(1);
            killedPid = w.pid();
            assertThat(w.destroyForcibly()).as("SIGKILL sent to %s", killedNode).isTrue();
            assertThat(ended(w, 10)).as("%s ended after SIGKILL", killedNode).isTrue();
            parallel = master.await();
        } catch (Throwable t) {
            master.kill();
            throw t;
        }
        System.out.printf("ClusterIT: killed %s (pid %d)%n", killedNode, killedPid);

        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
        assertThat(parallel.stderr()).contains("weft: lost worker " + killedNode + ": its connection closed")
                .contains("weft: 12 tasks, 0 failed");

        // What the killed worker had started and not finished ran again on a worker that was still there.
        Map<Integer, Set<Long>> started = markers(markers);
        assertThat(started.keySet()).as("tasks started: %s", started).hasSize(12);
        Placements placements = Placements.read(record);
        assertThat(placements.entries()).as("one placement per completed task").hasSize(12)
                .allMatch(e -> !e.failed());
        List<Integer> startedThere = started.entrySet().stream().filter(e -> e.getValue().contains(killedPid))
                .map(Map.Entry::getKey).toList();
        long finishedThere = placements.entries().stream().filter(e -> e.node().equals(killedNode)).count();
        long interrupted = startedThere.size() - finishedThere;
        assertThat(interrupted).as("tasks %s started on %s, of which %d finished there", startedThere, killedNode,
                finishedThere).isPositive();
        assertThat(startedThere.stream().filter(i -> started.get(i).size() == 2).count())
                .as("of the tasks started on %s, those started again elsewhere: %s", killedNode, started)
                .isEqualTo(interrupted);
        assertThat(started.values()).as("no task started more than twice: %s", started).allMatch(p -> p.size() <= 2);
        // Tasks queued at the killed worker behind the one it ran go elsewhere too, also as second attempts.
        List<Placements.Entry> second = placements.entries().stream().filter(e -> e.attempt() == 2).toList();
        assertThat(second).as("second attempts").hasSizeGreaterThanOrEqualTo((int) interrupted)
                .allMatch(e -> !e.node().equals(killedNode));
        assertThat(placements.entries()).as("attempts").allMatch(e -> e.attempt() <= 2);

        // The other workers went away with the master.
        for (ProcessHandle p : workers) {
            assertThat(ended(p, 10)).as("worker %d ended with the run", p.pid()).isTrue();
        }
    }

    /** Whether a process ends within the time given. */
    private static boolean ended(ProcessHandle p, long seconds) throws InterruptedException {
        try {
            p.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        }
    }

    private static String commandLine(ProcessHandle p) {
        return p.info().commandLine().orElse("");
    }

    /** Task index to the processes that started it, from the marker files. */
    private static Map<Integer, Set<Long>> markers(Path dir) throws Exception {
        Map<Integer, Set<Long>> started = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = MARKER.matcher(p.getFileName().toString());
                if (m.matches()) {
                    started.computeIfAbsent(Integer.valueOf(m.group(1)), k -> new TreeSet<>())
                            .add(Long.valueOf(m.group(2)));
                }
            }
        }
        return started;
    }

    // ---------------------------------------------------------------- failures in a worker

    @Test
    void taskFailingInAWorker_isReportedWithItsExceptionAndTheWorkersName() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("fail/Box.java", """
                package fail;
                public final class Box { public long v; public Box(long v) { this.v = v; } }
                """, "fail/Main.java", """
                package fail;
                import io.weft.api.*;
                public class Main {
                    /** An exception class of the application, with state of its own. */
                    static final class Oops extends RuntimeException {
                        final long code;
                        Oops(String message, long code) { super(message); this.code = code; }
                    }
                    @Task static void explode(@InOut Box b) { b.v = -1; throw new IllegalStateException("boom"); }
                    @Task static void after(@InOut Box b) { System.out.println("dependent ran"); b.v += 100; }
                    @Task static void oops(@InOut Box b) { throw new Oops("code " + b.v, b.v); }
                    @Task static void late(@InOut Box b) { throw new UnsupportedOperationException("nobody looked"); }
                    public static void main(String[] a) {
                        Box b = new Box(1);
                        explode(b);
                        after(b);
                        try {
                            System.out.println(b.v);
                        } catch (TaskFailedException e) {
                            System.out.println("caught " + e.taskName() + " cause=" + e.getCause().getClass().getName()
                                    + ":" + e.getCause().getMessage() + " attempts=" + e.attempts()
                                    + " worker=" + e.worker());
                        }
                        oops(new Box(42));
                        try {
                            Weft.barrier();
                        } catch (TaskFailedException e) {
                            Oops o = (Oops) e.getCause();
                            System.out.println("barrier: " + e.taskName() + " cause=" + o.getClass().getName() + ":"
                                    + o.getMessage() + " code=" + o.code + " worker=" + e.worker());
                        }
                        late(new Box(3));
                        System.out.println("end of main");
                    }
                }
                """), "17");
        ChildJvm.Result r = cluster("scheduler=fifo").classPath(classes).run("fail.Main");
        assertThat(r.stdout()).containsPattern("caught Main\\.explode cause=java\\.lang\\.IllegalStateException:boom"
                + " attempts=3 worker=worker[123]\n");
        assertThat(r.stdout()).containsPattern("barrier: Main\\.oops cause=fail\\.Main\\$Oops:code 42 code=42"
                + " worker=worker[123]\n");
        assertThat(r.stdout()).contains("end of main").doesNotContain("dependent ran");
        assertThat(r.exitCode()).as("a task failed: %s", r).isEqualTo(1);
        assertThat(r.stderr()).containsPattern("io\\.weft\\.api\\.TaskFailedException: task Main\\.late \\(#\\d+\\)"
                + " failed on worker worker[123] after 3 attempts")
                .contains("Caused by: java.lang.UnsupportedOperationException: nobody looked");
    }

    // ---------------------------------------------------------------- the end of a run

    /** The JVM ends, and takes its workers with it, soon after {@code main} returns. */
    @Test
    void run_endsSoonAfterMainReturns() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("quick/Quick.java", """
                package quick;
                import io.weft.api.*;
                public class Quick {
                    static final class Box { long v; }
                    @Task static void inc(@InOut Box b) { b.v++; }
                    public static void main(String[] a) {
                        Box b = new Box();
                        for (int i = 0; i < 6; i++) inc(b);
                        System.out.println(b.v);
                        System.err.println("end of main");
                    }
                }
                """), "17");
        ChildJvm.Running master = cluster("summary=false").classPath(classes).start("quick.Quick");
        ChildJvm.Result r;
        double seconds;
        Map<Long, ProcessHandle> workers = new TreeMap<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!master.stderrSoFar().contains("end of main") && master.process().isAlive()) {
                assertThat(System.nanoTime()).as("main ends within 60 s").isLessThan(deadline);
                master.process().descendants().filter(p -> commandLine(p).contains(
                        "io.weft.runtime.worker.process.WorkerMain")).forEach(p -> workers.putIfAbsent(p.pid(), p));
                Thread.sleep(10);
            }
            long mainEnded = System.nanoTime();
            r = master.await();
            seconds = (System.nanoTime() - mainEnded) / 1e9;
        } catch (Throwable t) {
            master.kill();
            throw t;
        }
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).isEqualTo("6\n");
        System.out.printf("ClusterIT: the JVM ended %.2f s after main%n", seconds);
        assertThat(workers).as("worker processes while main ran").hasSize(3);
        for (ProcessHandle p : workers.values()) {
            assertThat(ended(p, 10)).as("worker %d ended with the run", p.pid()).isTrue();
        }
        assertThat(seconds).as("seconds from the end of main to the end of the JVM").isLessThan(3.0);
    }

    private static Set<String> nodes(List<Placements.Entry> entries) {
        return entries.stream().map(Placements.Entry::node).collect(Collectors.toCollection(TreeSet::new));
    }
}
