package io.weft.benchmarks;

import io.weft.api.In;
import io.weft.api.Task;
import java.util.Locale;

/**
 * A time-stepping loop whose steps depend on each other, with an analysis of each step's state beside it: the shape
 * where the order of ready tasks decides the run time. Each step takes {@code stepMs}, each analysis
 * {@code analysisMs}; the steps form the critical path, the analyses lead nowhere. On two cores the analyses keep
 * both busy, and a scheduler that runs them as they come delays the next step behind them; one that follows the
 * critical path runs the steps one after another and fits the analyses around them.
 *
 * <p>Prints the final state and the sum of the analyses (the same without the agent and with it); the whole
 * program's time goes to standard error.
 *
 * <p>Usage: {@code StepsAndAnalyses [steps=100] [stepMs=2] [analysisMs=4]}.
 */
public final class StepsAndAnalyses {
    private StepsAndAnalyses() {}

    /** The simulated state: a few numbers advanced by each step. */
    public static final class State {
        final double[] v;

        State(double[] v) {
            this.v = v;
        }
    }

    /** The next state: {@code micros} of arithmetic on a copy of the last one. */
    @Task
    static State step(@In State s, int micros) {
        double[] v = s.v.clone();
        spin(v, micros);
        return new State(v);
    }

    /** A figure of a state. A class, so that a task returning it gives a placeholder and the call does not wait. */
    public static final class Figure {
        final double value;

        Figure(double value) {
            this.value = value;
        }
    }

    /** A figure of a state: {@code micros} of arithmetic on a copy. */
    @Task
    static Figure analyse(@In State s, int micros) {
        double[] v = s.v.clone();
        spin(v, micros);
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return new Figure(sum);
    }

    /** About {@code micros} of arithmetic whose result depends only on the input. */
    static void spin(double[] v, int micros) {
        long iterations = (long) micros * ITERATIONS_PER_MICRO;
        for (long i = 0; i < iterations; i++) {
            int k = (int) (i & (v.length - 1));
            v[k] = v[k] * 0.999_999 + 1e-9 * k;
        }
    }

    /** Iterations of {@link #spin}'s loop per microsecond, roughly, on the reference machine. */
    private static final int ITERATIONS_PER_MICRO = 1400;

    public static void main(String[] args) {
        long start = System.nanoTime();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int stepMicros = (int) Math.round(1000 * (args.length > 1 ? Double.parseDouble(args[1]) : 2));
        int analysisMicros = (int) Math.round(1000 * (args.length > 2 ? Double.parseDouble(args[2]) : 4));
        State s = new State(new double[16]);
        Figure[] figures = new Figure[steps];
        for (int i = 0; i < steps; i++) {
            s = step(s, stepMicros);
            figures[i] = analyse(s, analysisMicros);
        }
        double total = 0;
        for (Figure f : figures) {
            total += f.value;
        }
        double last = 0;
        for (double x : s.v) {
            last += x;
        }
        System.out.printf(Locale.ROOT, "steps-and-analyses steps=%d state=%.12e analyses=%.12e%n", steps, last, total);
        System.err.printf(Locale.ROOT, "steps-and-analyses: %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }
}
