package weftsamples;

import io.weft.api.Commutative;
import io.weft.api.Concurrent;
import io.weft.api.In;
import io.weft.api.InOut;
import io.weft.api.Out;
import io.weft.api.Task;

/** Valid direction declarations: reads of values, writes of objects and arrays. */
public final class Directions {
    @Task
    public static void all(@In int n, @In String s, @In Integer boxed, @Out Block out, @InOut double[] array,
            @Concurrent Block shared, @Commutative Block sum) {
    }

    public final class Inner {
        @Task
        public void write(@Out Block b) {
        }
    }
}
