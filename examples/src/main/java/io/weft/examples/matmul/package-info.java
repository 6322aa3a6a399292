/**
 * Blocked matrix multiplication on plain objects: tasks that return new objects and tasks that update an
 * object in place ({@code @InOut}).
 *
 * <p>{@link io.weft.examples.matmul.Matmul} is the program; {@link io.weft.examples.matmul.Block} is one square
 * block of a matrix, a class with no no-arg constructor that is not {@code Serializable}.
 */
package io.weft.examples.matmul;
