package io.weft.api.spi;

/**
 * The base class of threads that execute tasks. Code running on such a thread is task code: it never waits for
 * other tasks' data (it was given its inputs) and a task method it calls runs inline, as a plain call.
 *
 * <p>An abstract class rather than a marker interface so that the check on every intercepted access is a single
 * class test, which the JIT hoists out of loops.
 */
public abstract class RuntimeThread extends Thread {
    /**
     * Creates a runtime thread.
     *
     * @param task what the thread runs
     * @param name the thread's name
     */
    protected RuntimeThread(Runnable task, String name) {
        super(task, name);
    }
}
