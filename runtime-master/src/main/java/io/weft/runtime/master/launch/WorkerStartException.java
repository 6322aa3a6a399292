package io.weft.runtime.master.launch;

/**
 * A worker process did not start: {@code java} missing, a port taken, a working directory it cannot write, the
 * master unreachable, or no word from it in time. The message names the node and ends with what the worker itself
 * printed.
 */
public final class WorkerStartException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String node;

    public WorkerStartException(String node, String message) {
        super("worker for node '" + node + "' did not start: " + message);
        this.node = node;
    }

    public String node() {
        return node;
    }
}
