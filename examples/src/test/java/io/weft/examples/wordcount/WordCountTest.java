package io.weft.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordCountTest {
    @Test
    void countAll_equalsASinglePassCountOverAllFiles(@TempDir Path dir) throws Exception {
        List<Path> files = WordCount.generateInputs(dir, 5, 777);

        WordCounts counts = WordCount.countAll(files);

        Map<String, Long> expected = new HashMap<>();
        for (Path file : files) {
            for (String word : Files.readString(file).split("\\s+")) {
                if (!word.isEmpty()) {
                    expected.merge(word, 1L, Long::sum);
                }
            }
        }
        assertThat(counts.asMap()).isEqualTo(expected);
        assertThat(counts.total()).isEqualTo(5 * 777);
        assertThat(expected.keySet()).isSubsetOf(WordCount.VOCABULARY);
    }

    @Test
    void merge_returnsANewSum_andLeavesItsInputsAlone() {
        WordCounts a = new WordCounts();
        a.add("x", 2);
        a.add("y", 1);
        WordCounts b = new WordCounts();
        b.add("y", 3);
        b.add("z", 4);

        WordCounts sum = WordCount.merge(a, b);

        assertThat(sum).isNotSameAs(a).isNotSameAs(b);
        assertThat(sum.asMap()).isEqualTo(Map.of("x", 2L, "y", 4L, "z", 4L));
        assertThat(a.asMap()).isEqualTo(Map.of("x", 2L, "y", 1L));
        assertThat(b.asMap()).isEqualTo(Map.of("y", 3L, "z", 4L));
    }

    @Test
    void top_sortsByCountDescendingThenByWord() {
        WordCounts counts = new WordCounts();
        counts.add("b", 5);
        counts.add("a", 5);
        counts.add("c", 9);
        counts.add("d", 1);

        assertThat(counts.top(3)).containsExactly(Map.entry("c", 9L), Map.entry("a", 5L), Map.entry("b", 5L));
    }

    @Test
    void main_printsTheTotalGenerated_andTheTopTenOfAnIndependentCount(@TempDir Path dir) throws Exception {
        String output = runMain("3", "1000", dir.toString());

        Map<String, Long> expected = new HashMap<>();
        for (int f = 0; f < 3; f++) {
            Path file = dir.resolve(String.format(Locale.ROOT, "part-%02d.txt", f));
            for (String word : Files.readString(file).split("\\s+")) {
                if (!word.isEmpty()) {
                    expected.merge(word, 1L, Long::sum);
                }
            }
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(expected.entrySet());
        sorted.sort((x, y) -> !x.getValue().equals(y.getValue())
                ? Long.compare(y.getValue(), x.getValue()) : x.getKey().compareTo(y.getKey()));
        List<String> expectedLines = new ArrayList<>();
        expectedLines.add("files = 3, words = 3000, distinct = " + expected.size());
        expectedLines.add("top 10:");
        for (Map.Entry<String, Long> e : sorted.subList(0, 10)) {
            expectedLines.add(String.format(Locale.ROOT, "%-10s %6d", e.getKey(), e.getValue()));
        }
        assertThat(output.lines()).containsExactlyElementsOf(expectedLines);
    }

    private static String runMain(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            WordCount.main(args);
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
