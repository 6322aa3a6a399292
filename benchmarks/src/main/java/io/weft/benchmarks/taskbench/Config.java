package io.weft.benchmarks.taskbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Task Bench configuration: the graph, the kernel and the output size, read from Task Bench's own flags
 * ({@code -type -width -steps -radix -period -fraction -kernel -iter -imbalance -scratch -sample -output}).
 * Immutable. Tasks receive it as its {@link #spec()} string (a plain value for Weft, never a datum) and look it up
 * in a per-JVM cache, so each task call carries a few primitives and no shared object.
 */
public final class Config {
    private static final ConcurrentHashMap<String, Config> BY_SPEC = new ConcurrentHashMap<>();

    private final TaskGraph graph;
    private final Kernel kernel;
    private final int outputBytes;
    private final String spec;
    private volatile int[][][] dependencies;

    public Config(TaskGraph graph, Kernel kernel, int outputBytes) {
        if (outputBytes < 16) {
            throw new IllegalArgumentException("-output must be at least 16 bytes, one (step, point) pair (got "
                    + outputBytes + ")");
        }
        this.graph = graph;
        this.kernel = kernel;
        this.outputBytes = outputBytes;
        this.spec = graph.describe() + " " + kernel.describe() + " -output " + outputBytes;
    }

    public TaskGraph graph() { return graph; }
    public Kernel kernel() { return kernel; }
    public int outputBytes() { return outputBytes; }

    /** The flags that make this configuration again. */
    public String spec() {
        return spec;
    }

    public Config withIterations(long iterations) {
        return new Config(graph, kernel.withIterations(iterations), outputBytes);
    }

    public Config withGraph(TaskGraph g) {
        return new Config(g, kernel, outputBytes);
    }

    /** The configuration a task was given, parsed once per JVM. */
    static Config ofSpec(String spec) {
        Config c = BY_SPEC.get(spec);
        if (c == null) {
            c = parse(spec.split(" "), new ArrayList<>());
            BY_SPEC.putIfAbsent(spec, c);
        }
        return c;
    }

    /**
     * Reads Task Bench's flags; anything else is added to {@code rest} for the caller.
     *
     * @throws IllegalArgumentException naming the flag and the accepted values
     */
    public static Config parse(String[] args, List<String> rest) {
        Dependence type = Dependence.TRIVIAL;
        int width = 4;
        int steps = 4;
        int radix = 3;
        int period = -1;
        double fraction = 0.25;
        Kernel.Type kernel = Kernel.Type.EMPTY;
        long iterations = 0;
        double imbalance = 0;
        int scratch = 0;
        int samples = 16;
        int output = 16;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "-type": type = Dependence.of(value(args, ++i, flag)); break;
                case "-width": width = Integer.parseInt(value(args, ++i, flag)); break;
                case "-steps": steps = Integer.parseInt(value(args, ++i, flag)); break;
                case "-radix": radix = Integer.parseInt(value(args, ++i, flag)); break;
                case "-period": period = Integer.parseInt(value(args, ++i, flag)); break;
                case "-fraction": fraction = Double.parseDouble(value(args, ++i, flag)); break;
                case "-kernel": kernel = Kernel.Type.of(value(args, ++i, flag)); break;
                case "-iter": iterations = Long.parseLong(value(args, ++i, flag)); break;
                case "-imbalance": imbalance = Double.parseDouble(value(args, ++i, flag)); break;
                case "-scratch": scratch = Integer.parseInt(value(args, ++i, flag)); break;
                case "-sample": samples = Integer.parseInt(value(args, ++i, flag)); break;
                case "-output": output = Integer.parseInt(value(args, ++i, flag)); break;
                default: rest.add(flag);
            }
        }
        if (period < 0) {
            // Task Bench's default, 3, shortened for spread to what the width allows (at width 2, 1).
            period = type == Dependence.SPREAD ? Math.max(1, Math.min(3, (width + radix - 1) / Math.max(1, radix)))
                    : type.hasPeriod() ? 3 : 0;
        }
        return new Config(new TaskGraph(type, width, steps, radix, period, fraction),
                new Kernel(kernel, iterations, imbalance, scratch, samples), output);
    }

    static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException("flag " + flag + " needs a value");
        }
        return args[i];
    }

    /** The dependencies of (t, p), as {@link TaskGraph#dependencies}, from a table made once. */
    int[] dependencies(int t, int p) {
        int[][][] table = dependencies;
        if (table == null) {
            table = new int[graph.steps()][][];
            for (int s = 0; s < graph.steps(); s++) {
                table[s] = new int[graph.width()][];
                for (int q = graph.offset(s); q < graph.offset(s) + graph.widthAt(s); q++) {
                    table[s][q] = graph.dependencies(s, q);
                }
            }
            dependencies = table; // racing threads build equal tables
        }
        return table[t][p];
    }

    /** FLOPs of the whole graph. */
    public long flops() {
        long f = 0;
        for (int t = 0; t < graph.steps(); t++) {
            for (int p = graph.offset(t); p < graph.offset(t) + graph.widthAt(t); p++) {
                f += kernel.flops(t, p);
            }
        }
        return f;
    }

    /** Bytes the kernels of the whole graph move. */
    public long bytes() {
        long b = 0;
        for (int t = 0; t < graph.steps(); t++) {
            for (int p = graph.offset(t); p < graph.offset(t) + graph.widthAt(t); p++) {
                b += kernel.bytes(t, p);
            }
        }
        return b;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s", spec);
    }
}
