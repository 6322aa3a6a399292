package io.weft.runtime.master;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.master.gateway.FileOffers;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.StagedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a file reaches a task on a node that may not see its path. A node on the master's host, or one that mounts a
 * shared disk holding the path, uses the path itself ({@link TaskGraph#plan}'s binding as it is). Any other node
 * works in its worker's own directory: the input is streamed there (from the master, or from the worker that keeps
 * the version), and what the task writes stays there as a {@link RemoteFile} until a task elsewhere or the program
 * needs it. A version fetched to a node is recorded as a copy, so later tasks there use it without a transfer.
 *
 * <p>Analyser thread, except {@link #offered}, which the connections' event loops read.
 */
final class FileStaging implements FileOffers {
    private final AtomicLong keys;
    /** A master's file a worker may fetch: the path, and the node whose task it was sent for. */
    private record Offer(String path, int node) {}

    /** The master's files that workers may fetch, by key: only those a task was sent for. */
    private final Map<Long, Offer> offered = new ConcurrentHashMap<>();

    FileStaging(AtomicLong keys) {
        this.keys = keys;
    }

    /**
     * The master's file offered under {@code key} to the worker of node {@code node}, or {@code null}: a worker
     * gets nothing else.
     */
    @Override
    public String offered(long key, int node) {
        Offer o = offered.get(key);
        return o != null && o.node() == node ? o.path() : null;
    }

    /** The copy is forgotten: the master no longer offers the file it was fetched from. */
    void forgotten(Kept k) {
        offered.remove(k.key());
    }

    /**
     * The bindings a task placed on {@code node} gets: for each file, the planned one if the node sees the file's
     * path, else a {@link StagedFile} one. Nothing is recorded unless every file can be staged.
     *
     * @throws IllegalStateException if the task cannot get a file there (a concurrent access without a shared
     *     disk; every worker keeping the version was lost)
     */
    Binding[] stage(TaskNode task, Binding[] planned, WorkerNode node, WorkerNode[] nodes) {
        boolean any = false;
        for (int i = 0; i < planned.length; i++) {
            Access a = task.accesses[i];
            if (needsStaging(a, planned[i], node)) {
                any = true;
                String home = (String) a.handle.home();
                if (a.mode == Mode.CONCURRENT) {
                    throw new IllegalStateException("it updates " + home + " concurrently with other tasks, on worker "
                            + node.name() + ", which does not see that path: concurrent file updates need a disk"
                            + " every worker of the run shares (declare it as a SharedDisk in resources.xml), or"
                            + " use INOUT");
                }
                Version v = input(a);
                if (v != null && v.value instanceof RemoteFile r && r.bytes() >= 0 && r.node() != node.index
                        && v.copyOn(node.index) == null && living(r, v, nodes) == null) {
                    throw new IllegalStateException("its input " + home + " was kept only by worker "
                            + nodes[r.node()].name() + ", which was lost (" + nodes[r.node()].lost + "), and no"
                            + " copy of it is left");
                }
            }
        }
        if (!any) {
            return planned;
        }
        Binding[] staged = planned.clone();
        for (int i = 0; i < planned.length; i++) {
            if (needsStaging(task.accesses[i], planned[i], node)) {
                staged[i] = stage(task.accesses[i], planned[i], node, nodes);
            }
        }
        return staged;
    }

    /** The version a file access starts from: a commutative run kept in workers goes on from its last member's. */
    private static Version input(Access a) {
        return a.mode == Mode.COMMUTATIVE && a.write.value != null ? a.write : a.read;
    }

    private static boolean needsStaging(Access a, Binding planned, WorkerNode node) {
        if (planned == null || planned.kind() != Binding.Kind.FILE) {
            return false;
        }
        Version v = input(a);
        return v != null && v.value instanceof RemoteFile || !node.sees((String) a.handle.home());
    }

    private Binding stage(Access a, Binding planned, WorkerNode node, WorkerNode[] nodes) {
        Version v = input(a);
        Object value = v == null ? null : v.value;
        String home = (String) a.handle.home();
        String name = Path.of(home).getFileName().toString();
        boolean written = a.write != null;
        long output = keys.incrementAndGet();
        if (value instanceof String path) {
            Kept here = v.copyOn(node.index);
            if (here != null) {
                return staged(planned, StagedFile.Source.KEPT, here.key(), -1, name, written, output);
            }
            if (!Files.exists(Path.of(path))) {
                return staged(planned, StagedFile.Source.NONE, 0, -1, name, written, output); // "no file" goes as none
            }
            long key = keys.incrementAndGet();
            offered.put(key, new Offer(path, node.index));
            copied(a, v, new RemoteFile(node.index, key, sizeOf(path)));
            return staged(planned, StagedFile.Source.MASTER, key, -1, name, written, output);
        }
        if (value instanceof RemoteFile r) {
            if (r.bytes() < 0) {
                return staged(planned, StagedFile.Source.NONE, 0, -1, name, written, output);
            }
            if (r.node() == node.index) {
                return staged(planned, StagedFile.Source.KEPT, r.key(), -1, name, written, output);
            }
            Kept here = v.copyOn(node.index);
            if (here != null) {
                return staged(planned, StagedFile.Source.KEPT, here.key(), -1, name, written, output);
            }
            RemoteFile from = living(r, v, nodes); // checked above
            copied(a, v, new RemoteFile(node.index, from.key(), r.bytes()));
            return staged(planned, StagedFile.Source.PEER, from.key(), from.node(), name, written, output);
        }
        return staged(planned, StagedFile.Source.NONE, 0, -1, name, written, output); // written only
    }

    /** A copy of {@code v} whose worker is still there: the version itself, or a copy fetched elsewhere. */
    static RemoteFile living(RemoteFile r, Version v, WorkerNode[] nodes) {
        if (nodes[r.node()].lost == null) {
            return r;
        }
        if (v.copies != null) {
            for (Kept c : v.copies) {
                if (nodes[c.node()].lost == null && c instanceof RemoteFile f) {
                    return f;
                }
            }
        }
        return null;
    }

    private static void copied(Access a, Version v, RemoteFile copy) {
        v.addCopy(copy);
        a.handle.state.keptRemotely(copy);
    }

    private static Binding staged(Binding planned, StagedFile.Source kind, long key, int holder, String name, boolean written,
            long output) {
        return new Binding(Binding.Kind.FILE, new StagedFile(kind, key, holder, name, written, output), planned.copy(),
                name, written);
    }

    private static long sizeOf(String path) {
        try {
            return Files.size(Path.of(path));
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
