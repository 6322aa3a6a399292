package io.weft.benchmarks;

import io.weft.api.Task;
import java.util.Locale;

/**
 * One long task, then many short independent ones: how soon are the short ones done? With two cores, one runs the
 * long task while the other should run every short one; a short task queued behind the long one waits for it.
 *
 * <p>Usage: {@code LongAndShort [longMs=3000] [short=40] [shortMs=25]}. Prints how many short tasks ran, and on
 * standard error the time from the start of {@code main} until every short task had ended (the program touches
 * their results) and until the long one had.
 */
public final class LongAndShort {
    private LongAndShort() {}

    /** A result, so the program can wait for a task by touching it. */
    static final class Done {
        final int id;

        Done(int id) {
            this.id = id;
        }
    }

    @Task
    static Done work(int id, long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
            x++;
        }
        return new Done(x >= 0 ? id : -id);
    }

    public static void main(String[] args) {
        long longMs = args.length > 0 ? Long.parseLong(args[0]) : 3000;
        int shorts = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        long shortMs = args.length > 2 ? Long.parseLong(args[2]) : 25;
        long start = System.nanoTime();
        Done longOne = work(-1, longMs);
        Done[] done = new Done[shorts];
        for (int i = 0; i < shorts; i++) {
            done[i] = work(i, shortMs);
        }
        int sum = 0;
        for (Done d : done) {
            sum += d.id;
        }
        double shortEnd = (System.nanoTime() - start) / 1e6;
        int longId = longOne.id;
        double longEnd = (System.nanoTime() - start) / 1e6;
        System.out.printf(Locale.ROOT, "long-and-short: %d short tasks, ids sum %d, long %d%n", shorts, sum, longId);
        System.err.printf(Locale.ROOT, "long-and-short: short tasks done at %.0f ms, long at %.0f ms%n", shortEnd,
                longEnd);
    }
}
