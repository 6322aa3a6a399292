package weftsamples;

/** Stands for a class of an optional dependency; tests rename references to it so it is absent at run time. */
public final class OptionalFeature {
    public Block block;

    public OptionalFeature(Block block) {
        this.block = block;
    }
}
