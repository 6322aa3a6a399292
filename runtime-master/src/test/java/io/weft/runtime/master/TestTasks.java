package io.weft.runtime.master;

import io.weft.runtime.master.task.Placeholders;

import io.weft.api.Direction;
import io.weft.runtime.worker.Binding;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Test fixtures for {@link TaskGraph}: a task builder, a recording consolidator and a tiny mutable holder. */
final class TestTasks {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Method DUMMY;

    static {
        try {
            DUMMY = Object.class.getMethod("toString");
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private TestTasks() {}

    static Builder task(String name) {
        return new Builder(name);
    }

    static DataHandle object(long id) {
        return new DataHandle(id, DataHandle.Kind.OBJECT, new Box(id));
    }

    static DataHandle file(long id, String home) {
        return new DataHandle(id, DataHandle.Kind.FILE, home);
    }

    static TaskFailure failure(TaskNode task) {
        return new TaskFailure(task.id, task.name(), 1, "test", new RuntimeException("boom in " + task));
    }

    /**
     * What a worker would report as {@code used} for these bindings without running anything: the source for in-place
     * object bindings, a fresh copy for copied ones, and the target path for files.
     */
    static Object[] used(Binding[] bindings) {
        Object[] used = new Object[bindings.length];
        for (int i = 0; i < bindings.length; i++) {
            Binding b = bindings[i];
            if (b == null) {
                continue;
            }
            if (b.kind() == Binding.Kind.OBJECT) {
                used[i] = b.copy() ? ((Box) b.source()).copy() : b.source();
            } else {
                used[i] = b.target();
            }
        }
        return used;
    }

    static final class Builder {
        private final String name;
        private final List<Access> accesses = new ArrayList<>();
        private int resultAccess = -1;

        private Builder(String name) {
            this.name = name;
        }

        private Builder add(DataHandle h, Mode mode) {
            accesses.add(new Access(h, mode));
            return this;
        }

        Builder reads(DataHandle h) {
            return add(h, Mode.READ);
        }

        Builder updates(DataHandle h) {
            return add(h, Mode.UPDATE);
        }

        Builder writes(DataHandle h) {
            return add(h, Mode.WRITE);
        }

        Builder concurrent(DataHandle h) {
            return add(h, Mode.CONCURRENT);
        }

        Builder commutative(DataHandle h) {
            return add(h, Mode.COMMUTATIVE);
        }

        Builder access(DataHandle h, Mode mode) {
            if (mode == Mode.RESULT) {
                return returnsInto(h);
            }
            return add(h, mode);
        }

        Builder returnsInto(DataHandle h) {
            resultAccess = accesses.size();
            return add(h, Mode.RESULT);
        }

        TaskNode build() {
            TaskDefinition def = new TaskDefinition(name, DUMMY, true, Direction.IN, new Direction[0],
                    Placeholders.Kind.NONE, false,
                    java.util.List.of(new Implementation(0, name, DUMMY, Requirements.NONE)), new boolean[][] {{true}},
                    FailurePolicy.DEFAULT);
            return new TaskNode(IDS.incrementAndGet(), def, accesses.toArray(new Access[0]), new Object[0], new int[0],
                    -1, resultAccess, null);
        }
    }

    /** A mutable stand-in for an application object. */
    static final class Box {
        long value;

        Box(long value) {
            this.value = value;
        }

        Box copy() {
            return new Box(value);
        }

        @Override
        public String toString() {
            return "Box@" + Integer.toHexString(System.identityHashCode(this)) + "(" + value + ")";
        }
    }

    /** Records what the graph asks to move home and to delete. */
    static final class RecordingConsolidator implements TaskGraph.Consolidator {
        record Call(DataHandle handle, Object latest) {}

        final List<Call> consolidated = new ArrayList<>();
        final List<String> discarded = new ArrayList<>();

        @Override
        public void consolidate(DataHandle handle, Object latest) {
            consolidated.add(new Call(handle, latest));
        }

        @Override
        public void discard(String temporary) {
            discarded.add(temporary);
        }

        // Deliberately without @Override: newer versions of the Consolidator interface declare it.
        public TaskFailure failed(DataHandle handle, RuntimeException error) {
            return new TaskFailure(0, "(moving " + handle + " home)", 1, "test", error);
        }
    }
}
