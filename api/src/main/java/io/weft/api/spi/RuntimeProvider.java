package io.weft.api.spi;

import java.util.Map;

/**
 * Creates the Weft runtime. The agent finds the implementation with {@link java.util.ServiceLoader}, so the
 * instrumenter never links against the runtime.
 */
public interface RuntimeProvider {
    /**
     * Creates and starts a runtime.
     *
     * @param options validated options, by name (see the agent's option reference)
     * @return the started runtime, to be installed with {@link Intercept#install(WeftRuntime)}
     */
    WeftRuntime start(Map<String, String> options);
}
