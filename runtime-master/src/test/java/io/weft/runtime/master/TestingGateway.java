package io.weft.runtime.master;

import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.VersionBytes;
import io.weft.runtime.master.gateway.WorkerGateway;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A worker gateway that runs nothing: it records what it was asked to do, and the test completes the futures —
 * ends an attempt, answers a fetch, loses the worker — when it likes. No threads, no sockets.
 */
final class TestingGateway implements WorkerGateway {
    private final String name;
    /** The attempts asked for, in order, with the futures the test completes. */
    final Map<TaskExecution, CompletableFuture<TaskOutcome>> attempts = new LinkedHashMap<>();
    final List<TaskExecution> executions = new ArrayList<>();
    /** Object fetches asked for, by store key. */
    final Map<Long, CompletableFuture<Object>> objectFetches = new LinkedHashMap<>();
    /** Where each object fetched by key keeps the bytes it arrives as, for lineage; the test fills them. */
    final Map<Long, VersionBytes> fetchedBytes = new LinkedHashMap<>();
    /** File fetches asked for, by store key, with where the file was to go. */
    final Map<Long, Path> fileFetchTargets = new LinkedHashMap<>();
    final Map<Long, CompletableFuture<Path>> fileFetches = new LinkedHashMap<>();
    /** Every fetch asked for, objects and files, in order, repeats included. */
    final List<Kept> fetchesAsked = new ArrayList<>();
    final List<Long> forgotten = new ArrayList<>();
    /** The task ids of each withdraw request, in order, with the futures the test completes. */
    final Map<long[], CompletableFuture<Void>> withdrawals = new LinkedHashMap<>();
    /** The task ids it was asked to cancel, in order. */
    final java.util.List<Long> cancelled = new java.util.ArrayList<>();
    String lost;
    /** Whether it takes tasks sent ahead, as a worker process does. */
    boolean takesAhead;
    /** What each attempt was to keep for tasks sent ahead ({@link WorkerGateway#execute(TaskExecution, long[])}). */
    final Map<TaskExecution, long[]> keeps = new LinkedHashMap<>();
    /** The tasks sent ahead that the analyser took back, as the worker dropped them. */
    final List<Long> droppedAhead = new ArrayList<>();
    /** Thrown when the analyser asks how to handle a report, if set: a fault while it hears of an attempt's end. */
    RuntimeException reportHandlingFails;

    TestingGateway(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<TaskOutcome> execute(TaskExecution execution) {
        CompletableFuture<TaskOutcome> f = new CompletableFuture<>();
        executions.add(execution);
        attempts.put(execution, f);
        return f;
    }

    @Override
    public boolean takesTasksAhead() {
        return takesAhead;
    }

    @Override
    public CompletableFuture<TaskOutcome> execute(TaskExecution execution, long[] keep) {
        keeps.put(execution, keep);
        return execute(execution);
    }

    @Override
    public void droppedAhead(long taskId) {
        droppedAhead.add(taskId);
    }

    @Override
    public WorkerGateway.ReportHandling reportHandling() {
        if (reportHandlingFails != null) {
            throw reportHandlingFails;
        }
        return WorkerGateway.super.reportHandling();
    }

    @Override
    public CompletableFuture<Object> fetchObject(RemoteValue value) {
        fetchesAsked.add(value);
        if (lost != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("worker " + name + " was lost (" + lost
                    + ")"));
        }
        return objectFetches.computeIfAbsent(value.key(), k -> new CompletableFuture<>());
    }

    @Override
    public CompletableFuture<Object> fetchObject(RemoteValue value, VersionBytes keep) {
        fetchedBytes.put(value.key(), keep);
        return fetchObject(value);
    }

    @Override
    public CompletableFuture<Path> fetchFile(RemoteFile file, Path into) {
        fetchesAsked.add(file);
        fileFetchTargets.put(file.key(), into);
        return fileFetches.computeIfAbsent(file.key(), k -> new CompletableFuture<>());
    }

    @Override
    public CompletableFuture<Void> withdraw(long[] taskIds) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        withdrawals.put(taskIds, f);
        return f;
    }

    @Override
    public void cancel(long[] taskIds) {
        for (long id : taskIds) {
            cancelled.add(id);
        }
    }

    @Override
    public void forget(long[] keys) {
        for (long k : keys) {
            forgotten.add(k);
        }
    }

    @Override
    public void lose(String why) {
        lost = why;
    }
}
