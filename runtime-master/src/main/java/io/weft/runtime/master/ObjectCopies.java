package io.weft.runtime.master;

import io.weft.runtime.master.gateway.CopiedValue;
import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.KeptAhead;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.VersionBytes;
import io.weft.runtime.master.gateway.SentCopy;
import io.weft.runtime.worker.Binding;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How an object version another worker keeps reaches a task that only reads it: the worker it runs on keeps what
 * it fetched as a copy under a key recorded with the version, so that it receives that version once — later
 * readers there name the same key, and use the copy if it is there, wait for the transfer if it is on its way
 * (messages to a worker need not arrive in the order tasks were dispatched), or fetch it again if that failed. A
 * task that updates the datum fetches it from the version's own worker, on a private copy. Copies are forgotten
 * with the version's other copies when the datum is settled. An object of the program's keeps, with its version, the
 * bytes it was first sent as ({@link Version#serialised}): lineage runs a task that read it again on those bytes.
 *
 * <p>Analyser thread.
 */
final class ObjectCopies {
    private final AtomicLong keys;
    private final boolean workerProcesses;
    private final VersionBytes.Budget lineageBytes;

    /**
     * @param workerProcesses whether tasks run in other processes (else nothing is ever copied)
     * @param lineageBytes how many bytes of the program's objects, as they were sent, the master may keep for lineage
     */
    ObjectCopies(AtomicLong keys, boolean workerProcesses, VersionBytes.Budget lineageBytes) {
        this.keys = keys;
        this.workerProcesses = workerProcesses;
        this.lineageBytes = lineageBytes;
    }

    /** The bindings a task placed on {@code node} gets: object inputs another worker keeps come from a copy. */
    Binding[] stage(TaskNode task, Binding[] planned, WorkerNode node) {
        if (!workerProcesses) {
            return planned;
        }
        Binding[] staged = planned;
        for (int i = 0; i < planned.length; i++) {
            Binding b = planned[i];
            Access a = task.accesses[i];
            if (b == null || b.kind() != Binding.Kind.OBJECT || b.source() == null || a.write != null
                    || b.source() instanceof RemoteValue r && r.node() == node.index
                    || b.source() instanceof KeptAhead) {
                continue; // an update fetches the version itself, into a private copy; a version here is here
            }
            Version v = a.read;
            Kept here = v.copyOn(node.index);
            Binding copied;
            if (b.source() instanceof RemoteValue r) {
                // Another worker keeps it: fetched from there, and kept here.
                if (here == null) {
                    here = recordCopy(a, v, node, r.bytes(), r.className());
                }
                copied = Binding.object(new CopiedValue(r, here.key()), false, false);
            } else if (here != null) {
                copied = Binding.object(here, false, false); // the master sent it here before
            } else if (task.rerunOf != null) {
                // A re-run (Lineage) reads what the master holds once: sent for it alone, with no copy for the datum
                // to forget, as the datum may have no state any more (the version is the bytes it was sent as).
                continue;
            } else {
                // The master holds it (an object of the program's, or a worker's bytes): sent, and kept here.
                Object value = b.source();
                String className = value instanceof Encoded e ? e.className() : value.getClass().getName();
                long bytes = value instanceof Encoded e ? e.bytes().length : DataSizes.estimate(value, a.handle.kind);
                here = recordCopy(a, v, node, bytes, className);
                if (!(value instanceof Encoded) && v.serialised == null) {
                    // The program may change its object once no task uses it: lineage keeps it as it was sent.
                    v.serialised = new VersionBytes(lineageBytes);
                }
                copied = Binding.object(new SentCopy(value, here.key(), v.serialised), false, false);
            }
            if (staged == planned) {
                staged = planned.clone();
            }
            staged[i] = copied;
        }
        return staged;
    }

    /** A new key for what a worker keeps. */
    long newKey() {
        return keys.incrementAndGet();
    }

    private RemoteValue recordCopy(Access a, Version v, WorkerNode node, long bytes, String className) {
        RemoteValue copy = new RemoteValue(node.index, keys.incrementAndGet(), bytes, className);
        v.addCopy(copy);
        a.handle.state.keptRemotely(copy);
        return copy;
    }
}
