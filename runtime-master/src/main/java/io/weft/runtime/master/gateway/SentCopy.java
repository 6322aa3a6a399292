package io.weft.runtime.master.gateway;

/**
 * A version the master holds — an object of the program's, or {@link Encoded} bytes a worker sent back — sent to a
 * worker for a task that only reads it: the worker keeps it under {@code keepAs}, and later readers there name that
 * key instead of receiving it again. Carried as a binding's source to the remote gateway.
 *
 * @param value the object, or its {@link Encoded} bytes
 * @param keepAs the key the receiving worker keeps it under
 * @param serialised where the bytes an object of the program's is serialised into are kept, for lineage (see
 *     {@link VersionBytes}); {@code null} for {@link Encoded} bytes, which need no keeping
 */
public record SentCopy(Object value, long keepAs, VersionBytes serialised) {}
