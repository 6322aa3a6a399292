package io.weft.api.spi;

/**
 * Replacements for array element reads and writes in instrumented code: each waits for the pending tasks that
 * use the array, then performs the access. The method names and signatures are those javassist's
 * {@code CodeConverter.replaceArrayAccess} expects.
 */
public final class ArrayAccess {
    private ArrayAccess() {}

    /** Reads a {@code byte} or {@code boolean} element. */
    public static byte arrayReadByteOrBoolean(Object array, int index) {
        Intercept.use(array);
        return array instanceof boolean[] b ? (byte) (b[index] ? 1 : 0) : ((byte[]) array)[index];
    }

    /** Writes a {@code byte} or {@code boolean} element. */
    public static void arrayWriteByteOrBoolean(Object array, int index, byte value) {
        Intercept.use(array);
        if (array instanceof boolean[] b) {
            b[index] = (value & 1) != 0;
        } else {
            ((byte[]) array)[index] = value;
        }
    }

    /** Reads a {@code char} element. */
    public static char arrayReadChar(Object array, int index) {
        Intercept.use(array);
        return ((char[]) array)[index];
    }

    /** Writes a {@code char} element. */
    public static void arrayWriteChar(Object array, int index, char value) {
        Intercept.use(array);
        ((char[]) array)[index] = value;
    }

    /** Reads a {@code double} element. */
    public static double arrayReadDouble(Object array, int index) {
        Intercept.use(array);
        return ((double[]) array)[index];
    }

    /** Writes a {@code double} element. */
    public static void arrayWriteDouble(Object array, int index, double value) {
        Intercept.use(array);
        ((double[]) array)[index] = value;
    }

    /** Reads a {@code float} element. */
    public static float arrayReadFloat(Object array, int index) {
        Intercept.use(array);
        return ((float[]) array)[index];
    }

    /** Writes a {@code float} element. */
    public static void arrayWriteFloat(Object array, int index, float value) {
        Intercept.use(array);
        ((float[]) array)[index] = value;
    }

    /** Reads an {@code int} element. */
    public static int arrayReadInt(Object array, int index) {
        Intercept.use(array);
        return ((int[]) array)[index];
    }

    /** Writes an {@code int} element. */
    public static void arrayWriteInt(Object array, int index, int value) {
        Intercept.use(array);
        ((int[]) array)[index] = value;
    }

    /** Reads a {@code long} element. */
    public static long arrayReadLong(Object array, int index) {
        Intercept.use(array);
        return ((long[]) array)[index];
    }

    /** Writes a {@code long} element. */
    public static void arrayWriteLong(Object array, int index, long value) {
        Intercept.use(array);
        ((long[]) array)[index] = value;
    }

    /** Reads a reference element. */
    public static Object arrayReadObject(Object array, int index) {
        Intercept.use(array);
        return ((Object[]) array)[index];
    }

    /** Writes a reference element. */
    public static void arrayWriteObject(Object array, int index, Object value) {
        Intercept.use(array);
        ((Object[]) array)[index] = value;
    }

    /** Reads a {@code short} element. */
    public static short arrayReadShort(Object array, int index) {
        Intercept.use(array);
        return ((short[]) array)[index];
    }

    /** Writes a {@code short} element. */
    public static void arrayWriteShort(Object array, int index, short value) {
        Intercept.use(array);
        ((short[]) array)[index] = value;
    }
}
