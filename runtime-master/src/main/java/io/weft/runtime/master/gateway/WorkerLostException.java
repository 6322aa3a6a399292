package io.weft.runtime.master.gateway;

/**
 * Why a gateway's future failed: its worker was lost. The attempts it ran are sent elsewhere by whoever hears of
 * the loss, so a caller that sees this on an attempt's future does nothing more.
 */
public final class WorkerLostException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String why;

    public WorkerLostException(String worker, String why) {
        super("worker " + worker + " was lost (" + why + ")");
        this.why = why;
    }

    /** Why the worker was lost, as its launcher said. */
    public String why() {
        return why;
    }
}
