package weftsamples;

/** Holds a block; its constructor writes a field of the object being built. */
public final class Holder {
    public Block block;

    public Holder(Block block) {
        this.block = block;
    }
}
