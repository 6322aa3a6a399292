package io.weft.runtime.master;

import io.weft.api.spi.RuntimeProvider;
import io.weft.api.spi.WeftRuntime;
import java.util.Map;

/** Starts the local runtime for the agent; registered as a {@link java.util.ServiceLoader} service. */
public final class WeftRuntimeProvider implements RuntimeProvider {
    @Override
    public WeftRuntime start(Map<String, String> options) {
        return LocalRuntime.start(RuntimeConfig.from(options));
    }
}
