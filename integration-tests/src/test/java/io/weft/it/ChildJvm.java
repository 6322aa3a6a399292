package io.weft.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Java program in a child JVM, as a user would: with or without {@code -javaagent:weft-agent.jar}, with a
 * time limit, capturing its output and exit code. Paths come from system properties set by the build.
 */
final class ChildJvm {
    static final Path AGENT = Path.of(System.getProperty("weft.agent.jar", "../agent/target/weft-agent.jar"));
    static final Path API = Path.of(System.getProperty("weft.api.jar", "../api/target/weft-api.jar"));
    static final Path EXAMPLES = Path.of(System.getProperty("weft.examples.classes", "../examples/target/classes"));

    /** What a child JVM printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final List<String> jvmOptions = new ArrayList<>();
    private String javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private String agentArgs;
    private boolean withAgent;
    private final List<String> classPath = new ArrayList<>();
    private long timeoutSeconds = 180;
    private Path workingDirectory;

    static ChildJvm sequential() {
        return new ChildJvm();
    }

    static ChildJvm withAgent() {
        ChildJvm jvm = new ChildJvm();
        jvm.withAgent = true;
        return jvm;
    }

    ChildJvm agentArgs(String args) {
        this.agentArgs = args;
        return this;
    }

    ChildJvm java(String executable) {
        this.javaExecutable = executable;
        return this;
    }

    ChildJvm jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    ChildJvm classPath(Path... entries) {
        for (Path p : entries) {
            classPath.add(p.toString());
        }
        return this;
    }

    ChildJvm in(Path directory) {
        this.workingDirectory = directory;
        return this;
    }

    ChildJvm timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    Result run(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable);
        command.addAll(jvmOptions);
        if (withAgent) {
            command.add("-javaagent:" + AGENT.toAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs));
        }
        List<String> cp = new ArrayList<>(classPath);
        cp.add(API.toAbsolutePath().toString());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, cp));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path out = Files.createTempFile("weft-child", ".out");
        Path err = Files.createTempFile("weft-child", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            Process p = builder.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("child JVM did not finish within " + timeoutSeconds + " s: " + command
                        + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
