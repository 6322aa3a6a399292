package io.weft.benchmarks.taskbench;

import io.weft.api.Task;
import io.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Task Bench on Weft: a clean-room implementation of the benchmark of Slaughter et al. (SC20) as a Weft program.
 * Every point of every step is one task call ({@link PointTasks}); with the agent the calls become tasks whose
 * dependencies come from the outputs they take, without it the same program runs them in order. Standard output is
 * the same in both cases (the configuration and a checksum of the last step's outputs); measurements go to
 * standard error.
 *
 * <p>Usage, with Task Bench's flags ({@code -type -width -steps -radix -period -fraction -kernel -iter -imbalance
 * -scratch -sample -output}) plus:
 *
 * <ul>
 *   <li>(nothing else): run the graph {@code -repeat N} times (default 1) and print the best run's time, tasks,
 *       FLOP/s, B/s and granularity (wall time × cores ÷ tasks, cores from {@code -cores}, default all);
 *   <li>{@code -pool N}: run the graph without Weft on a JDK {@link ForkJoinPool} of N threads, each point a
 *       {@link CompletableFuture} that runs once its inputs are complete ({@code thenApplyAsync}): what a Java
 *       programmer would write by hand, as a baseline for Weft in local mode. Run it without the agent; with
 *       {@code -sweep}, the sweep runs each point on the pool;
 *   <li>{@code -all}: run every dependence pattern at the given width and steps and print one checksum each (the
 *       period of spread is shortened to what the width allows);
 *   <li>{@code -calibrate US}: print how many compute_bound iterations make a task of about US µs on this JVM;
 *   <li>{@code -sweep}: the METG(50%) sweep ({@link Metg}) in this one JVM: a warm-up run, then the graph at
 *       {@code -iter} iterations (or, with {@code -max-us US}, at the iterations calibrated to US µs), halved
 *       each point until two points in a row fall below 50% efficiency or the iterations reach 0;
 *       {@code -reps N} runs per point, the best kept; prints each point and the METG line.
 * </ul>
 *
 * <p>Why a sweep runs in one JVM: a fresh process per point would pay the JVM's and the agent's start-up (and
 * with {@code workers=N}, the workers' start) in every point, and run every point with a cold JIT; Task Bench's
 * own implementations also time the graph inside the process. The warm-up run and the halving from the largest
 * granularity down keep the JIT's state the same for every measured point.
 */
public final class TaskBench {
    private TaskBench() {}

    /** One run of a graph: its time and the checksum of its last step. */
    record Run(double seconds, long checksum) {}

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>();
        Config config;
        try {
            config = Config.parse(args, rest);
        } catch (IllegalArgumentException e) {
            System.err.println("taskbench: " + e.getMessage());
            System.exit(2);
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int repeat = 1;
        int reps = 1;
        double maxMicros = 0;
        double calibrate = 0;
        boolean sweep = false;
        boolean all = false;
        int pool = 0;
        String[] r = rest.toArray(new String[0]);
        for (int i = 0; i < r.length; i++) {
            String flag = r[i];
            switch (flag) {
                case "-cores": cores = Integer.parseInt(Config.value(r, ++i, flag)); break;
                case "-repeat": repeat = Integer.parseInt(Config.value(r, ++i, flag)); break;
                case "-reps": reps = Integer.parseInt(Config.value(r, ++i, flag)); break;
                case "-max-us": maxMicros = Double.parseDouble(Config.value(r, ++i, flag)); break;
                case "-calibrate": calibrate = Double.parseDouble(Config.value(r, ++i, flag)); break;
                case "-sweep": sweep = true; break;
                case "-all": all = true; break;
                case "-pool": pool = Integer.parseInt(Config.value(r, ++i, flag)); break;
                default:
                    System.err.println("taskbench: unknown flag " + flag + "; see the class javadoc of "
                            + TaskBench.class.getName());
                    System.exit(2);
                    return;
            }
        }
        if (pool > 0 && (all || calibrate > 0)) {
            System.err.println("taskbench: -pool runs the graph -repeat times, or its -sweep; it does not combine with"
                    + " -all or -calibrate");
            System.exit(2);
        }
        if (calibrate > 0) {
            System.out.println("iterations " + iterationsFor(calibrate));
        } else if (all) {
            runAll(config);
        } else {
            if (sweep && maxMicros > 0) {
                Kernel.Type k = config.kernel().type();
                if (k != Kernel.Type.COMPUTE_BOUND && k != Kernel.Type.LOAD_IMBALANCE) {
                    System.err.println("taskbench: -max-us calibrates compute_bound iterations; give -iter for "
                            + k.label());
                    System.exit(2);
                }
                config = config.withIterations(iterationsFor(maxMicros));
            }
            // Each run on a JDK pool without Weft (-pool N), or through the task calls.
            ForkJoinPool threads = pool > 0 ? new ForkJoinPool(pool) : null;
            Function<Config, Run> runner = threads != null ? c -> runOnPool(c, threads) : TaskBench::run;
            try {
                if (sweep) {
                    sweep(config, cores, reps, runner, threads != null ? " -pool " + pool : "");
                } else {
                    runOnce(config, cores, repeat, runner);
                }
            } finally {
                if (threads != null) {
                    threads.shutdown();
                }
            }
        }
    }

    /** Runs the whole graph: submits every task, waits for all, and folds the last step's digests. */
    static Run run(Config config) {
        // The tasks look their configuration up by its spec: in this JVM they then share this one, and its table
        // of dependencies, built here outside the timed part.
        Config c = Config.ofSpec(config.spec());
        TaskGraph g = c.graph();
        String spec = c.spec();
        c.dependencies(0, g.offset(0));
        PointOutput[] previous = new PointOutput[g.width()];
        long start = System.nanoTime();
        for (int t = 0; t < g.steps(); t++) {
            PointOutput[] current = new PointOutput[g.width()];
            for (int p = g.offset(t); p < g.offset(t) + g.widthAt(t); p++) {
                int[] deps = c.dependencies(t, p);
                PointOutput[] in = new PointOutput[deps.length];
                for (int i = 0; i < deps.length; i++) {
                    in[i] = previous[deps[i]];
                }
                current[p] = PointTasks.call(spec, t, p, in);
            }
            previous = current;
        }
        Weft.barrier();
        long end = System.nanoTime();
        return new Run((end - start) / 1e9, checksum(g, previous));
    }

    /** The checksum of a run: its last step's digests, folded in order of their points. */
    private static long checksum(TaskGraph g, PointOutput[] last) {
        int step = g.steps() - 1;
        long checksum = Hash.SEED;
        for (int p = g.offset(step); p < g.offset(step) + g.widthAt(step); p++) {
            checksum = Hash.combine(checksum, last[p].digest());
        }
        return checksum;
    }

    /**
     * Runs the whole graph on {@code pool} with no runtime: each point is a future that runs the task's body once
     * the futures of its inputs are complete, and every point is joined.
     */
    @SuppressWarnings("unchecked")
    static Run runOnPool(Config config, ForkJoinPool pool) {
        Config c = Config.ofSpec(config.spec());
        TaskGraph g = c.graph();
        String spec = c.spec();
        c.dependencies(0, g.offset(0));
        CompletableFuture<PointOutput>[] previous = new CompletableFuture[g.width()];
        List<CompletableFuture<PointOutput>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < g.steps(); t++) {
            CompletableFuture<PointOutput>[] current = new CompletableFuture[g.width()];
            for (int p = g.offset(t); p < g.offset(t) + g.widthAt(t); p++) {
                int[] deps = c.dependencies(t, p);
                CompletableFuture<PointOutput>[] in = new CompletableFuture[deps.length];
                for (int i = 0; i < deps.length; i++) {
                    in[i] = previous[deps[i]];
                }
                int step = t;
                int point = p;
                current[p] = in.length == 0 ? CompletableFuture.supplyAsync(() -> PointTasks.execute(spec, step,
                        point), pool) : CompletableFuture.allOf(in).thenApplyAsync(v -> {
                            PointOutput[] outputs = new PointOutput[in.length];
                            for (int i = 0; i < in.length; i++) {
                                outputs[i] = in[i].join();
                            }
                            return PointTasks.execute(spec, step, point, outputs);
                        }, pool);
                all.add(current[p]);
            }
            previous = current;
        }
        // Every point, as Weft.barrier() waits for every task: some have no path to the last step (all of trivial's).
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
        long end = System.nanoTime();
        PointOutput[] last = new PointOutput[g.width()];
        for (int p = 0; p < last.length; p++) {
            last[p] = previous[p] == null ? null : previous[p].join();
        }
        return new Run((end - start) / 1e9, checksum(g, last));
    }

    static String hex(long v) {
        return String.format(Locale.ROOT, "%016x", v);
    }

    private static void runOnce(Config c, int cores, int repeat, Function<Config, Run> runner) {
        checkArity(c);
        System.out.println("taskbench " + c.spec());
        Run best = null;
        for (int r = 0; r < repeat; r++) {
            Run run = runner.apply(c);
            if (best != null && run.checksum() != best.checksum()) {
                throw new IllegalStateException("checksum changed between runs: " + hex(best.checksum()) + " then "
                        + hex(run.checksum()));
            }
            if (best == null || run.seconds() < best.seconds()) {
                best = run;
            }
            if (repeat > 1) {
                System.err.printf(Locale.ROOT, "taskbench: run %d: %.6f s%n", r + 1, run.seconds());
            }
        }
        System.out.println("checksum " + hex(best.checksum()));
        long tasks = c.graph().tasks();
        System.err.printf(Locale.ROOT,
                "taskbench: elapsed %.6f s, tasks %d, FLOP/s %.4e, B/s %.4e, granularity %.2f us (cores %d)%n",
                best.seconds(), tasks, c.flops() / best.seconds(), c.bytes() / best.seconds(),
                best.seconds() * cores / tasks * 1e6, cores);
    }

    private static void runAll(Config base) {
        TaskGraph g = base.graph();
        for (Dependence d : Dependence.values()) {
            int period = d.hasPeriod() ? g.period() > 0 ? g.period() : 3 : 0;
            if (d == Dependence.SPREAD) {
                period = Math.min(period, (g.width() + g.radix() - 1) / Math.max(1, g.radix()));
            }
            Config c = base.withGraph(new TaskGraph(d, g.width(), g.steps(), g.radix(), period, g.fraction()));
            checkArity(c);
            System.out.println(d.label() + " checksum " + hex(run(c).checksum()));
        }
    }

    private static void checkArity(Config c) {
        int max = c.graph().maxDependencies();
        if (max > PointTasks.MAX_ARITY) {
            throw new IllegalArgumentException(c.graph() + ": a task has " + max + " dependencies; this harness"
                    + " calls tasks with at most " + PointTasks.MAX_ARITY + " (see PointTasks)");
        }
    }

    /**
     * compute_bound iterations for a task of about {@code micros} µs, timed after a warm-up. A task, so that under
     * the agent it times the kernel where tasks run (an executor, in this JVM or a worker's), without the checks
     * the agent adds to the program's own code; it returns a primitive, so the call waits for it.
     */
    @Task
    static long iterationsFor(double micros) {
        double sink = 0;
        for (int i = 0; i < 300; i++) {
            sink += Kernel.compute(2000); // enough calls and loop turns for the JIT's last tier
        }
        long n = 2000;
        while (true) {
            long start = System.nanoTime();
            sink += Kernel.compute(n);
            if (System.nanoTime() - start >= 5_000_000L) {
                break;
            }
            n *= 2;
        }
        // The least disturbed of five timings: other processes only ever make a timing longer.
        double perIteration = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            sink += Kernel.compute(n);
            perIteration = Math.min(perIteration, (double) (System.nanoTime() - start) / n);
        }
        if (sink == 42) {
            System.err.print(""); // keeps the kernel's result alive
        }
        return Math.max(1, Math.round(micros * 1000 / perIteration));
    }

    /** The METG sweep, each run by {@code run}; {@code on} ends its first line, naming where it runs ("" for Weft). */
    private static void sweep(Config c, int cores, int reps, Function<Config, Run> run, String on) {
        checkArity(c);
        boolean byBytes = c.kernel().type() == Kernel.Type.MEMORY_BOUND;
        if (c.kernel().type() == Kernel.Type.EMPTY || c.kernel().iterations() < 1) {
            throw new IllegalArgumentException("the sweep needs a kernel that does work (compute_bound, "
                    + "load_imbalance or memory_bound) and -iter or -max-us");
        }
        String unit = byBytes ? "B/s" : "FLOP/s";
        System.out.println("sweep " + c.spec() + " -cores " + cores + " -reps " + reps + on);
        Run warm = run.apply(c.withIterations(Math.max(1, c.kernel().iterations() / 8)));
        System.out.printf(Locale.ROOT, "warm-up: %.3f s%n", warm.seconds());
        List<Metg.Point> points = new ArrayList<>();
        int below = 0;
        Long checksum = null;
        for (long iter = c.kernel().iterations(); below < 2; iter /= 2) {
            Config ci = c.withIterations(iter);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                Run one = run.apply(ci);
                if (checksum != null && checksum != one.checksum()) {
                    throw new IllegalStateException("checksum changed between runs");
                }
                checksum = one.checksum();
                best = Math.min(best, one.seconds());
            }
            Metg.Point point = new Metg.Point(iter, best, ci.graph().tasks(), byBytes ? ci.bytes() : ci.flops());
            points.add(point);
            double efficiency = point.rate() / points.get(0).rate();
            System.out.printf(Locale.ROOT, "iter %d: elapsed %.6f s, %s %.4e, granularity %.2f us, "
                    + "efficiency %.1f%%%n", iter, best, unit, point.rate(), point.granularityMicros(cores),
                    efficiency * 100);
            below = efficiency < 0.5 ? below + 1 : 0;
            if (iter <= 1) {
                break;
            }
        }
        System.out.println("checksum " + hex(checksum));
        Metg.Result m = Metg.compute(points, cores, 0.5);
        System.out.printf(Locale.ROOT, "METG(50%%) %s width=%d cores=%d: %s%n", c.graph().pattern().label(),
                c.graph().width(), cores, Double.isNaN(m.micros()) ? "none (no point reached 50%)"
                        : String.format(Locale.ROOT, "%s%.2f us", m.bounded() ? "<= " : "", m.micros()));
    }
}
