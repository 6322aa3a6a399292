package weftsamples.bad;

import io.weft.api.InOut;
import io.weft.api.Task;
import weftsamples.Block;

public final class InOutOnString {
    @Task
    public static void edit(Block first, @InOut String text) {
    }
}
