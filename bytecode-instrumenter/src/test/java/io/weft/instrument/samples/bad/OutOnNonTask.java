package weftsamples.bad;

import io.weft.api.Out;
import weftsamples.Block;

public final class OutOnNonTask {
    public static void fill(Block source, @Out Block target) {
    }
}
