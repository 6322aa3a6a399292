package weftsamples;

/** Uses an optional dependency only on a path that checks for it first, as libraries commonly do. */
public final class OptionalUser {
    public static String describe(Block b, boolean featureInstalled) {
        if (featureInstalled) {
            return "feature:" + new OptionalFeature(b).block.value;
        }
        return "plain:" + b.value;
    }
}
