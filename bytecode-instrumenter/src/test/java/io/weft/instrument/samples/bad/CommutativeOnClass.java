package weftsamples.bad;

import io.weft.api.Commutative;
import io.weft.api.Task;

public final class CommutativeOnClass {
    @Task
    public static void register(@Commutative Class<?> type) {
    }
}
