package weftsamples;

/** Inherits Block's tasks. */
public class SubBlock extends Block {
    public SubBlock(double value) {
        super(value);
    }
}
