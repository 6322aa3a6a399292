package io.weft.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogTest {
    private final Log log = Log.of(RunLogTest.class);
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream standardError;

    @TempDir
    Path folder;

    @BeforeEach
    void captureStandardError() {
        standardError = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        RunLog.close();
        System.setErr(standardError);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAFile_onlyWarningsAndErrorsReachStandardError_asGiven() {
        log.info("weft: an info line");
        log.debug("weft: a debug line");
        log.warn("weft: warning: a warning line");
        log.error("weft: error: an error line");

        assertThat(stderr()).isEqualTo("weft: warning: a warning line" + System.lineSeparator()
                + "weft: error: an error line" + System.lineSeparator());
        assertThat(RunLog.file()).isNull();
        assertThat(log.isEnabled(LogLevel.WARN)).isFalse();
    }

    @Test
    void aFileAtInfo_getsInfoAndAbove_andStandardErrorStillOnlyWarnings() throws IOException {
        Path file = folder.resolve("master.log");
        RunLog.toFile(file, LogLevel.INFO);
        log.info("the run starts");
        log.debug("a detail");
        log.debug(() -> { throw new AssertionError("a debug message is not made at INFO"); });
        log.warn("weft: warning: careful");
        log.console("weft: 3 tasks, 0 failed");
        RunLog.close();

        String text = Files.readString(file);
        assertThat(text).contains("INFO  [main] RunLogTest: the run starts")
                .contains("WARN  [main] RunLogTest: weft: warning: careful")
                .contains("INFO  [main] RunLogTest: weft: 3 tasks, 0 failed")
                .doesNotContain("a detail");
        assertThat(text.lines()).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"));
        assertThat(stderr()).isEqualTo("weft: warning: careful" + System.lineSeparator()
                + "weft: 3 tasks, 0 failed" + System.lineSeparator());
    }

    @Test
    void aFileAtDebug_getsDebugToo_andStackTraces() throws IOException {
        Path file = folder.resolve("workers").resolve("worker1.log"); // its folder is made
        RunLog.toFile(file, LogLevel.DEBUG);
        log.debug(() -> "a detail {} with braces");
        log.trace(() -> "finer still");
        log.error("weft: error: it broke", new IllegalStateException("the cause"));
        RunLog.close();

        String text = Files.readString(file);
        assertThat(text).contains("DEBUG [main] RunLogTest: a detail {} with braces")
                .contains("ERROR [main] RunLogTest: weft: error: it broke")
                .contains("java.lang.IllegalStateException: the cause")
                .contains("at io.weft.log.RunLogTest.aFileAtDebug")
                .doesNotContain("finer still");
        assertThat(stderr()).startsWith("weft: error: it broke" + System.lineSeparator()
                + "java.lang.IllegalStateException: the cause");
    }

    @Test
    void aFileAtWarn_getsWarningsOnly() throws IOException {
        Path file = folder.resolve("master.log");
        RunLog.toFile(file, LogLevel.WARN);
        log.info("not this");
        log.warn("weft: warning: this");
        RunLog.close();

        assertThat(Files.readString(file)).contains("weft: warning: this").doesNotContain("not this");
    }

    @Test
    void messagesFromManyThreads_allArrive() throws Exception {
        Path file = folder.resolve("master.log");
        RunLog.toFile(file, LogLevel.INFO);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int n = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    log.info("thread " + n + " line " + i);
                }
            }, "logger-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        RunLog.close();

        assertThat(Files.readAllLines(file)).hasSize(200);
    }

    @Test
    void aFileThatCannotBeWritten_isSaidOnce_andTheRunGoesOn() throws IOException {
        Path notAFolder = Files.writeString(folder.resolve("plain"), "x");
        RunLog.toFile(notAFolder.resolve("master.log"), LogLevel.INFO);
        log.info("lost");
        log.warn("weft: warning: still said");
        RunLog.close();

        assertThat(stderr().lines()).hasSize(2).contains("weft: warning: still said")
                .anyMatch(l -> l.startsWith("weft: warning: cannot write the log file "
                        + notAFolder.resolve("master.log")));
    }

    @Test
    void messagesLoggedWhileTheFileOpens_keepTheirOrderAndThread() throws Exception {
        Path file = folder.resolve("master.log");
        RunLog.toFile(file, LogLevel.INFO);
        for (int i = 0; i < 100; i++) {
            log.info("line " + i); // the first ones, at least, while log4j2 loads
        }
        RunLog.close();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(lines.get(i)).endsWith("INFO  [main] RunLogTest: line " + i);
        }
    }

    @Test
    void timesAreWrittenAsJavaTimeWouldWriteThem() {
        java.time.format.DateTimeFormatter expected = java.time.format.DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm:ss.SSS");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            long millis = (long) (random.nextDouble() * 5_000_000_000_000L) - 1_000_000_000_000L;
            StringBuilder line = new StringBuilder();
            LogLines.time(line, millis);
            assertThat(line.toString()).isEqualTo(expected.format(java.time.LocalDateTime.ofEpochSecond(
                    Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000,
                    java.time.ZoneOffset.UTC)));
        }
    }

    @Test
    void aProcessThatEndsBeforeLog4jLoads_writesTheSameLinesWithoutIt() throws IOException {
        Path plain = folder.resolve("plain.log");
        Path log4j = folder.resolve("log4j.log");
        Throwable thrown = new IllegalStateException("the cause");
        new PlainFile(plain).write(LogLevel.WARN, "a.b.C", "weft: warning: w", thrown, 1_000_000L, "main");
        LogFile file = Log4jFile.open(log4j, LogLevel.INFO);
        file.write(LogLevel.WARN, "a.b.C", "weft: warning: w", thrown, 1_000_000L, "main");
        file.close();

        assertThat(Files.readString(plain)).isEqualTo(Files.readString(log4j)).contains("WARN  [main] C: weft:");
    }

    @Test
    void levels_parseAsWritten_andNameTheAcceptedOnes() {
        assertThat(LogLevel.parse("Debug")).isEqualTo(LogLevel.DEBUG);
        assertThat(LogLevel.INFO.includes(LogLevel.WARN)).isTrue();
        assertThat(LogLevel.INFO.includes(LogLevel.DEBUG)).isFalse();
        assertThatThrownBy(() -> LogLevel.parse("verbose")).hasMessage(
                "'verbose' is not a log level: expected one of warn, info, debug, trace");
    }
}
