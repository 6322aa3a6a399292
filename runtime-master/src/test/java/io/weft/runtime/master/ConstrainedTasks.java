package io.weft.runtime.master;

import io.weft.runtime.master.task.Placeholders;

import io.weft.api.Constraint;
import io.weft.api.Direction;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test fixtures for scheduling: task definitions whose implementations are methods annotated with
 * {@link Constraint} (read as the runtime reads them), task nodes of them, and inputs already produced on a node.
 */
final class ConstrainedTasks {
    private static final AtomicLong IDS = new AtomicLong();

    private ConstrainedTasks() {}

    /** A declared method of a holder class, typically annotated with {@link Constraint}. */
    static Method method(Class<?> holder, String name) {
        try {
            return holder.getDeclaredMethod(name);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** The requirements of a method's {@link Constraint} (none if not annotated), with no environment variables. */
    static Requirements requirements(Method m) {
        return Requirements.of(m.getAnnotation(Constraint.class), variable -> null);
    }

    /**
     * A definition whose implementations are these methods, the first being the task method itself; not yet
     * matched to nodes (see {@link #on}).
     */
    static TaskDefinition definition(String name, boolean priority, Method... implementations) {
        List<Implementation> impls = new ArrayList<>();
        for (Method m : implementations) {
            impls.add(new Implementation(impls.size(), m.getDeclaringClass().getSimpleName() + "." + m.getName(), m,
                    requirements(m)));
        }
        return new TaskDefinition(name, implementations[0], true, Direction.IN, new Direction[0],
                Placeholders.Kind.NONE, priority, List.copyOf(impls), null,
                FailurePolicy.DEFAULT);
    }

    static TaskDefinition definition(String name, Method... implementations) {
        return definition(name, false, implementations);
    }

    /**
     * The same definition, implementations and all, as if it were of another task method. The ready queue keeps
     * one lane per task method, so this gives the definition a lane of its own.
     */
    static TaskDefinition ofMethod(Method taskMethod, TaskDefinition def) {
        return new TaskDefinition(def.name(), taskMethod, def.isStatic(), def.receiver(), def.directions(),
                def.returns(), def.priority(), def.implementations(), def.runnable(), def.policy());
    }

    /**
     * {@code n} distinct methods to stand for task methods where only their identity matters (a ready-queue lane
     * each): declared methods of a few JDK classes, as there is no writing out a hundred of our own.
     */
    static List<Method> distinctMethods(int n) {
        List<Method> methods = Stream.of(String.class, StringBuilder.class, Math.class, Character.class)
                .flatMap(c -> Arrays.stream(c.getDeclaredMethods())).distinct().limit(n).toList();
        if (methods.size() < n) {
            throw new AssertionError("only " + methods.size() + " distinct methods, " + n + " wanted");
        }
        return methods;
    }

    /** The definition matched to the cluster's nodes, as the runtime does before the first call. */
    static TaskDefinition on(Cluster cluster, TaskDefinition def) {
        return def.withRunnable(cluster.runnable(def));
    }

    static TaskNode task(TaskDefinition def, Access... accesses) {
        return new TaskNode(IDS.incrementAndGet(), def, accesses, new Object[0], new int[0], -1, -1, null);
    }

    /** An access in {@code mode} to an object whose current version was produced on node {@code location}. */
    static Access produced(Object value, int location, Mode mode) {
        long id = IDS.incrementAndGet();
        Access a = new Access(new DataHandle(id, DataHandle.Kind.OBJECT, value), mode);
        a.read = new Version(1, value);
        a.read.location = location;
        return a;
    }

    /** A read of an object whose current version was produced on node {@code location}. */
    static Access input(Object value, int location) {
        return produced(value, location, Mode.READ);
    }

    /** Records a placement as the analyser does when it sends the task. */
    static TaskNode send(Cluster cluster, Placement p) {
        TaskNode t = p.task();
        t.node = p.node();
        t.implementation = p.implementation();
        cluster.sent(p);
        return t;
    }
}
