package io.weft.runtime.master;

import io.weft.runtime.master.gateway.CopiedValue;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.worker.Binding;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How an object version another worker keeps reaches a task: a worker that fetches a version for a task that only
 * reads it keeps a copy, recorded with the version, so that it never receives that version again — later readers
 * there use the copy in place, and a task there that updates the datum starts from a private copy of it. Copies
 * are forgotten with the version's other copies when the datum is settled.
 *
 * <p>Analyser thread.
 */
final class ObjectCopies {
    private final AtomicLong keys;

    ObjectCopies(AtomicLong keys) {
        this.keys = keys;
    }

    /** The bindings a task placed on {@code node} gets: object inputs another worker keeps come from a copy. */
    Binding[] stage(TaskNode task, Binding[] planned, WorkerNode node) {
        Binding[] staged = planned;
        for (int i = 0; i < planned.length; i++) {
            Binding b = planned[i];
            if (b == null || b.kind() != Binding.Kind.OBJECT || !(b.source() instanceof RemoteValue r)
                    || r.node() == node.index) {
                continue;
            }
            Access a = task.accesses[i];
            Version v = a.read;
            Kept here = v.copyOn(node.index);
            Binding copied;
            if (here != null) {
                // A reader shares the copy; a writer works on a private copy of it.
                copied = Binding.object(here, b.copy() || a.write != null, b.written());
            } else if (a.write == null) {
                RemoteValue copy = new RemoteValue(node.index, keys.incrementAndGet(), r.bytes(), r.className());
                v.addCopy(copy);
                a.handle.state.keptRemotely(copy);
                copied = Binding.object(new CopiedValue(r, copy.key()), false, false);
            } else {
                continue; // updated in place there: fetched, and the new version kept, as it is
            }
            if (staged == planned) {
                staged = planned.clone();
            }
            staged[i] = copied;
        }
        return staged;
    }
}
