package io.weft.api;

/**
 * What the runtime does when a task fails (throws, times out or loses its worker).
 *
 * <p>Declared in this release: the local runtime currently treats every failure as {@link #FAIL} — one attempt,
 * then the failure reaches the program (see the programming-model reference for the state of each policy).
 */
public enum OnFailure {
    /** Run the task again, on another worker where possible, up to {@link Task#retries()} more times. */
    RETRY,
    /** The task fails; its outputs are failed, tasks that read them are cancelled, the program is told. */
    FAIL,
    /** Ignore the failure: successors run with the outputs as they are. */
    IGNORE,
    /** Cancel the tasks that depend on this one, but let the rest of the program go on. */
    CANCEL_SUCCESSORS
}
