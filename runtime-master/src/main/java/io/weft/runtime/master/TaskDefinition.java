package io.weft.runtime.master;

import io.weft.runtime.master.task.Placeholders;

import io.weft.api.Commutative;
import io.weft.api.Constraint;
import io.weft.api.Concurrent;
import io.weft.api.Direction;
import io.weft.api.InOut;
import io.weft.api.Out;
import io.weft.api.Task;
import io.weft.api.spi.TaskSite;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A task method, resolved and read once: the method to invoke, each parameter's direction, how its result
 * reaches the caller, its {@link Task} attributes, and its implementations — the method itself first, then its
 * {@link io.weft.api.Implement} alternatives — each with its requirements. Immutable.
 */
record TaskDefinition(
        String name,
        Method method,
        boolean isStatic,
        Direction receiver,
        Direction[] directions,
        Placeholders.Kind returns,
        boolean priority,
        List<Implementation> implementations,
        boolean[][] runnable,
        FailurePolicy policy) {

    /** The same definition with, for each implementation, the nodes of the run that can ever run it. */
    TaskDefinition withRunnable(boolean[][] nodes) {
        return new TaskDefinition(name, method, isStatic, receiver, directions, returns, priority, implementations,
                nodes, policy);
    }

    /** Whether some implementation may need more than one plain core. */
    boolean demanding() {
        return implementations.size() > 1 || !implementations.get(0).requirements().isPlain();
    }

    /**
     * Resolves a call site's method with the calling class's loader.
     *
     * @param environment looks up the environment variables that constraints refer to
     * @throws IllegalStateException if the method cannot be found (the class changed since it was instrumented), or
     *     an implementation is declared wrongly
     */
    static TaskDefinition resolve(TaskSite site, Function<String, String> environment) {
        ClassLoader loader = site.loader().get();
        Method method;
        try {
            Class<?> owner = Class.forName(site.owner(), false, loader);
            method = null;
            // A loop, not a stream: the first task call runs this while the JVM interprets.
            for (Method m : owner.getDeclaredMethods()) {
                if (m.getName().equals(site.name()) && descriptor(m).equals(site.descriptor())) {
                    method = m;
                    break;
                }
            }
            if (method == null) {
                throw new NoSuchMethodException(site.owner() + "." + site.name() + site.descriptor());
            }
            method.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot resolve task " + site.displayName() + ": " + e, e);
        }
        Task task = method.getAnnotation(Task.class);
        FailurePolicy policy;
        try {
            policy = FailurePolicy.of(task);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("task " + site.displayName() + ": @Task(" + e.getMessage() + ")", e);
        }
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        Direction[] directions = new Direction[types.length];
        for (int i = 0; i < types.length; i++) {
            directions[i] = direction(annotations[i]);
        }
        List<Implementation> implementations = new ArrayList<>();
        implementations.add(implementation(0, site.displayName(), method, environment));
        for (Method alternative : Implementations.of(method)) {
            implementations.add(implementation(implementations.size(),
                    alternative.getDeclaringClass().getSimpleName() + "." + alternative.getName(), alternative,
                    environment));
        }
        return new TaskDefinition(site.displayName(), method, Modifier.isStatic(method.getModifiers()),
                task == null ? Direction.INOUT : task.receiver(), directions,
                Placeholders.kindOf(method.getReturnType()), task != null && task.priority(),
                List.copyOf(implementations), null, policy);
    }

    private static Implementation implementation(int index, String name, Method method,
            Function<String, String> environment) {
        try {
            return new Implementation(index, name, method,
                    Requirements.of(method.getAnnotation(Constraint.class), environment));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("task implementation " + name + ": @Constraint(" + e.getMessage() + ")",
                    e);
        }
    }

    private static Direction direction(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof Out) {
                return Direction.OUT;
            } else if (a instanceof InOut) {
                return Direction.INOUT;
            } else if (a instanceof Concurrent) {
                return Direction.CONCURRENT;
            } else if (a instanceof Commutative) {
                return Direction.COMMUTATIVE;
            }
        }
        return Direction.IN;
    }

    /** The graph mode of an access in this direction to a datum of this kind. */
    static Mode mode(Direction direction, DataHandle.Kind kind) {
        return switch (direction) {
            case IN -> Mode.READ;
            case INOUT -> Mode.UPDATE;
            // An object is written in place, so @Out on an object is an update; a file can be written anew.
            case OUT -> kind == DataHandle.Kind.FILE ? Mode.WRITE : Mode.UPDATE;
            case CONCURRENT -> Mode.CONCURRENT;
            case COMMUTATIVE -> Mode.COMMUTATIVE;
        };
    }

    static String descriptor(Method m) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            sb.append(descriptor(p));
        }
        return sb.append(')').append(descriptor(m.getReturnType())).toString();
    }

    private static String descriptor(Class<?> c) {
        if (c.isArray()) {
            return c.getName().replace('.', '/');
        }
        if (c.isPrimitive()) {
            return switch (c.getName()) {
                case "int" -> "I";
                case "long" -> "J";
                case "double" -> "D";
                case "float" -> "F";
                case "boolean" -> "Z";
                case "byte" -> "B";
                case "char" -> "C";
                case "short" -> "S";
                default -> "V";
            };
        }
        return "L" + c.getName().replace('.', '/') + ";";
    }
}
