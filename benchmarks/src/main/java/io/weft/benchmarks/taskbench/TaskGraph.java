package io.weft.benchmarks.taskbench;

import java.util.Arrays;

/**
 * A Task Bench task graph: {@code width} points by {@code steps} timesteps, and which points of step t-1 the task
 * at (t, p) reads. A pure, immutable value; {@link #dependencies} follows the definitions of Task Bench's
 * {@code core/core.cc} (Slaughter et al., SC20), written anew here:
 *
 * <ul>
 *   <li>trivial: none; no_comm: p itself; stencil_1d: p-1, p, p+1 within [0, width);
 *   <li>stencil_1d_periodic: p-1, p, p+1 modulo width;
 *   <li>dom: p-1 and p, on a graph whose steps widen by one point and then shift right (a wavefront); point p
 *       exists at step t from {@code offset(t)} for {@code width(t)} points;
 *   <li>tree: p/2, on a graph whose width doubles each step up to {@code width};
 *   <li>fft: p - 2^s, p, p + 2^s (those in range), where s runs through 0..ceil(log2 width)-1 from step to step
 *       (step 1 uses s = 0);
 *   <li>all_to_all: every point; nearest: the {@code radix} points from p - radix/2 to p + (radix-1)/2;
 *   <li>spread: {@code radix} points spread evenly, p + i*width/radix (plus s for i &gt; 0) modulo width, where s
 *       is the step modulo {@code period};
 *   <li>random_nearest: each point of nearest's window with probability {@code fraction} (p itself always), drawn
 *       by a deterministic hash of (radix, step modulo period, dependency, p).
 * </ul>
 *
 * <p>Only points that exist at step t-1 count; step 0 has no dependencies.
 */
public final class TaskGraph {
    private final Dependence pattern;
    private final int width;
    private final int steps;
    private final int radix;
    private final int period;
    private final double fraction;

    public TaskGraph(Dependence pattern, int width, int steps, int radix, int period, double fraction) {
        if (width < 1 || steps < 1) {
            throw new IllegalArgumentException("width and steps must be at least 1 (got width " + width + ", steps "
                    + steps + ")");
        }
        if (radix < 0 || fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("radix must be >= 0 and fraction within [0, 1] (got radix " + radix
                    + ", fraction " + fraction + ")");
        }
        if (pattern.hasPeriod() && period < 1) {
            throw new IllegalArgumentException(pattern.label() + " needs a period of at least 1 (got " + period + ")");
        }
        if (pattern == Dependence.SPREAD) {
            if (radix < 1) {
                throw new IllegalArgumentException("spread needs a radix of at least 1");
            }
            int spread = (width + radix - 1) / radix;
            if (period > spread) {
                // As in Task Bench: a longer period would wrap a dependency onto another one.
                throw new IllegalArgumentException("spread with width " + width + " and radix " + radix
                        + " needs a period of at most " + spread + " (got " + period + ")");
            }
        }
        this.pattern = pattern;
        this.width = width;
        this.steps = steps;
        this.radix = radix;
        this.period = pattern.hasPeriod() ? period : 0;
        this.fraction = fraction;
    }

    /** A graph with Task Bench's defaults: radix 3, period 3 where it applies, fraction 0.25. */
    public static TaskGraph of(Dependence pattern, int width, int steps) {
        return new TaskGraph(pattern, width, steps, 3, 3, 0.25);
    }

    public Dependence pattern() { return pattern; }
    public int width() { return width; }
    public int steps() { return steps; }
    public int radix() { return radix; }
    public int period() { return period; }
    public double fraction() { return fraction; }

    /** The first point of step t. */
    public int offset(int t) {
        if (t < 0) {
            return 0;
        }
        return pattern == Dependence.DOM ? Math.max(0, t + width - steps) : 0;
    }

    /** How many points step t has (0 before step 0). */
    public int widthAt(int t) {
        if (t < 0) {
            return 0;
        }
        switch (pattern) {
            case DOM:
                return Math.min(width, Math.min(t + 1, steps - t));
            case TREE:
                return t >= 30 ? width : (int) Math.min(width, 1L << t);
            default:
                return width;
        }
    }

    /** How many dependence sets the pattern cycles through. */
    int dependenceSets() {
        switch (pattern) {
            case FFT:
                return Math.max(1, 32 - Integer.numberOfLeadingZeros(width - 1)); // ceil(log2 width)
            case SPREAD:
            case RANDOM_NEAREST:
                return period;
            default:
                return 1;
        }
    }

    /** The dependence set step t uses. */
    int dependenceSet(int t) {
        int sets = dependenceSets();
        if (pattern == Dependence.FFT) {
            return (t + sets - 1) % sets;
        }
        return t % sets;
    }

    /** Total number of tasks. */
    public long tasks() {
        long n = 0;
        for (int t = 0; t < steps; t++) {
            n += widthAt(t);
        }
        return n;
    }

    /** The largest number of dependencies of any task. */
    public int maxDependencies() {
        int max = 0;
        for (int t = 0; t < steps; t++) {
            for (int p = offset(t); p < offset(t) + widthAt(t); p++) {
                max = Math.max(max, dependencies(t, p).length);
            }
        }
        return max;
    }

    /**
     * The points of step t-1 that the task at (t, p) reads, ascending, each once. Empty at step 0.
     *
     * @throws IllegalArgumentException if (t, p) is not a point of the graph
     */
    public int[] dependencies(int t, int p) {
        if (t < 0 || t >= steps || p < offset(t) || p >= offset(t) + widthAt(t)) {
            throw new IllegalArgumentException("(" + t + ", " + p + ") is not a point of this " + pattern.label()
                    + " graph");
        }
        if (t == 0) {
            return new int[0];
        }
        int set = dependenceSet(t);
        boolean[] dep = new boolean[width];
        switch (pattern) {
            case TRIVIAL:
                break;
            case NO_COMM:
                dep[p] = true;
                break;
            case STENCIL_1D:
                range(dep, p - 1, p + 1);
                break;
            case STENCIL_1D_PERIODIC:
                range(dep, p - 1, p + 1);
                dep[Math.floorMod(p - 1, width)] = true;
                dep[Math.floorMod(p + 1, width)] = true;
                break;
            case DOM:
                range(dep, p - 1, p);
                break;
            case TREE:
                dep[p / 2] = true;
                break;
            case FFT:
                range(dep, p - (1 << set), p - (1 << set));
                dep[p] = true;
                range(dep, p + (1 << set), p + (1 << set));
                break;
            case ALL_TO_ALL:
                range(dep, 0, width - 1);
                break;
            case NEAREST:
                if (radix > 0) {
                    range(dep, p - radix / 2, p + (radix - 1) / 2);
                }
                break;
            case SPREAD:
                for (int i = 0; i < radix; i++) {
                    dep[(int) ((p + (long) i * width / radix + (i > 0 ? set : 0)) % width)] = true;
                }
                break;
            case RANDOM_NEAREST:
                for (int i = Math.max(0, p - radix / 2); i <= Math.min(width - 1, p + (radix - 1) / 2); i++) {
                    if (i == p || Hash.uniform(radix, set, i, p) < fraction) {
                        dep[i] = true;
                    }
                }
                break;
            default:
                throw new AssertionError(pattern);
        }
        int from = offset(t - 1);
        int to = from + widthAt(t - 1);
        int n = 0;
        for (int i = from; i < to; i++) {
            if (dep[i]) {
                n++;
            }
        }
        int[] result = new int[n];
        n = 0;
        for (int i = from; i < to; i++) {
            if (dep[i]) {
                result[n++] = i;
            }
        }
        return result;
    }

    private void range(boolean[] dep, int first, int last) {
        for (int i = Math.max(0, first); i <= Math.min(width - 1, last); i++) {
            dep[i] = true;
        }
    }

    /** The command-line flags that describe this graph, as Task Bench writes them. */
    public String describe() {
        StringBuilder s = new StringBuilder("-type ").append(pattern.label()).append(" -width ").append(width)
                .append(" -steps ").append(steps);
        if (pattern == Dependence.NEAREST || pattern == Dependence.SPREAD || pattern == Dependence.RANDOM_NEAREST) {
            s.append(" -radix ").append(radix);
        }
        if (pattern.hasPeriod()) {
            s.append(" -period ").append(period);
        }
        if (pattern == Dependence.RANDOM_NEAREST) {
            s.append(" -fraction ").append(fraction);
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskGraph g && g.pattern == pattern && g.width == width && g.steps == steps
                && g.radix == radix && g.period == period && g.fraction == fraction;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {pattern, width, steps, radix, period, fraction});
    }
}
