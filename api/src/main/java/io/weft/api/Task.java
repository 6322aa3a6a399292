package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a task: with the Weft agent, each call becomes an asynchronous task whose dependencies are
 * inferred from the parameter directions; without it, the call runs as written.
 *
 * <p>A task may be a static or an instance method of any application class, with any visibility. Parameters
 * are {@link In} unless annotated; {@code java.nio.file.Path} and {@code java.io.File} parameters are files,
 * identified by their normalised absolute path. Primitives, boxed values, {@code String}s, enums and
 * {@code Class} objects are plain values and may only be read.
 *
 * <p>Return values: an object of a concrete class or of an interface type is returned at once as a
 * placeholder that synchronises on first use; a primitive, boxed value, {@code String}, enum, record, array or
 * an object of an abstract class makes the call synchronous (it waits for the task and returns its value).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {
    /** A priority task is scheduled ahead of all non-priority ready tasks. */
    boolean priority() default false;

    /** How the receiver of an instance-method task is used; ignored for static methods. */
    Direction receiver() default Direction.INOUT;

    /** What happens when the task fails. */
    OnFailure onFailure() default OnFailure.RETRY;

    /** How many more times a failed task is tried under {@link OnFailure#RETRY}. */
    int retries() default 2;

    /**
     * The longest the task may run, as a number with a unit ({@code "500ms"}, {@code "30s"}, {@code "10m"},
     * {@code "2h"}); empty for no limit.
     */
    String timeout() default "";
}
