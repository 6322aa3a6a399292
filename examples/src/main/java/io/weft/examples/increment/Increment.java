package io.weft.examples.increment;

import io.weft.api.InOut;
import io.weft.api.Task;
import io.weft.api.Weft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Demonstrates an {@code @InOut} <em>file</em> parameter: each call of {@link #increment(Path)} reads the number
 * in a counter file, adds one and writes it back.
 *
 * <p>The main program writes the initial values itself, calls the task {@code N} times on each of three
 * independent counters (so the three chains may run in parallel, while each chain stays in program order), and
 * then reads the files back with ordinary {@code java.nio} code, which waits for the tasks that write them.
 *
 * <p>Usage: {@code Increment [increments=3] [initialValue=0] [directory=a new temporary directory]}. Counter
 * {@code i} (1, 2, 3) starts at {@code initialValue + 10 * (i - 1)} and is printed as
 * {@code counter-i.txt = value}. A temporary directory is deleted at the end; a given one is kept.
 */
public final class Increment {
    /** How many independent counters the example updates. */
    static final int COUNTERS = 3;

    private Increment() {}

    /** The task: adds one to the number stored, as decimal text, in {@code counter}. */
    @Task
    static void increment(@InOut Path counter) {
        try {
            long value = Long.parseLong(Files.readString(counter, StandardCharsets.UTF_8).trim());
            Files.writeString(counter, Long.toString(value + 1), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update counter " + counter, e);
        }
    }

    public static void main(String[] args) throws IOException {
        int increments = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long initialValue = args.length > 1 ? Long.parseLong(args[1]) : 0;
        boolean temporary = args.length <= 2;
        Path directory = temporary ? Files.createTempDirectory("weft-increment") : Path.of(args[2]);
        Files.createDirectories(directory);

        Path[] counters = new Path[COUNTERS];
        for (int c = 0; c < COUNTERS; c++) {
            counters[c] = directory.resolve("counter-" + (c + 1) + ".txt");
            Files.writeString(counters[c], Long.toString(initialValue + 10L * c), StandardCharsets.UTF_8);
        }

        // Interleaved on purpose: the dependencies come from the files, not from the order of the calls.
        for (int i = 0; i < increments; i++) {
            for (Path counter : counters) {
                increment(counter);
            }
        }

        for (Path counter : counters) {
            String value = Files.readString(counter, StandardCharsets.UTF_8).trim();
            System.out.println(counter.getFileName() + " = " + value);
        }

        if (temporary) {
            for (Path counter : counters) {
                Weft.deleteFile(counter);
            }
            Files.deleteIfExists(directory);
        }
    }
}
