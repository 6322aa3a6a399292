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
 * intake thread those that could not start. Thread-safe.
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

    /** Notes an attempt the master sent, whose end is reported later. */
    void accepted(Message.RunTask t) {
        running.put(t.taskId(), t);
    }

    /** The attempt could not start: report it as the task's failure. */
    void failed(Message.RunTask t, Throwable error) {
        running.remove(t.taskId());
        Produced[] used = new Produced[t.bindings().length];
        Arrays.fill(used, Produced.none());
        toMaster.accept(new Message.TaskDone(t.taskId(), t.attempt(), -1, 0, System.nanoTime(), new int[0], new int[0],
                Produced.none(),
                used, errorBytes(error), ErrorTexts.of(error), new String[0]));
    }

    /**
     * The attempt was withdrawn before it started, at the master's request: nothing is reported for it but the
     * answer to that request. (Objects put here for it alone went with it; the master puts them again wherever
     * the task goes.)
     */
    void withdrawn(long taskId) {
        running.remove(taskId);
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
        try {
            for (int i = 0; i < refs.length; i++) {
                Object u = outcome.used() == null ? null : outcome.used()[i];
                DataRef r = refs[i];
                if (r.staged()) {
                    used[i] = r.written() && u != null
                            ? new Produced(Produced.FILE, null, r.outputKey(), files.keep(r, Path.of((String) u)), null)
                            : Produced.none();
                } else {
                    used[i] = r.kind() != DataRef.NONE && r.kind() != DataRef.FILE && r.written() && u != null
                            ? produced(u, r.outputKey(), inline) : Produced.none();
                }
            }
            if (error == null && outcome.result() != null) {
                result = produced(outcome.result(), t.resultKey(), inline);
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
        toMaster.accept(new Message.TaskDone(t.taskId(), t.attempt(), outcome.executor(),
                outcome.endNanos() - outcome.startNanos(), outcome.startNanos(), outcome.cores(), outcome.gpus(), result,
                used, error == null ? new byte[0] : errorBytes(error), error == null ? "" : ErrorTexts.of(error),
                Message.TaskDone.findings(outcome.findings())));
    }

    /**
     * A version sent back inline while the report has room for it; else kept here under {@code key}. A version
     * whose estimated size is well past the inline limit is kept without being serialised at all: on the executor
     * thread, before the report, that would only delay the report (it is serialised if a peer or the master
     * fetches it, or if it must be spilled to disk).
     */
    private Produced produced(Object value, long key, long[] inline) {
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
