package io.weft.runtime.master.gateway;

/**
 * An object version another worker keeps, which the receiving worker fetches for a task that only reads it and
 * then keeps as a copy under {@code keepAs}: later tasks there use the copy, with no second transfer. Carried as a
 * binding's source to the remote gateway.
 *
 * @param from the version, where its own worker keeps it
 * @param keepAs the key the receiving worker keeps its copy under
 */
public record CopiedValue(RemoteValue from, long keepAs) {}
