package io.weft.runtime.master;

import java.util.List;

/**
 * The warning of a thread that has waited long for tasks ({@code waitWarning} seconds, 30 by default): what it
 * waits for, the unfinished tasks it waits for and what each is doing, and what to do when a task never ends, the
 * usual reason for a wait without end. Pure formatting; the {@link Synchroniser} asks the analyser for the tasks.
 */
final class WaitWarning {
    private WaitWarning() {}

    /**
     * @param thread the waiting thread's name
     * @param seconds how long it has waited
     * @param waitsFor what it waits for, after "has waited N s": "for object Main$Box #1", "at the end of main"
     * @param tasks one line per task, as the analyser describes them; empty if it did not answer
     * @param mainThread whether the waiting thread is the program's main thread
     * @param pid this JVM's process id
     * @param advise whether to say what to do (the first warning of a run does)
     */
    static String text(String thread, long seconds, String waitsFor, List<String> tasks, boolean mainThread,
            long pid, boolean advise) {
        StringBuilder s = new StringBuilder("weft: warning: thread '").append(thread).append("' has waited ")
                .append(seconds).append(" s ").append(waitsFor).append("; the unfinished tasks it waits for:\n");
        if (tasks.isEmpty()) {
            s.append("weft:   (no answer from the runtime about which tasks: its analyser thread is busy)\n");
        }
        for (String task : tasks) {
            s.append("weft:   ").append(task).append('\n');
        }
        if (!advise) {
            return s.substring(0, s.length() - 1);
        }
        s.append("weft: A long task is normal and needs nothing. A task that never ends (an endless loop, a deadlock,"
                + " input that never comes) keeps this thread waiting for ever: 'jstack ").append(pid)
                .append("' shows what it is doing, on a thread named weft-executor-<node>-<n> (a task on a worker"
                        + " process runs in that worker's JVM). waitWarning=<seconds> sets when this warning comes,"
                        + " 0 never.");
        if (!mainThread) {
            s.append(" If this thread runs code a task handed it (an anonymous Runnable, say), it is waiting for"
                    + " that very task: hand such threads a lambda (lambdas made by task code run as task code), or"
                    + " take what they need out of the task's parameters first.");
        }
        return s.toString();
    }
}
