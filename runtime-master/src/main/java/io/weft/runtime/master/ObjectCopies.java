package io.weft.runtime.master;

import io.weft.runtime.master.gateway.CopiedValue;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.worker.Binding;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How an object version another worker keeps reaches a task that only reads it: the worker it runs on keeps what
 * it fetched as a copy under a key recorded with the version, so that it receives that version once — later
 * readers there name the same key, and use the copy if it is there, wait for the transfer if it is on its way
 * (messages to a worker need not arrive in the order tasks were dispatched), or fetch it again if that failed. A
 * task that updates the datum fetches it from the version's own worker, on a private copy. Copies are forgotten
 * with the version's other copies when the datum is settled.
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
            if (a.write != null) {
                continue; // updated there: fetched from its own worker, into a private copy
            }
            Version v = a.read;
            Kept here = v.copyOn(node.index);
            if (here == null) {
                here = new RemoteValue(node.index, keys.incrementAndGet(), r.bytes(), r.className());
                v.addCopy(here);
                a.handle.state.keptRemotely(here);
            }
            if (staged == planned) {
                staged = planned.clone();
            }
            staged[i] = Binding.object(new CopiedValue(r, here.key()), false, false);
        }
        return staged;
    }
}
