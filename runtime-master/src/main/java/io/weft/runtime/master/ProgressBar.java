package io.weft.runtime.master;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The progress bar, drawn in place on one line of standard error ({@code weft [#####     ] 512/1600 tasks}), and
 * the program's own output kept off that line: every byte the program writes through {@link #programStream}
 * first wipes the bar, so its line starts at the left edge of an empty line, and the bar is drawn again only
 * once the program's output has ended its line. Without this a terminal showed
 * {@code weft [###…] 256/400 tasks 79800}: the program's next line written after the bar.
 *
 * <p>Threading: {@link #update} is called by the analyser thread, which must not wait for a program thread
 * writing a long line (or blocked on a full pipe): it skips that redraw instead. Program threads write under the
 * same lock. Lifecycle: {@link #start} once, {@link #update} while tasks end, {@link #finish} at the end of the
 * run; the program's streams stay in place after it and then only pass bytes through.
 */
final class ProgressBar {
    static final long REDRAW_NANOS = 200_000_000L;
    static final long FIRST_DRAW_NANOS = 1_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream terminal;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private long startNanos;
    private long lastDraw;
    /** Characters of the bar on the screen now; 0 when it is not shown. Under {@link #lock}. */
    private int shown;
    /** Whether the bar was ever drawn. Under {@link #lock}. */
    private boolean drawn;
    /** Whether the program's output so far ends with a line break (or there is none). Under {@link #lock}. */
    private boolean atLineStart = true;

    /**
     * @param terminal where the bar goes: the standard error the program was started with
     * @param nanoClock {@link System#nanoTime}, or a test's clock
     */
    ProgressBar(PrintStream terminal, LongSupplier nanoClock) {
        this.terminal = terminal;
        this.nanoClock = nanoClock;
    }

    /**
     * A bar on the process's standard error, with {@code System.out} and {@code System.err} replaced by streams
     * that keep the program's output off its line.
     */
    static ProgressBar onStandardStreams() {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ProgressBar bar = new ProgressBar(err, SystemClock.NANOS);
        System.setOut(bar.programStream(out, encoding("stdout")));
        System.setErr(bar.programStream(err, encoding("stderr")));
        return bar;
    }

    /** The charset the JVM gave a standard stream (JDK 19 names it {@code stdout.encoding}, 17 {@code sun.…}). */
    private static Charset encoding(String stream) {
        String name = System.getProperty(stream + ".encoding", System.getProperty("sun." + stream + ".encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** The run starts: the bar appears once it has lasted {@link #FIRST_DRAW_NANOS}. */
    void start() {
        startNanos = nanoClock.getAsLong();
        lastDraw = startNanos;
    }

    /**
     * Redraws the bar if the run has lasted a second, the last redraw is {@link #REDRAW_NANOS} ago, and the
     * program is not in the middle of a line (or of writing one). Analyser thread; never waits.
     */
    void update(long ended, long total, long failed) {
        long now = nanoClock.getAsLong();
        if (now - lastDraw < REDRAW_NANOS || now - startNanos < FIRST_DRAW_NANOS || !lock.tryLock()) {
            return;
        }
        try {
            lastDraw = now;
            if (atLineStart) {
                draw(ended, total, failed);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The run ended: a bar that was drawn shows the final count and keeps its line. */
    void finish(long ended, long total, long failed) {
        lock.lock();
        try {
            if (drawn && atLineStart) {
                draw(ended, total, failed);
            }
            if (shown > 0) {
                terminal.println();
                terminal.flush();
                shown = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The bar's text, padded so that it covers a longer previous one. */
    static String text(long ended, long total, long failed) {
        int filled = total == 0 ? 0 : (int) Math.min(WIDTH, WIDTH * ended / total);
        return "weft [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + ended + "/" + total + " tasks"
                + (failed > 0 ? ", " + failed + " failed" : "");
    }

    private void draw(long ended, long total, long failed) {
        String text = text(ended, total, failed);
        terminal.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
        terminal.flush();
        shown = Math.max(shown, text.length());
        drawn = true;
    }

    /** Wipes the bar off its line and puts the cursor at its start. Under {@link #lock}. */
    private void wipe() {
        if (shown > 0) {
            terminal.print("\r" + " ".repeat(shown) + "\r");
            terminal.flush();
            shown = 0;
        }
    }

    /** A stream for the program that writes to {@code target} once the bar is off the screen. */
    PrintStream programStream(PrintStream target, Charset charset) {
        return new PrintStream(new ProgramOutput(target), true, charset);
    }

    /** The program's bytes, after the bar has been wiped; records whether they end a line. */
    private final class ProgramOutput extends OutputStream {
        private final PrintStream target;

        ProgramOutput(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            lock.lock();
            try {
                wipe();
                target.write(b);
                atLineStart = b == '\n';
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (length == 0) {
                return;
            }
            lock.lock();
            try {
                wipe();
                target.write(bytes, offset, length);
                atLineStart = bytes[offset + length - 1] == '\n';
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
