package io.weft.runtime.master;

import io.weft.log.Log;
import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.WorkerGateway;
import io.weft.runtime.master.task.Placeholders;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.objects.ObjectStates;
import io.weft.runtime.worker.objects.PayloadCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a run with a checkpoint folder does with its tasks: gives each an identity ({@link TaskIdentities}), saves
 * the outputs of each task that succeeds before anything reads them, and completes a task saved by an earlier run
 * with its saved outputs instead of running it.
 *
 * <p>Saved per task: each object it updates or returns, serialised; each file it writes or updates, copied; a
 * synchronous call's value. With worker processes, a version a worker keeps is fetched from it to be saved, before
 * the task's end is announced.
 *
 * <p>Threading: {@link #identify}, {@link #isSaved} and {@link #replay} on the analyser thread; {@link #save} on the
 * thread that completed the attempt.
 */
final class CheckpointedTasks {
    private static final Log LOG = Log.of(CheckpointedTasks.class);

    /** The outputs a saved task is completed with. */
    record Replay(Object[] used, Object result) {}

    private final Checkpoint checkpoint;
    private final TaskIdentities identities = new TaskIdentities();
    /** The first task that could not be saved is said on standard error; the others go to the run's log. */
    private final CappedWarnings notSaved = new CappedWarnings(LOG, 1, "weft: ", "");

    CheckpointedTasks(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    Checkpoint checkpoint() {
        return checkpoint;
    }

    void identify(TaskNode task) {
        identities.identify(task);
    }

    boolean isSaved(TaskNode task) {
        return identities.stillIdentified(task) && checkpoint.saved(task.identity) != null;
    }

    /** Before a task is sent: it keeps its identity (and is saved when it ends) only if its inputs are as assumed. */
    void beforeRun(TaskNode task) {
        identities.stillIdentified(task);
    }

    /**
     * The saved outputs of a task, put where its successors read them: an object's saved state moved into the
     * object it updated (or kept serialised, when that object is in a worker), a file copied to a new temporary
     * name beside its own; or {@code null} if they cannot be used (the task then runs).
     */
    Replay replay(TaskNode task, TaskGraph graph) {
        Checkpoint.Entry entry = checkpoint.saved(task.identity);
        try {
            Object[] used = new Object[task.accesses.length];
            Object result = null;
            List<Runnable> moves = new ArrayList<>();
            for (Checkpoint.Output o : entry.outputs()) {
                if (o.access() == Checkpoint.SYNCHRONOUS_RESULT) {
                    result = PayloadCodec.deserialize(checkpoint.read(entry, o));
                    continue;
                }
                Access a = task.accesses[o.access()];
                if (a.write == null) {
                    return null; // not what this task writes: the journal is of another version of the program
                }
                if (a.handle.kind == DataHandle.Kind.OBJECT) {
                    byte[] bytes = checkpoint.read(entry, o);
                    if (a.mode == Mode.RESULT) {
                        result = PayloadCodec.deserialize(bytes);
                        continue;
                    }
                    Object target = a.read == null ? null : a.read.value;
                    if (target == null || target instanceof Kept || target instanceof Encoded) {
                        used[o.access()] = new Encoded(bytes, o.className());
                    } else if (a.read.unfinishedReaders > 0) {
                        // Tasks still read the version it updates, as a task would have got a private copy: the
                        // saved state is the new version's own object, moved home when the datum is quiet.
                        used[o.access()] = PayloadCodec.deserialize(bytes);
                    } else if (target.getClass().isArray() || ObjectStates.canTransfer(target.getClass())) {
                        Object saved = PayloadCodec.deserialize(bytes);
                        moves.add(() -> ObjectStates.transfer(saved, target)); // as the task changed it, in place
                        used[o.access()] = target;
                    } else {
                        used[o.access()] = target; // nothing the task could have changed
                    }
                } else {
                    String temporary = graph.temporaryFor(a);
                    if (o.kind() == Checkpoint.Output.FILE) {
                        Files.copy(checkpoint.blob(entry.identity(), o.access()), Path.of(temporary),
                                StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.deleteIfExists(Path.of(temporary));
                    }
                    used[o.access()] = temporary;
                }
            }
            moves.forEach(Runnable::run);
            checkpoint.restored.incrementAndGet();
            return new Replay(used, result);
        } catch (IOException | RuntimeException e) {
            LOG.warn("weft: the saved outputs of task " + task.name() + " (#" + task.id + ") in checkpoint folder "
                    + checkpoint.folder() + " cannot be used (" + e + "); it runs again");
            return null;
        }
    }

    /**
     * Saves the outputs of a task that succeeded, then runs {@code then} (which announces its end). A version a
     * worker keeps is fetched first; if anything cannot be saved, the task is not saved (a resumed run runs it
     * again) and {@code then} still runs.
     */
    void save(TaskNode task, TaskOutcome outcome, WorkerGateway gateway, Runnable then) {
        if (task.resultAccess >= 0 && Placeholders.whyNot(task.accesses[task.resultAccess].handle.home(),
                outcome.result()) != null) {
            then.run(); // the task fails for it: nothing to save
            return;
        }
        List<CompletableFuture<Checkpoint.Output>> outputs = new ArrayList<>();
        try {
            if (task.definition.returns() == Placeholders.Kind.SYNCHRONOUS) {
                outputs.add(saveObject(task, Checkpoint.SYNCHRONOUS_RESULT, outcome.result(), gateway));
            }
            for (int i = 0; i < task.accesses.length; i++) {
                Access a = task.accesses[i];
                if (a.write == null) {
                    continue;
                }
                Object u = a.mode == Mode.RESULT ? outcome.result()
                        : outcome.used() == null ? null : outcome.used()[i];
                outputs.add(a.handle.kind == DataHandle.Kind.OBJECT ? saveObject(task, i, u, gateway)
                        : saveFile(task, i, u, gateway));
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            io.weft.wire.OutOfMemory.check(e); // the master's memory is exhausted: the run stops
            notSaved(task, e);
            then.run();
            return;
        }
        CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            try {
                if (error != null) {
                    notSaved(task, error);
                } else {
                    checkpoint.append(task.identity, task.name(), outputs.stream().map(CompletableFuture::join)
                            .toList());
                }
            } finally {
                then.run();
            }
        });
    }

    private CompletableFuture<Checkpoint.Output> saveObject(TaskNode task, int access, Object value,
            WorkerGateway gateway) throws IOException {
        Path blob = checkpoint.blob(task.identity, access);
        if (value instanceof RemoteValue r) {
            return gateway.fetchObject(r).thenApply(o -> write(blob, access, PayloadCodec.serialize(o),
                    o == null ? null : o.getClass().getName()));
        }
        if (value instanceof Encoded e) {
            return CompletableFuture.completedFuture(write(blob, access, e.bytes(), e.className()));
        }
        Object plain = Placeholders.unwrap(value);
        return CompletableFuture.completedFuture(write(blob, access, PayloadCodec.serialize(plain),
                plain == null ? null : plain.getClass().getName()));
    }

    private CompletableFuture<Checkpoint.Output> saveFile(TaskNode task, int access, Object value,
            WorkerGateway gateway) throws IOException {
        Path blob = checkpoint.blob(task.identity, access);
        if (value instanceof RemoteFile f) {
            if (f.bytes() < 0) {
                return CompletableFuture.completedFuture(new Checkpoint.Output(access, Checkpoint.Output.NO_FILE, 0,
                        null));
            }
            Path partial = partial(blob);
            return gateway.fetchFile(f, partial).thenApply(p -> fileOutput(moved(p, blob), access));
        }
        if (!(value instanceof String path)) {
            throw new IllegalStateException("no file version to save (" + value + ")");
        }
        Path file = Path.of(path);
        if (!Files.exists(file)) {
            return CompletableFuture.completedFuture(new Checkpoint.Output(access, Checkpoint.Output.NO_FILE, 0, null));
        }
        Path partial = partial(blob);
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
        return CompletableFuture.completedFuture(fileOutput(moved(partial, blob), access));
    }

    /** Where an output is written before it is renamed to {@code blob}: whole or not at all. */
    private static Path partial(Path blob) {
        return blob.resolveSibling(blob.getFileName() + ".partial");
    }

    private static Path moved(Path partial, Path blob) {
        try {
            return Files.move(partial, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Checkpoint.Output fileOutput(Path blob, int access) {
        try {
            return new Checkpoint.Output(access, Checkpoint.Output.FILE, Files.size(blob), null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Checkpoint.Output write(Path blob, int access, byte[] bytes, String className) {
        try {
            // Whole or not at all: a line of an earlier run may name the same output.
            moved(Files.write(partial(blob), bytes), blob);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Checkpoint.Output(access, Checkpoint.Output.OBJECT, bytes.length, className);
    }

    private void notSaved(TaskNode task, Throwable why) {
        notSaved.say("checkpoint: task " + task.name() + " (#" + task.id + ") could not be saved (" + why
                + "); a resumed run runs it again");
    }
}
