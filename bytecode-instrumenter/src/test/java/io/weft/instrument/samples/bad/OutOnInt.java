package weftsamples.bad;

import io.weft.api.Out;
import io.weft.api.Task;

public final class OutOnInt {
    @Task
    public static void fill(@Out int count) {
    }
}
