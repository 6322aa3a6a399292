package io.weft.runtime.master;

import static io.weft.runtime.master.TestTasks.failure;
import static io.weft.runtime.master.TestTasks.file;
import static io.weft.runtime.master.TestTasks.object;
import static io.weft.runtime.master.TestTasks.task;
import static io.weft.runtime.master.TestTasks.used;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.master.TestTasks.RecordingConsolidator;
import io.weft.runtime.worker.Binding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGraphTest {
    private static final String HOME = "/data/run/out.txt";

    private final RecordingConsolidator consolidator = new RecordingConsolidator();
    private final TaskGraph graph = new TaskGraph(consolidator);

    // ------------------------------------------------------------------ helpers

    /** Registers tasks in program order. */
    private void register(TaskNode... tasks) {
        for (TaskNode t : tasks) {
            graph.register(t);
        }
    }

    /** Drains what became ready since the last call. */
    private List<TaskNode> ready() {
        List<TaskNode> r = new ArrayList<>(graph.ready());
        graph.ready().clear();
        return r;
    }

    /** Plans and completes a task successfully, as a worker that changes nothing would; returns its bindings. */
    private Binding[] run(TaskNode t) {
        Binding[] b = graph.plan(t);
        graph.complete(t, used(b), null, null);
        return b;
    }

    private void complete(TaskNode t, Binding[] b) {
        graph.complete(t, used(b), null, null);
    }

    private static Path parent(String p) {
        return Path.of(p).getParent();
    }

    // ------------------------------------------------------------------ dependencies

    @Test
    void readAfterWrite_readerWaitsForWriter() {
        DataHandle x = object(1);
        TaskNode w = task("w").updates(x).build();
        TaskNode r = task("r").reads(x).build();
        register(w, r);

        assertThat(ready()).containsExactly(w);
        assertThat(r.waitingOn).isEqualTo(1);
        assertThat(r.accesses[0].read).isSameAs(w.accesses[0].write);

        run(w);
        assertThat(ready()).containsExactly(r);
        Binding[] rb = graph.plan(r);
        assertThat(rb[0].copy()).isFalse();
        assertThat(rb[0].source()).isSameAs(x.home());
    }

    @Test
    void readAfterWrite_onFile_readerReadsWhatTheWriterProduced() {
        DataHandle f = file(1, HOME);
        TaskNode w = task("w").writes(f).build();
        TaskNode r = task("r").reads(f).build();
        register(w, r);

        assertThat(ready()).containsExactly(w);
        Binding[] wb = run(w);
        assertThat(ready()).containsExactly(r);
        Binding[] rb = graph.plan(r);
        assertThat(rb[0].source()).isEqualTo(wb[0].target());
        assertThat(rb[0].target()).isEqualTo(wb[0].target());
    }

    @Test
    void writeAfterRead_writerDoesNotWaitButCopies() {
        DataHandle x = object(1);
        TaskNode r = task("r").reads(x).build();
        TaskNode w = task("w").updates(x).build();
        register(r, w);

        assertThat(ready()).containsExactly(r, w);
        Binding[] rb = graph.plan(r);
        Binding[] wb = graph.plan(w);
        assertThat(rb[0].source()).isSameAs(x.home());
        assertThat(rb[0].copy()).isFalse();
        assertThat(wb[0].source()).isSameAs(x.home());
        assertThat(wb[0].copy()).as("the writer must not touch what the running reader reads").isTrue();

        Object[] wu = used(wb);
        graph.complete(w, wu, null, null);
        assertThat(consolidator.consolidated).as("the reader still uses the datum").isEmpty();
        complete(r, rb);
        assertThat(consolidator.consolidated).singleElement()
                .satisfies(c -> assertThat(c.latest()).isSameAs(wu[0]).isNotSameAs(x.home()));
    }

    @Test
    void writeAfterRead_readerAlreadyFinished_writerWorksInPlace() {
        DataHandle x = object(1);
        TaskNode r = task("r").reads(x).build();
        TaskNode w = task("w").updates(x).build();
        register(r, w);
        ready();

        run(r);
        Binding[] wb = graph.plan(w);
        assertThat(wb[0].copy()).isFalse();
        assertThat(wb[0].source()).isSameAs(x.home());
        complete(w, wb);
        assertThat(consolidator.consolidated).as("the latest version already is the home").isEmpty();
        assertThat(graph.quieted()).containsExactly(x);
    }

    @Test
    void writeAfterRead_onFile_writerGoesToTemporarySibling() {
        DataHandle f = file(1, HOME);
        TaskNode r = task("r").reads(f).build();
        TaskNode u = task("u").updates(f).build();
        register(r, u);

        assertThat(ready()).containsExactly(r, u);
        Binding[] rb = graph.plan(r);
        Binding[] ub = graph.plan(u);
        assertThat(rb[0].source()).isEqualTo(HOME);
        assertThat(ub[0].copy()).isTrue();
        assertThat(ub[0].source()).isEqualTo(HOME);
        assertThat(ub[0].target()).isNotEqualTo(HOME);
        assertThat(parent(ub[0].target())).isEqualTo(parent(HOME));
        assertThat(Path.of(ub[0].target()).getFileName().toString()).startsWith(".weft-");

        complete(u, ub);
        complete(r, rb);
        assertThat(consolidator.consolidated).singleElement()
                .satisfies(c -> assertThat(c.latest()).isEqualTo(ub[0].target()));
        assertThat(consolidator.discarded).as("the temporary was moved home, not deleted").isEmpty();
    }

    @Test
    void writeAfterWrite_fileWritesDoNotOrder_secondGoesToTemporary() {
        DataHandle f = file(1, HOME);
        TaskNode w1 = task("w1").writes(f).build();
        TaskNode w2 = task("w2").writes(f).build();
        register(w1, w2);

        assertThat(ready()).as("write-after-write is renamed away").containsExactly(w1, w2);
        // The second writer runs and finishes first: it must not write the home, which the first may still write.
        Binding[] b2 = graph.plan(w2);
        assertThat(b2[0].target()).isNotEqualTo(HOME);
        assertThat(parent(b2[0].target())).isEqualTo(parent(HOME));
        complete(w2, b2);
        assertThat(consolidator.consolidated).isEmpty();

        Binding[] b1 = graph.plan(w1);
        assertThat(b1[0].target()).isNotEqualTo(b2[0].target());
        complete(w1, b1);

        // Program order wins: the second write's file ends up home.
        assertThat(consolidator.consolidated).singleElement()
                .satisfies(c -> assertThat(c.latest()).isEqualTo(b2[0].target()));
        assertThat(consolidator.discarded).doesNotContain(b2[0].target(), HOME);
        assertThat(f.state.current.value).isEqualTo(HOME);
    }

    @Test
    void writeAfterWrite_fileWritesInProgramOrder_firstToTemporary_lastMayWriteHome() {
        DataHandle f = file(1, HOME);
        TaskNode w1 = task("w1").writes(f).build();
        TaskNode w2 = task("w2").writes(f).build();
        register(w1, w2);
        ready();

        Binding[] b1 = graph.plan(w1);
        assertThat(b1[0].target()).as("another writer is pending").isNotEqualTo(HOME);
        complete(w1, b1);
        Binding[] b2 = graph.plan(w2);
        assertThat(b2[0].target()).as("the only remaining user").isEqualTo(HOME);
        complete(w2, b2);

        assertThat(consolidator.consolidated).isEmpty();
        assertThat(consolidator.discarded).containsExactly(b1[0].target());
    }

    @Test
    void fileWrite_aloneGoesStraightHome() {
        DataHandle f = file(1, HOME);
        TaskNode w = task("w").writes(f).build();
        register(w);
        Binding[] b = run(w);
        assertThat(b[0].source()).isNull();
        assertThat(b[0].target()).isEqualTo(HOME);
        assertThat(consolidator.consolidated).isEmpty();
        assertThat(consolidator.discarded).isEmpty();
        assertThat(graph.quieted()).containsExactly(f);
    }

    @Test
    void inOutChain_runsInProgramOrder() {
        DataHandle x = object(1);
        TaskNode u1 = task("u1").updates(x).build();
        TaskNode u2 = task("u2").updates(x).build();
        TaskNode u3 = task("u3").updates(x).build();
        register(u1, u2, u3);

        List<TaskNode> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<TaskNode> r = ready();
            assertThat(r).hasSize(1);
            order.add(r.get(0));
            Binding[] b = run(r.get(0));
            assertThat(b[0].copy()).isFalse();
            assertThat(b[0].source()).isSameAs(x.home());
        }
        assertThat(ready()).isEmpty();
        assertThat(order).containsExactly(u1, u2, u3);
        assertThat(consolidator.consolidated).isEmpty();
    }

    @Test
    void fanOut_readersRunTogether_thenFanInWaitsForAll() {
        DataHandle x = object(1);
        DataHandle[] y = {object(2), object(3), object(4)};
        TaskNode p = task("produce").updates(x).build();
        TaskNode[] r = new TaskNode[3];
        for (int i = 0; i < 3; i++) {
            r[i] = task("r" + i).reads(x).updates(y[i]).build();
        }
        TaskNode join = task("join").reads(y[0]).reads(y[1]).reads(y[2]).updates(x).build();
        register(p, r[0], r[1], r[2], join);

        assertThat(ready()).containsExactly(p);
        run(p);
        assertThat(ready()).containsExactlyInAnyOrder(r);
        Binding[][] b = new Binding[3][];
        for (int i = 0; i < 3; i++) {
            b[i] = graph.plan(r[i]);
            assertThat(b[i][0].source()).isSameAs(x.home());
        }
        complete(r[2], b[2]);
        complete(r[0], b[0]);
        assertThat(ready()).isEmpty();
        complete(r[1], b[1]);
        assertThat(ready()).containsExactly(join);
        Binding[] jb = graph.plan(join);
        assertThat(jb[3].copy()).as("every reader of x is done").isFalse();
    }

    // ------------------------------------------------------------------ groups

    @Test
    void concurrentGroup_membersDoNotOrder_nextReaderWaitsForAll() {
        DataHandle x = object(1);
        TaskNode p = task("p").updates(x).build();
        TaskNode c1 = task("c1").concurrent(x).build();
        TaskNode c2 = task("c2").concurrent(x).build();
        TaskNode c3 = task("c3").concurrent(x).build();
        TaskNode r = task("r").reads(x).build();
        register(p, c1, c2, c3, r);

        assertThat(ready()).containsExactly(p);
        run(p);
        assertThat(ready()).containsExactlyInAnyOrder(c1, c2, c3);
        Binding[] b1 = graph.plan(c1);
        Binding[] b2 = graph.plan(c2);
        Binding[] b3 = graph.plan(c3);
        for (Binding[] b : List.of(b1, b2, b3)) {
            assertThat(b[0].copy()).isFalse();
            assertThat(b[0].source()).as("members update one object in place").isSameAs(x.home());
        }
        assertThat(c1.accesses[0].write).isSameAs(c2.accesses[0].write).isSameAs(c3.accesses[0].write);

        complete(c3, b3);
        complete(c1, b1);
        assertThat(ready()).isEmpty();
        complete(c2, b2);
        assertThat(ready()).containsExactly(r);
        assertThat(r.accesses[0].read).isSameAs(c1.accesses[0].write);
        assertThat(graph.plan(r)[0].source()).isSameAs(x.home());
    }

    @Test
    void concurrentGroup_nextUpdateWaitsForAll_andWorksInPlace() {
        DataHandle x = object(1);
        TaskNode c1 = task("c1").concurrent(x).build();
        TaskNode c2 = task("c2").concurrent(x).build();
        TaskNode u = task("u").updates(x).build();
        register(c1, c2, u);

        assertThat(ready()).containsExactly(c1, c2);
        Binding[] b1 = graph.plan(c1);
        Binding[] b2 = graph.plan(c2);
        complete(c1, b1);
        assertThat(ready()).isEmpty();
        complete(c2, b2);
        assertThat(ready()).containsExactly(u);
        Binding[] ub = run(u);
        assertThat(ub[0].copy()).isFalse();
        assertThat(consolidator.consolidated).isEmpty();
        assertThat(graph.quieted()).containsExactly(x);
    }

    @Test
    void concurrentGroup_waitsForEarlierReaders() {
        DataHandle x = object(1);
        TaskNode r1 = task("r1").reads(x).build();
        TaskNode r2 = task("r2").reads(x).build();
        TaskNode c1 = task("c1").concurrent(x).build();
        TaskNode c2 = task("c2").concurrent(x).build();
        register(r1, r2, c1, c2);

        assertThat(ready()).as("in-place members must not overtake readers").containsExactly(r1, r2);
        run(r2);
        assertThat(ready()).isEmpty();
        run(r1);
        assertThat(ready()).containsExactlyInAnyOrder(c1, c2);
        assertThat(graph.plan(c1)[0].source()).isSameAs(x.home());
    }

    @Test
    void commutativeGroup_waitsForEarlierReaders() {
        DataHandle x = object(1);
        TaskNode r = task("r").reads(x).build();
        TaskNode m = task("m").commutative(x).build();
        register(r, m);

        assertThat(ready()).containsExactly(r);
        run(r);
        assertThat(ready()).containsExactly(m);
    }

    @Test
    void commutativeGroup_membersRunOneAtATime() {
        DataHandle x = object(1);
        TaskNode m1 = task("m1").commutative(x).build();
        TaskNode m2 = task("m2").commutative(x).build();
        TaskNode m3 = task("m3").commutative(x).build();
        TaskNode r = task("r").reads(x).build();
        register(m1, m2, m3, r);

        List<TaskNode> ran = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<TaskNode> now = ready();
            assertThat(now).as("one member at a time").hasSize(1);
            assertThat(now.get(0)).isNotSameAs(r);
            Binding[] b = run(now.get(0));
            assertThat(b[0].copy()).isFalse();
            assertThat(b[0].source()).isSameAs(x.home());
            ran.add(now.get(0));
        }
        assertThat(ran).containsExactlyInAnyOrder(m1, m2, m3);
        assertThat(ready()).containsExactly(r);
    }

    @Test
    void commutativeGroup_afterConcurrentGroup_isANewGroupThatWaits() {
        DataHandle x = object(1);
        TaskNode c = task("c").concurrent(x).build();
        TaskNode m1 = task("m1").commutative(x).build();
        TaskNode m2 = task("m2").commutative(x).build();
        register(c, m1, m2);

        assertThat(m1.accesses[0].write).isNotSameAs(c.accesses[0].write);
        assertThat(m1.accesses[0].read).isSameAs(c.accesses[0].write);
        assertThat(ready()).containsExactly(c);
        run(c);
        assertThat(ready()).hasSize(1);
    }

    @Test
    void commutativeMembersOverTwoData_holdBothMutexes() {
        DataHandle x = object(1);
        DataHandle y = object(2);
        TaskNode a = task("a").commutative(x).commutative(y).build();
        TaskNode b = task("b").commutative(y).build();
        TaskNode c = task("c").commutative(x).build();
        register(a, b, c);

        assertThat(ready()).containsExactly(a);
        run(a);
        assertThat(ready()).containsExactlyInAnyOrder(b, c);
    }

    // ------------------------------------------------------------------ consolidation

    @Test
    void quietDatum_isConsolidatedAndForgotten() {
        DataHandle x = object(1);
        DataHandle y = object(2);
        TaskNode r = task("r").reads(x).build();
        TaskNode u1 = task("u1").updates(x).updates(y).build();
        TaskNode c1 = task("c1").concurrent(x).build();
        TaskNode c2 = task("c2").concurrent(x).build();
        TaskNode u2 = task("u2").updates(x).build();
        register(r, u1, c1, c2, u2);

        assertThat(ready()).containsExactly(r, u1);
        Binding[] rb = graph.plan(r);
        Binding[] ub = graph.plan(u1);
        assertThat(ub[0].copy()).isTrue();
        Object[] uu = used(ub);
        graph.complete(u1, uu, null, null);
        assertThat(graph.quieted()).as("y had a single user").containsExactly(y);
        assertThat(ready()).containsExactlyInAnyOrder(c1, c2);
        run(c2);
        run(c1);
        Binding[] u2b = run(ready().get(0));
        assertThat(u2b[0].source()).as("the copy carries the following versions").isSameAs(uu[0]);
        assertThat(consolidator.consolidated).as("r still reads x").isEmpty();
        complete(r, rb);

        assertThat(graph.quieted()).containsExactly(y, x);
        assertThat(consolidator.consolidated).singleElement().satisfies(c -> {
            assertThat(c.handle()).isSameAs(x);
            assertThat(c.latest()).isSameAs(uu[0]);
        });
        for (DataHandle h : List.of(x, y)) {
            DataState s = h.state;
            assertThat(s.unfinished).isZero();
            assertThat(s.openGroup).isNull();
            assertThat(s.temporaries).isNull();
            assertThat(s.lastNumber).isEqualTo(1);
            assertThat(s.current.number).isEqualTo(1);
            assertThat(s.current.value).isSameAs(h.home());
            assertThat(s.current.producers).isEmpty();
            assertThat(s.current.failure).isNull();
            assertThat(h.failure).isNull();
        }
    }

    @Test
    void quietDatum_isUsableAgainFromItsHome() {
        DataHandle x = object(1);
        TaskNode r = task("r").reads(x).build();
        TaskNode u = task("u").updates(x).build();
        register(r, u);
        ready();
        Binding[] rb = graph.plan(r);
        run(u);
        complete(r, rb);
        assertThat(graph.quieted()).containsExactly(x);
        graph.quieted().clear();

        TaskNode again = task("again").updates(x).build();
        register(again);
        assertThat(ready()).containsExactly(again);
        Binding[] b = run(again);
        assertThat(b[0].source()).isSameAs(x.home());
        assertThat(b[0].copy()).isFalse();
        assertThat(consolidator.consolidated).hasSize(1);
    }

    @Test
    void copiedVersion_isMovedHome() {
        DataHandle x = object(1);
        TaskNode r = task("r").reads(x).build();
        TaskNode u = task("u").updates(x).build();
        register(r, u);
        ready();
        Binding[] rb = graph.plan(r);
        Binding[] ub = graph.plan(u);
        Box copy = new Box(42);
        graph.complete(u, new Object[] {copy}, null, null);
        complete(r, rb);
        assertThat(ub[0].copy()).isTrue();
        assertThat(consolidator.consolidated).singleElement().satisfies(c -> {
            assertThat(c.handle()).isSameAs(x);
            assertThat(c.latest()).isSameAs(copy);
        });
    }

    @Test
    void result_isMovedIntoItsPlaceholder() {
        DataHandle placeholder = object(1);
        DataHandle in = object(2);
        TaskNode t = task("t").reads(in).returnsInto(placeholder).build();
        TaskNode r = task("r").reads(placeholder).build();
        register(t, r);

        assertThat(ready()).containsExactly(t);
        Binding[] b = graph.plan(t);
        assertThat(b[1]).isNull();
        Box result = new Box(7);
        graph.complete(t, used(b), result, null);
        assertThat(ready()).containsExactly(r);
        assertThat(graph.plan(r)[0].source()).isSameAs(result);
        run(r);
        assertThat(consolidator.consolidated).singleElement().satisfies(c -> {
            assertThat(c.handle()).isSameAs(placeholder);
            assertThat(c.latest()).isSameAs(result);
        });
    }

    @Test
    void consolidationFailure_failsTheDatum() {
        TaskGraph g = new TaskGraph(new TaskGraph.Consolidator() {
            @Override
            public void consolidate(DataHandle handle, Object latest) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public void discard(String temporary) {}

            // Without @Override: newer versions of the Consolidator interface declare it.
            public TaskFailure failed(DataHandle handle, RuntimeException error) {
                return new TaskFailure(0, "(moving home)", 1, "test", error);
            }
        });
        DataHandle x = object(1);
        TaskNode r = task("r").reads(x).build();
        TaskNode u = task("u").updates(x).build();
        g.register(r);
        g.register(u);
        Binding[] rb = g.plan(r);
        Binding[] ub = g.plan(u);
        g.complete(u, used(ub), null, null);
        g.complete(r, used(rb), null, null);
        assertThat(x.failure).isNotNull();
        assertThat(x.failure.cause).hasMessage("disk full");

        TaskNode later = task("later").reads(x).build();
        g.register(later);
        assertThat(later.doomedBy).as("the datum's latest version could not be moved home").isSameAs(x.failure);
    }

    // ------------------------------------------------------------------ failures

    @Test
    void skippedTask_leavesWhatItWouldUpdateUnchanged_butFailsItsResult() {
        DataHandle x = object(1);
        DataHandle result = object(2);
        TaskNode skipped = task("skipped").updates(x).returnsInto(result).build();
        TaskNode later = task("later").reads(x).build();
        TaskNode user = task("user").reads(result).build();
        register(skipped, later, user);
        ready();
        TaskFailure groupFailure = failure(task("member").build());

        graph.skip(skipped, groupFailure);

        assertThat(later.doomedBy).as("x keeps the value it had: its readers run").isNull();
        assertThat(user.doomedBy).as("the result was never produced").isSameAs(groupFailure);
        assertThat(ready()).contains(later, user);
        graph.complete(later, null, null, null);
        graph.complete(user, null, null, user.doomedBy);
        assertThat(x.failure).isNull();
        assertThat(result.failure).isSameAs(groupFailure);
        assertThat(consolidator.consolidated).as("x never left its home").isEmpty();
    }

    @Test
    void failure_poisonsReadersAndHandle() {
        DataHandle x = object(1);
        DataHandle y = object(2);
        TaskNode u = task("u").updates(x).build();
        TaskNode r1 = task("r1").reads(x).updates(y).build();
        TaskNode other = task("other").reads(y).build();
        register(u, r1);

        ready();
        Binding[] ub = graph.plan(u);
        TaskFailure boom = failure(u);
        graph.complete(u, used(ub), null, boom);
        assertThat(r1.doomedBy).isSameAs(boom);
        assertThat(ready()).as("a doomed task is still released, for the runtime to cancel").containsExactly(r1);

        TaskNode r2 = task("r2").reads(x).build();
        register(r2);
        assertThat(r2.doomedBy).as("registered after the failure").isSameAs(boom);

        // The runtime ends doomed tasks with their doom, without running them.
        graph.complete(r1, null, null, r1.doomedBy);
        register(other);
        assertThat(other.doomedBy).as("r1's output is poisoned too").isSameAs(boom);
        graph.complete(r2, null, null, r2.doomedBy);
        graph.complete(other, null, null, other.doomedBy);

        assertThat(x.failure).isSameAs(boom);
        assertThat(y.failure).isSameAs(boom);
        assertThat(consolidator.consolidated).isEmpty();
        assertThat(graph.quieted()).contains(x, y);
    }

    @Test
    void failure_ofFileUpdaterOnAPrivateCopy_movesThatCopyHome_andTheDatumKeepsTheFailure() {
        // The executor makes the private copy afresh when the attempt fails: it holds the file as it was before.
        DataHandle f = file(1, HOME);
        TaskNode r = task("r").reads(f).build();
        TaskNode u = task("u").updates(f).build();
        register(r, u);
        ready();
        Binding[] rb = graph.plan(r);
        Binding[] ub = graph.plan(u);
        assertThat(ub[0].copy()).as("a reader still reads the version it updates").isTrue();
        graph.complete(u, used(ub), null, failure(u));
        complete(r, rb);
        assertThat(f.failure).isNotNull();
        assertThat(consolidator.consolidated).extracting(c -> c.latest()).containsExactly(ub[0].target());
        assertThat(consolidator.discarded).isEmpty();
    }

    @Test
    void failure_ofFileWriter_writingItAnew_isNoVersion_andItsTemporaryIsDiscarded() {
        DataHandle f = file(1, HOME);
        TaskNode r = task("r").reads(f).build();
        TaskNode w = task("w").writes(f).build();
        register(r, w);
        ready();
        Binding[] rb = graph.plan(r);
        Binding[] wb = graph.plan(w);
        graph.complete(w, used(wb), null, failure(w));
        complete(r, rb);
        assertThat(f.failure).isNotNull();
        assertThat(consolidator.consolidated).isEmpty();
        assertThat(consolidator.discarded).containsExactly(wb[0].target());
    }

    @Test
    void failure_doesNotPoisonUnrelatedTasks() {
        DataHandle x = object(1);
        DataHandle y = object(2);
        TaskNode u = task("u").updates(x).build();
        TaskNode v = task("v").updates(y).build();
        TaskNode r = task("r").reads(y).build();
        register(u, v, r);
        ready();
        graph.complete(u, used(graph.plan(u)), null, failure(u));
        run(v);
        assertThat(ready()).containsExactly(r);
        assertThat(r.doomedBy).isNull();
        run(r);
        assertThat(y.failure).isNull();
        assertThat(x.failure).isNotNull();
    }

    @Test
    void outputOfFailedTask_overwrittenBySuccessfulWrite_clearsFailure() {
        DataHandle f = file(1, HOME);
        TaskNode w1 = task("w1").writes(f).build();
        TaskNode w2 = task("w2").writes(f).build();
        TaskNode r = task("r").reads(f).build();
        register(w1, w2, r);
        assertThat(ready()).containsExactly(w1, w2);

        Binding[] b1 = graph.plan(w1);
        graph.complete(w1, used(b1), null, failure(w1));
        Binding[] b2 = run(w2);
        assertThat(ready()).containsExactly(r);
        assertThat(r.doomedBy).as("r reads the second, successful write").isNull();
        run(r);

        assertThat(f.failure).isNull();
        assertThat(consolidator.consolidated).singleElement()
                .satisfies(c -> assertThat(c.latest()).isEqualTo(b2[0].target()));
        assertThat(consolidator.discarded).containsExactly(b1[0].target());
    }

    @Test
    void outputOfFailedTask_overwrittenInALaterQuietPeriod_clearsFailure() {
        DataHandle f = file(1, HOME);
        TaskNode w1 = task("w1").writes(f).build();
        register(w1);
        ready();
        graph.complete(w1, used(graph.plan(w1)), null, failure(w1));
        assertThat(f.failure).isNotNull();

        TaskNode w2 = task("w2").writes(f).build();
        register(w2);
        assertThat(w2.doomedBy).as("a write does not read the failed version").isNull();
        assertThat(ready()).containsExactly(w2);
        run(w2);
        assertThat(f.state.current.failure).isNull();
        assertThat(f.failure).as("the latest version was produced by a successful task").isNull();
    }

    @Test
    void failedReader_doesNotDoomLaterConcurrentWriter() {
        DataHandle x = object(1);
        TaskNode r = task("r").reads(x).build();
        TaskNode c = task("c").concurrent(x).build();
        TaskNode m = task("m").commutative(x).build();
        register(r, c, m);

        assertThat(ready()).containsExactly(r);
        graph.complete(r, used(graph.plan(r)), null, failure(r));
        assertThat(ready()).containsExactly(c);
        assertThat(c.doomedBy).as("c does not read anything r produced").isNull();
        run(c);
        assertThat(ready()).containsExactly(m);
        assertThat(m.doomedBy).isNull();
        run(m);
        assertThat(x.failure).as("reading x cannot fail x").isNull();
    }
}
