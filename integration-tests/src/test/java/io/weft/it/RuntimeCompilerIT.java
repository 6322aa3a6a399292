package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code runtimeCompiler}: with {@code c1} HotSpot's C2 leaves Weft's own runtime code to C1, and says so under
 * {@code -XX:+PrintCompilation}; with {@code c2} it compiles it as any code; {@code auto}, the default, does the first
 * when the run's first tasks are mid-sized for its executors, the second when they are short. Without tiered
 * compilation nothing is changed (C1 would not take over), and {@code verbose=true} says why. The program prints the
 * same as without the agent in every case; HotSpot's lines go to standard error
 * ({@code -XX:+DisplayVMOutputToStderr}).
 */
class RuntimeCompilerIT {
    /**
     * Waits past the agent's delay. With the argument {@code mid}, calls 500 tasks of 0.4 ms (mid-sized on two
     * executors: 0.2 ms each per executor); with {@code wait}, waits until a directive about the runtime's code is in
     * force (the agent adds it on a thread of its own); then calls enough short tasks for the runtime's methods to
     * reach C2's thresholds.
     */
    private static final String MAIN = """
            package app;
            import io.weft.api.*;
            import java.lang.management.ManagementFactory;
            import java.util.List;
            import javax.management.ObjectName;
            public class Main {
                public static final class Acc { public long total; }
                @Task public static void add(@InOut Acc acc, int i) { acc.total += i; }
                @Task public static int spin(long nanos) {
                    long end = System.nanoTime() + nanos;
                    while (System.nanoTime() < end) { Thread.onSpinWait(); }
                    return 1;
                }
                public static void main(String[] args) throws Exception {
                    Thread.sleep(600);
                    List<String> asked = List.of(args);
                    if (asked.contains("mid")) {
                        Integer[] spun = new Integer[500];
                        for (int i = 0; i < spun.length; i++) {
                            spun[i] = spin(400_000);
                        }
                        int n = 0;
                        for (Integer s : spun) { n += s; }
                        System.out.println("spun " + n);
                    }
                    if (asked.contains("wait")) {
                        ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
                        long until = System.nanoTime() + 30_000_000_000L;
                        while (!String.valueOf(ManagementFactory.getPlatformMBeanServer()
                                .invoke(commands, "compilerDirectivesPrint", null, null)).contains("io/weft/runtime")) {
                            if (System.nanoTime() > until) {
                                System.err.println("no directive about io/weft/runtime after 30 s");
                                break;
                            }
                            Thread.sleep(20);
                        }
                    }
                    Acc acc = new Acc();
                    for (int i = 1; i <= 60000; i++) {
                        add(acc, i);
                    }
                    System.out.println("total " + acc.total);
                }
            }
            """;
    /** HotSpot's line for a method a directive keeps from C2: {@code made not compilable on level 4 <method> ...}. */
    private static final Pattern KEPT_FROM_C2 =
            Pattern.compile("(?m)made not compilable on level 4 +io\\.weft\\.runtime\\.\\S+.*excluded");
    /** A {@code PrintCompilation} line of a method of the runtime compiled by C2 (tier 4). */
    private static final Pattern C2_COMPILED =
            Pattern.compile("(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*\\s4\\s+io\\.weft\\.runtime\\.");
    private static final String SHORT_ONLY = "total 1800030000\n";
    private static final String MID_FIRST = "spun 500\ntotal 1800030000\n";
    private static Path classes;

    @BeforeAll
    static void compile() throws Exception {
        classes = SourcePrograms.compile(Map.of("app/Main.java", MAIN), "17");
        assertThat(sequential()).isEqualTo(SHORT_ONLY);
        assertThat(sequential("mid")).isEqualTo(MID_FIRST);
    }

    @Test
    void c1_keepsTheRuntimesCodeFromC2() throws Exception {
        ChildJvm.Result r = run("runtimeCompiler=c1", "wait");

        assertThat(r.stdout()).isEqualTo(SHORT_ONLY);
        assertCompiled(r, true, false);
    }

    @Test
    void auto_withShortTasks_leavesTheRuntimesCodeToC2() throws Exception {
        ChildJvm.Result r = run("threads=2");

        assertThat(r.stdout()).isEqualTo(SHORT_ONLY);
        assertCompiled(r, false, true);
    }

    @Test
    void auto_withMidSizedFirstTasks_keepsTheRuntimesCodeFromC2() throws Exception {
        ChildJvm.Result r = run("threads=2", "mid", "wait");

        assertThat(r.stdout()).isEqualTo(MID_FIRST);
        assertThat(KEPT_FROM_C2.matcher(r.stderr()).find()).as("%s", r).isTrue();
    }

    @Test
    void c2_letsC2CompileIt_evenAfterMidSizedFirstTasks() throws Exception {
        ChildJvm.Result r = run("threads=2,runtimeCompiler=c2", "mid");

        assertThat(r.stdout()).isEqualTo(MID_FIRST);
        assertCompiled(r, false, true);
    }

    @Test
    void withoutTieredCompilation_nothingIsChanged_andVerboseSaysWhy() throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().jvmOption("-XX:-TieredCompilation").jvmOption("-XX:+PrintCompilation")
                .jvmOption("-XX:+DisplayVMOutputToStderr").agentArgs("verbose=true,runtimeCompiler=c1")
                .classPath(classes).run("app.Main");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).isEqualTo(SHORT_ONLY);
        assertThat(KEPT_FROM_C2.matcher(r.stderr()).find()).as("%s", r).isFalse();
        assertThat(r.stderr()).contains("runtimeCompiler=c1 not applied").contains("-XX:-TieredCompilation");
    }

    /** Whether HotSpot said it kept a runtime method from C2, and whether C2 compiled one. */
    private static void assertCompiled(ChildJvm.Result r, boolean keptFromC2, boolean byC2) {
        assertThat(KEPT_FROM_C2.matcher(r.stderr()).find()).as("kept from C2: %s", r).isEqualTo(keptFromC2);
        assertThat(C2_COMPILED.matcher(r.stderr()).find()).as("compiled by C2: %s", r).isEqualTo(byC2);
    }

    private static String sequential(String... args) throws Exception {
        ChildJvm.Result r = ChildJvm.sequential().classPath(classes).run("app.Main", args);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r.stdout();
    }

    private static ChildJvm.Result run(String agentArgs, String... args) throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().jvmOption("-XX:+PrintCompilation")
                .jvmOption("-XX:+DisplayVMOutputToStderr").agentArgs("summary=false," + agentArgs)
                .classPath(classes).run("app.Main", args);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r;
    }
}
