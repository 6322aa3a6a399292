package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.worker.Binding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random programs run by a random scheduler over {@link TaskGraph}: every task runs, the final values equal those of
 * a sequential run, and no two running tasks ever touch the same holder unsafely.
 *
 * <p>Values are longs in mutable holders ({@link Box} for objects, entries of a simulated file system keyed by path
 * for files). Each task applies its effect to the holder it was planned with: in place, or on a copy it made when
 * it started. READ records what it saw; UPDATE is {@code v*31+k} (order-sensitive); WRITE is {@code k};
 * CONCURRENT and COMMUTATIVE add {@code k} (any order gives the same sum).
 */
class TaskGraphPropertyTest {
    private static final List<Mode> OBJECT_MODES = List.of(Mode.READ, Mode.UPDATE, Mode.CONCURRENT, Mode.COMMUTATIVE);
    private static final List<Mode> FILE_MODES = List.of(Mode.READ, Mode.UPDATE, Mode.WRITE);
    private static final int MAX_TASKS = 40;

    // ------------------------------------------------------------------ properties

    @Property(tries = 500)
    void objectPrograms_runToTheSequentialResult(@ForAll("objectPrograms") Program program, @ForAll long seed) {
        new Sim(program, false, true, seed).run();
    }

    @Property(tries = 500)
    void filePrograms_runToTheSequentialResult(@ForAll("filePrograms") Program program, @ForAll long seed) {
        new Sim(program, true, true, seed).run();
    }

    /** Submitted while earlier tasks run, so data quiet (and fail) in the middle of the program. */
    @Property(tries = 500)
    void failures_inObjectReadUpdatePrograms_poisonExactlyTheirDataflowSuccessors(
            @ForAll("failingObjectReadUpdatePrograms") Program program, @ForAll long seed) {
        new Sim(program, false, true, seed).run();
    }

    /** All submitted first: every datum quiets once, at the end. */
    @Property(tries = 500)
    void failures_inFilePrograms_poisonExactlyTheirDataflowSuccessors(
            @ForAll("failingFilePrograms") Program program, @ForAll long seed) {
        new Sim(program, true, false, seed).run();
    }

    /** Submitted while earlier tasks run: a file that failed and quieted may be written anew, successfully. */
    @Property(tries = 500)
    void failures_inFileProgramsSubmittedWhileRunning_poisonExactlyTheirDataflowSuccessors(
            @ForAll("failingFilePrograms") Program program, @ForAll long seed) {
        new Sim(program, true, true, seed).run();
    }

    @Property(tries = 500)
    void failures_inObjectProgramsWithGroups_poisonExactlyTheirDataflowSuccessors(
            @ForAll("failingObjectPrograms") Program program, @ForAll long seed) {
        new Sim(program, false, false, seed).run();
    }

    // ------------------------------------------------------------------ generators

    /** One access of a task: which datum, how. */
    record Step(int datum, Mode mode) {
        @Override
        public String toString() {
            return "d" + datum + ":" + mode;
        }
    }

    /** A program: tasks in program order over {@code data} data, and which tasks throw when they run. */
    record Program(int data, List<List<Step>> tasks, List<Boolean> fails) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Program(" + data + " data)");
            for (int t = 0; t < tasks.size(); t++) {
                sb.append("\n  t").append(t).append(tasks.get(t)).append(fails.get(t) ? " FAILS" : "");
            }
            return sb.toString();
        }
    }

    @Provide
    Arbitrary<Program> objectPrograms() {
        return programs(OBJECT_MODES, false);
    }

    @Provide
    Arbitrary<Program> filePrograms() {
        return programs(FILE_MODES, false);
    }

    @Provide
    Arbitrary<Program> failingObjectReadUpdatePrograms() {
        return programs(List.of(Mode.READ, Mode.UPDATE), true);
    }

    @Provide
    Arbitrary<Program> failingObjectPrograms() {
        return programs(OBJECT_MODES, true);
    }

    @Provide
    Arbitrary<Program> failingFilePrograms() {
        return programs(FILE_MODES, true);
    }

    private static Arbitrary<Program> programs(List<Mode> modes, boolean failures) {
        return Arbitraries.integers().between(1, 5).flatMap(n -> {
            Arbitrary<List<Step>> task = Arbitraries.of(modes).injectNull(n == 1 ? 0.0 : 0.6).list().ofSize(n)
                    .filter(l -> l.stream().anyMatch(Objects::nonNull))
                    .map(l -> {
                        List<Step> steps = new ArrayList<>();
                        for (int d = 0; d < l.size(); d++) {
                            if (l.get(d) != null) {
                                steps.add(new Step(d, l.get(d)));
                            }
                        }
                        return steps;
                    })
                    .flatMap(Arbitraries::shuffle);
            Arbitrary<List<Boolean>> fails = failures
                    ? Arbitraries.integers().between(0, 7).map(i -> i == 0).list().ofSize(MAX_TASKS)
                    : Arbitraries.just(Collections.nCopies(MAX_TASKS, false));
            return Combinators.combine(task.list().ofMinSize(1).ofMaxSize(MAX_TASKS), fails)
                    .as((tasks, f) -> new Program(n, tasks, f));
        });
    }

    // ------------------------------------------------------------------ the simulation

    private static long constant(int task) {
        return (task + 1) * 1_000_003L;
    }

    private static long initial(int datum) {
        return 7 + datum;
    }

    /** A started task: what it was planned with and what it touches. */
    private static final class Running {
        final TaskNode task;
        final int index;
        final Object[] holders; // where it works, per access
        final Object[] reads; // what it reads, per access (or null)
        final Object[] writes; // what it writes in place, per access (or null)
        final Long[] seen;

        Running(TaskNode task, int index, int n) {
            this.task = task;
            this.index = index;
            holders = new Object[n];
            reads = new Object[n];
            writes = new Object[n];
            seen = new Long[n];
        }
    }

    private static final class Sim implements TaskGraph.Consolidator {
        final Program program;
        final boolean files;
        /** Register tasks interleaved with their execution (as a main program does); else all first. */
        final boolean interleave;
        final Random random;
        final int maxRunning;
        final TaskGraph graph = new TaskGraph(this);
        final DataHandle[] handles;
        final Map<String, Long> fs = new HashMap<>();
        final TaskNode[] nodes;
        final Map<TaskNode, Integer> index = new IdentityHashMap<>();
        final List<TaskNode> pool = new ArrayList<>();
        final List<Running> running = new ArrayList<>();
        final Set<TaskNode> released = Collections.newSetFromMap(new IdentityHashMap<>());
        final Set<TaskFailure> injected = Collections.newSetFromMap(new IdentityHashMap<>());
        final Set<Integer> doomed = new HashSet<>();
        final Set<DataHandle> quieted = Collections.newSetFromMap(new IdentityHashMap<>());
        int registered;
        int completed;

        // The sequential model.
        final Long[][] expectedRead;
        final boolean[] expectedDoomed;
        final long[] expectedValue;
        final boolean[] expectedPoisoned;

        Sim(Program program, boolean files, boolean interleave, long seed) {
            this.program = program;
            this.files = files;
            this.interleave = interleave;
            this.random = new Random(seed);
            this.maxRunning = 1 + random.nextInt(6);
            int n = program.tasks().size();
            handles = new DataHandle[program.data()];
            for (int d = 0; d < handles.length; d++) {
                if (files) {
                    String home = "/sim/dir" + (d % 2) + "/data" + d + ".bin";
                    handles[d] = new DataHandle(d, DataHandle.Kind.FILE, home);
                    fs.put(home, initial(d));
                } else {
                    handles[d] = new DataHandle(d, DataHandle.Kind.OBJECT, new Box(initial(d)));
                }
            }
            nodes = new TaskNode[n];
            for (int t = 0; t < n; t++) {
                TestTasks.Builder b = TestTasks.task("t" + t);
                for (Step s : program.tasks().get(t)) {
                    b.access(handles[s.datum()], s.mode());
                }
                nodes[t] = b.build();
                index.put(nodes[t], t);
            }
            expectedRead = new Long[n][program.data()];
            expectedDoomed = new boolean[n];
            expectedValue = new long[program.data()];
            expectedPoisoned = new boolean[program.data()];
            runSequentially();
        }

        /** Program order, one task at a time; failed tasks change nothing and poison what they write. */
        private void runSequentially() {
            int data = program.data();
            for (int d = 0; d < data; d++) {
                expectedValue[d] = initial(d);
            }
            Mode[] group = new Mode[data];
            boolean[] groupBasePoisoned = new boolean[data];
            boolean[] groupPoisoned = new boolean[data];
            for (int t = 0; t < nodes.length; t++) {
                boolean doom = false;
                for (Step s : program.tasks().get(t)) {
                    int d = s.datum();
                    Mode m = s.mode();
                    if (m == Mode.CONCURRENT || m == Mode.COMMUTATIVE) {
                        if (group[d] != m) {
                            closeGroup(d, group, groupPoisoned);
                            group[d] = m;
                            groupBasePoisoned[d] = expectedPoisoned[d];
                            groupPoisoned[d] = false;
                        }
                        doom |= groupBasePoisoned[d];
                    } else {
                        closeGroup(d, group, groupPoisoned);
                        if (m != Mode.WRITE) {
                            doom |= expectedPoisoned[d];
                        }
                    }
                }
                expectedDoomed[t] = doom;
                boolean fails = doom || program.fails().get(t);
                long k = constant(t);
                for (Step s : program.tasks().get(t)) {
                    int d = s.datum();
                    switch (s.mode()) {
                        case READ -> expectedRead[t][d] = doom ? null : expectedValue[d];
                        case UPDATE -> {
                            expectedPoisoned[d] = fails;
                            if (!fails) {
                                expectedValue[d] = expectedValue[d] * 31 + k;
                            }
                        }
                        case WRITE -> {
                            expectedPoisoned[d] = fails;
                            if (!fails) {
                                expectedValue[d] = k;
                            }
                        }
                        case CONCURRENT, COMMUTATIVE -> {
                            groupPoisoned[d] |= fails;
                            if (!fails) {
                                expectedValue[d] += k;
                            }
                        }
                        default -> throw new AssertionError(s);
                    }
                }
            }
            for (int d = 0; d < data; d++) {
                closeGroup(d, group, groupPoisoned);
            }
        }

        private void closeGroup(int d, Mode[] group, boolean[] groupPoisoned) {
            if (group[d] != null) {
                expectedPoisoned[d] = groupPoisoned[d];
                group[d] = null;
            }
        }

        void run() {
            int n = nodes.length;
            if (!interleave) {
                while (registered < n) {
                    register();
                }
            }
            while (completed < n) {
                List<Runnable> actions = new ArrayList<>(3);
                if (registered < n) {
                    actions.add(this::register);
                }
                if (!pool.isEmpty() && running.size() < maxRunning) {
                    actions.add(this::startOne);
                }
                if (!running.isEmpty()) {
                    actions.add(this::completeOne);
                }
                if (actions.isEmpty()) {
                    List<TaskNode> stuck = new ArrayList<>();
                    for (TaskNode t : nodes) {
                        if (!t.finished) {
                            stuck.add(t);
                        }
                    }
                    fail("deadlock: nothing ready or running, but these never ran: " + stuck.stream()
                            .map(t -> t + " waitingOn=" + t.waitingOn).collect(Collectors.joining(", ")));
                }
                actions.get(random.nextInt(actions.size())).run();
            }
            checkEnd();
        }

        private void register() {
            graph.register(nodes[registered++]);
            drainReady();
        }

        private void drainReady() {
            while (!graph.ready().isEmpty()) {
                TaskNode t = graph.ready().poll();
                assertThat(released.add(t)).as("%s released twice", t).isTrue();
                assertThat(t.waitingOn).as("%s released while waiting", t).isZero();
                pool.add(t);
            }
            quieted.addAll(graph.quieted());
            graph.quieted().clear();
            checkMutexes();
        }

        /** A commutative run has at most one member ready or running. */
        private void checkMutexes() {
            Map<Version, TaskNode> holder = new IdentityHashMap<>();
            List<TaskNode> live = new ArrayList<>(pool);
            running.forEach(r -> live.add(r.task));
            for (TaskNode t : live) {
                for (Access a : t.accesses) {
                    if (a.mode == Mode.COMMUTATIVE) {
                        TaskNode other = holder.put(a.write, t);
                        assertThat(other).as("commutative members %s and %s both ready or running", other, t)
                                .isNull();
                    }
                }
            }
        }

        private void startOne() {
            TaskNode task = pool.remove(random.nextInt(pool.size()));
            int t = index.get(task);
            if (task.doomedBy != null) {
                // What the analyser does: end it with its doom, without running it.
                assertThat(injected).as("%s doomed by an unknown failure", task).contains(task.doomedBy);
                doomed.add(t);
                graph.complete(task, null, null, task.doomedBy);
                completed++;
                drainReady();
                return;
            }
            Binding[] bindings = graph.plan(task);
            Running r = new Running(task, t, bindings.length);
            for (int i = 0; i < bindings.length; i++) {
                Access a = task.accesses[i];
                Binding b = bindings[i];
                assertThat(b).isNotNull();
                if (files) {
                    bindFile(r, i, a, b);
                } else {
                    bindObject(r, i, a, b);
                }
                if (a.mode == Mode.READ) {
                    int d = (int) a.handle.id;
                    assertThat(r.seen[i]).as("%s read d%d", task, d).isEqualTo(expectedRead[t][d]);
                }
            }
            for (Running o : running) {
                checkNoConflict(r, o);
            }
            running.add(r);
        }

        private void bindObject(Running r, int i, Access a, Binding b) {
            assertThat(b.kind()).isEqualTo(Binding.Kind.OBJECT);
            Box source = (Box) b.source();
            assertThat(source).as("%s has no object to use", r.task).isNotNull();
            switch (a.mode) {
                case READ -> {
                    assertThat(b.copy()).isFalse();
                    r.reads[i] = source;
                    r.holders[i] = source;
                    r.seen[i] = source.value;
                }
                case UPDATE -> {
                    r.reads[i] = source;
                    Box holder = b.copy() ? source.copy() : source;
                    r.holders[i] = holder;
                    r.writes[i] = holder;
                }
                case CONCURRENT, COMMUTATIVE -> {
                    assertThat(b.copy()).as("group members work in place").isFalse();
                    r.reads[i] = source;
                    r.holders[i] = source;
                    r.writes[i] = source;
                }
                default -> throw new AssertionError(a.mode);
            }
        }

        private void bindFile(Running r, int i, Access a, Binding b) {
            assertThat(b.kind()).isEqualTo(Binding.Kind.FILE);
            String source = (String) b.source();
            String target = b.target();
            String home = (String) a.handle.home();
            assertThat(target).isNotNull();
            if (!target.equals(home)) {
                assertThat(Path.of(target).getParent()).as("temporaries are siblings of the home")
                        .isEqualTo(Path.of(home).getParent());
            }
            switch (a.mode) {
                case READ -> {
                    assertThat(target).isEqualTo(source);
                    assertThat(fs).as("%s reads a missing file", r.task).containsKey(source);
                    r.reads[i] = source;
                    r.seen[i] = fs.get(source);
                }
                case UPDATE -> {
                    assertThat(fs).as("%s updates a missing file", r.task).containsKey(source);
                    r.reads[i] = source;
                    if (b.copy()) {
                        assertThat(target).isNotEqualTo(source);
                        assertThat(fs).as("%s copies onto an existing file", r.task).doesNotContainKey(target);
                        fs.put(target, fs.get(source));
                    } else {
                        assertThat(target).isEqualTo(source);
                    }
                    r.writes[i] = target;
                }
                case WRITE -> {
                    assertThat(source).isNull();
                    r.writes[i] = target;
                }
                default -> throw new AssertionError(a.mode);
            }
            r.holders[i] = target;
        }

        private boolean same(Object a, Object b) {
            if (a == null || b == null) {
                return false;
            }
            return files ? a.equals(b) : a == b;
        }

        private void checkNoConflict(Running r, Running o) {
            for (int i = 0; i < r.holders.length; i++) {
                for (int j = 0; j < o.holders.length; j++) {
                    Access ai = r.task.accesses[i];
                    Access aj = o.task.accesses[j];
                    boolean clash = same(r.writes[i], o.reads[j]) || same(r.writes[i], o.writes[j])
                            || same(r.reads[i], o.writes[j]);
                    boolean sameConcurrentRun = ai.mode == Mode.CONCURRENT && aj.mode == Mode.CONCURRENT
                            && ai.write == aj.write;
                    if (clash && !sameConcurrentRun) {
                        fail("%s (%s on d%d) starts while %s (%s on d%d) runs on the same holder %s", r.task,
                                ai.mode, ai.handle.id, o.task, aj.mode, aj.handle.id, r.holders[i]);
                    }
                }
            }
        }

        private void completeOne() {
            Running r = running.remove(random.nextInt(running.size()));
            TaskNode task = r.task;
            boolean fails = program.fails().get(r.index);
            long k = constant(r.index);
            Object[] used = new Object[r.holders.length];
            for (int i = 0; i < r.holders.length; i++) {
                Access a = task.accesses[i];
                used[i] = r.holders[i];
                if (a.mode == Mode.READ) {
                    Long now = files ? fs.get((String) r.reads[i]) : (Long) ((Box) r.reads[i]).value;
                    assertThat(now).as("what %s read changed under it", task).isEqualTo(r.seen[i]);
                    continue;
                }
                if (fails) {
                    continue;
                }
                if (files) {
                    String p = (String) r.holders[i];
                    if (a.mode == Mode.UPDATE) {
                        fs.put(p, fs.get(p) * 31 + k);
                    } else {
                        fs.put(p, k);
                    }
                } else {
                    Box box = (Box) r.holders[i];
                    box.value = a.mode == Mode.UPDATE ? box.value * 31 + k : box.value + k;
                }
            }
            TaskFailure failure = null;
            if (fails) {
                failure = TestTasks.failure(task);
                injected.add(failure);
            }
            graph.complete(task, used, null, failure);
            completed++;
            drainReady();
        }

        // ------------------------------------------------------------ the consolidator

        @Override
        public void consolidate(DataHandle handle, Object latest) {
            assertThat(handle.state.unfinished).as("consolidating %s while in use", handle).isZero();
            if (files) {
                assertThat(latest).isNotEqualTo(handle.home());
                Long v = fs.remove((String) latest);
                assertThat(v).as("moving home a missing file %s", latest).isNotNull();
                fs.put((String) handle.home(), v);
            } else {
                assertThat(latest).isNotSameAs(handle.home());
                ((Box) handle.home()).value = ((Box) latest).value;
            }
        }

        @Override
        public void discard(String temporary) {
            for (DataHandle h : handles) {
                assertThat(temporary).as("discarding a home").isNotEqualTo(h.home());
            }
            for (Running r : running) {
                assertThat(r.holders).as("discarding %s used by %s", temporary, r.task).doesNotContain(temporary);
            }
            fs.remove(temporary);
        }

        // Without @Override: newer versions of the Consolidator interface declare it. Never called: consolidate
        // does not throw here.
        public TaskFailure failed(DataHandle handle, RuntimeException error) {
            throw new AssertionError("moving " + handle + " home failed", error);
        }

        // ------------------------------------------------------------ the end

        private void checkEnd() {
            assertThat(pool).isEmpty();
            assertThat(running).isEmpty();
            Set<Integer> expectedDoomedSet = new HashSet<>();
            for (int t = 0; t < nodes.length; t++) {
                assertThat(nodes[t].finished).isTrue();
                if (expectedDoomed[t]) {
                    expectedDoomedSet.add(t);
                }
            }
            assertThat(doomed).as("cancelled tasks").isEqualTo(expectedDoomedSet);
            for (int d = 0; d < handles.length; d++) {
                DataHandle h = handles[d];
                DataState s = h.state;
                if (s == null) {
                    assertThat(expectedValue[d]).isEqualTo(initial(d));
                    continue;
                }
                assertThat(quieted).as("d%d quieted", d).contains(h);
                assertThat(s.unfinished).isZero();
                assertThat(s.openGroup).isNull();
                assertThat(s.temporaries).isNull();
                assertThat(s.current.number).as("a quiet datum keeps a single version").isEqualTo(1);
                assertThat(s.current.value).isSameAs(h.home());
                assertThat(s.current.producers).isEmpty();
                if (expectedPoisoned[d]) {
                    assertThat(h.failure).as("d%d failed", d).isNotNull();
                    assertThat(injected).contains(h.failure);
                    continue;
                }
                assertThat(h.failure).as("d%d failed", d).isNull();
                long actual = files ? fs.get((String) h.home()) : ((Box) h.home()).value;
                assertThat(actual).as("final value of d%d", d).isEqualTo(expectedValue[d]);
            }
            if (files) {
                Set<String> homes = new HashSet<>();
                for (DataHandle h : handles) {
                    homes.add((String) h.home());
                }
                assertThat(fs.keySet()).as("no temporary file is left behind").isEqualTo(homes);
            }
        }
    }
}
