package io.weft.runtime.master;

import io.weft.runtime.worker.TaskOutcome;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The record of where each task ran, one JSON object per line, written as tasks end (the {@code placements}
 * option):
 *
 * <pre>{"task":7,"name":"Kernels.scale","implementation":"Kernels.scaleOnGpu","node":"gpu1","cores":[3],
 * "gpus":[0,1],"attempt":1,"startNanos":…,"endNanos":…,"failed":false}</pre>
 *
 * <p>{@code startNanos} and {@code endNanos} come from one clock per worker process, so the times of tasks on the
 * same node can be compared. Thread-safe.
 */
final class PlacementLog {
    private final Path file;
    private final BufferedWriter out;

    private PlacementLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Opens (truncating) the file. */
    static PlacementLog open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new PlacementLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the placement record " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized void record(TaskNode task, TaskOutcome outcome) {
        try {
            out.write("{\"task\":" + task.id + ",\"name\":" + quote(task.name()) + ",\"implementation\":"
                    + quote(task.implementation.name()) + ",\"node\":" + quote(task.node.name()) + ",\"cores\":"
                    + ids(outcome.cores()) + ",\"gpus\":" + ids(outcome.gpus()) + ",\"attempt\":" + task.attemptsMade()
                    + ",\"startNanos\":" + outcome.startNanos() + ",\"endNanos\":" + outcome.endNanos()
                    + ",\"failed\":" + !outcome.succeeded() + "}\n");
            // Each line reaches the file at once: a task may end the JVM (System.exit) without warning.
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the placement record " + file, e);
        }
    }

    private static String ids(int[] ids) {
        return Arrays.stream(ids).mapToObj(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
