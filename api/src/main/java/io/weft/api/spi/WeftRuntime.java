package io.weft.api.spi;

import io.weft.api.TaskGroup;
import java.util.List;
import java.util.Map;

/**
 * What a Weft runtime offers to instrumented code and to the {@link io.weft.api.Weft} facade. Implemented by the
 * runtime and installed once through {@link Intercept#install(WeftRuntime)}.
 *
 * <p>Every method may be called from any application thread, never from a {@link RuntimeThread}.
 */
public interface WeftRuntime {
    /**
     * Submits a call to a task method.
     *
     * @param site the call site's id from {@link TaskSites}
     * @param receiver the receiver of an instance-method task, {@code null} for a static one
     * @param args the call's arguments, primitives boxed
     * @return the call's result — a placeholder, a value once the task has ended, or {@code null} for void
     */
    Object submit(int site, Object receiver, Object[] args);

    /** Whether any task is still pending, i.e. whether an access may have to wait. */
    boolean hasPendingTasks();

    /**
     * Called before the program uses {@code object} (calls a method on it, reads or writes a field or an element,
     * passes it to code that is not a task): waits for the pending tasks that use it. Files are given as {@code
     * java.io.File} or {@code java.nio.file.Path}.
     */
    void use(Object object);

    /**
     * Whether {@link #use(Object)} would return at once for {@code object}, without waiting or throwing; never
     * waits. {@code false} when not sure.
     */
    default boolean ready(Object object) {
        return false;
    }

    /**
     * Whether no object of class {@code type} is task data, or can make {@link #use(Object)} wait, now: only a
     * task call can change that (then {@code Intercept.use} asks again). {@code false} when not sure.
     */
    default boolean plain(Class<?> type) {
        return false;
    }

    /**
     * Called before the program hands {@code object} to a JDK method that only stores the reference (see {@code
     * docs/programming-model.md}): waits as {@link #use(Object)} does, unless the object waits for its own pending
     * tasks whenever library code calls it ({@link InstrumentedClasses#waitsForItself}), so that storing a result
     * in a collection does not make the program wait for it.
     */
    void store(Object object);

    /** As {@link #use(Object)} for a file named by a string path. */
    void usePath(String path);

    /** Waits for every task submitted so far; throws the first unreported failure. */
    void barrier();

    /** Opens a task group for the calling thread. */
    TaskGroup openGroup(String name);

    /** The GPU ids assigned to the task running on the calling thread. */
    List<Integer> assignedGpus();

    /** The core ids assigned to the task running on the calling thread. */
    List<Integer> assignedCores();

    /**
     * The environment variables a process started by the task on the calling thread should get, so it uses only
     * the task's devices and cores; empty outside a task.
     */
    Map<String, String> taskEnvironment();

    /**
     * The task running on the calling thread started this process: if the task is stopped (its time limit passed,
     * it was cancelled), the process is ended with all its descendants. Nothing outside a task.
     */
    default void processStarted(Process process) {}

    /**
     * The end of the program's {@code main}: an implicit barrier, then a clean shutdown. Throws the first failure
     * the program was not told of; exits non-zero if any task failed unrecoverably.
     */
    void endOfMain();

    /**
     * {@code main} ended by throwing {@code thrown}: wait for the tasks and report failures on standard error, but
     * never replace the program's own exception, which propagates unchanged.
     */
    void endOfMainThrew(Throwable thrown);

    /**
     * Code on the calling thread is about to call {@code System.exit(status)} (or {@code Runtime.exit}). A worker
     * process tells its master when a task does, so the program ends with that status, as without workers; the
     * exit then happens as written. Nothing by default.
     */
    default void exitRequested(int status) {}

    /** {@link #taskPace}: too few tasks have run to tell. */
    int PACE_UNKNOWN = 0;
    /**
     * {@link #taskPace}: the run's first tasks were short for the executors running them (their ends come by tens of
     * thousands a second), so the runtime's own work per task counts in this run.
     */
    int PACE_BRISK = 1;
    /**
     * {@link #taskPace}: they were neither short nor long: mid-sized tasks, a few thousand a second, whose run is over
     * before the runtime's code compiled by C2 would pay back its compilation.
     */
    int PACE_STEADY = 2;
    /** {@link #taskPace}: they were long, so the runtime's code runs seldom, and how it is compiled hardly counts. */
    int PACE_SLOW = 3;

    /**
     * The pace of the run's first tasks: {@link #PACE_UNKNOWN}, {@link #PACE_BRISK}, {@link #PACE_STEADY} or
     * {@link #PACE_SLOW}. The agent reads it to choose the JIT compiler of the runtime's code
     * ({@code runtimeCompiler=auto}). Any thread. By default {@link #PACE_SLOW}: a runtime that does not tell has its
     * code compiled as any code.
     */
    default int taskPace() {
        return PACE_SLOW;
    }
}
