package io.weft.resources;

/**
 * The node the main program runs on. Immutable.
 *
 * @param host the address workers connect to, or {@code ""} for this host's name
 * @param port the port workers connect to, or {@code 0} for any free port
 */
public record MasterNode(String host, int port) {}
