package io.weft.runtime.worker.endpoint;

import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.objects.ObjectStates;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.Message.DataRef;
import io.weft.wire.Message.Produced;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reports the end of each attempt the master sent as a {@link Message.TaskDone}: what it produced goes back
 * inline while small, and is kept here otherwise (objects in the {@link ObjectStore}, files in the
 * {@link FileStore}); an error goes back as the serialised exception and its stack trace.
 *
 * <p>Threading: attempts are noted on the event loop; executor threads report the ends of attempts that ran, the
 * intake ({@link IntakeTurn}) those that could not start. Thread-safe.
 */
final class TaskReports {
    /** Written versions up to this size go back to the master in the task's report; larger ones stay here. */
    static final int INLINE_BYTES = 64 << 10;
    /** A report carries at most this many serialised bytes of produced versions; the rest stay here. */
    private static final int MAX_REPORT_INLINE = 8 << 20;

    private final ObjectStore objects;
    private final FileStore files;
    private final Consumer<Message> toMaster;
    private final Map<Long, Message.RunTask> running = new ConcurrentHashMap<>();
    /** Told when an attempt ends here, however it ends (after its report, if it has one). */
    private volatile Ends ends = (t, produced) -> { };

    /** Told when an attempt ends here: tasks sent ahead of that end wait for what it keeps ({@link TaskIntake}). */
    @FunctionalInterface
    interface Ends {
        /**
         * @param produced whether it ended well and keeps what it was asked to keep ({@link Message.RunTask#keep}),
         *     its report sent already
         */
        void ended(Message.RunTask t, boolean produced);
    }

    /**
     * @param objects keeps the versions too large to go back inline
     * @param files keeps the files tasks wrote
     * @param toMaster sends a report to the master
     */
    TaskReports(ObjectStore objects, FileStore files, Consumer<Message> toMaster) {
        this.objects = objects;
        this.files = files;
        this.toMaster = toMaster;
    }

    /** Who is told when an attempt ends here. */
    void onEnd(Ends listener) {
        this.ends = listener;
    }

    /** Notes an attempt the master sent, whose end is reported later. */
    void accepted(Message.RunTask t) {
        running.put(t.taskId(), t);
    }

    /** The attempt at the task noted and not ended (the worker may still report it), or {@code null}. */
    Message.RunTask attempt(long taskId) {
        return running.get(taskId);
    }

    /** The attempt could not start: report it as the task's failure. */
    void failed(Message.RunTask t, Throwable error) {
        running.remove(t.taskId(), t); // only this attempt: a later one at the task may have arrived
        Produced[] used = new Produced[t.bindings().length];
        Arrays.fill(used, Produced.none());
        toMaster.accept(new Message.TaskDone(t.taskId(), t.attempt(), -1, 0, System.nanoTime(), new int[0], new int[0],
                Produced.none(),
                used, errorBytes(error), ErrorTexts.of(error), new String[0]));
        ends.ended(t, false);
    }

    /**
     * An attempt sent ahead was dropped here without a report (what it waited for was not produced): the master takes
     * it back. Only that attempt: a later one at the same task may have arrived meanwhile.
     */
    void dropped(Message.RunTask t) {
        if (running.remove(t.taskId(), t)) {
            ends.ended(t, false); // the tasks sent ahead behind it go too
        } // else withdrawn meanwhile, and ended then
    }

    /**
     * The attempt was withdrawn before it started, at the master's request: nothing is reported for it but the
     * answer to that request. (Objects put here for it alone went with it; the master puts them again wherever
     * the task goes.)
     */
    void withdrawn(Message.RunTask t) {
        if (running.remove(t.taskId(), t)) { // that attempt only: a later one may have been noted meanwhile
            ends.ended(t, false);
        }
    }

    /** An attempt ended: report what it produced. Executor threads. */
    void completed(TaskOutcome outcome) {
        Message.RunTask t = running.remove(outcome.taskId());
        if (t == null) {
            return;
        }
        DataRef[] refs = t.bindings();
        Produced[] used = new Produced[refs.length];
        Throwable error = outcome.error();
        Produced result = Produced.none();
        long[] inline = {0};
        boolean keptResult = kept(t, t.resultKey());
        try {
            for (int i = 0; i < refs.length; i++) {
                Object u = outcome.used() == null ? null : outcome.used()[i];
                DataRef r = refs[i];
                if (r.staged()) {
                    used[i] = r.written() && u != null
                            ? new Produced(Produced.FILE, null, r.outputKey(), files.keep(r, Path.of((String) u)), null)
                            : Produced.none();
                } else {
                    boolean object = r.kind() != DataRef.NONE && r.kind() != DataRef.FILE && r.written();
                    boolean keep = object && kept(t, r.outputKey());
                    used[i] = object && u != null ? produced(u, r.outputKey(), inline, keep) : Produced.none();
                    if (keep && u == null && error == null) {
                        objects.keepNull(r.outputKey());
                    }
                }
            }
            if (error == null && outcome.result() != null) {
                result = produced(outcome.result(), t.resultKey(), inline, keptResult);
            }
        } catch (RuntimeException | Error e) {
            // Serialising a large result may run out of memory (or stack): the attempt fails, saying so, rather than
            // the executor thread dying with the attempt unreported.
            error = error != null ? error : e instanceof VirtualMachineError
                    ? new IllegalStateException("the worker could not keep or send the result of " + t.className()
                            + "." + t.methodName() + ": " + e + (e instanceof OutOfMemoryError ? "; give the workers"
                            + " more memory (workerJvmOptions=-Xmx…, weft run --worker-jvm-option=-Xmx…)" : ""))
                    : e;
            Arrays.fill(used, Produced.none());
            result = Produced.none();
        }
        // The master fails an attempt whose result its placeholder cannot take (null, or not of the declared class):
        // then it kept nothing for the tasks sent ahead, here either.
        boolean produced = error == null && (!keptResult || fillsPlaceholder(t, outcome.result()));
        if (!produced && t.keep().length > 0) {
            letGoKept(t, used, result);
        }
        toMaster.accept(new Message.TaskDone(t.taskId(), t.attempt(), outcome.executor(),
                outcome.endNanos() - outcome.startNanos(), outcome.startNanos(), outcome.cores(), outcome.gpus(), result,
                used, error == null ? new byte[0] : errorBytes(error), error == null ? "" : ErrorTexts.of(error),
                Message.TaskDone.findings(outcome.findings())));
        ends.ended(t, produced);
    }

    /**
     * Whether a result is of the exact class the method declares (the master keeps a result for tasks sent ahead
     * only for a declared concrete class, whose placeholder takes nothing else).
     */
    private static boolean fillsPlaceholder(Message.RunTask t, Object result) {
        if (result == null) {
            return false;
        }
        String returned = t.descriptor().substring(t.descriptor().indexOf(')') + 1);
        return returned.equals("L" + result.getClass().getName().replace('.', '/') + ";");
    }

    /**
     * A failed attempt lets go what it kept only for tasks sent ahead (they are dropped): what it reports kept stays,
     * as the master may take it (data it updated, put back as before).
     */
    private void letGoKept(Message.RunTask t, Produced[] used, Produced result) {
        for (long key : t.keep()) {
            boolean reported = result.kind() == Produced.STORED && result.key() == key;
            for (Produced p : used) {
                reported |= p.kind() == Produced.STORED && p.key() == key;
            }
            if (!reported) {
                objects.drop(key);
            }
        }
    }

    /** Whether the attempt was asked to keep here what it writes under {@code key}, even if that goes back inline. */
    private static boolean kept(Message.RunTask t, long key) {
        for (long k : t.keep()) {
            if (k == key) {
                return true;
            }
        }
        return false;
    }

    /**
     * A version sent back inline while the report has room for it; else kept here under {@code key}. A version
     * whose estimated size is well past the inline limit is kept without being serialised at all: on the executor
     * thread, before the report, that would only delay the report (it is serialised if a peer or the master
     * fetches it, or if it must be spilled to disk). One the attempt was asked to keep is kept here either way.
     */
    private Produced produced(Object value, long key, long[] inline, boolean keep) {
        String className = value.getClass().getName();
        long estimate = ObjectStates.estimatedSize(value, 2L * INLINE_BYTES);
        if (estimate > 2L * INLINE_BYTES) {
            // Its whole size, for the memory budget and for placing its readers: a walk, still far cheaper than
            // serialising it (a class met deeper down that only serialising can measure leaves the first figure).
            long size = Math.max(estimate, ObjectStates.estimatedSize(value, Long.MAX_VALUE));
            objects.keep(key, value, size, null);
            return new Produced(Produced.STORED, null, key, size, className);
        }
        byte[] bytes = PayloadCodec.serialize(value, Math.max(0, estimate));
        if (bytes.length <= INLINE_BYTES && inline[0] + bytes.length <= MAX_REPORT_INLINE) {
            inline[0] += bytes.length;
            if (keep) {
                // A copy of its own, as a reader of the inline value would get: the task's object may be shared with
                // another version kept here, which a task sent ahead that updates this one in place must not change.
                objects.keep(key, PayloadCodec.deserialize(bytes), bytes.length, bytes);
            }
            return new Produced(Produced.INLINE, bytes, 0, bytes.length, className);
        }
        objects.keep(key, value, bytes.length, bytes);
        return new Produced(Produced.STORED, null, key, bytes.length, className);
    }

    private static byte[] errorBytes(Throwable error) {
        try {
            byte[] bytes = PayloadCodec.serialize(error);
            return bytes.length <= MAX_REPORT_INLINE ? bytes : new byte[0]; // else the text says what it was
        } catch (RuntimeException | Error e) {
            return new byte[0];
        }
    }
}
