package io.weft.launcher;

/** A launcher error the user can fix: its message is printed after {@code weft: error: }, and the exit status is 2. */
final class LauncherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LauncherException(String message) {
        super(message);
    }
}
