package io.weft.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the placement records ({@code placements=FILE}) of the distributed benchmarks, run without the agent by
 * {@code cluster.sh}.
 *
 * <p>The times of a task run by a worker process are the master's: {@code endNanos} is when its report arrived,
 * {@code startNanos} that minus the run time the worker measured. So, for a task B that waits for a task A, the gap
 * {@code B.startNanos - A.endNanos} is everything between A's report and B's start on its worker: the master's
 * handling, the message to the worker, fetching and deserialising B's inputs, queuing on an executor.
 *
 * <ul>
 *   <li>{@code chain FILE}: for the INOUT chain, the fraction of consecutive links that ran on different workers,
 *       links per node, and the median run time and gap of a link.
 *   <li>{@code transfer CROSS SAME MB}: for {@code ObjectTransfer} run once with the reader on the other worker
 *       (CROSS) and once on the writer's worker (SAME), the gap before each checksum task, and the transfer it
 *       implies: the difference of the two runs' gaps, MB divided by it. The first round of each run is dropped
 *       (warm-up: JIT, the serialiser's code generation, the connection to the peer). Also prints the time from
 *       each reader's report to the next writer's start: the datum has gone quiet, so the master fetches the block
 *       home then (on its analyser thread), although the program never reads it.
 * </ul>
 */
public final class Placements {
    private Placements() {}

    record Line(long task, String name, String node, long start, long end) {}

    private static final Pattern TASK = Pattern.compile("\"task\":(\\d+)");
    private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]*)\"");
    private static final Pattern NODE = Pattern.compile("\"node\":\"([^\"]*)\"");
    private static final Pattern START = Pattern.compile("\"startNanos\":(-?\\d+)");
    private static final Pattern END = Pattern.compile("\"endNanos\":(-?\\d+)");

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("chain")) {
            chain(read(Path.of(args[1])));
        } else if (args.length == 4 && args[0].equals("transfer")) {
            transfer(read(Path.of(args[1])), read(Path.of(args[2])), Double.parseDouble(args[3]));
        } else {
            System.err.println("usage: Placements chain FILE | Placements transfer CROSS_FILE SAME_FILE MB");
            System.exit(2);
        }
    }

    static List<Line> read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (String s : Files.readAllLines(file)) {
            if (!s.isBlank()) {
                lines.add(new Line(Long.parseLong(find(TASK, s)), find(NAME, s), find(NODE, s),
                        Long.parseLong(find(START, s)), Long.parseLong(find(END, s))));
            }
        }
        lines.sort(Comparator.comparingLong(Line::task));
        return lines;
    }

    private static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + p + " in " + s);
        }
        return m.group(1);
    }

    private static void chain(List<Line> links) {
        Map<String, Integer> perNode = new TreeMap<>();
        links.forEach(l -> perNode.merge(l.node(), 1, Integer::sum));
        int changes = 0;
        long[] gaps = new long[Math.max(0, links.size() - 1)];
        long[] runs = links.stream().mapToLong(l -> l.end() - l.start()).toArray();
        for (int i = 1; i < links.size(); i++) {
            if (!links.get(i).node().equals(links.get(i - 1).node())) {
                changes++;
            }
            gaps[i - 1] = links.get(i).start() - links.get(i - 1).end();
        }
        System.out.printf(Locale.ROOT, "alternation: %d of %d consecutive links on different workers (%.3f); links"
                + " per node %s%n", changes, gaps.length, gaps.length == 0 ? 0.0 : (double) changes / gaps.length,
                perNode);
        System.out.printf(Locale.ROOT, "per link, medians: run on the worker %.1f us, gap from one link's report to"
                + " the next one's start %.1f us%n", median(runs) / 1e3, median(gaps) / 1e3);
    }

    /** Per round, after the first: [gap before the checksum, checksum end - producer end, checksum run, home]. */
    private static long[][] rounds(List<Line> lines, String label) {
        List<long[]> rounds = new ArrayList<>();
        int other = 0;
        for (int i = 0; i + 1 < lines.size(); i++) {
            Line p = lines.get(i);
            Line c = lines.get(i + 1);
            if (!p.name().endsWith(".produce") || !c.name().endsWith(".checksum")) {
                continue;
            }
            if (!p.node().equals(c.node())) {
                other++;
            }
            // From the checksum's report to the next producer's start: nothing moves the block home any more.
            long next = i + 2 < lines.size() ? lines.get(i + 2).start() - c.end() : -1;
            rounds.add(new long[] {c.start() - p.end(), c.end() - p.end(), c.end() - c.start(), next});
        }
        long[][] kept = rounds.subList(Math.min(1, rounds.size()), rounds.size()).toArray(long[][]::new);
        System.out.printf(Locale.ROOT, "%s: reader on the other worker in %d of %d rounds; medians (best) of the"
                + " last %d:%n   gap before the reader %.1f ms (%.1f); reader's end - writer's end %.1f ms (%.1f);"
                + " reader's run %.1f ms%n   reader's end to the next writer's start %.1f ms (a block nobody"
                + " touches stays on its worker)%n", label, other, rounds.size(), kept.length, median(column(kept, 0)) / 1e6,
                min(column(kept, 0)) / 1e6, median(column(kept, 1)) / 1e6, min(column(kept, 1)) / 1e6,
                median(column(kept, 2)) / 1e6, median(Arrays.stream(column(kept, 3)).filter(v -> v >= 0).toArray()) / 1e6);
        return kept;
    }

    private static void transfer(List<Line> cross, List<Line> same, double mb) {
        long[] crossGaps = column(rounds(cross, "other worker"), 0);
        long[] sameGaps = column(rounds(same, "same worker "), 0);
        double medianMs = (median(crossGaps) - median(sameGaps)) / 1e6;
        double bestMs = (min(crossGaps) - min(sameGaps)) / 1e6;
        System.out.printf(Locale.ROOT, "transfer (other-worker gap - same-worker gap): median %.1f ms = %.0f MB/s,"
                + " best %.1f ms = %.0f MB/s%n", medianMs, mb / (medianMs / 1e3), bestMs, mb / (bestMs / 1e3));
    }

    private static long[] column(long[][] rows, int i) {
        return Arrays.stream(rows).mapToLong(r -> r[i]).toArray();
    }

    private static double min(long[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    /** The median (the lower middle value for an even count). */
    private static double median(long[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        long[] s = v.clone();
        Arrays.sort(s);
        return s[(s.length - 1) / 2];
    }
}
