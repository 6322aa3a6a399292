package io.weft.runtime.master;

import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.VersionBytes;
import io.weft.runtime.worker.TaskOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Makes data again whose only copy was on a lost worker, from its lineage: each version a worker keeps remembers the
 * finished task that produced it ({@link Version#madeBy}), and that task its inputs. A lost version is made again
 * by a <em>re-run</em>: a copy of its producer, sent like any task, that writes into the same version; when the
 * producer's own inputs are gone too (kept by the lost worker, or updated in place there since) they are made
 * again first, transitively. Versions the master holds — an object or file of the program's, bytes a worker sent
 * back — are simply sent again. The tasks that need a lost version wait for its re-run instead of failing.
 *
 * <p>An object the producer read is sent to the re-run as the bytes it crossed as ({@link Version#serialised}): an
 * object of the program's as the master sent it, or an object a worker kept as it came home when the program asked
 * for it. The program may have changed the object since (touching a datum brings it home and starts a new epoch;
 * once no task uses it, its handle forgets its state altogether). Bytes a worker sent back ({@link Encoded}) never
 * change either. The bytes stay with their version for as long as a task that read it is remembered here.
 *
 * <p>A version cannot be made again when its producer is unknown (a run of concurrent or commutative tasks made
 * it), or when an input the producer read no longer holds what it read and the master has no bytes of it: a
 * version a worker kept of a datum the program has had back since, which never came home itself (it was updated
 * in place, or replaced, first); an object of the program's the producer updated (sent only for it, not kept); bytes
 * over the budget; a file changed since. The reader then fails, saying why.
 *
 * <p>A re-run writes into a private copy of each input (never in place), and only the versions that were lost take
 * what it produces; anything else it makes is dropped. It is not a task of the program: its end is told to no one
 * but those waiting for it. It does count as a user of the data it touches, as a task does, from when it is made to
 * its end: a datum it reads does not go quiet meanwhile, so the versions workers keep of it are not forgotten (nor
 * brought home) under it.
 *
 * <p>Analyser thread; no state of its own besides what versions and tasks carry.
 */
final class Lineage {
    private static final io.weft.log.Log LOG = io.weft.log.Log.of(Lineage.class);
    /** A move home waits for the re-run making its version again. */
    record Home(DataHandle handle, Version version) {}

    private final TaskGraph graph;
    private final Consumer<TaskNode> ready;
    private final BiConsumer<TaskNode, TaskFailure> fail;
    private final TaskEnds released;
    private WorkerNode[] nodes = new WorkerNode[0];
    private long lastRerunId;

    /**
     * @param ready puts a task (or re-run) whose lost inputs are there again on the ready queue
     * @param fail ends a program task that cannot get its input, with that failure
     * @param released gives back the use of a datum that a re-run took ({@link TaskEnds#useEnded})
     */
    Lineage(TaskGraph graph, Consumer<TaskNode> ready, BiConsumer<TaskNode, TaskFailure> fail, TaskEnds released) {
        this.graph = graph;
        this.ready = ready;
        this.fail = fail;
        this.released = released;
    }

    void attach(WorkerNode[] nodes) {
        this.nodes = nodes;
    }

    /** Whether a version's value is out of reach: kept only by a lost worker (a file: with no copy elsewhere). */
    boolean lost(Version v) {
        if (!(v.value instanceof Kept k) || nodes[k.node()].lost == null) {
            return false;
        }
        return !(k instanceof RemoteFile f && (f.bytes() < 0 || FileStaging.living(f, v, nodes) != null));
    }

    /** The version a task starts an access from: a commutative run of a file kept in workers goes on from its last. */
    private static Version input(Access a) {
        return a.mode == Mode.COMMUTATIVE && a.write != null && a.write.value instanceof Kept ? a.write : a.read;
    }

    /**
     * Before a task (or re-run) is sent: makes its lost inputs again. Returns {@code null} if it may go now or must
     * wait ({@link TaskNode#waitingOn} is then above zero, and it comes back through {@code ready}); else the
     * failure it ends with, as no input it lacks can be made again.
     */
    TaskFailure recover(TaskNode task) {
        boolean rerun = task.rerunOf != null;
        for (Access a : task.accesses) {
            Version v = input(a);
            if (v == null || (rerun ? usable(v, a.handle) : !lost(v))) {
                continue;
            }
            String why = remake(v, a.handle, task);
            if (why != null) {
                release(task);
                return new TaskFailure(task.shownId(), task.name(), Math.max(1, task.attemptsMade()), where(v),
                        new IllegalStateException("its input " + a.handle + " " + gone(v) + ", and cannot be made"
                                + " again: " + why));
            }
        }
        return null;
    }

    /**
     * The move home of a datum's latest version failed: if its worker was lost, the version is made again and the
     * move starts again then. Returns the error the datum fails with instead, or {@code null} while it is made again.
     */
    RuntimeException recoverHome(DataHandle handle, Version version, RuntimeException error) {
        if (!lost(version) || handle.moving != version) {
            return error;
        }
        String why = remake(version, handle, new Home(handle, version));
        return why == null ? null : new IllegalStateException("its latest version " + gone(version) + ", and cannot"
                + " be made again: " + why, error);
    }

    private String gone(Version v) {
        if (v.value instanceof Kept k && nodes[k.node()].lost != null) {
            WorkerNode holder = nodes[k.node()];
            return "was kept only by worker " + holder.name() + ", which was lost (" + holder.lost + ")";
        }
        return "is no longer there";
    }

    private String where(Version v) {
        return v.value instanceof Kept k ? nodes[k.node()].name() : "(none)";
    }

    /**
     * Whether a version a re-run reads still holds what its producer read: not lost, not updated in place since,
     * still recorded (the datum has not settled home since, nor forgotten it as older than its latest).
     */
    private boolean usable(Version v, DataHandle h) {
        DataState s = h.state;
        if (v.overwritten || v.rerun != null) {
            return false;
        }
        if (v.value instanceof Encoded) {
            return true; // bytes a worker sent back, or an object as it was sent: they never change
        }
        if (s == null) {
            return false;
        }
        if (v.value instanceof Kept k) {
            if (k instanceof RemoteFile f && f.bytes() < 0) {
                return true;
            }
            return !lost(v) && s.remote != null && s.remote.contains(k);
        }
        if (v.value == null || v.epoch != s.epoch) {
            return false;
        }
        if (v.value instanceof String path) {
            return path.equals(h.home()) || s.temporaries != null && s.temporaries.contains(path);
        }
        return true;
    }

    /**
     * Makes {@code v} again for {@code waiter} (a task, a re-run or a {@link Home}): the waiter waits for the
     * re-run, which is on the ready queue or waits itself. Returns why it cannot be made again, or {@code null}.
     */
    private String remake(Version v, DataHandle h, Object waiter) {
        if (v.unrecoverable != null) {
            return "making it again failed before: " + v.unrecoverable.toException().getMessage();
        }
        if (v.rerun == null) {
            String why = startRerun(v, h);
            if (why != null) {
                return why;
            }
        }
        v.rerun.lineageWaiters.add(waiter);
        if (waiter instanceof TaskNode t) {
            t.waitingOn++;
        }
        return null;
    }

    /**
     * Starts the re-runs that make {@code v} again: its producer's, and those of the producer's inputs that are gone
     * too, transitively, back to data the master holds. Iterative: a chain of updates in place thousands long must
     * not exhaust the analyser thread's stack. Returns why it cannot be made again ({@code null}: under way).
     */
    private String startRerun(Version v, DataHandle h) {
        Object made = newRerun(v);
        if (made instanceof String why) {
            return why;
        }
        TaskNode root = (TaskNode) made;
        List<TaskNode> started = new ArrayList<>();
        started.add(root);
        ArrayDeque<TaskNode> todo = new ArrayDeque<>();
        todo.push(root);
        String why = null;
        while (why == null && !todo.isEmpty()) {
            TaskNode r = todo.pop();
            for (Access a : r.accesses) {
                Version in = input(a);
                if (in == null || usable(in, a.handle)) {
                    continue;
                }
                String detail = null;
                if (in.unrecoverable != null) {
                    detail = "which could not be made again before: " + in.unrecoverable.toException().getMessage();
                } else if (in.rerun == null && in.value instanceof Kept) {
                    Object inner = newRerun(in);
                    if (inner instanceof String innerWhy) {
                        detail = "which " + (lost(in) ? gone(in) : "was updated in place since") + ", and cannot be"
                                + " made again: " + innerWhy;
                    } else {
                        started.add((TaskNode) inner);
                        todo.push((TaskNode) inner);
                    }
                } else if (in.rerun == null) {
                    detail = in.overwritten ? "which was updated in place or replaced since" : hadBack(in);
                }
                if (detail != null) {
                    why = "re-running " + named(r.rerunOf) + ", which made " + (r == root ? "it" : "an earlier"
                            + " version lost too") + ", needs " + a.handle + " as it read it, " + detail;
                    break;
                }
                in.rerun.lineageWaiters.add(r);
                r.waitingOn++;
            }
        }
        if (why != null) {
            for (TaskNode r : started) {
                abandon(r, null);
            }
            return why;
        }
        for (TaskNode r : started) {
            StringBuilder what = new StringBuilder();
            for (Access a : r.accesses) {
                if (a.write != null && a.write.rerun == r) {
                    what.append(what.length() == 0 ? "" : ", ").append(a.handle).append(" (version ")
                            .append(a.write.number).append(')');
                }
            }
            LOG.info("weft: making " + what + " again: re-running " + named(r.rerunOf) + ", which made it"
                    + (r == root ? "; it " + gone(v) : ""));
            if (r.waitingOn == 0) {
                ready.accept(r);
            }
        }
        return null;
    }

    /**
     * A re-run of the task that made {@code v}, writing into {@code v} (and into the task's other versions that are
     * gone), not yet queued; or why there can be none.
     */
    private Object newRerun(Version v) {
        TaskNode producer = v.madeBy;
        if (producer == null) {
            return v.value instanceof Kept ? "a run of concurrent or commutative tasks made it, which Weft does not"
                    + " run again" : "no task Weft can run again made it";
        }
        if (producer.updatesFileInPlace != null) {
            return "the task that made it, " + named(producer) + ", updated " + producer.updatesFileInPlace
                    + " in place";
        }
        for (Access o : producer.accesses) {
            // A datum with no state any more can be read from bytes kept of its version; never written: what the
            // re-run made of it would have no datum to keep it until its readers have read it.
            if (o.handle.state == null && (o.write != null || o.read == null || o.read != input(o)
                    || !(o.read.value instanceof Encoded || serialised(o.read) != null))) {
                return "re-running " + named(producer) + ", which made it, needs " + o.handle + " as it read it, "
                        + hadBack(o.read);
            }
        }
        // An id of its own (negative: no program task has one), so that two re-runs of one task never mix up.
        TaskNode r = new TaskNode(--lastRerunId, producer.definition, new Access[producer.accesses.length],
                producer.arguments, producer.argumentAccess, producer.receiverAccess, producer.resultAccess, null);
        r.encodedArguments = producer.encodedArguments;
        r.rerunOf = producer;
        r.lineageWaiters = new ArrayList<>(2);
        for (int i = 0; i < producer.accesses.length; i++) {
            Access o = producer.accesses[i];
            Access a = new Access(o.handle, o.mode);
            a.read = o.read;
            fromBytes(a); // what the producer read, not what the program's object holds now
            if (o.write != null) {
                // Only what is gone takes the re-run's value; what it makes besides is dropped.
                boolean target = o.write == v || o.write.rerun == null && o.write.madeBy == producer
                        && !usable(o.write, o.handle);
                if (target) {
                    a.write = o.write;
                    a.write.rerun = r;
                } else {
                    a.write = new Version(o.write.number, null);
                }
            }
            r.accesses[i] = a;
        }
        for (Access a : r.accesses) {
            Version in = input(a);
            if (in != null) {
                in.unfinishedReaders++; // while the re-run may read it, nobody updates it in place
            }
            graph.use(a); // nor does the datum go quiet, which would forget the versions workers keep of it
        }
        return r;
    }

    /**
     * Makes a re-run's access read the bytes its producer's input crossed as ({@link Version#serialised}), if the
     * master kept them: the program may have changed its object since. Returns whether it does.
     */
    private static boolean fromBytes(Access a) {
        Version v = a.read;
        byte[] bytes = v == null ? null : serialised(v);
        if (bytes == null) {
            return false;
        }
        String className = v.value instanceof RemoteValue r ? r.className() : v.value.getClass().getName();
        Version sent = new Version(v.number, new Encoded(bytes, className));
        sent.epoch = v.epoch;
        a.read = sent;
        return true;
    }

    /** Why a version cannot be sent to a re-run: the program had its datum back, and no bytes of it are kept. */
    private static String hadBack(Version v) {
        String why = "which the program has had back since (and may have changed)";
        if (v != null && v.serialised != null && v.serialised.refused()) {
            VersionBytes.Budget b = v.serialised.budget();
            why += "; the master did not keep that version's bytes, as it already kept " + mib(b.kept()) + " MiB of"
                    + " such bytes for lineage, its limit being " + mib(b.limit()) + " MiB (" + b.origin() + ")";
        }
        return why;
    }

    private static String mib(long bytes) {
        return String.valueOf((bytes + (1 << 20) - 1) >> 20);
    }

    /**
     * The bytes a version was sent to a worker as (an object of the program's) or brought home as (an object a worker
     * kept), or {@code null}: not kept, or — a version updated in place since — perhaps not what it held.
     */
    private static byte[] serialised(Version v) {
        return v.serialised == null || v.value instanceof Encoded || v.value instanceof Kept && v.overwritten ? null
                : v.serialised.bytes();
    }

    private static String named(TaskNode t) {
        return t.name() + " (#" + t.id + ")";
    }

    /** A re-run's attempt cannot be made (an input is gone for good), or it was lost too often. */
    void failed(TaskNode r, TaskFailure failure) {
        abandon(r, failure);
    }

    /** A re-run's attempt ended; returns nothing: its waiters go on, or fail with it. */
    void completed(TaskNode r, TaskOutcome outcome, TaskFailure failure) {
        r.finished = true;
        if (failure != null) {
            abandon(r, failure);
            return;
        }
        Object[] used = outcome.used();
        for (int i = 0; i < r.accesses.length; i++) {
            Access a = r.accesses[i];
            Version w = a.write;
            if (w == null) {
                continue;
            }
            Object produced = a.mode == Mode.RESULT ? graph.resultValue(a.handle, outcome.result())
                    : used != null && used[i] != null ? used[i] : null;
            if (w.rerun != r) {
                if (produced instanceof Kept k) {
                    graph.forget(k);
                }
                continue;
            }
            w.rerun = null;
            w.value = produced;
            w.copies = null;
            w.overwritten = false;
            w.location = r.node == null ? -1 : r.node.index;
            DataState s = a.handle.state;
            if (produced instanceof Kept k) {
                if (s != null) {
                    s.keptRemotely(k);
                } else {
                    graph.forget(k);
                }
            } else if (produced instanceof String path && s != null) {
                s.holds(path, w);
            }
        }
        unread(r);
        for (Object waiter : r.lineageWaiters) {
            if (waiter instanceof TaskNode t) {
                if (!t.finished && --t.waitingOn == 0) {
                    ready.accept(t);
                }
            } else if (waiter instanceof Home home) {
                graph.moveAgain(home.handle(), home.version());
            }
        }
    }

    /**
     * A re-run cannot make its versions: they stay lost, and whoever waits for them fails ({@code failure}), or,
     * with no failure (it was never started), simply stops waiting.
     */
    private void abandon(TaskNode r, TaskFailure failure) {
        r.finished = true;
        for (Access a : r.accesses) {
            if (a.write != null && a.write.rerun == r) {
                a.write.rerun = null;
                a.write.unrecoverable = failure;
            }
        }
        unread(r);
        if (failure == null) {
            return;
        }
        for (Object waiter : r.lineageWaiters) {
            if (waiter instanceof TaskNode t && !t.finished) {
                if (t.rerunOf != null) {
                    abandon(t, failure);
                } else {
                    t.waitingOn = 0;
                    release(t);
                    fail.accept(t, new TaskFailure(t.id, t.name(), Math.max(1, t.attemptsMade()), failure.worker,
                            new IllegalStateException("an input it needs was kept only by a lost worker, and making"
                                    + " it again failed: " + failure.toException().getMessage(), failure.cause)));
                }
            } else if (waiter instanceof Home home) {
                graph.arrived(home.handle(), home.version(), null, new IllegalStateException("its latest version"
                        + " was kept only by a lost worker, and making it again failed: "
                        + failure.toException().getMessage(), failure.cause));
            }
        }
    }

    private void unread(TaskNode r) {
        if (r.rerunOf == null) {
            return;
        }
        for (Access a : r.accesses) {
            Version in = input(a);
            if (in != null && in.unfinishedReaders > 0) {
                in.unfinishedReaders--;
            }
            if (a.uses != null) {
                graph.unused(a);
                released.useEnded(a.handle);
            }
        }
    }

    /** A task that fails while waiting for re-runs: the re-runs drop it from their waiters' count. */
    private static void release(TaskNode t) {
        t.waitingOn = 0;
    }
}
