package weftsamples.bad;

import io.weft.api.Task;
import weftsamples.Block;

public abstract class AbstractTask {
    @Task
    public abstract void work(Block b);
}
