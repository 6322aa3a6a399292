package io.weft.runtime.master;

/**
 * What the analyser tells the application side when a task ends or when it fails itself: the seam that keeps the
 * analyser from holding the runtime facade. Called on the analyser thread.
 */
interface TaskEnds {
    /**
     * A task ended: it ran (for {@code runNanos}), or was cancelled because an input or its group failed
     * ({@code ran} false, {@code failure} the root's).
     */
    void taskEnded(TaskNode task, Object result, TaskFailure failure, boolean ran, long runNanos);

    /** A use of a datum that no task of the program made (a re-run making lost data again) ended. */
    void useEnded(DataHandle handle);

    /** The analyser thread died of a bug: every waiting thread must fail loudly instead of hanging. */
    void analyserFailed(Throwable error);

    /**
     * The run cannot go on ({@code why}: every worker was lost): every wait of the program, and every call of a
     * task it makes from now on, fails with an {@link IllegalStateException} saying why.
     */
    default void runFailed(String why) {
        analyserFailed(new IllegalStateException(why));
    }
}
