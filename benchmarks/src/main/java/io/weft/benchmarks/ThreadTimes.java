package io.weft.benchmarks;

import io.weft.api.Weft;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a program's time went, thread by thread: runs another benchmark's {@code main}, waits for its tasks, and
 * prints to standard error, for each thread of this JVM that ran at least a millisecond, how long it ran on a core
 * and how long it was ready to run but waited for one (Linux's {@code /proc/self/task/<tid>/schedstat}), and how
 * often it gave up its core (parked, slept) or was made to (its time was up, or another thread took the core).
 * On a machine with few cores, the second column says which threads the others lost time to: the JIT compilers, the
 * runtime's threads, the program's. Linux only.
 *
 * <p>Usage: {@code ThreadTimes CLASS [ARGS...]}, with or without the agent, e.g.
 * {@code java -javaagent:weft-agent.jar -cp … io.weft.benchmarks.ThreadTimes io.weft.benchmarks.Cholesky 16 256}.
 */
public final class ThreadTimes {
    private ThreadTimes() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ThreadTimes CLASS [ARGS...]");
            System.exit(2);
        }
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        Weft.barrier(); // the program's tasks have ended (without the agent: nothing to wait for)
        System.err.print(table(Path.of("/proc/self/task")));
    }

    /** One line per thread that ran at least a millisecond, the longest-running first, and the totals. */
    static String table(Path tasks) throws IOException {
        if (!Files.isDirectory(tasks)) {
            return "thread times: " + tasks + " is not there (Linux only)\n";
        }
        List<long[]> times = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path t : threads) {
                try {
                    String[] sched = Files.readString(t.resolve("schedstat")).trim().split(" ");
                    String status = Files.readString(t.resolve("status"));
                    long[] row = {Long.parseLong(sched[0]), Long.parseLong(sched[1]),
                        switches(status, "\nvoluntary_ctxt_switches:"),
                        switches(status, "\nnonvoluntary_ctxt_switches:")};
                    if (row[0] >= 1_000_000) {
                        times.add(row);
                        names.add(Files.readString(t.resolve("comm")).trim());
                    }
                } catch (IOException | RuntimeException gone) {
                    // The thread ended while it was read.
                }
            }
        }
        Integer[] order = new Integer[times.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(times.get(b)[0], times.get(a)[0]));
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-16s %10s %14s %10s %10s%n", "thread",
                "ran ms", "waited ms", "gave up", "made to"));
        long[] sum = new long[4];
        for (int i : order) {
            long[] r = times.get(i);
            out.append(String.format(Locale.ROOT, "%-16s %10.1f %14.1f %10d %10d%n", names.get(i), r[0] / 1e6,
                    r[1] / 1e6, r[2], r[3]));
            for (int k = 0; k < 4; k++) {
                sum[k] += r[k];
            }
        }
        out.append(String.format(Locale.ROOT, "%-16s %10.1f %14.1f %10d %10d%n", "all", sum[0] / 1e6, sum[1] / 1e6,
                sum[2], sum[3]));
        return out.toString();
    }

    /** The count on the line that starts with {@code field} (given with the line break before it). */
    private static long switches(String status, String field) {
        int at = status.indexOf(field);
        if (at < 0) {
            return 0;
        }
        int from = at + field.length();
        int end = status.indexOf('\n', from);
        return Long.parseLong(status.substring(from, end < 0 ? status.length() : end).trim());
    }
}
