package weftsamples.bad;

import io.weft.api.Out;
import io.weft.api.Task;
import java.util.concurrent.TimeUnit;

public final class OutOnEnum {
    @Task
    public static void pick(@Out TimeUnit unit) {
    }
}
