package io.weft.runtime.master.gateway;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One version of an object, serialised as it crossed between the master and a worker, kept with that version for
 * lineage: if a worker keeping a version made by a task that read it is lost, the task is run again on these bytes —
 * the object as the task read it — even if the program has changed its object since. They are the bytes the master
 * sent an object of the program's as, to a worker for tasks that read it, or the bytes an object a worker kept
 * arrived as when the program asked for it. Serialising and decoding happen on a gateway's codec thread, never on
 * the analyser's, and the bytes cross anyway: keeping them costs memory, not time, and that memory is bounded by a
 * {@link Budget}.
 *
 * <p>Lifecycle: made by the analyser for the version, empty; filled by the first send that serialises the object
 * (later sends of the same version, to other workers, hold the same bytes) or by the fetch that brings it home,
 * unless the budget is spent; freed with the version, once neither its datum nor a task that lineage may run again
 * refers to it.
 *
 * <p>Threading: filled on a codec thread, read on the analyser thread.
 */
public final class VersionBytes {
    private final Budget budget;
    private volatile byte[] bytes;
    private volatile boolean refused;

    public VersionBytes(Budget budget) {
        this.budget = budget;
    }

    /** The bytes the version crossed as, or {@code null}: not (yet), or {@link #refused}. */
    public byte[] bytes() {
        return bytes;
    }

    /** Whether the bytes were not kept because the budget was spent. */
    public boolean refused() {
        return refused;
    }

    /** The budget these bytes count against. */
    public Budget budget() {
        return budget;
    }

    /** Keeps {@code serialised}, unless bytes of this version are kept already or the budget is spent. */
    public synchronized void keep(byte[] serialised) {
        if (bytes != null || refused) {
            return;
        }
        if (budget.take(this, serialised.length)) {
            bytes = serialised;
        } else {
            refused = true;
        }
    }

    /**
     * How many bytes the master may keep for lineage at once: each kept array counts until the collector finds its
     * version unreachable. Thread-safe.
     */
    public static final class Budget {
        private final long limit;
        private final String origin;
        private final AtomicLong kept = new AtomicLong();
        private volatile Cleaner cleaner;

        /**
         * @param limit the most bytes kept at once
         * @param origin where the limit comes from, for messages ("an eighth of its heap")
         */
        public Budget(long limit, String origin) {
            this.limit = limit;
            this.origin = origin;
        }

        /** A budget of an eighth of the largest heap this JVM may have: the master's. */
        public static Budget ofHeap() {
            return new Budget(Runtime.getRuntime().maxMemory() / 8, "an eighth of its heap");
        }

        public long limit() {
            return limit;
        }

        public String origin() {
            return origin;
        }

        /** The bytes kept now (including some whose versions the collector has not yet found unreachable). */
        public long kept() {
            return kept.get();
        }

        private boolean take(VersionBytes holder, long size) {
            long now;
            do {
                now = kept.get();
                if (now + size > limit) {
                    return false;
                }
            } while (!kept.compareAndSet(now, now + size));
            AtomicLong counter = kept; // the action must not refer to the holder, or it would never be unreachable
            cleaner().register(holder, () -> counter.addAndGet(-size));
            return true;
        }

        private Cleaner cleaner() {
            Cleaner c = cleaner;
            if (c == null) {
                synchronized (this) {
                    c = cleaner;
                    if (c == null) {
                        c = Cleaner.create(r -> {
                            Thread t = new Thread(r, "weft-lineage-bytes");
                            t.setDaemon(true);
                            return t;
                        });
                        cleaner = c;
                    }
                }
            }
            return c;
        }
    }
}
