package io.weft.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the placement record a run writes with the {@code placements} option: one flat JSON object per line. */
record Placements(List<Entry> entries) {
    /** Where one task ran. */
    record Entry(long task, String name, String implementation, String node, List<Integer> cores, List<Integer> gpus,
            int attempt, long startNanos, long endNanos, boolean failed) {
        boolean overlaps(Entry other) {
            return startNanos < other.endNanos && other.startNanos < endNanos;
        }
    }

    private static final Pattern LINE = Pattern.compile("\\{\"task\":(\\d+),\"name\":\"([^\"]*)\",\"implementation\":"
            + "\"([^\"]*)\",\"node\":\"([^\"]*)\",\"cores\":\\[([0-9,]*)],\"gpus\":\\[([0-9,]*)],\"attempt\":(\\d+),"
            + "\"startNanos\":(-?\\d+),\"endNanos\":(-?\\d+),\"failed\":(true|false)}");

    static Placements read(Path file) throws IOException {
        return new Placements(Files.readAllLines(file).stream().map(Placements::parse).toList());
    }

    private static Entry parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("not a placement record line: " + line);
        }
        return new Entry(Long.parseLong(m.group(1)), m.group(2), m.group(3), m.group(4), ids(m.group(5)),
                ids(m.group(6)), Integer.parseInt(m.group(7)), Long.parseLong(m.group(8)), Long.parseLong(m.group(9)),
                Boolean.parseBoolean(m.group(10)));
    }

    private static List<Integer> ids(String list) {
        return list.isEmpty() ? List.of() : Arrays.stream(list.split(",")).map(Integer::valueOf).toList();
    }

    List<Entry> named(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).toList();
    }
}
