package io.weft.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Log4jFileTest {
    /**
     * A log file closed while the process ends (the run log's file is, when a run ends as it opens) says nothing on
     * standard error, and keeps what was written. Closing it once set up log4j2's global factory, which cannot
     * start then: "Cannot start ShutdownCallbackRegistry, already shutting down" and an ExceptionInInitializerError.
     */
    @Test
    void closedAsTheProcessEnds_saysNothing_andKeepsItsLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("master.log");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClosedAtExit.class.getName(), log.toString()))
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(err, StandardCharsets.UTF_8)).isEmpty();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(log)).contains("weft: a line before the end");
    }

    /** Opens a log file, writes a line, and closes it in a shutdown hook. */
    public static final class ClosedAtExit {
        public static void main(String[] args) {
            LogFile file = Log4jFile.open(Path.of(args[0]), LogLevel.INFO);
            file.write(LogLevel.INFO, "test", "weft: a line before the end", null, System.currentTimeMillis(), "main");
            Runtime.getRuntime().addShutdownHook(new Thread(file::close));
        }
    }
}
