package io.weft.runtime.master;

import io.weft.api.spi.RuntimeProvider;
import io.weft.api.spi.WeftRuntime;
import io.weft.log.Log;
import io.weft.log.RunLog;
import io.weft.runtime.master.config.RuntimeConfig;
import io.weft.runtime.master.config.RunFolder;
import java.util.Map;

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
        try {
            return MasterRuntime.start(config);
        } catch (IllegalArgumentException e) {
            // The agent says it on standard error and stops; the log keeps why.
            LOG.info("the run cannot start: " + e.getMessage());
            throw e;
        }
    }
}
