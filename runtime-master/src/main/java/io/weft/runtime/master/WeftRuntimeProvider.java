package io.weft.runtime.master;

import io.weft.api.spi.RuntimeProvider;
import io.weft.api.spi.WeftRuntime;
import io.weft.log.Log;
import io.weft.log.LogLevel;
import io.weft.log.RunLog;
import io.weft.runtime.master.config.RuntimeConfig;
import io.weft.runtime.master.config.RunFolder;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** Starts the master runtime for the agent; registered as a {@link java.util.ServiceLoader} service. */
public final class WeftRuntimeProvider implements RuntimeProvider {
    private static final Log LOG = Log.of(WeftRuntimeProvider.class);

    @Override
    public WeftRuntime start(Map<String, String> options) {
        RuntimeConfig config = RuntimeConfig.from(options);
        if (config.runFolder() != null) {
            // First, so that log4j2 loads on its own thread while the runtime starts.
            RunLog.toFile(RunFolder.masterLog(config.runFolder()), config.logLevel());
            LOG.info("the master starts (pid " + ProcessHandle.current().pid() + ", Java "
                    + System.getProperty("java.version") + ") with options " + options);
        }
        if (StartingRuntime.suits(config)) {
            // The streams first, on this thread: the program's output goes through the bar from its first line.
            MasterRuntime.BeforeMain before = MasterRuntime.BeforeMain.take(config);
            // What the end of a run with no task would print or write: the bar's last line, the summary, the
            // check's report, the summary in the log; and a run folder, which the start fills.
            boolean quietEnd = before.bar() == null && !config.summary() && !config.check()
                    && config.runFolder() == null && !LOG.isEnabled(LogLevel.INFO);
            Start start = new Start(config, before);
            return StartingRuntime.begin(start, start, quietEnd, start);
        }
        try {
            return MasterRuntime.start(config);
        } catch (IllegalArgumentException e) {
            // The agent says it on standard error and stops; the log keeps why.
            LOG.info("the run cannot start: " + e.getMessage());
            throw e;
        }
    }

    /**
     * The start beside {@code main}, what a task call that waits for it prepares, and what happens if it fails. One
     * class rather than three lambdas: this runs before {@code main}, while the JVM interprets, where each lambda
     * costs a class spun at run time.
     */
    private static final class Start implements Supplier<WeftRuntime>, IntConsumer, Consumer<Throwable> {
        private final RuntimeConfig config;
        private final MasterRuntime.BeforeMain before;

        Start(RuntimeConfig config, MasterRuntime.BeforeMain before) {
            this.config = config;
            this.before = before;
        }

        @Override
        public WeftRuntime get() {
            return MasterRuntime.start(config, before);
        }

        @Override
        public void accept(int site) {
            before.prepared().prepare(site);
        }

        @Override
        public void accept(Throwable e) {
            startFailed(e);
        }
    }

    /**
     * A start beside {@code main} failed: as a start before {@code main} does, the run stops with status 2, saying
     * why — unless the JVM is exiting already (the program called {@code System.exit}, was stopped by a signal, or
     * ended having called no task, while the runtime started), which is then why it failed: this thread then waits
     * for the exit, and so does any thread waiting for the runtime, rather than wake to a runtime that never came and
     * print that on the way out.
     */
    private static void startFailed(Throwable e) {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
        } catch (IllegalStateException exiting) {
            while (true) {
                java.util.concurrent.locks.LockSupport.park(); // the exit ends this thread
            }
        }
        LOG.info("the run cannot start: " + e);
        if (e instanceof IllegalArgumentException) {
            System.err.println("weft: error: " + e.getMessage()); // says where and what, as before main
        } else {
            System.err.println("weft: error: the runtime could not start (a bug of Weft's): " + e);
            e.printStackTrace();
        }
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }
}
