package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the annotated method as an alternative implementation of a task: same parameters, same result,
 * possibly different {@link Constraint}s. The scheduler may run any runnable alternative in place of the task.
 *
 * <p>Declared in this release; the resources-aware scheduler chooses among alternatives.
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
