package io.weft.api;

import io.weft.api.spi.Intercept;
import io.weft.api.spi.WeftRuntime;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The facade: explicit synchronisation, files and task groups.
 *
 * <p>None of these calls is needed for correctness — touching a result synchronises on it — but they say
 * intent, and they are the only way to wait for tasks whose results the program never touches. Without the
 * agent every method is a no-op or returns its argument, so the program runs sequentially; so does code running
 * inside a task, where task calls are plain calls.
 */
public final class Weft {
    private Weft() {}

    /**
     * Waits until every task submitted so far has ended.
     *
     * @throws TaskFailedException if a task failed since the last time a failure was reported
     */
    public static void barrier() {
        WeftRuntime runtime = Intercept.forApplicationThread();
        if (runtime != null) {
            runtime.barrier();
        }
    }

    /**
     * Waits for the tasks that write (or still read) {@code object} and returns it, holding its final value.
     *
     * @param object an object passed to or returned by tasks
     * @return the same object
     * @throws TaskFailedException if the task that produced its current value failed
     */
    public static <T> T waitOn(T object) {
        Intercept.use(object);
        return object;
    }

    /**
     * Waits for the tasks that write (or still read) the file, brings its latest version to {@code path}, and
     * returns the path, ready to open.
     *
     * @throws TaskFailedException if the task that wrote the file failed
     */
    public static Path openFile(Path path) {
        Intercept.use(path);
        return path;
    }

    /** {@link #openFile(Path)} for a {@code java.io.File}. */
    public static File openFile(File file) {
        Intercept.use(file);
        return file;
    }

    /**
     * Brings the latest version of a file that tasks write back to its own name, without opening it.
     *
     * @throws TaskFailedException if the task that wrote the file failed
     */
    public static void getFile(Path path) {
        Intercept.use(path);
    }

    /**
     * Deletes a file once the tasks that use it have ended, together with any version the runtime holds.
     *
     * @return whether a file was deleted
     */
    public static boolean deleteFile(Path path) {
        Intercept.use(path);
        return path.toFile().delete();
    }

    /**
     * Opens a task group; use it in try-with-resources.
     *
     * @param name the group's name, used in messages
     */
    public static TaskGroup group(String name) {
        WeftRuntime runtime = Intercept.forApplicationThread();
        return runtime != null ? runtime.openGroup(name) : new SequentialGroup(name);
    }

    /**
     * The GPU device ids assigned to the calling task, or an empty list when it runs without GPUs or without the
     * agent.
     */
    public static List<Integer> assignedGpus() {
        WeftRuntime runtime = Intercept.runtime();
        return runtime != null ? runtime.assignedGpus() : List.of();
    }

    /**
     * The core ids assigned to the calling task on its node (no other running task holds them), or an empty list
     * outside a task or without the agent.
     */
    public static List<Integer> assignedCores() {
        WeftRuntime runtime = Intercept.runtime();
        return runtime != null ? runtime.assignedCores() : List.of();
    }

    /**
     * The environment variables that confine a process to the calling task's devices and cores —
     * {@code CUDA_VISIBLE_DEVICES}, or {@code ROCR_VISIBLE_DEVICES} and {@code HIP_VISIBLE_DEVICES} for AMD GPUs,
     * {@code OMP_NUM_THREADS}, {@code WEFT_CORES}, {@code WEFT_GPUS} — or an empty map outside a task or without
     * the agent. Processes the task starts with {@code ProcessBuilder} or {@code Runtime.exec} get them already;
     * this is for code that starts processes some other way.
     */
    public static Map<String, String> taskEnvironment() {
        WeftRuntime runtime = Intercept.runtime();
        return runtime != null ? runtime.taskEnvironment() : Map.of();
    }

    /** Whether the program runs under the Weft agent (tasks are asynchronous) rather than sequentially. */
    public static boolean isActive() {
        return Intercept.runtime() != null;
    }

    private record SequentialGroup(String name) implements TaskGroup {
        @Override
        public void cancel() {}

        @Override
        public void close() {}
    }
}
