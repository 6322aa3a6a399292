package io.weft.api;

/**
 * What the runtime does when a task fails (throws, runs past its {@link Task#timeout()}, or returns what its
 * placeholder cannot stand for). Whatever
 * the policy but {@link #FAIL}, a failed attempt's changes to the objects and files it updates in place are put
 * back first, so the data is as it was before the attempt. Without the agent the policy does nothing: the call
 * throws where it is made.
 */
public enum OnFailure {
    /**
     * Run the task again, on another worker where one is free, up to {@link Task#retries()} more times; then as
     * {@link #CANCEL_SUCCESSORS}. The default.
     */
    RETRY,
    /**
     * Stop the run at once: the task, its worker, its attempts and its exception are printed, tasks still running
     * or queued are abandoned, the workers stop, and the process exits with status 1.
     */
    FAIL,
    /**
     * Go on as if the task had not been called: data it updates keep their previous versions, so its successors
     * run on them; its result and the files it would have written are failed (using them throws a
     * {@link TaskFailedException}). The failure is reported on standard error only and does not change the exit
     * status.
     */
    IGNORE,
    /**
     * No retry: the tasks that read the task's outputs are cancelled, transitively, the rest of the program goes
     * on, and the program gets a {@link TaskFailedException} where it touches an output.
     */
    CANCEL_SUCCESSORS
}
