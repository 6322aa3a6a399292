/**
 * Word count as map and tree reduction: one task per input <em>file</em> returns a partial result object, and
 * merge tasks combine partial results into new objects.
 *
 * <p>{@link io.weft.examples.wordcount.WordCount} is the program; {@link io.weft.examples.wordcount.WordCounts}
 * is the partial result, a small class wrapping a {@code HashMap}.
 */
package io.weft.examples.wordcount;
