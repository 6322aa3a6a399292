package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The check that spares a worker process parsing classes that cannot start a process: it looks for the exact
 * constant-pool names {@code java/lang/ProcessBuilder} and {@code java/lang/Runtime}.
 */
class ProcessStartsPreCheckTest {
    /** Throws a RuntimeException, and names Runtime nowhere else. */
    static final class Throws {
        static void fail() {
            throw new IllegalStateException(new RuntimeException("no"));
        }
    }

    /** Calls Runtime. */
    static final class UsesRuntime {
        static int cores() {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Starts a process. */
    static final class StartsAProcess {
        static Process start() throws IOException {
            return new ProcessBuilder("true").start();
        }
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1)
                + ".class")) {
            return in.readAllBytes();
        }
    }

    private static boolean mayStartAProcess(Class<?> c) throws IOException {
        ClassInstrumenter worker = ClassInstrumenter.processStartsOnly(new ClassFilter(java.util.List.of(),
                java.util.List.of()));
        return worker.instrument(c.getClassLoader(), bytes(c)) != null;
    }

    @Test
    void classNamingOnlyRuntimeException_isNotParsed() throws IOException {
        assertThat(mayStartAProcess(Throws.class)).isFalse();
    }

    @Test
    void classesNamingRuntimeOrProcessBuilder_areRewritten() throws IOException {
        assertThat(mayStartAProcess(UsesRuntime.class)).isTrue();
        assertThat(mayStartAProcess(StartsAProcess.class)).isTrue();
    }
}
