package io.weft.runtime.worker.process;

import io.weft.api.TaskGroup;
import io.weft.api.spi.WeftRuntime;
import io.weft.runtime.worker.executor.TaskContext;
import java.util.List;
import java.util.Map;

/**
 * The Weft runtime as task code sees it inside a worker process: it answers which cores and devices the running
 * task holds. Everything a task does runs inline there (task calls, waits), so the rest is never reached from
 * task code. A task that calls {@code System.exit} is told to the master first ({@link ExitNotice}).
 */
final class WorkerRuntime implements WeftRuntime {
    /** Tells the master that the task with this id ends the JVM with this status; returns once it is sent. */
    @FunctionalInterface
    interface ExitNotice {
        void exiting(long taskId, int status);
    }

    private final ExitNotice exitNotice;

    WorkerRuntime(ExitNotice exitNotice) {
        this.exitNotice = exitNotice;
    }

    @Override
    public void exitRequested(int status) {
        long task = TaskContext.currentTaskId();
        if (task >= 0) {
            exitNotice.exiting(task, status);
        }
    }

    @Override
    public Object submit(int site, Object receiver, Object[] args) {
        throw new UnsupportedOperationException("tasks are submitted by the master, not inside a worker process");
    }

    @Override
    public boolean hasPendingTasks() {
        return false;
    }

    @Override
    public void use(Object object) {}

    @Override
    public void store(Object object) {}

    @Override
    public void usePath(String path) {}

    @Override
    public void barrier() {}

    @Override
    public TaskGroup openGroup(String name) {
        throw new UnsupportedOperationException("task groups are opened by the main program");
    }

    @Override
    public List<Integer> assignedGpus() {
        return TaskContext.currentGpus();
    }

    @Override
    public List<Integer> assignedCores() {
        return TaskContext.currentCores();
    }

    @Override
    public Map<String, String> taskEnvironment() {
        return TaskContext.currentEnvironment();
    }

    @Override
    public void processStarted(Process process) {
        TaskContext.processStarted(process);
    }

    @Override
    public void endOfMain() {}

    @Override
    public void endOfMainThrew(Throwable thrown) {}
}
