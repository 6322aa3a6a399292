/**
 * K-means clustering as iterations of map and reduce over data fragments: tasks create the fragments, one task
 * per fragment and iteration returns partial sums, merge tasks combine them in a fixed tree, and the main program
 * computes the new centers.
 *
 * <p>{@link io.weft.examples.kmeans.KMeans} is the program; {@link io.weft.examples.kmeans.Fragment},
 * {@link io.weft.examples.kmeans.Centers} and {@link io.weft.examples.kmeans.PartialSums} are its data.
 */
package io.weft.examples.kmeans;
