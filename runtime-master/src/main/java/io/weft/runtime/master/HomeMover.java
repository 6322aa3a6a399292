package io.weft.runtime.master;

import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.VersionBytes;
import io.weft.runtime.master.gateway.WorkerGateway;
import io.weft.runtime.master.gateway.WorkerLostException;
import io.weft.runtime.master.task.Placeholders;
import io.weft.runtime.worker.objects.PayloadCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * Moves versions home: transfers an object's state into the program's object, renames a file over the program's.
 * A version a worker keeps is fetched through that worker's gateway without waiting; the fetched value comes back to
 * the analyser as an {@link AnalyserEvent.HomeArrived}, and the graph moves it in then.
 *
 * <p>Threading: the analyser thread, except the fetch completions, which only post to the analyser.
 */
final class HomeMover implements TaskGraph.Consolidator {
    private final IntFunction<WorkerGateway> gateways;
    private final FileStaging staging;
    private final FailureLog failures;
    private final Synchroniser synchroniser;
    private final RunStatistics statistics;
    private final Analyser.Inbox inbox;
    private final Executor codec;
    private final VersionBytes.Budget lineageBytes;

    /**
     * @param gateways the gateway of each node, by index
     * @param inbox where fetched values are posted
     * @param codec where {@link Encoded} versions are decoded
     * @param lineageBytes how many bytes of objects brought home, as they arrived, the master may keep for lineage
     */
    HomeMover(IntFunction<WorkerGateway> gateways, FileStaging staging, FailureLog failures,
            Synchroniser synchroniser, RunStatistics statistics, Analyser.Inbox inbox, Executor codec,
            VersionBytes.Budget lineageBytes) {
        this.lineageBytes = lineageBytes;
        this.statistics = statistics;
        this.codec = codec;
        this.gateways = gateways;
        this.staging = staging;
        this.failures = failures;
        this.synchroniser = synchroniser;
        this.inbox = inbox;
    }

    @Override
    public void consolidate(DataHandle handle, Object latest) {
        if (latest instanceof RemoteFile f) { // "no file" (size -1): the task deleted it, or never made it
            delete(Path.of((String) handle.home()));
            return;
        }
        if (handle.kind == DataHandle.Kind.OBJECT) {
            Placeholders.fill(handle.home(), latest);
            return;
        }
        Path from = Path.of((String) latest);
        Path to = Path.of((String) handle.home());
        try {
            if (!Files.exists(from)) {
                Files.deleteIfExists(to); // the latest version is "no file", as the task left it
                return;
            }
            moveOver(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    /** Renames {@code from} over {@code to}, atomically where the file system can, so no one sees half a file. */
    static void moveOver(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public Object resultValue(DataHandle handle, Object result) {
        if (result instanceof RemoteValue || result instanceof Encoded) {
            return result; // it stays in its worker (or serialised) until the program needs it
        }
        if (Placeholders.isProxy(handle.home())) {
            return result; // a proxy cannot stand in for the object inside a task: readers get the object
        }
        try {
            Placeholders.fill(handle.home(), result);
            return handle.home();
        } catch (RuntimeException e) {
            return result; // moved home (and reported) when the datum goes quiet
        }
    }

    @Override
    public TaskFailure failed(DataHandle handle, RuntimeException error) {
        // Where the version was: the worker that kept it, or this process.
        String where = handle.state != null && handle.state.current.value instanceof Kept k
                ? gateways.apply(k.node()).name() : "localhost";
        TaskFailure f = new TaskFailure(0, "(moving the latest version of " + handle + " home)", 1, where, error);
        // The latest version is left where it is (an object in memory, or a temporary file named in the error).
        failures.add(f);
        return f;
    }

    @Override
    public void wentAway(DataHandle handle) {
        synchroniser.wentAway(handle);
    }

    @Override
    public void cameHome(DataHandle handle) {
        synchroniser.cameHome(handle);
    }

    @Override
    public void dropped(DataHandle handle) {
        statistics.droppedAway();
        synchroniser.cameHome(handle);
    }

    /**
     * Fetches the version: an object through its worker's gateway; a file into a temporary file beside the
     * program's, renamed over it when it arrives, so the program never sees half a file.
     */
    @Override
    public void bringHome(DataHandle handle, Version version) {
        if (version.value instanceof Encoded e) {
            CompletableFuture.supplyAsync(() -> PayloadCodec.deserialize(e.bytes()), codec).whenComplete((value, t) ->
                    inbox.post(new AnalyserEvent.HomeArrived(handle, version, value, t == null ? null
                            : new IllegalStateException("cannot decode " + handle + ": " + t.getMessage(), t))));
            return;
        }
        Kept kept = (Kept) version.value;
        WorkerGateway holder = gateways.apply(kept.node());
        CompletableFuture<?> fetch;
        if (kept instanceof RemoteValue r) {
            if (version.serialised == null) {
                // Once home, the program may change the object: tasks that read this version run again on its bytes.
                version.serialised = new VersionBytes(lineageBytes);
            }
            fetch = holder.fetchObject(r, version.serialised).thenApply(value -> {
                statistics.broughtHome(false, r.bytes());
                return value;
            });
        } else {
            RemoteFile f = (RemoteFile) kept;
            Path to = Path.of((String) handle.home());
            Path part = to.resolveSibling(".weft-" + to.getFileName() + "-" + handle.id + "-" + f.key());
            fetch = holder.fetchFile(f, part).thenApply(p -> {
                statistics.broughtHome(true, f.bytes());
                return p.toString();
            })
                    .whenComplete((p, t) -> {
                        if (t != null) {
                            delete(part);
                        }
                    });
        }
        fetch.whenComplete((value, t) -> {
            WorkerLostException gone = t == null ? null : lostIn(t);
            if (gone != null) {
                // The gateway heard of the loss before the analyser: the analyser hears it first now, so that the
                // version is made again rather than the datum failed (a second notice of the loss is ignored).
                inbox.post(new AnalyserEvent.NodeLost(kept.node(), gone.why()));
            }
            inbox.post(new AnalyserEvent.HomeArrived(handle, version, value, t == null ? null
                    : homeError(handle, holder, t)));
        });
    }

    /** The loss of a worker among the causes of {@code t}, or {@code null}. */
    private static WorkerLostException lostIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof WorkerLostException lost) {
                return lost;
            }
        }
        return null;
    }

    private static RuntimeException homeError(DataHandle handle, WorkerGateway holder, Throwable t) {
        Throwable cause = t instanceof CompletionException c && c.getCause() != null ? c.getCause() : t;
        return new IllegalStateException("cannot bring " + handle + " home from worker " + holder.name() + ": "
                + cause.getMessage(), cause);
    }

    @Override
    public void forget(Kept value) {
        if (value instanceof RemoteFile f) {
            staging.forgotten(f);
        }
        gateways.apply(value.node()).forget(new long[] {value.key()});
    }

    @Override
    public void discard(String temporary) {
        delete(Path.of(temporary));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary file is untidy but harmless.
        }
    }
}
