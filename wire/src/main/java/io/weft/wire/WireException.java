package io.weft.wire;

/** A frame or message that breaks the protocol. The connection that carried it is closed; nothing else is. */
public final class WireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message);
    }
}
