package io.weft.benchmarks.taskbench;

import io.weft.api.Task;

/**
 * The tasks of the graph: one call per point and step. Each takes its dependencies' outputs of the step before as
 * separate {@code @In} parameters and returns its own output (a placeholder under the agent).
 *
 * <p>Why one method per arity, up to 16: Weft sees an array argument as one datum and, before submitting, waits in
 * the calling thread for pending results stored in it, which would make the program wait for step t-1 before it
 * could submit step t. Separate parameters give the runtime one read dependency per input and let the whole graph
 * be submitted ahead. A graph whose tasks have more than 16 dependencies (all_to_all or nearest wider than 16)
 * is rejected before it runs.
 *
 * <p>The overloads differ only in arity (generated once, by a few lines of Python); {@link #call} picks the one
 * that fits.
 */
final class PointTasks {
    /** The most dependencies a task may have. */
    static final int MAX_ARITY = 16;

    private PointTasks() {}

    /** Calls the task of (t, p) with its inputs: a task call under the agent, a plain call without it. */
    static PointOutput call(String spec, int t, int p, PointOutput[] in) {
        switch (in.length) {
            case 0: return point0(spec, t, p);
            case 1: return point1(spec, t, p, in[0]);
            case 2: return point2(spec, t, p, in[0], in[1]);
            case 3: return point3(spec, t, p, in[0], in[1], in[2]);
            case 4: return point4(spec, t, p, in[0], in[1], in[2], in[3]);
            case 5: return point5(spec, t, p, in[0], in[1], in[2], in[3], in[4]);
            case 6: return point6(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5]);
            case 7: return point7(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6]);
            case 8: return point8(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7]);
            case 9: return point9(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8]);
            case 10: return point10(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9]);
            case 11: return point11(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9],
                    in[10]);
            case 12: return point12(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9],
                    in[10], in[11]);
            case 13: return point13(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9],
                    in[10], in[11], in[12]);
            case 14: return point14(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9],
                    in[10], in[11], in[12], in[13]);
            case 15: return point15(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9],
                    in[10], in[11], in[12], in[13], in[14]);
            case 16: return point16(spec, t, p, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9],
                    in[10], in[11], in[12], in[13], in[14], in[15]);
            default:
                throw new IllegalArgumentException("task (" + t + ", " + p + ") has " + in.length
                        + " dependencies; at most " + MAX_ARITY + " are supported");
        }
    }

    /**
     * The body of every task: checks that input i is the output of (t-1, i-th dependency), as Task Bench's
     * validation does, runs the kernel and makes the output.
     *
     * @throws IllegalStateException naming the task, the input, and what it expected and got
     */
    static PointOutput execute(String spec, int t, int p, PointOutput... in) {
        Config c = Config.ofSpec(spec);
        int[] deps = c.dependencies(t, p);
        if (deps.length != in.length) {
            throw new IllegalStateException("task (" + t + ", " + p + ") got " + in.length + " inputs, expected "
                    + deps.length);
        }
        long digest = Hash.combine(Hash.combine(Hash.SEED, t), p);
        for (int i = 0; i < in.length; i++) {
            long[] w = in[i].words;
            for (int k = 0; k < w.length; k += 2) {
                if (w[k] != t - 1 || w[k + 1] != deps[i]) {
                    throw new IllegalStateException("task (" + t + ", " + p + "), input " + i + ", word " + k
                            + ": expected the output of (" + (t - 1) + ", " + deps[i] + "), got (" + w[k] + ", "
                            + w[k + 1] + ")");
                }
            }
            digest = Hash.combine(digest, in[i].digest);
        }
        double sink = c.kernel().execute(t, p);
        return new PointOutput(t, p, c.outputBytes(), digest, sink);
    }

    @Task
    static PointOutput point0(String spec, int t, int p) {
        return execute(spec, t, p);
    }

    @Task
    static PointOutput point1(String spec, int t, int p, PointOutput i0) {
        return execute(spec, t, p, i0);
    }

    @Task
    static PointOutput point2(String spec, int t, int p, PointOutput i0, PointOutput i1) {
        return execute(spec, t, p, i0, i1);
    }

    @Task
    static PointOutput point3(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2) {
        return execute(spec, t, p, i0, i1, i2);
    }

    @Task
    static PointOutput point4(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2,
            PointOutput i3) {
        return execute(spec, t, p, i0, i1, i2, i3);
    }

    @Task
    static PointOutput point5(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2, PointOutput i3,
            PointOutput i4) {
        return execute(spec, t, p, i0, i1, i2, i3, i4);
    }

    @Task
    static PointOutput point6(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2, PointOutput i3,
            PointOutput i4, PointOutput i5) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5);
    }

    @Task
    static PointOutput point7(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2, PointOutput i3,
            PointOutput i4, PointOutput i5, PointOutput i6) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6);
    }

    @Task
    static PointOutput point8(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2, PointOutput i3,
            PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7);
    }

    @Task
    static PointOutput point9(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2, PointOutput i3,
            PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7, PointOutput i8) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7, i8);
    }

    @Task
    static PointOutput point10(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2,
            PointOutput i3, PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7, PointOutput i8,
            PointOutput i9) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9);
    }

    @Task
    static PointOutput point11(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2,
            PointOutput i3, PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7, PointOutput i8,
            PointOutput i9, PointOutput i10) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10);
    }

    @Task
    static PointOutput point12(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2,
            PointOutput i3, PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7, PointOutput i8,
            PointOutput i9, PointOutput i10, PointOutput i11) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11);
    }

    @Task
    static PointOutput point13(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2,
            PointOutput i3, PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7, PointOutput i8,
            PointOutput i9, PointOutput i10, PointOutput i11, PointOutput i12) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12);
    }

    @Task
    static PointOutput point14(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2,
            PointOutput i3, PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7, PointOutput i8,
            PointOutput i9, PointOutput i10, PointOutput i11, PointOutput i12, PointOutput i13) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13);
    }

    @Task
    static PointOutput point15(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2,
            PointOutput i3, PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7, PointOutput i8,
            PointOutput i9, PointOutput i10, PointOutput i11, PointOutput i12, PointOutput i13, PointOutput i14) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14);
    }

    @Task
    static PointOutput point16(String spec, int t, int p, PointOutput i0, PointOutput i1, PointOutput i2,
            PointOutput i3, PointOutput i4, PointOutput i5, PointOutput i6, PointOutput i7, PointOutput i8,
            PointOutput i9, PointOutput i10, PointOutput i11, PointOutput i12, PointOutput i13, PointOutput i14,
            PointOutput i15) {
        return execute(spec, t, p, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15);
    }
}
