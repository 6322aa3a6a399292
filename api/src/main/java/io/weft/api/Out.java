package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The task only writes this parameter (a file it creates or an object it fills); its previous content is not read.
 * Not allowed on primitives, boxed values, {@code String}s and other immutable values.
 *
 * <p>Direction {@link Direction#OUT}. Only meaningful on a parameter of a {@link Task} method; anywhere else the
 * agent rejects the class at load time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Out {}
