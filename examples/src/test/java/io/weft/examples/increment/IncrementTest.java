package io.weft.examples.increment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementTest {
    @Test
    void increment_addsOneToTheNumberInTheFile(@TempDir Path dir) throws Exception {
        Path counter = dir.resolve("c.txt");
        Files.writeString(counter, "41\n");

        Increment.increment(counter);

        assertThat(Files.readString(counter).trim()).isEqualTo("42");
    }

    @Test
    void main_leavesEachCounterAtItsStartPlusTheNumberOfIncrements(@TempDir Path dir) throws Exception {
        int increments = 5;
        long initial = 7;

        String output = runMain(Integer.toString(increments), Long.toString(initial), dir.toString());

        List<String> expected = new ArrayList<>();
        for (int c = 0; c < Increment.COUNTERS; c++) {
            long value = initial + 10L * c + increments;
            expected.add("counter-" + (c + 1) + ".txt = " + value);
            assertThat(Files.readString(dir.resolve("counter-" + (c + 1) + ".txt")).trim())
                    .isEqualTo(Long.toString(value));
        }
        assertThat(output.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void main_withDefaults_printsThreeIncrementsFromZeroTenAndTwenty() throws Exception {
        assertThat(runMain().lines())
                .containsExactly("counter-1.txt = " + (0 + 3), "counter-2.txt = " + (10 + 3),
                        "counter-3.txt = " + (20 + 3));
    }

    private static String runMain(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Increment.main(args);
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
