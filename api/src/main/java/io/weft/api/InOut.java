package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The task reads this parameter and updates it. Not allowed on immutable values.
 *
 * <p>Direction {@link Direction#INOUT}. Only meaningful on a parameter of a {@link Task} method; anywhere else the
 * agent rejects the class at load time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface InOut {}
