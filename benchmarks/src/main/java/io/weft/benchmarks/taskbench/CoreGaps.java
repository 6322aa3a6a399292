package io.weft.benchmarks.taskbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gap between one task's end and the next task's start on the same core, read from a placement record
 * ({@code placements=FILE}, one JSON object per task): the median, the 90th percentile, and how busy the cores
 * were between their first start and last end. Run without the agent: {@code CoreGaps FILE [NAME-PREFIX]}, where
 * the prefix (e.g. {@code PointTasks.}) keeps only the tasks whose name starts with it.
 *
 * <p>In local mode the times are one clock's. With worker processes they are the master's (see
 * {@code io.weft.benchmarks.Placements}), so a gap then also holds the report's trip to the master.
 */
public final class CoreGaps {
    private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]*)\"");
    private static final Pattern NODE = Pattern.compile("\"node\":\"([^\"]*)\"");
    private static final Pattern CORES = Pattern.compile("\"cores\":\\[([0-9,]*)\\]");
    private static final Pattern START = Pattern.compile("\"startNanos\":(-?[0-9]+)");
    private static final Pattern END = Pattern.compile("\"endNanos\":(-?[0-9]+)");

    private CoreGaps() {}

    /** What the record says about the gaps; times in µs. */
    record Summary(int tasks, int cores, double medianMicros, double p90Micros, double busy) {}

    static Summary summarise(List<String> lines, String prefix) {
        Map<String, List<long[]>> byCore = new TreeMap<>();
        int tasks = 0;
        for (String line : lines) {
            Matcher name = NAME.matcher(line);
            if (line.isBlank() || !name.find() || !name.group(1).startsWith(prefix)) {
                continue;
            }
            String core = group(NODE, line) + "/" + group(CORES, line);
            long start = Long.parseLong(group(START, line));
            long end = Long.parseLong(group(END, line));
            byCore.computeIfAbsent(core, k -> new ArrayList<>()).add(new long[] {start, end});
            tasks++;
        }
        List<Long> gaps = new ArrayList<>();
        long busy = 0;
        long span = 0;
        for (List<long[]> runs : byCore.values()) {
            runs.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 0; i < runs.size(); i++) {
                busy += runs.get(i)[1] - runs.get(i)[0];
                if (i > 0) {
                    gaps.add(Math.max(0, runs.get(i)[0] - runs.get(i - 1)[1]));
                }
            }
            span += runs.get(runs.size() - 1)[1] - runs.get(0)[0];
        }
        long[] sorted = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Summary(tasks, byCore.size(), percentile(sorted, 0.5) / 1e3, percentile(sorted, 0.9) / 1e3,
                span == 0 ? 0 : (double) busy / span);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static String group(Pattern p, String line) {
        Matcher m = p.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("not a placement line (no " + p + "): " + line);
        }
        return m.group(1);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: CoreGaps PLACEMENTS.jsonl [NAME-PREFIX]");
            System.exit(2);
        }
        Summary s = summarise(Files.readAllLines(Path.of(args[0])), args.length > 1 ? args[1] : "");
        System.out.printf(Locale.ROOT, "core gaps: %d tasks on %d cores, gap between tasks on a core: median %.1f us,"
                + " p90 %.1f us; cores busy %.0f%% between their first start and last end%n", s.tasks(), s.cores(),
                s.medianMicros(), s.p90Micros(), s.busy() * 100);
    }
}
