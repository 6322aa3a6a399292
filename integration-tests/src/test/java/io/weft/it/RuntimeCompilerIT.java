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
 * when the run's first tasks are long for its executors, the second when they are short. Without tiered compilation
 * nothing is changed (C1 would not take over), and {@code verbose=true} says why. The program prints the same in
 * every case.
 */
class RuntimeCompilerIT {
    /**
     * Waits past the agent's delay; with the argument {@code long}, first calls 500 tasks of a millisecond; then calls
     * enough short tasks for the runtime's methods to reach C2's thresholds.
     */
    private static final String MAIN = """
            package app;
            import io.weft.api.*;
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
                    if (args.length > 0) {
                        Integer[] spun = new Integer[500];
                        for (int i = 0; i < spun.length; i++) {
                            spun[i] = spin(1_000_000);
                        }
                        int n = 0;
                        for (Integer s : spun) { n += s; }
                        System.out.println("spun " + n);
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
    private static Path classes;

    @BeforeAll
    static void compile() throws Exception {
        classes = SourcePrograms.compile(Map.of("app/Main.java", MAIN), "17");
    }

    @Test
    void c1_keepsTheRuntimesCodeFromC2() throws Exception {
        ChildJvm.Result r = run("runtimeCompiler=c1");

        assertThat(programLines(r)).isEqualTo("total 1800030000\n");
        assertThat(KEPT_FROM_C2.matcher(r.stdout()).find()).as("%s", r).isTrue();
        assertThat(C2_COMPILED.matcher(r.stdout()).find()).as("%s", r).isFalse();
    }

    @Test
    void auto_withShortTasks_leavesTheRuntimesCodeToC2() throws Exception {
        ChildJvm.Result r = run("threads=2");

        assertThat(programLines(r)).isEqualTo("total 1800030000\n");
        assertThat(KEPT_FROM_C2.matcher(r.stdout()).find()).as("%s", r).isFalse();
        assertThat(C2_COMPILED.matcher(r.stdout()).find()).as("%s", r).isTrue();
    }

    @Test
    void auto_withLongerFirstTasks_keepsTheRuntimesCodeFromC2() throws Exception {
        ChildJvm.Result r = run("threads=2", "long");

        assertThat(programLines(r)).isEqualTo(sequential("long"));
        assertThat(KEPT_FROM_C2.matcher(r.stdout()).find()).as("%s", r).isTrue();
    }

    @Test
    void c2_letsC2CompileIt_evenAfterLongerFirstTasks() throws Exception {
        ChildJvm.Result r = run("threads=2,runtimeCompiler=c2", "long");

        assertThat(programLines(r)).isEqualTo(sequential("long"));
        assertThat(KEPT_FROM_C2.matcher(r.stdout()).find()).as("%s", r).isFalse();
        assertThat(C2_COMPILED.matcher(r.stdout()).find()).as("%s", r).isTrue();
    }

    @Test
    void withoutTieredCompilation_nothingIsChanged_andVerboseSaysWhy() throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().jvmOption("-XX:-TieredCompilation").jvmOption("-XX:+PrintCompilation")
                .agentArgs("verbose=true,runtimeCompiler=c1").classPath(classes).run("app.Main");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(programLines(r)).isEqualTo("total 1800030000\n");
        assertThat(KEPT_FROM_C2.matcher(r.stdout()).find()).as("%s", r).isFalse();
        assertThat(r.stderr()).contains("runtimeCompiler=c1 not applied").contains("-XX:-TieredCompilation");
    }

    private static String sequential(String... args) throws Exception {
        ChildJvm.Result r = ChildJvm.sequential().classPath(classes).run("app.Main", args);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).isEqualTo("spun 500\ntotal 1800030000\n");
        return r.stdout();
    }

    private static ChildJvm.Result run(String agentArgs, String... args) throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().jvmOption("-XX:+PrintCompilation")
                .agentArgs("summary=false," + agentArgs).classPath(classes).run("app.Main", args);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r;
    }

    /** Standard output without HotSpot's compilation lines: what the program printed. */
    private static String programLines(ChildJvm.Result r) {
        StringBuilder b = new StringBuilder();
        r.stdout().lines().filter(l -> l.startsWith("total ") || l.startsWith("spun "))
                .forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }
}
