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

    /** What a child JVM printed and how it ended, and its process id. */
    record Result(int exitCode, String stdout, String stderr, long pid) {
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
    private boolean mergeOutput;
    private final java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();

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

    /** Sets an environment variable of the child. */
    ChildJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * Sends standard error to the same pipe as standard output, as a terminal shows both: {@link Result#stdout}
     * then holds both, interleaved as written, and {@link Result#stderr} is empty.
     */
    ChildJvm mergeOutput() {
        this.mergeOutput = true;
        return this;
    }

    ChildJvm timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    Result run(String mainClass, String... args) throws IOException, InterruptedException {
        return start(mainClass, args).await();
    }

    /** Starts the program and returns at once; {@link Running#await} waits for it within the time limit. */
    Running start(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable);
        // No shared-memory perf file in /tmp: a JVM whose PID matches one a live process still holds the lock of
        // (a descendant of an earlier JVM with that PID) prints a warning on standard output, which then differs
        // from the sequential run's (ClusterIT failed so once in CI). The programs under test never need jps or jstat.
        command.add("-XX:-UsePerfData");
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
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
        if (mergeOutput) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().putAll(environment);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            return new Running(builder.start(), command, out, err, deadline, timeoutSeconds);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            throw e;
        }
    }

    /** A child JVM under way: what it printed so far can be read while it runs. */
    static final class Running {
        private final Process process;
        private final List<String> command;
        private final Path out;
        private final Path err;
        private final long deadline;
        private final long timeoutSeconds;

        private Running(Process process, List<String> command, Path out, Path err, long deadline,
                long timeoutSeconds) {
            this.process = process;
            this.command = command;
            this.out = out;
            this.err = err;
            this.deadline = deadline;
            this.timeoutSeconds = timeoutSeconds;
        }

        Process process() {
            return process;
        }

        String stdoutSoFar() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderrSoFar() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Waits for the end, at most until the time limit given at the start; then kills it and fails. */
        Result await() throws IOException, InterruptedException {
            try {
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    kill();
                    throw new AssertionError("child JVM did not finish within " + timeoutSeconds + " s: " + command
                            + "\n--- stdout\n" + stdoutSoFar() + "--- stderr\n" + stderrSoFar());
                }
                return new Result(process.exitValue(), stdoutSoFar(), stderrSoFar(), process.pid());
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }

        /** Kills the child JVM and every process it started (SIGKILL), and waits for it. */
        void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }
}
