package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The task updates this parameter in place alongside other concurrent accesses, which are not ordered among
 * themselves; the task must make its updates thread-safe. The next ordinary access waits for all of them.
 *
 * <p>Direction {@link Direction#CONCURRENT}. Only meaningful on a parameter of a {@link Task} method; anywhere else the
 * agent rejects the class at load time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Concurrent {}
