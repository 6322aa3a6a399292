package io.weft.runtime.worker.endpoint;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Error texts cut to what a message's string may hold. Stateless. */
final class ErrorTexts {
    private static final int MAX_CHARS = 4000;

    private ErrorTexts() {}

    /** The text, cut with an ellipsis if it is longer than a message may hold; {@code null} stays {@code null}. */
    static String shorten(String text) {
        return text == null || text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "…";
    }

    /** The error's stack trace, shortened. */
    static String of(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        return shorten(w.toString());
    }
}
