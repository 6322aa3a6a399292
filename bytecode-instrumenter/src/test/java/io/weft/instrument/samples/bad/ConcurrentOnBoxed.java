package weftsamples.bad;

import io.weft.api.Concurrent;
import io.weft.api.Task;

public final class ConcurrentOnBoxed {
    @Task
    public void accumulate(@Concurrent Long total) {
    }
}
