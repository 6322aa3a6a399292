package io.weft.runtime.master;

import io.weft.api.spi.RuntimeProvider;
import io.weft.api.spi.WeftRuntime;
import io.weft.runtime.master.config.RuntimeConfig;
import java.util.Map;

/** Starts the master runtime for the agent; registered as a {@link java.util.ServiceLoader} service. */
public final class WeftRuntimeProvider implements RuntimeProvider {
    @Override
    public WeftRuntime start(Map<String, String> options) {
        return MasterRuntime.start(RuntimeConfig.from(options));
    }
}
