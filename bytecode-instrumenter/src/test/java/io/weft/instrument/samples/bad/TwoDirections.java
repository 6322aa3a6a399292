package weftsamples.bad;

import io.weft.api.In;
import io.weft.api.InOut;
import io.weft.api.Task;
import weftsamples.Block;

public final class TwoDirections {
    @Task
    public static void both(@In @InOut Block target) {
    }
}
