package io.weft.runtime.master;

import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.WorkerGateway;
import java.util.ArrayList;
import java.util.List;

/** A worker gateway that runs nothing: it records what it was asked to execute. No threads. */
final class TestingGateway implements WorkerGateway {
    private final String name;
    private final int computingUnits;
    final List<TaskExecution> executions = new ArrayList<>();
    boolean shutDown;

    TestingGateway(String name, int computingUnits) {
        this.name = name;
        this.computingUnits = computingUnits;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int computingUnits() {
        return computingUnits;
    }

    @Override
    public void execute(TaskExecution execution) {
        executions.add(execution);
    }

    @Override
    public void shutdown() {
        shutDown = true;
    }
}
