package io.weft.runtime.master.remote;

/** An exception a task threw in a worker process that cannot be rebuilt here; its message is the worker's trace. */
final class RemoteTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RemoteTaskException(String trace) {
        super(trace.strip());
    }
}
