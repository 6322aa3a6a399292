package io.weft.api.spi;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringTokenizer;

/**
 * The static entry points that the agent's generated code calls. Each one is a no-op (or says "run the call
 * inline") when no runtime is installed or when the calling thread is a task thread, so that instrumented code
 * is correct in every context.
 *
 * <p>The checks are ordered so the JIT can hoist them out of loops in task code: the thread test comes first.
 */
public final class Intercept {
    /** Returned by {@link #task} when the call must simply proceed as a plain call. */
    public static final Object INLINE = new Object();

    private static volatile WeftRuntime runtime;

    private Intercept() {}

    /**
     * Installs the runtime. Called once by the agent at start-up.
     *
     * @throws IllegalStateException if a runtime is already installed
     */
    public static synchronized void install(WeftRuntime newRuntime) {
        Objects.requireNonNull(newRuntime, "runtime");
        if (runtime != null) {
            throw new IllegalStateException("a Weft runtime is already installed: " + runtime);
        }
        runtime = newRuntime;
        java.util.Arrays.fill(PLAIN, null);
    }

    /**
     * Replaces the installed runtime {@code installed} with {@code replacement}, which stands for the same run: a
     * runtime that stood in while the real one started hands over to it, so the program's calls reach it directly.
     * Does nothing if another runtime is installed.
     */
    public static synchronized void replace(WeftRuntime installed, WeftRuntime replacement) {
        Objects.requireNonNull(replacement, "replacement");
        if (runtime == installed) {
            runtime = replacement;
        }
    }

    /** Removes the installed runtime; for tests that install a testing runtime. */
    public static synchronized void uninstall() {
        runtime = null;
        java.util.Arrays.fill(PLAIN, null);
    }

    /** The installed runtime, or {@code null} when the program runs without the agent. */
    public static WeftRuntime runtime() {
        return runtime;
    }

    /**
     * The installed runtime if the calling thread is an application thread; {@code null} on a task thread (whose
     * code runs as plain sequential code) or without the agent.
     */
    public static WeftRuntime forApplicationThread() {
        return active();
    }

    private static WeftRuntime active() {
        if (Thread.currentThread() instanceof RuntimeThread) {
            return null;
        }
        return runtime;
    }

    /**
     * How many task calls the program has made, on any thread, each counted by the runtime once it has registered
     * what the task uses and before the task can run ({@link #countTaskCall}). Instrumented code that used an
     * object after asking for it ({@link #use}), through the same local variable, goes on without asking while this
     * count stays as it was then: only a task called since could make the object wait again; {@link #use} does the
     * same for the classes it found plain. The guards read it plainly, so that the JIT may lift the read out of a
     * loop: a thread sees another's task call once it synchronises with that thread (or with the task), as Java
     * shows it that thread's other writes. Counted under a lock, so that no call is lost and the count never comes
     * back to a value it had (on a 64-bit JVM, whose long fields are never torn). Not for programs.
     */
    public static long taskCalls;
    /** {@link #taskCalls}, written after it: read by {@link #taskCallsNow}. */
    private static volatile long taskCallsPublished;
    private static final Object TASK_CALLS = new Object();

    /**
     * The count of task calls, read so that the runtime's state after those calls is seen too: a guard reads this
     * before it asks the runtime for an object, and keeps it with the object.
     */
    public static long taskCallsNow() {
        return taskCallsPublished;
    }

    /**
     * Counts a task call: the runtime calls this once it has registered what the task uses, before the task can
     * start (a thread that then hears from the task, or from its caller, sees the new count).
     */
    public static void countTaskCall() {
        synchronized (TASK_CALLS) {
            taskCallsPublished = ++taskCalls;
        }
    }

    /** A call site of a task method: submit it, or answer {@link #INLINE} to make the call run as written. */
    public static Object task(int site, Object receiver, Object[] args) {
        WeftRuntime r = active();
        return r == null ? INLINE : r.submit(site, receiver, args);
    }

    /** The program is about to use {@code object}: wait for the tasks that use it. */
    public static void use(Object object) {
        if (object != null) {
            Class<?> type = object.getClass();
            int slot = type.hashCode() & (PLAIN.length - 1);
            PlainClass known = PLAIN[slot];
            if (known != null && known.type == type && known.at == taskCalls) {
                return; // no object of its class was task data, and no task was called since
            }
            WeftRuntime r = active();
            if (r != null && r.hasPendingTasks()) {
                long at = taskCallsNow();
                r.use(object);
                // Kept unless its slot holds another class still good: two classes sharing a slot do not take
                // turns at it (each turn would cost a new entry).
                if ((known == null || known.at != at) && r.plain(type)) {
                    PLAIN[slot] = new PlainClass(type, at);
                }
            }
        }
    }

    /**
     * A class none of whose objects was task data (nor names a file) when the count of task calls was {@link #at}:
     * only a task call can make one of them task data, so until the count moves no use of one need ask the runtime.
     * Immutable, so that a thread that reads one from {@link #PLAIN} sees it whole.
     */
    private static final class PlainClass {
        final Class<?> type;
        final long at;

        PlainClass(Class<?> type, long at) {
            this.type = type;
            this.at = at;
        }
    }

    /**
     * Classes found plain, at most one per slot, by the low bits of their hash: until the count of task calls moves,
     * a use of one of their objects asks nothing. Emptied when a runtime is installed or goes.
     */
    private static final PlainClass[] PLAIN = new PlainClass[16];

    /**
     * Whether {@link #use} would neither wait nor throw for {@code object} now; never waits. Instrumented code asks
     * this where a variable whose array elements it reads or writes gets its value (a store, or a parameter where
     * the body starts), so that the accesses after need not ask again while no task is called.
     */
    public static boolean ready(Object object) {
        if (object == null) {
            return true;
        }
        WeftRuntime r = active();
        return r == null || !r.hasPendingTasks() || r.ready(object);
    }

    /**
     * The program hands {@code object} to a JDK method that only stores the reference (a list's {@code add}, a
     * map's {@code put} as its value, …): wait only if library code could later read the object without waiting.
     */
    public static void store(Object object) {
        if (object != null) {
            WeftRuntime r = active();
            if (r != null && r.hasPendingTasks()) {
                r.store(object);
            }
        }
    }

    /** As {@link #store} for each element of the array a varargs method that only stores its elements gets. */
    public static void storeElements(Object[] objects) {
        if (objects != null) {
            WeftRuntime r = active();
            if (r != null && r.hasPendingTasks()) {
                r.use(objects);
                for (Object o : objects) {
                    if (o != null) {
                        r.store(o);
                    }
                }
            }
        }
    }

    /** The program passes an array to a varargs method: wait for the tasks that use any of its elements. */
    public static void useElements(Object[] objects) {
        if (objects != null) {
            WeftRuntime r = active();
            if (r != null && r.hasPendingTasks()) {
                r.use(objects);
                for (Object o : objects) {
                    if (o != null) {
                        r.use(o);
                    }
                }
            }
        }
    }

    /** The program is about to open a file named by a string path. */
    public static void usePath(String path) {
        if (path != null) {
            WeftRuntime r = active();
            if (r != null && r.hasPendingTasks()) {
                r.usePath(path);
            }
        }
    }

    /** The program's {@code main} method ended by throwing; never throws itself. */
    public static void endOfMainThrew(Throwable thrown) {
        WeftRuntime r = active();
        if (r != null) {
            try {
                r.endOfMainThrew(thrown);
            } catch (RuntimeException | Error e) {
                thrown.addSuppressed(e);
            }
        }
    }

    /** The end of the program's {@code main} method. */
    public static void endOfMain() {
        WeftRuntime r = active();
        if (r != null) {
            r.endOfMain();
        }
    }

    /**
     * Starts a process for application code: from a task, with the variables that confine it to the task's cores
     * and devices ({@link WeftRuntime#taskEnvironment()}) unless the code set them itself.
     */
    public static Process startProcess(ProcessBuilder builder) throws IOException {
        Map<String, String> env = taskEnvironment();
        if (!env.isEmpty()) {
            Map<String, String> target = builder.environment();
            for (Map.Entry<String, String> e : env.entrySet()) {
                String current = target.get(e.getKey());
                // Inherited from this JVM (or absent): the task's value. Set by the code itself: left alone.
                if (current == null || current.equals(System.getenv(e.getKey()))) {
                    target.put(e.getKey(), e.getValue());
                }
            }
        }
        return started(builder.start());
    }

    /** A process application code started: a task's is ended with it if the task is stopped. */
    private static Process started(Process process) {
        WeftRuntime r = runtime;
        if (r != null && Thread.currentThread() instanceof RuntimeThread) {
            r.processStarted(process);
        }
        return process;
    }

    /** {@code Runtime.exec} with a command array, as {@link #startProcess}. */
    public static Process exec(Runtime runtime, String[] command, String[] envp, File dir) throws IOException {
        Map<String, String> env = taskEnvironment();
        if (env.isEmpty()) {
            return started(runtime.exec(command, envp, dir));
        }
        if (envp == null) {
            return startProcess(new ProcessBuilder(command).directory(dir));
        }
        List<String> merged = new ArrayList<>(List.of(envp));
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (merged.stream().noneMatch(v -> v.startsWith(e.getKey() + "="))) {
                merged.add(e.getKey() + "=" + e.getValue());
            }
        }
        return started(runtime.exec(command, merged.toArray(new String[0]), dir));
    }

    /** {@code Runtime.exec} with a command line, split into words as {@code Runtime.exec} splits it. */
    public static Process execCommand(Runtime runtime, String command, String[] envp, File dir) throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("Empty command");
        }
        StringTokenizer words = new StringTokenizer(command);
        String[] array = new String[words.countTokens()];
        for (int i = 0; words.hasMoreTokens(); i++) {
            array[i] = words.nextToken();
        }
        return exec(runtime, array, envp, dir);
    }

    /** {@code System.exit(status)} in application code: the runtime hears of it first ({@link WeftRuntime#exitRequested}). */
    public static void exit(int status) {
        WeftRuntime r = runtime;
        if (r != null) {
            r.exitRequested(status);
        }
        System.exit(status);
    }

    /** {@code Runtime.exit(status)} in application code, as {@link #exit(int)}. */
    public static void exit(Runtime target, int status) {
        WeftRuntime r = runtime;
        if (r != null) {
            r.exitRequested(status);
        }
        target.exit(status);
    }

    private static Map<String, String> taskEnvironment() {
        WeftRuntime r = runtime;
        return r != null && Thread.currentThread() instanceof RuntimeThread ? r.taskEnvironment() : Map.of();
    }
}
