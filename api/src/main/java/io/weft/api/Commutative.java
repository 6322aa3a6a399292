package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The task updates this parameter with an operation that commutes with the neighbouring commutative accesses:
 * they run in any order, one at a time. The next ordinary access waits for all of them.
 *
 * <p>Direction {@link Direction#COMMUTATIVE}. Only meaningful on a parameter of a {@link Task} method; anywhere else the
 * agent rejects the class at load time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Commutative {}
