package io.weft.runtime.master.gateway;

/**
 * A version the master holds serialised, as a worker process sent it back (small enough to come with the report):
 * sent on to the next worker as it is, and decoded only when the program needs the object — never on the analyser
 * thread or an event loop.
 *
 * @param bytes the serialised object
 * @param className its class, to check a task's result against its placeholder without decoding it; {@code null}
 *     if the worker did not say
 */
public record Encoded(byte[] bytes, String className) {}
