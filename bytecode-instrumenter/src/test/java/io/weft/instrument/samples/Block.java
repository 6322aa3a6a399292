// The samples live in this directory but declare package "weftsamples" on purpose: the instrumenter treats every
// class under io.weft.instrument. as a known library whose methods are never tasks (ClassFilter.BUILT_IN_EXCLUDES),
// so samples in their directory's package could not declare tasks.
package weftsamples;

import io.weft.api.InOut;
import io.weft.api.Task;
import io.weft.instrument.SampleJournal;

/** Task data with static and instance tasks. */
public class Block {
    public double value;

    public Block(double value) {
        this.value = value;
    }

    @Task
    public static void scale(@InOut Block b, double factor) {
        b.value *= factor;
    }

    @Task
    public void add(Block other) {
        value += other.value;
    }

    @Task
    public static int count(Block b) {
        return (int) b.value;
    }

    @Task
    public static Block copy(Block b) {
        return new Block(b.value);
    }

    @Task
    public static void touch(@InOut Block b) {
        b.value += 1;
    }

    /** Not a task. */
    public void plain(Block other, String label, int n) {
    }

    @Override
    public String toString() {
        SampleJournal.note("toString");
        return "Block";
    }
}
