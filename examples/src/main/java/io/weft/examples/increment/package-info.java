/**
 * The smallest Weft program: a task that updates a <em>file</em> in place ({@code @InOut Path}).
 *
 * <p>{@link io.weft.examples.increment.Increment} chains increments on three counter files. Calls on the same
 * file run in program order; calls on different files are independent and may run in parallel.
 */
package io.weft.examples.increment;
