package weftsamples;

import io.weft.instrument.SampleJournal;

/** The entry class. */
public final class App {
    public static void main(String[] args) {
        SampleJournal.note("main");
        if (args.length > 0) {
            throw new IllegalStateException(args[0]);
        }
    }
}
