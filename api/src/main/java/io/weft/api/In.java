package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The task only reads this parameter. This is the default, so the annotation only documents intent.
 *
 * <p>Direction {@link Direction#IN}. Only meaningful on a parameter of a {@link Task} method; anywhere else the
 * agent rejects the class at load time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface In {}
