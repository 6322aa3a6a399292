package io.weft.runtime.master;

import io.weft.runtime.master.gateway.Kept;

import java.io.File;
import java.util.Collection;
import java.util.Map;

/**
 * Cheap estimates of how many bytes a datum is, for the locality policy: a file's length, an array's elements,
 * a collection's entries; other objects count as {@value #OBJECT} bytes. In-process nothing is serialised, so the
 * exact size is not known.
 */
final class DataSizes {
    static final long OBJECT = 64;

    private DataSizes() {}

    static long estimate(Object value, DataHandle.Kind kind) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Kept k) {
            return Math.max(0, k.bytes());
        }
        if (kind == DataHandle.Kind.FILE) {
            return Math.max(1, new File((String) value).length());
        }
        if (value instanceof byte[] a) {
            return a.length;
        } else if (value instanceof double[] a) {
            return 8L * a.length;
        } else if (value instanceof long[] a) {
            return 8L * a.length;
        } else if (value instanceof int[] a) {
            return 4L * a.length;
        } else if (value instanceof float[] a) {
            return 4L * a.length;
        } else if (value instanceof Object[] a) {
            return OBJECT * a.length;
        } else if (value instanceof Collection<?> c && !(value instanceof java.lang.reflect.Proxy)) {
            return OBJECT * c.size();
        } else if (value instanceof Map<?, ?> m && !(value instanceof java.lang.reflect.Proxy)) {
            return 2 * OBJECT * m.size();
        }
        return OBJECT;
    }
}
