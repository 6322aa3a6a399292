package io.weft.instrument;

/**
 * A class cannot be instrumented, or declares tasks wrongly. The message names the class, the method and, where
 * relevant, the parameter, and says what was expected.
 */
public final class InstrumentationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InstrumentationException(String message) {
        super(message);
    }

    InstrumentationException(String message, Throwable cause) {
        super(message, cause);
    }
}
