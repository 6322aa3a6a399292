package weftsamples.bad;

import io.weft.api.Out;
import weftsamples.Block;

public final class InnerConstructor {
    public final class Inner {
        public Inner(@Out Block target) {
        }
    }
}
