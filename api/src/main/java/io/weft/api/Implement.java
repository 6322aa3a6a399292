package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the annotated method as an alternative implementation of a task: same parameters, same result, same
 * static-ness, its own {@link Constraint}s (the task's do not carry over). Calls to the task stay calls to the task;
 * on each node the scheduler considers the implementations that node can run — the task method itself and its
 * alternatives — tries each a few times, then prefers the one measured fastest on that kind of node. Parameter
 * directions are the task's. The alternative must be in the same jar or class directory as the task's class.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Implement {
    /** The class that declares the task this method implements. */
    Class<?> of();

    /** The name of the task method this method implements. */
    String method();
}
