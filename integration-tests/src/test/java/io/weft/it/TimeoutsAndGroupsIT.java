package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code @Task(timeout)} is enforced and task groups stop their tasks, with the real agent, in this JVM and with
 * worker processes: a task that ignores its interrupt is abandoned and its slot runs later tasks; a task's child
 * processes end with it; a group's failure interrupts its running task; groups nest; a group can be cancelled.
 */
class TimeoutsAndGroupsIT {
    private static final String BOX = """
            package stop;
            public final class Box implements java.io.Serializable {
                public long v;
                public Box(long v) { this.v = v; }
            }
            """;

    /** Two tasks that ignore their interrupt fill both slots; a task's shell and its child sleep for 300 s. */
    private static final String TIMEOUTS = """
            package stop;
            import io.weft.api.*;
            public class Timeouts {
                @Task(timeout = "1s")
                static void ignoresInterrupts(@InOut Box b) {
                    while (b.v >= 0) { // for ever
                        try { Thread.sleep(50); } catch (InterruptedException swallowed) { }
                    }
                }
                @Task(timeout = "1s")
                static void startsProcesses(@InOut Box b) throws Exception {
                    Process p = new ProcessBuilder("sh", "-c", "sleep 300 & sleep 300").start();
                    StringBuilder pids = new StringBuilder("pids " + p.pid());
                    long until = System.nanoTime() + 10_000_000_000L;
                    while (p.toHandle().descendants().findAny().isEmpty() && System.nanoTime() < until) {
                        Thread.sleep(10);
                    }
                    p.toHandle().descendants().forEach(h -> pids.append(' ').append(h.pid()));
                    System.out.println(pids);
                    p.waitFor();
                    b.v = 1;
                }
                @Task static void add(@InOut Box b) { b.v += 10; }
                static String cause(TaskFailedException e) {
                    return e.getCause().getClass().getName() + ": " + e.getCause().getMessage();
                }
                public static void main(String[] a) throws Exception {
                    Box s1 = new Box(0);
                    Box s2 = new Box(0);
                    ignoresInterrupts(s1);
                    ignoresInterrupts(s2);
                    try { System.out.println(s1.v); } catch (TaskFailedException e) {
                        System.out.println("caught " + cause(e));
                    }
                    try { System.out.println(s2.v); } catch (TaskFailedException e) {
                        System.out.println("caught " + cause(e));
                    }
                    Box[] later = new Box[6];
                    for (int i = 0; i < later.length; i++) { later[i] = new Box(0); add(later[i]); }
                    long sum = 0;
                    for (Box b : later) sum += b.v;
                    System.out.println("later tasks: " + sum);
                    Box p = new Box(0);
                    startsProcesses(p);
                    try { System.out.println(p.v); } catch (TaskFailedException e) {
                        System.out.println("processes " + cause(e));
                    }
                    System.out.println("end of main");
                }
            }
            """;

    /**
     * A task that waits long says it started by creating a file, so that the program (or a sibling task) acts only
     * once it runs, in this JVM or in a worker process of the same host.
     */
    private static final String GROUPS = """
            package stop;
            import io.weft.api.*;
            import java.nio.file.*;
            public class Groups {
                static void awaitFile(String file) throws InterruptedException {
                    long until = System.nanoTime() + 30_000_000_000L;
                    while (!Files.exists(Path.of(file)) && System.nanoTime() < until) { Thread.sleep(10); }
                }
                @Task static void waitsLong(@InOut Box b, String name, String started) throws Exception {
                    Files.createFile(Path.of(started));
                    try {
                        Thread.sleep(60_000);
                        b.v = 1;
                    } catch (InterruptedException e) {
                        System.out.println(name + " interrupted");
                    }
                }
                @Task static Box makesSlowly() throws InterruptedException {
                    Thread.sleep(60_000);
                    return new Box(5);
                }
                @Task static void failsOnce(@InOut Box b, String started) throws InterruptedException {
                    awaitFile(started);
                    throw new IllegalStateException("member failed");
                }
                @Task static void after(@InOut Box b) { System.out.println("after ran"); b.v = 2; }
                public static void main(String[] a) throws Exception {
                    Path dir = Files.createTempDirectory("weft-groups");
                    String siblingStarted = dir.resolve("sibling").toString();
                    Box sibling = new Box(0);
                    try (TaskGroup g = Weft.group("failing")) {
                        waitsLong(sibling, "sibling", siblingStarted);
                        failsOnce(new Box(0), siblingStarted);
                    } catch (TaskFailedException e) {
                        System.out.println("group threw " + e.getCause().getMessage());
                    }
                    System.out.println("sibling kept " + sibling.v);

                    String nestedStarted = dir.resolve("nested").toString();
                    Box c = new Box(0);
                    Box made;
                    try (TaskGroup outer = Weft.group("outer")) {
                        try (TaskGroup inner = Weft.group("inner")) {
                            waitsLong(c, "nested", nestedStarted);
                            after(c);
                            made = makesSlowly();
                            awaitFile(nestedStarted);
                            outer.cancel();
                        }
                        System.out.println("inner closed");
                    }
                    System.out.println("outer closed");
                    System.out.println("c kept " + c.v);
                    try { System.out.println(made.v); } catch (TaskFailedException e) {
                        System.out.println("made: " + e.getCause().getClass().getName());
                    }
                    Box d = new Box(0);
                    try (TaskGroup again = Weft.group("again")) {
                        after(d);
                    }
                    System.out.println("d " + d.v);
                    Files.delete(Path.of(siblingStarted));
                    Files.delete(Path.of(nestedStarted));
                    Files.delete(dir);
                    System.out.println("end of main");
                }
            }
            """;

    private static Path classes;

    @BeforeAll
    static void compile() throws Exception {
        classes = SourcePrograms.compile(Map.of("stop/Box.java", BOX, "stop/Timeouts.java", TIMEOUTS,
                "stop/Groups.java", GROUPS), "17");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"threads=2", "workers=2,threads=1"})
    void timedOutTasks_fail_theirSlotsRunLaterTasks_andTheirProcessesEnd(String agentArgs) throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs(agentArgs).classPath(classes).timeout(120)
                .run("stop.Timeouts");

        assertThat(r.exitCode()).as("every failure was caught: %s", r).isZero();
        assertThat(r.stdout()).as("%s", r).contains(
                "caught java.util.concurrent.TimeoutException: task ",
                "Timeouts.ignoresInterrupts (#",
                "exceeded its time limit of 1 s; it did not return within 1000 ms of the interrupt, and its executor"
                        + " thread was abandoned",
                "later tasks: 60",
                "processes java.util.concurrent.TimeoutException: task ",
                "Timeouts.startsProcesses (#",
                "stopped on the interrupt",
                "end of main");
        List<Long> pids = pids(r.stdout());
        assertThat(pids).as("the shell and its child: %s", r).hasSizeGreaterThanOrEqualTo(2);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pids.stream().anyMatch(TimeoutsAndGroupsIT::alive) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(pids).as("no process the task started is left").noneMatch(TimeoutsAndGroupsIT::alive);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"threads=3", "workers=2,threads=2"})
    void groups_interruptRunningTasks_onAFailureOrACancel_andNest(String agentArgs) throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs(agentArgs).classPath(classes).timeout(120)
                .run("stop.Groups");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).as("%s", r).contains(
                "sibling interrupted",
                "group threw member failed",
                "sibling kept 0",
                "nested interrupted",
                "inner closed",
                "outer closed",
                "c kept 0",
                "made: java.util.concurrent.CancellationException",
                "after ran",
                "d 2",
                "end of main");
        assertThat(r.stdout()).as("the task after the cancelled one never ran; only the last group's did")
                .containsOnlyOnce("after ran");
    }

    private static List<Long> pids(String stdout) {
        List<Long> pids = new ArrayList<>();
        Matcher m = Pattern.compile("^pids ([0-9 ]+)$", Pattern.MULTILINE).matcher(stdout);
        while (m.find()) {
            for (String pid : m.group(1).trim().split(" ")) {
                pids.add(Long.parseLong(pid));
            }
        }
        return pids;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
