/** The runtime's settings ({@link io.weft.runtime.master.config.RuntimeConfig}): validated once, then immutable. */
package io.weft.runtime.master.config;
