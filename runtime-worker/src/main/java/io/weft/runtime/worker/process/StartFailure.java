package io.weft.runtime.worker.process;

/**
 * Why a worker process cannot start, and the exit status that says so to the master (see {@link WorkerMain}).
 * {@link WorkerMain#main} prints it on one line that names the node, and exits.
 */
final class StartFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String node;
    final int status;

    StartFailure(String node, int status, String why) {
        super(why);
        this.node = node;
        this.status = status;
    }
}
