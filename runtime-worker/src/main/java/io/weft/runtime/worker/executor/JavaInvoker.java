package io.weft.runtime.worker.executor;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.InputsNotRestoredException;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.objects.ObjectStates;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Runs a Java task: materialises its bindings (copying where asked), invokes the method, and captures the result
 * or the task's own exception. Never throws: every failure becomes the outcome's error. On an executor thread, an
 * attempt that was stopped from outside (time limit, cancel) fails with the stop's exception, the task's own as its
 * cause; one whose thread was abandoned meanwhile gives no outcome at all ({@code null}): the pool reported it.
 */
final class JavaInvoker {
    private final String worker;
    private final int executor;
    private final UndeclaredWriteCheck check;
    /** Buffers for the saved states of what attempts update in place, reused from one attempt to the next. */
    private final Snapshot.Recycled recycled = new Snapshot.Recycled();

    JavaInvoker(String worker, int executor, UndeclaredWriteCheck check) {
        this.worker = worker;
        this.executor = executor;
        this.check = check;
    }

    /** A file parameter gets the type it declares: one file may be passed as a {@code File} and as a {@code Path}. */
    private static Object asDeclared(String path, Class<?> type) {
        return type.isAssignableFrom(Path.class) ? Path.of(path) : new File(path);
    }

    TaskOutcome invoke(TaskExecution execution, Assignment held) {
        ExecutorThread self = Thread.currentThread() instanceof ExecutorThread t ? t : null;
        long start = System.nanoTime();
        Binding[] bindings = execution.bindings();
        Object[] used = new Object[bindings.length];
        Object[] handed = new Object[bindings.length];
        UndeclaredWriteCheck.Before before = null;
        Snapshot snapshot = null;
        try {
            for (int i = 0; i < bindings.length; i++) {
                Binding b = bindings[i];
                if (b == null) {
                    continue; // the task's result: produced, not passed in
                }
                if (b.kind() == Binding.Kind.OBJECT) {
                    used[i] = b.copy() ? ObjectStates.deepCopy(b.source()) : b.source();
                    handed[i] = used[i];
                } else {
                    if (b.copy() && b.source() != null && Files.exists(Path.of((String) b.source()))) {
                        Files.copy(Path.of((String) b.source()), Path.of(b.target()),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                    used[i] = b.target();
                    handed[i] = b.target(); // a File or a Path, as each parameter declares: see below
                }
            }
            Object[] args = execution.arguments().clone();
            int[] argBinding = execution.argumentBinding();
            Class<?>[] types = execution.method().getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                if (argBinding[i] >= 0) {
                    Object h = handed[argBinding[i]];
                    args[i] = h instanceof String path ? asDeclared(path, types[i]) : h;
                }
            }
            Object receiver = execution.receiverBinding() >= 0 ? handed[execution.receiverBinding()] : null;
            if (execution.check()) {
                before = check.before(execution, handed);
            }
            if (execution.restoreOnFailure()) {
                snapshot = Snapshot.take(bindings, handed, used, recycled);
                if (self != null) {
                    self.snapshot(snapshot);
                }
            }
            Object result = execution.method().invoke(receiver, args);
            long end = System.nanoTime();
            Throwable stopped = self == null ? null : self.end(null);
            if (stopped == ExecutorThread.ABANDONED) {
                return null;
            }
            if (stopped != null) {
                return new TaskOutcome(execution.taskId(), null, used, restored(snapshot, stopped), worker, executor,
                        start, end, held.coresUnsafe(), held.gpusUnsafe(), findings(execution, before, handed));
            }
            if (snapshot != null) {
                snapshot.discard();
            }
            return new TaskOutcome(execution.taskId(), result, used, null, worker, executor, start, end,
                    held.coresUnsafe(), held.gpusUnsafe(), findings(execution, before, handed));
        } catch (InvocationTargetException e) {
            long end = System.nanoTime();
            Throwable error = stopped(self, e.getCause());
            if (error == ExecutorThread.ABANDONED) {
                return null;
            }
            List<String> findings = findings(execution, before, handed); // what it wrote, before it is put back
            return new TaskOutcome(execution.taskId(), null, used, restored(snapshot, error), worker, executor,
                    start, end, held.coresUnsafe(), held.gpusUnsafe(), findings);
        } catch (IOException | ReflectiveOperationException | RuntimeException | Error e) {
            Throwable error = stopped(self, e);
            if (error == ExecutorThread.ABANDONED) {
                return null;
            }
            return new TaskOutcome(execution.taskId(), null, used, restored(snapshot, error), worker, executor, start,
                    System.nanoTime(), held.coresUnsafe(), held.gpusUnsafe());
        }
    }

    /** The error an attempt that threw {@code own} ends with: the stop's, if it was stopped from outside. */
    private static Throwable stopped(ExecutorThread self, Throwable own) {
        Throwable stop = self == null ? null : self.end(own);
        return stop != null ? stop : own;
    }

    /**
     * Puts back what the failed attempt updated in place; what cannot be put back is added to the task's own
     * exception as a suppressed one, so the program hears of it with the failure.
     */
    static Throwable restored(Snapshot snapshot, Throwable error) {
        if (snapshot == null) {
            return error;
        }
        List<String> problems = snapshot.restore();
        if (!problems.isEmpty()) {
            error.addSuppressed(new InputsNotRestoredException("after the failure, " + String.join("; ", problems)));
        }
        return error;
    }

    /** What the check mode found the task wrote without declaring it; also when the task threw, as it wrote anyway. */
    private List<String> findings(TaskExecution execution, UndeclaredWriteCheck.Before before, Object[] handed) {
        return before == null ? List.of() : check.after(before, execution, handed);
    }
}
