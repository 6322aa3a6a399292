package io.weft.examples.wordcount;

import io.weft.api.Task;
import io.weft.api.Weft;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Demonstrates files as task inputs and returned objects reduced in a tree: {@link #count(Path)} reads one
 * input file and returns its {@link WordCounts}; {@link #merge(WordCounts, WordCounts)} returns a new object
 * with the sum of two partial results, leaving both untouched, so independent merges run in parallel.
 *
 * <p>The main program first writes the input files itself, deterministically: words drawn from a small fixed
 * vocabulary by a linear congruential generator, skewed so that some words are much more frequent than others.
 *
 * <p>Usage: {@code WordCount [files=8] [wordsPerFile=3000] [directory=a new temporary directory]}. Prints the
 * number of files, words and distinct words, then the ten most frequent words (by count descending, then by
 * word). A temporary directory is deleted at the end; a given one is kept.
 */
public final class WordCount {
    /** The words the inputs are made of; earlier words are drawn more often. */
    static final List<String> VOCABULARY = List.of(
            "the", "of", "and", "task", "data", "to", "in", "file", "parallel", "a",
            "runtime", "worker", "graph", "object", "java", "weft", "result", "core", "node", "version",
            "future", "block", "merge", "count");

    static final int WORDS_PER_LINE = 12;

    private WordCount() {}

    /** The task that counts the words, separated by white space, of one file. */
    @Task
    static WordCounts count(Path file) {
        WordCounts counts = new WordCounts();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                for (String word : line.split("\\s+")) {
                    if (!word.isEmpty()) {
                        counts.add(word, 1);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return counts;
    }

    /** The task that adds two partial results into a new one. */
    @Task
    static WordCounts merge(WordCounts a, WordCounts b) {
        return WordCounts.sum(a, b);
    }

    /**
     * Writes {@code files} input files {@code part-NN.txt} of {@code wordsPerFile} words each into
     * {@code directory}; file {@code i} depends on {@code i} only.
     *
     * @return the paths written, in order
     */
    static List<Path> generateInputs(Path directory, int files, int wordsPerFile) throws IOException {
        Files.createDirectories(directory);
        List<Path> paths = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            Path path = directory.resolve(String.format(Locale.ROOT, "part-%02d.txt", f));
            long state = 0x5DEECE66DL * (f + 1);
            try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
                for (int w = 0; w < wordsPerFile; w++) {
                    state = state * 6364136223846793005L + 1442695040888963407L;
                    double u = (state >>> 11) * 0x1.0p-53;
                    // u² favours small indices: a few words dominate, as in real text.
                    out.write(VOCABULARY.get((int) (u * u * VOCABULARY.size())));
                    out.write((w + 1) % WORDS_PER_LINE == 0 || w + 1 == wordsPerFile ? "\n" : " ");
                }
            }
            paths.add(path);
        }
        return paths;
    }

    /**
     * Counts the words of every file: one {@link #count} task per file, then {@link #merge} tasks pairing
     * neighbours level by level (a fixed tree, whatever order the tasks end in).
     */
    static WordCounts countAll(List<Path> files) {
        // Placeholders are kept in plain arrays: storing one does not touch it, so nothing waits here.
        WordCounts[] level = new WordCounts[files.size()];
        for (int i = 0; i < level.length; i++) {
            level[i] = count(files.get(i));
        }
        if (level.length == 0) {
            return new WordCounts();
        }
        while (level.length > 1) {
            WordCounts[] next = new WordCounts[(level.length + 1) / 2];
            for (int i = 0; i + 1 < level.length; i += 2) {
                next[i / 2] = merge(level[i], level[i + 1]);
            }
            if (level.length % 2 == 1) {
                next[next.length - 1] = level[level.length - 1];
            }
            level = next;
        }
        return level[0];
    }

    public static void main(String[] args) throws IOException {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int wordsPerFile = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        boolean temporary = args.length <= 2;
        Path directory = temporary ? Files.createTempDirectory("weft-wordcount") : Path.of(args[2]);

        List<Path> inputs = generateInputs(directory, files, wordsPerFile);
        WordCounts total = countAll(inputs);

        System.out.println(String.format(Locale.ROOT, "files = %d, words = %d, distinct = %d",
                files, total.total(), total.distinct()));
        System.out.println("top 10:");
        for (Map.Entry<String, Long> e : total.top(10)) {
            System.out.println(String.format(Locale.ROOT, "%-10s %6d", e.getKey(), e.getValue()));
        }

        if (temporary) {
            for (Path input : inputs) {
                Weft.deleteFile(input);
            }
            Files.deleteIfExists(directory);
        }
    }
}
