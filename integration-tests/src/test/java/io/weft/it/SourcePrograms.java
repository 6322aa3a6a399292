package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/**
 * Compiles small test programs given as source text, with the JDK running the tests or another one, into a
 * {@link TemporaryFolders temporary folder} deleted after the test class.
 */
final class SourcePrograms {
    private SourcePrograms() {}

    /** Compiles {@code sources} (file name to text, in package-relative paths) for {@code release}. */
    static Path compile(Map<String, String> sources, String release) throws IOException, InterruptedException {
        return compile(sources, release, null);
    }

    /**
     * @param javac a javac executable, or {@code null} for the compiler of the JDK running the tests
     */
    static Path compile(Map<String, String> sources, String release, String javac)
            throws IOException, InterruptedException {
        // The sources are needed only by javac; the classes until the end of the test class.
        Path src = TemporaryFolders.directory("weft-src");
        Path classes = TemporaryFolders.directory("weft-classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
                ChildJvm.API.toAbsolutePath().toString(), "--release", release, "-parameters", "-nowarn"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        int rc;
        if (javac == null) {
            rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]));
        } else {
            List<String> command = new ArrayList<>(List.of(javac));
            command.addAll(args);
            rc = new ProcessBuilder(command).inheritIO().start().waitFor();
        }
        TemporaryFolders.deleteTree(src);
        assertThat(rc).as("javac").isZero();
        return classes;
    }
}
