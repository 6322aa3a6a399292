package io.weft.benchmarks.taskbench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * METG(50%), the minimum effective task granularity, computed as the Task Bench paper does (Slaughter et al.,
 * SC20, §IV, and its {@code scripts/chart_metg.py}), from a sweep of one graph at decreasing kernel iterations:
 *
 * <ul>
 *   <li>task granularity = wall time × cores ÷ tasks;
 *   <li>efficiency = achieved FLOP/s (or B/s) ÷ peak, where the peak is what the largest granularity of the same
 *       sweep achieved (the paper's own-peak method, used when no machine peak is given);
 *   <li>METG = the smallest granularity whose efficiency is still at least the threshold; when the next, finer
 *       point of the sweep has a smaller granularity (and so fell below the threshold), the granularity at which
 *       efficiency crosses the threshold, interpolated linearly between the two.
 * </ul>
 *
 * <p>A pure function of its points: no clock, no threads.
 */
public final class Metg {
    /** One point of a sweep: a whole graph run at {@code iterations}. */
    public record Point(long iterations, double seconds, long tasks, double work) {
        /** FLOP/s or B/s. */
        public double rate() {
            return work / seconds;
        }

        /** µs of wall time per task per core. */
        public double granularityMicros(int cores) {
            return seconds * cores / tasks * 1e6;
        }
    }

    /**
     * The result: {@code micros} is METG in µs; NaN when no point reached the threshold. {@code bounded} is true
     * when no point fell below it, so that METG is at most {@code micros} rather than equal to it.
     */
    public record Result(double micros, boolean bounded, double peak, List<Double> efficiencies) {}

    private Metg() {}

    /** The efficiency of each point (in the order given) against the largest-iteration point's rate. */
    public static List<Double> efficiencies(List<Point> points) {
        Point largest = points.stream().max(Comparator.comparingLong(Point::iterations)).orElseThrow();
        List<Double> e = new ArrayList<>();
        for (Point p : points) {
            e.add(p.rate() / largest.rate());
        }
        return e;
    }

    public static Result compute(List<Point> points, int cores, double threshold) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no points");
        }
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingLong(Point::iterations).reversed());
        List<Double> eff = efficiencies(sorted);
        double peak = sorted.get(0).rate();
        int best = -1;
        for (int i = 0; i < sorted.size(); i++) {
            if (eff.get(i) >= threshold
                    && (best < 0 || sorted.get(i).granularityMicros(cores)
                            < sorted.get(best).granularityMicros(cores))) {
                best = i;
            }
        }
        if (best < 0) {
            return new Result(Double.NaN, false, peak, eff);
        }
        double g = sorted.get(best).granularityMicros(cores);
        boolean anyBelow = eff.stream().anyMatch(x -> x < threshold);
        if (best + 1 < sorted.size()) {
            double gNext = sorted.get(best + 1).granularityMicros(cores);
            double eNext = eff.get(best + 1);
            double e = eff.get(best);
            if (gNext < g && e > eNext) {
                g = gNext + (threshold - eNext) * (g - gNext) / (e - eNext);
            }
        }
        return new Result(g, !anyBelow, peak, eff);
    }
}
