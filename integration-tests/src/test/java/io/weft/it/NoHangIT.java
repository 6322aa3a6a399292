package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Faults that once left a run hanging, each of which must now end in a clear error, a retry or a clean stop within
 * a bounded time (the failure-management issue, point 7). Each runs with worker processes, where they hung.
 */
class NoHangIT {
    /**
     * A task whose result the worker has no memory to serialise fails, saying so and what to do, and the program
     * is told where it touches the result. Before, the executor thread died of the {@code OutOfMemoryError}, the
     * worker went on answering heartbeats, and the master waited for ever.
     */
    @Test
    void resultTheWorkerHasNoMemoryToSend_failsTheTask_withTheReason() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", """
                import io.weft.api.*;
                public class Main {
                    static final class Blob {
                        byte[] b;
                        Blob(int n) { b = new byte[n]; java.util.Arrays.fill(b, (byte) 1); }
                    }
                    @Task(retries = 0) static Blob make(int mb) { return new Blob(mb << 20); }
                    public static void main(String[] a) {
                        Blob b = make(60);
                        try {
                            System.out.println("length " + b.b.length);
                        } catch (TaskFailedException e) {
                            System.out.println("failed: " + e.getCause().getMessage());
                        }
                    }
                }
                """), "17");
        long start = System.nanoTime();
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("workers=1,workerJvmOptions=-Xmx96m").classPath(classes)
                .timeout(120).run("Main");
        assertThat(r.stdout()).as("%s", r).startsWith("failed: the worker could not keep or send the result of"
                + " Main.make: java.lang.OutOfMemoryError");
        assertThat(r.exitCode()).as("the program caught it: %s", r).isZero();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(60));
    }

    /**
     * A task that calls {@code System.exit(3)} on a worker process ends the program with status 3, as it does in
     * the program's own JVM, rather than run again on another worker (and end that one too) while main waits.
     */
    @Test
    void systemExitInATask_onAWorkerProcess_endsTheProgramWithItsStatus() throws Exception {
        String source = Files.readString(Path.of("src/test/resources/regressions/system-exit-inside-a-task/Main.java"));
        Path classes = SourcePrograms.compile(Map.of("Main.java", source), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().in(TemporaryFolders.directory("weft-seq"))
                .classPath(classes).timeout(60).run("Main");
        long start = System.nanoTime();
        ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs("workers=2").in(TemporaryFolders.directory("weft-par"))
                .classPath(classes).timeout(60).run("Main");
        assertThat(parallel.exitCode()).as("%s", parallel).isEqualTo(sequential.exitCode()).isEqualTo(3);
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
        assertThat(parallel.stderr()).contains("called System.exit(3) on worker worker");
        assertThat(System.nanoTime() - start).as("it ends at once, not after main's sleep and a retry")
                .isLessThan(TimeUnit.SECONDS.toNanos(30));
    }

    /**
     * A master stopped for longer than its workers' timeout (SIGSTOP here; a long garbage collection or a suspended
     * machine elsewhere) finds them still there when it goes on, and the run ends as it would have. Before, the
     * master took every worker for lost the moment it ran again (their answers were unread in its sockets) and
     * failed every task.
     */
    @Test
    void masterStoppedLongerThanTheWorkerTimeout_goesOnWithItsWorkers() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", """
                import io.weft.api.*;
                public class Main {
                    static final class Box { long v; }
                    @Task static void square(@InOut Box b, int i) {
                        try { Thread.sleep(40); } catch (InterruptedException e) { }
                        b.v = (long) i * i;
                    }
                    public static void main(String[] a) {
                        Box[] boxes = new Box[150];
                        for (int i = 0; i < boxes.length; i++) { boxes[i] = new Box(); square(boxes[i], i); }
                        long s = 0;
                        for (Box b : boxes) s += b.v;
                        System.out.println("sum " + s);
                    }
                }
                """), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).timeout(60).run("Main");
        ChildJvm.Running master = ChildJvm.withAgent().agentArgs("workers=2,workerTimeout=1,awaitWorkers=true")
                .classPath(classes).timeout(120).start("Main");
        Thread.sleep(2500);
        long pid = master.process().pid();
        assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor()).isZero();
        Thread.sleep(5000); // five times workerTimeout
        assertThat(new ProcessBuilder("kill", "-CONT", String.valueOf(pid)).start().waitFor()).isZero();
        ChildJvm.Result r = master.await();
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).isEqualTo(sequential.stdout());
        assertThat(r.stderr()).doesNotContain("lost worker");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "mode [{0}]")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"threads=2", "workers=3"})
    void masterOutOfMemory_endsTheRunAtOnce_sayingSo_withStatus3(String mode) throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", """
                import io.weft.api.*;
                import java.util.*;
                public class Main {
                    static final class Blob { byte[] b; Blob(int n) { b = new byte[n]; } }
                    @Task static Blob make(int i) { Blob x = new Blob(1024); x.b[0] = (byte) i; return x; }
                    public static void main(String[] a) {
                        List<Blob> kept = new ArrayList<>();
                        for (int i = 0; i < 400_000; i++) kept.add(make(i));
                        long s = 0;
                        for (Blob b : kept) s += b.b[0];
                        System.out.println("sum " + s);
                    }
                }
                """), "17");
        long start = System.nanoTime();
        ChildJvm.Running master = ChildJvm.withAgent().agentArgs(mode).jvmOption("-Xmx64m").classPath(classes)
                .timeout(120).start("Main");
        long pid = master.process().pid();
        ChildJvm.Result r = master.await();
        assertThat(r.exitCode()).as("%s", r).isEqualTo(3);
        assertThat(r.stderr()).contains("weft: the master ran out of memory (",
                "the run stops, with exit status 3. Give the master more memory");
        assertThat(r.stdout()).doesNotContain("sum");
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to the end").isLessThan(90);
        Thread.sleep(2000);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.parent().map(q -> q.pid() == pid).orElse(false)
                || p.info().commandLine().orElse("").contains("--master-pid " + pid)).count())
                .as("worker processes left behind").isZero();
    }

    /**
     * An {@code OutOfMemoryError} that leaves {@code main} ends the run at once with the master's status, as one in any
     * other thread does: it does not wait for the tasks still running (waiting needs memory there is none of).
     */
    @Test
    void anOutOfMemoryErrorLeavingMain_endsTheRunAtOnce_withStatus3_notWaitingForTheTasks() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", """
                import io.weft.api.*;
                public class Main {
                    @Task static void slow() throws InterruptedException { Thread.sleep(60_000); }
                    public static void main(String[] a) throws Exception {
                        slow();
                        throw new OutOfMemoryError("main's own");
                    }
                }
                """), "17");
        long start = System.nanoTime();
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("threads=2").classPath(classes).timeout(60).start("Main")
                .await();
        assertThat(r.exitCode()).as("%s", r).isEqualTo(3);
        assertThat(r.stderr()).contains("weft: the master ran out of memory (main's own, in thread main); the run"
                + " stops, with exit status 3");
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to the end, with a task of 60 s running")
                .isLessThan(30);
    }

    /**
     * A run told to stop ({@code SIGTERM}, as {@code kill} or a batch system sends) while its tasks run does not
     * wait for them: it says how many were unfinished and exits as the JVM does on that signal (status 143), at once.
     */
    @Test
    void sigterm_endsTheRunAtOnce_sayingHowManyTasksWereUnfinished() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", """
                import io.weft.api.*;
                public class Main {
                    @Task static void slow(int i) throws InterruptedException { Thread.sleep(60_000); }
                    public static void main(String[] a) throws Exception {
                        for (int i = 0; i < 4; i++) {
                            slow(i);
                        }
                        System.out.println("called");
                    }
                }
                """), "17");
        ChildJvm.Running run = ChildJvm.withAgent().classPath(classes).timeout(60).start("Main");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!run.stdoutSoFar().contains("called") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long start = System.nanoTime();
        run.process().destroy(); // SIGTERM
        ChildJvm.Result r = run.await();
        assertThat(r.stdout()).isEqualTo("called\n");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(143);
        assertThat(r.stderr()).contains("weft: stopped by SIGTERM with 4 unfinished tasks");
        assertThat(System.nanoTime() - start).as("it does not wait for the tasks' minute")
                .isLessThan(TimeUnit.SECONDS.toNanos(20));
    }
}
