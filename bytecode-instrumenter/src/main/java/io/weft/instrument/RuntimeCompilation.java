package io.weft.instrument;

import io.weft.api.spi.WeftRuntime;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which JIT compiler optimises Weft's own runtime code in this JVM ({@code runtimeCompiler}). The runtime's per-task
 * code runs a few times per task; HotSpot's C2 compiles it a few thousand tasks into a run, and on a machine of few
 * cores that costs about a second of CPU taken from the tasks (1.5 s of C2 in a matrix multiplication of 4,096 tasks
 * against 0.05 s on a thread pool), when most runs are over before the compiled code pays back. C1's code is slower
 * by a few microseconds of CPU per task, which only runs of very many short tasks notice: by default ({@code auto})
 * the runtime's code is left to C1 when the run's first tasks are mid-sized for the executors running them (their
 * ends come by one to twenty thousand a second); {@code c1} and {@code c2} choose for good. The program's own code
 * is compiled as always, by both.
 *
 * <p>The runtime's packages are kept from C2 with a compiler directive ({@code c2: {Exclude: true}}) added through
 * the JVM's diagnostic command {@code Compiler.directives_add}, as {@code jcmd} would: HotSpot then compiles those
 * methods with C1 at full optimisation, without profiling. Done on a thread of its own, from {@link #DELAY_MILLIS}
 * after the agent starts (it costs 20–40 ms of CPU, mostly loading the management classes), before the runtime's
 * methods are called often enough for C2. The command is reached through the JDK's internal class that serves it,
 * whose package the agent opens to the class path's unnamed module (where the program's classes are too). Where it
 * cannot be done (another JVM, a runtime image without {@code jdk.management}) nothing changes; nor is it done where
 * C1 would not take over the methods C2 leaves ({@link #c1CannotTakeOver}).
 */
final class RuntimeCompilation {
    /** Weft's own code that runs per task or per message: the master's and workers' runtimes, the wire, the log. */
    static final String DIRECTIVE = "[{match: [\"io/weft/runtime/*.*\", \"io/weft/wire/*.*\", \"io/weft/log/*.*\"],"
            + " c2: {Exclude: true}}]\n";

    /**
     * How long after the agent's start the directive is added: a program that ends sooner (an empty {@code main}
     * takes about 0.2 s) does not pay the 20–40 ms of CPU it costs, and none of the runtime's methods is called
     * often enough for C2 by then.
     */
    static final long DELAY_MILLIS = 250;
    /** How often the pace of the first tasks is looked at, until the runtime can tell it. */
    static final long POLL_MILLIS = 50;

    private RuntimeCompilation() {}

    /**
     * Keeps C2 off the runtime's code, on a daemon thread of its own, as {@code runtimeCompiler} says: always with
     * {@code c1}; never with {@code c2}; with {@code auto}, in a worker process always, and in the program's JVM once
     * its runtime has seen that the run's first tasks are mid-sized ({@link WeftRuntime#taskPace}), which leaves C2
     * to runs of short tasks, where the runtime's own work per task counts, and to runs of long ones, where C2's
     * compilations cost little beside the tasks and keeping C2 off would cost more. With {@code verbose=true}, says on
     * standard error if it could not.
     *
     * @param runtime the program's runtime, or {@code null} in a worker process
     */
    static void apply(AgentOptions options, Instrumentation instrumentation, WeftRuntime runtime) {
        String mode = options.get("runtimeCompiler", "auto").toLowerCase(Locale.ROOT);
        if (mode.equals("c2")) {
            return;
        }
        Thread t = new Thread(new KeepC2Off(instrumentation, mode.equals("auto") ? runtime : null, mode,
                Boolean.parseBoolean(options.get("verbose", "false"))), "weft-jit");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits {@link #DELAY_MILLIS}, then for the pace of the run's first tasks if {@code runtime} is given, and keeps
     * C2 off only if they were mid-sized ({@link WeftRuntime#PACE_STEADY}). A class rather than a lambda: this starts
     * before {@code main}, where a lambda costs a class spun at run time.
     */
    private record KeepC2Off(Instrumentation instrumentation, WeftRuntime runtime, String mode, boolean verbose)
            implements Runnable {
        @Override
        public void run() {
            String problem;
            try {
                Thread.sleep(DELAY_MILLIS);
                int pace = runtime == null ? WeftRuntime.PACE_STEADY : runtime.taskPace();
                for (long waited = 0; pace == WeftRuntime.PACE_UNKNOWN; ) {
                    // Every 50 ms for the first 10 s, then every half second (a run may do other work before its
                    // first task): a wake-up costs microseconds.
                    long interval = waited < 10_000 ? POLL_MILLIS : 10 * POLL_MILLIS;
                    Thread.sleep(interval);
                    waited += interval;
                    pace = runtime.taskPace();
                }
                if (pace != WeftRuntime.PACE_STEADY) {
                    return; // short tasks, where C2's code pays back; or long ones, where it hardly counts
                }
                problem = addDirective(instrumentation);
            } catch (InterruptedException e) {
                return;
            } catch (Exception | LinkageError e) { // an optimisation only: the run goes on as it would without it
                Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
                problem = cause.toString();
            }
            if (problem != null && verbose) {
                System.err.println("weft: the runtime's code is left to C2 as well (runtimeCompiler=" + mode
                        + " not applied): " + problem);
            }
        }
    }

    /** @return why the directive was not added, or {@code null} if it was */
    private static String addDirective(Instrumentation instrumentation) throws ReflectiveOperationException,
            IOException {
        Module management = ModuleLayer.boot().findModule("jdk.management").orElse(null);
        if (management == null) {
            return "the module jdk.management is not in this Java runtime";
        }
        String internal = "com.sun.management.internal";
        instrumentation.redefineModule(management, Set.of(), Map.of(),
                Map.of(internal, Set.of(RuntimeCompilation.class.getModule())), Set.of(), Map.of());
        // Loads the native library the diagnostic commands live in.
        Class.forName(internal + ".PlatformMBeanProviderImpl", true, ClassLoader.getSystemClassLoader());
        Class<?> type = Class.forName(internal + ".DiagnosticCommandImpl", true, ClassLoader.getSystemClassLoader());
        Method get = type.getDeclaredMethod("getDiagnosticCommandMBean");
        get.setAccessible(true);
        Object commands = get.invoke(null);
        if (commands == null) {
            return "this JVM does not serve diagnostic commands";
        }
        Method execute = type.getDeclaredMethod("executeDiagnosticCommand", String.class);
        execute.setAccessible(true);
        String unable = c1CannotTakeOver(String.valueOf(execute.invoke(commands, "VM.flags -all")));
        if (unable != null) {
            return unable;
        }
        // In a folder of its own, which only this user can enter: nobody can put another file in its place.
        Path folder = Files.createTempDirectory("weft-jit-");
        Path file = folder.resolve("directive.json");
        try {
            Files.writeString(file, DIRECTIVE);
            String answer = String.valueOf(execute.invoke(commands, "Compiler.directives_add \"" + file + "\""));
            return answer.contains("added") ? null : answer.strip();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
        }
    }

    /**
     * Why C1 would not compile the methods C2 is kept from, from the JVM's flags ({@code VM.flags -all}); or
     * {@code null} if it would. HotSpot gives such methods to C1 only in its default tiered mode: without tiered
     * compilation, or with C2 alone ({@code -XX:CompilationMode=high-only}), they would stay interpreted. With C1
     * alone, or tiers stopped below C2, C2 compiles nothing anyway.
     */
    static String c1CannotTakeOver(String flags) {
        if (!flag(flags, "TieredCompilation").equals("true")) {
            return "tiered compilation is off (-XX:-TieredCompilation), so C1 would not take over";
        }
        String mode = flag(flags, "CompilationMode");
        if (!mode.isEmpty() && !mode.equals("default")) {
            return "-XX:CompilationMode=" + mode + " leaves no tier for C1 to take over, or C2 compiles nothing";
        }
        if (!flag(flags, "TieredStopAtLevel").equals("4")) {
            return "-XX:TieredStopAtLevel=" + flag(flags, "TieredStopAtLevel") + ": C2 compiles nothing anyway";
        }
        return null;
    }

    /** A flag's value in the output of {@code VM.flags -all} ({@code bool TieredCompilation = true {...}}), or "". */
    private static String flag(String flags, String name) {
        Matcher m = Pattern.compile("\\s" + name + "\\s*=\\s*(\\S*)").matcher(flags);
        return m.find() ? m.group(1) : "";
    }
}
