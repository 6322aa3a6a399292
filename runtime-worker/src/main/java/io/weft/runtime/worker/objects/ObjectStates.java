package io.weft.runtime.worker.objects;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Handles the state of arbitrary application objects, including ones with no no-arg constructor, not
 * {@link java.io.Serializable} and with private or final fields, and JDK classes such as {@link ArrayList} or
 * {@link HashMap} that strong encapsulation of {@code java.base} closes to reflection.
 *
 * <p>Fields are read and written through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}), obtained
 * reflectively and called through {@link MethodHandle}s held in static finals, so that the JIT inlines them and
 * javac emits no "proprietary API" warning. The field layout of each class (offsets and kinds) is computed once
 * and cached in a {@link ClassValue}. On JDK 24 and later the JVM prints a one-time warning about
 * {@code sun.misc.Unsafe} memory access on standard error; {@code --sun-misc-unsafe-memory-access=allow}
 * silences it.
 *
 * <p>Neither operation synchronises with anything: the caller publishes the objects it hands over safely.
 */
public final class ObjectStates {

    private ObjectStates() {}

    // ------------------------------------------------------------------------------------------------------------
    // sun.misc.Unsafe, through method handles bound to the instance
    // ------------------------------------------------------------------------------------------------------------

    // Each group of handles is made when first used, in a holder class of its own (the field offsets' at once: this
    // class reads one as it initialises). Making the twenty handles at once spun some sixty method-handle classes,
    // about 15 ms of CPU at the first look at a task's result or argument class.

    /** {@code sun.misc.Unsafe}, and the handles on it, bound to the instance. */
    private static final class TheUnsafe {
        private static final Class<?> CLASS;
        private static final Object INSTANCE;

        static {
            try {
                CLASS = Class.forName("sun.misc.Unsafe");
                Field theUnsafe = CLASS.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                INSTANCE = theUnsafe.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw needed(e);
            }
        }

        private static ExceptionInInitializerError needed(Exception e) {
            return new ExceptionInInitializerError(new IllegalStateException(
                    "Weft needs sun.misc.Unsafe (module jdk.unsupported) to handle application objects", e));
        }

        static MethodHandle bound(String name, MethodType type) {
            try {
                return find(name, type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw needed(e);
            }
        }

        private static MethodHandle find(String name, MethodType type) throws ReflectiveOperationException {
            return MethodHandles.publicLookup().findVirtual(CLASS, name, type).bindTo(INSTANCE);
        }

        static MethodHandle getter(String name, Class<?> type) {
            return bound(name, MethodType.methodType(type, Object.class, long.class));
        }

        static MethodHandle putter(String name, Class<?> type) {
            return bound(name, MethodType.methodType(void.class, Object.class, long.class, type));
        }

        /** The handle of the first of two names the method may have. */
        static MethodHandle first(MethodType type, String preferred, String fallback) {
            try {
                return find(preferred, type);
            } catch (NoSuchMethodException e) {
                return bound(fallback, type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw needed(e);
            }
        }
    }

    private static final class Allocation {
        static final MethodHandle ALLOCATE_INSTANCE = TheUnsafe.bound("allocateInstance", // (Class)Object
                MethodType.methodType(Object.class, Class.class));
    }

    private static final class Offsets {
        static final MethodHandle OBJECT_FIELD_OFFSET = TheUnsafe.bound("objectFieldOffset", // (Field)long
                MethodType.methodType(long.class, Field.class));
    }

    private static final class Booleans {
        static final MethodHandle GET = TheUnsafe.getter("getBoolean", boolean.class);
        static final MethodHandle PUT = TheUnsafe.putter("putBoolean", boolean.class);
    }

    private static final class Bytes {
        static final MethodHandle GET = TheUnsafe.getter("getByte", byte.class);
        static final MethodHandle PUT = TheUnsafe.putter("putByte", byte.class);
    }

    private static final class Chars {
        static final MethodHandle GET = TheUnsafe.getter("getChar", char.class);
        static final MethodHandle PUT = TheUnsafe.putter("putChar", char.class);
    }

    private static final class Shorts {
        static final MethodHandle GET = TheUnsafe.getter("getShort", short.class);
        static final MethodHandle PUT = TheUnsafe.putter("putShort", short.class);
    }

    private static final class Ints {
        static final MethodHandle GET = TheUnsafe.getter("getInt", int.class);
        static final MethodHandle PUT = TheUnsafe.putter("putInt", int.class);
    }

    private static final class Longs {
        static final MethodHandle GET = TheUnsafe.getter("getLong", long.class);
        static final MethodHandle PUT = TheUnsafe.putter("putLong", long.class);
    }

    private static final class Floats {
        static final MethodHandle GET = TheUnsafe.getter("getFloat", float.class);
        static final MethodHandle PUT = TheUnsafe.putter("putFloat", float.class);
    }

    private static final class Doubles {
        static final MethodHandle GET = TheUnsafe.getter("getDouble", double.class);
        static final MethodHandle PUT = TheUnsafe.putter("putDouble", double.class);
    }

    private static final class References {
        // sun.misc.Unsafe calls them getObject/putObject on JDK 17 and still on JDK 25 (getReference is
        // jdk.internal.misc only); getReference is looked for first in case a later JDK renames them.
        static final MethodHandle GET = TheUnsafe.first(MethodType.methodType(Object.class, Object.class, long.class),
                "getReference", "getObject");
        static final MethodHandle PUT = TheUnsafe.first(MethodType.methodType(void.class, Object.class, long.class,
                Object.class), "putReference", "putObject");
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    private static long objectFieldOffset(Field f) {
        try {
            return (long) Offsets.OBJECT_FIELD_OFFSET.invokeExact(f);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    private static Object getReference(Object o, long offset) {
        try {
            return (Object) References.GET.invokeExact(o, offset);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    private static void putReference(Object o, long offset, Object value) {
        try {
            References.PUT.invokeExact(o, offset, value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    private static boolean getBoolean(Object o, long offset) {
        try {
            return (boolean) Booleans.GET.invokeExact(o, offset);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** Copies one primitive field of the given kind from {@code from} to {@code into}. */
    private static void copyPrimitive(byte kind, long offset, Object from, Object into) {
        try {
            switch (kind) {
                case K_BOOLEAN:
                    Booleans.PUT.invokeExact(into, offset, (boolean) Booleans.GET.invokeExact(from, offset));
                    break;
                case K_BYTE:
                    Bytes.PUT.invokeExact(into, offset, (byte) Bytes.GET.invokeExact(from, offset));
                    break;
                case K_CHAR:
                    Chars.PUT.invokeExact(into, offset, (char) Chars.GET.invokeExact(from, offset));
                    break;
                case K_SHORT:
                    Shorts.PUT.invokeExact(into, offset, (short) Shorts.GET.invokeExact(from, offset));
                    break;
                case K_INT:
                    Ints.PUT.invokeExact(into, offset, (int) Ints.GET.invokeExact(from, offset));
                    break;
                case K_LONG:
                    Longs.PUT.invokeExact(into, offset, (long) Longs.GET.invokeExact(from, offset));
                    break;
                case K_FLOAT:
                    Floats.PUT.invokeExact(into, offset, (float) Floats.GET.invokeExact(from, offset));
                    break;
                case K_DOUBLE:
                    Doubles.PUT.invokeExact(into, offset, (double) Doubles.GET.invokeExact(from, offset));
                    break;
                default:
                    throw new AssertionError("field kind " + kind);
            }
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Field layouts
    // ------------------------------------------------------------------------------------------------------------

    private static final byte K_BOOLEAN = 0;
    private static final byte K_BYTE = 1;
    private static final byte K_CHAR = 2;
    private static final byte K_SHORT = 3;
    private static final byte K_INT = 4;
    private static final byte K_LONG = 5;
    private static final byte K_FLOAT = 6;
    private static final byte K_DOUBLE = 7;

    private static final long[] NO_OFFSETS = new long[0];
    private static final byte[] NO_KINDS = new byte[0];

    /** The instance fields of a class and its superclasses, as Unsafe offsets, and whether it may be transferred. */
    private static final class Layout {
        final long[] primitiveOffsets;
        final byte[] primitiveKinds;
        final long[] referenceOffsets;
        /** Why the fields can't be addressed (records, hidden classes, ...), or null. */
        final String unaddressable;
        /** Why {@link #transfer} refuses the class, or null. */
        final String untransferable;
        /** Nest hosts of the class and its superclasses: the classes whose helpers (views, inner objects) it owns. */
        final Class<?>[] nestHosts;

        Layout(long[] primitiveOffsets, byte[] primitiveKinds, long[] referenceOffsets, String unaddressable,
                String untransferable, Class<?>[] nestHosts) {
            this.primitiveOffsets = primitiveOffsets;
            this.primitiveKinds = primitiveKinds;
            this.referenceOffsets = referenceOffsets;
            this.unaddressable = unaddressable;
            this.untransferable = untransferable;
            this.nestHosts = nestHosts;
        }

        static Layout refused(String why) {
            return new Layout(NO_OFFSETS, NO_KINDS, NO_OFFSETS, why, why, new Class<?>[0]);
        }

        int fieldCount() {
            return primitiveOffsets.length + referenceOffsets.length;
        }

        boolean ownsHelpersOf(Class<?> helper) {
            Class<?> host = NEST_HOSTS.get(helper);
            for (Class<?> h : nestHosts) {
                if (h == host) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final ClassValue<Layout> LAYOUTS = new ClassValue<Layout>() {
        @Override
        protected Layout computeValue(Class<?> type) {
            return layoutOf(type);
        }
    };

    private static final ClassValue<Class<?>> NEST_HOSTS = new ClassValue<Class<?>>() {
        @Override
        protected Class<?> computeValue(Class<?> type) {
            try {
                return type.getNestHost();
            } catch (RuntimeException | LinkageError e) {
                return type;
            }
        }
    };

    private static Layout layoutOf(Class<?> type) {
        if (type.isPrimitive()) {
            return Layout.refused(type + " is a primitive type");
        }
        if (type.isArray()) {
            return Layout.refused(type.getTypeName() + " is an array type");
        }
        if (type.isInterface()) {
            return Layout.refused(type.getName() + " is an interface");
        }
        long[] primitiveOffsets = new long[8];
        byte[] primitiveKinds = new byte[8];
        long[] referenceOffsets = new long[8];
        int primitives = 0;
        int references = 0;
        List<Class<?>> hosts = new ArrayList<>();
        try {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                Class<?> host = NEST_HOSTS.get(c);
                if (!hosts.contains(host)) {
                    hosts.add(host);
                }
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    long offset = objectFieldOffset(f); // throws for records and hidden classes
                    Class<?> t = f.getType();
                    if (!t.isPrimitive()) {
                        if (references == referenceOffsets.length) {
                            referenceOffsets = Arrays.copyOf(referenceOffsets, references * 2);
                        }
                        referenceOffsets[references++] = offset;
                        continue;
                    }
                    if (primitives == primitiveOffsets.length) {
                        primitiveOffsets = Arrays.copyOf(primitiveOffsets, primitives * 2);
                        primitiveKinds = Arrays.copyOf(primitiveKinds, primitives * 2);
                    }
                    primitiveOffsets[primitives] = offset;
                    primitiveKinds[primitives++] = kindOf(t);
                }
            }
        } catch (UnsupportedOperationException | LinkageError | SecurityException e) {
            return Layout.refused("the fields of " + type.getName() + " can't be addressed (" + e + ")");
        }
        return new Layout(Arrays.copyOf(primitiveOffsets, primitives), Arrays.copyOf(primitiveKinds, primitives),
                Arrays.copyOf(referenceOffsets, references), null, untransferable(type),
                hosts.toArray(new Class<?>[0]));
    }

    private static byte kindOf(Class<?> t) {
        if (t == int.class) {
            return K_INT;
        } else if (t == long.class) {
            return K_LONG;
        } else if (t == boolean.class) {
            return K_BOOLEAN;
        } else if (t == double.class) {
            return K_DOUBLE;
        } else if (t == byte.class) {
            return K_BYTE;
        } else if (t == char.class) {
            return K_CHAR;
        } else if (t == short.class) {
            return K_SHORT;
        } else if (t == float.class) {
            return K_FLOAT;
        }
        throw new AssertionError(t);
    }

    /** Why the (addressable, non-array, non-interface) type can't be a transfer target, or null. */
    private static String untransferable(Class<?> type) {
        String name = type.getName();
        if (Modifier.isAbstract(type.getModifiers())) {
            return name + " is abstract";
        }
        if (Enum.class.isAssignableFrom(type)) {
            return name + " is an enum";
        }
        if (type.isRecord()) {
            return name + " is a record";
        }
        if (type.isHidden()) {
            return name + " is a hidden class";
        }
        if (isVmManaged(type)) {
            return name + " is managed by the JVM (it has state the JVM keeps outside its declared fields)";
        }
        if (isImmutableValueType(type)) {
            return name + " is an immutable JDK value type";
        }
        return null;
    }

    /** Classes with JVM-injected or JVM-maintained state, or whose reflection metadata is filtered. */
    private static boolean isVmManaged(Class<?> type) {
        return type == Class.class
                || Thread.class.isAssignableFrom(type)
                || ThreadGroup.class.isAssignableFrom(type)
                || ClassLoader.class.isAssignableFrom(type)
                || Module.class.isAssignableFrom(type)
                || ModuleLayer.class.isAssignableFrom(type)
                || Reference.class.isAssignableFrom(type)
                || AccessibleObject.class.isAssignableFrom(type)
                || type.getPackageName().equals("java.lang.invoke");
    }

    /** Exact JDK classes whose instances are immutable values, shared by deep copies. */
    private static boolean isImmutableValueType(Class<?> type) {
        return type == String.class || type == Integer.class || type == Long.class || type == Boolean.class
                || type == Double.class || type == Character.class || type == Byte.class || type == Short.class
                || type == Float.class || type == BigInteger.class || type == BigDecimal.class
                || type == UUID.class || type == Locale.class || type == URI.class || type == Pattern.class
                || type.getPackageName().equals("java.time")
                || type == java.time.format.DateTimeFormatter.class;
    }

    // ------------------------------------------------------------------------------------------------------------
    // size estimate
    // ------------------------------------------------------------------------------------------------------------

    /**
     * A cheap estimate of how many bytes {@code root} and the objects it reaches take, walking the graph only until
     * the estimate passes {@code cap}: enough to tell a small object from a large one without serialising it. A
     * worker sends a small result back with its report and keeps a large one, which it then need not serialise
     * unless someone fetches it.
     *
     * @return the estimate, or a figure past {@code cap} for "larger than that"; {@code -1} if the graph holds an
     *     object whose fields cannot be read this way (a record, a hidden class), so only serialising it tells
     */
    public static long estimatedSize(Object root, long cap) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        long size = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            Class<?> type = o.getClass();
            size += 8;
            if (type.isArray()) {
                Class<?> element = type.getComponentType();
                int length = Array.getLength(o);
                if (element.isPrimitive()) {
                    size += (long) length * primitiveBytes(element);
                } else {
                    size += 4L * length;
                    for (Object e : (Object[]) o) {
                        if (e != null) {
                            todo.push(e);
                        }
                    }
                }
            } else if (o instanceof String str) {
                size += str.length();
            } else if (isImmutableValueType(type) || type.isEnum() || o instanceof Class) {
                size += 16;
            } else {
                Layout layout = LAYOUTS.get(type);
                if (layout.unaddressable != null) {
                    return -1;
                }
                for (byte kind : layout.primitiveKinds) {
                    size += kind == K_LONG || kind == K_DOUBLE ? 8 : kind == K_INT || kind == K_FLOAT ? 4 : 2;
                }
                for (long offset : layout.referenceOffsets) {
                    Object r = getReference(o, offset);
                    size += 4;
                    if (r != null) {
                        todo.push(r);
                    }
                }
            }
            if (size > cap) {
                return size;
            }
        }
        return size;
    }

    private static int primitiveBytes(Class<?> t) {
        return t == long.class || t == double.class ? 8 : t == int.class || t == float.class ? 4
                : t == boolean.class || t == byte.class ? 1 : 2;
    }

    // ------------------------------------------------------------------------------------------------------------
    // allocate, transfer, canTransfer
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Returns a new instance of {@code type} without running any constructor: every field holds its default
     * value (zero, false or null), including fields that the constructors would have set.
     *
     * @throws IllegalArgumentException if {@code type} is a primitive, array, interface, abstract or enum type,
     *     or a type the JVM refuses to allocate this way, such as {@link Class}
     */
    public static <T> T allocate(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (type.isPrimitive() || type.isArray() || type.isInterface() || Modifier.isAbstract(type.getModifiers())
                || Enum.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("cannot allocate an instance of " + type.getTypeName()
                    + ": primitive, array, interface, abstract and enum types have no instances of their own");
        }
        try {
            return type.cast((Object) Allocation.ALLOCATE_INSTANCE.invokeExact((Class<?>) type));
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException("the JVM refuses to allocate an instance of " + type.getName(), e);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** Allocates an instance of the class of an existing object, which can't be abstract or an array. */
    private static Object allocateUnchecked(Class<?> type) {
        try {
            return (Object) Allocation.ALLOCATE_INSTANCE.invokeExact(type);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /**
     * Tells whether {@link #transfer} accepts objects of exactly this class: false for primitive, array,
     * interface, abstract, enum, record and hidden types, for classes the JVM keeps state of outside their
     * declared fields ({@link Class}, {@link Thread}, {@link ClassLoader}, {@link Reference}, reflection and
     * {@code java.lang.invoke} objects, ...), for immutable JDK value types ({@link String}, boxed primitives,
     * {@link BigInteger}, {@code java.time} values, ...) and for classes whose fields can't be addressed.
     * The answer is cached per class.
     */
    public static boolean canTransfer(Class<?> type) {
        Objects.requireNonNull(type, "type");
        return LAYOUTS.get(type).untransferable == null;
    }

    /**
     * Moves the state of {@code from} into {@code into}, which must be of exactly the same class: every instance
     * field declared by the class and its superclasses, private and final ones included, is copied as it is
     * (references are copied, not the objects they point to). This is how a task's result is moved into the
     * placeholder the program already holds; {@code from} must not be used afterwards, as both objects now share
     * their internal structures (an {@link ArrayList}'s element array, a {@link HashMap}'s table).
     *
     * <p>Objects that belong to the class's own implementation (its nest: inner classes, and JDK views such as a
     * map's cached {@code keySet()}) and are referenced directly by a field of {@code into} are rebound: their
     * fields that referred to {@code from} now refer to {@code into}. References to {@code from} held deeper in
     * the graph, or by objects of other classes, are left as they are.
     *
     * <p>For two arrays of the same class and length, copies the elements.
     *
     * @throws IllegalArgumentException if the classes differ, arrays differ in length, or the class is refused by
     *     {@link #canTransfer}
     */
    public static void transfer(Object from, Object into) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(into, "into");
        Class<?> type = from.getClass();
        if (type != into.getClass()) {
            throw new IllegalArgumentException("cannot transfer the state of a " + type.getTypeName()
                    + " into a " + into.getClass().getTypeName() + ": the classes must be the same");
        }
        if (from == into) {
            return;
        }
        if (type.isArray()) {
            int length = Array.getLength(from);
            if (length != Array.getLength(into)) {
                throw new IllegalArgumentException("cannot transfer a " + type.getTypeName() + " of length "
                        + length + " into one of length " + Array.getLength(into));
            }
            System.arraycopy(from, 0, into, 0, length);
            return;
        }
        Layout layout = LAYOUTS.get(type);
        if (layout.untransferable != null) {
            throw new IllegalArgumentException("cannot transfer the state of a " + type.getName() + ": "
                    + layout.untransferable);
        }
        copyPrimitives(layout, from, into);
        long[] refs = layout.referenceOffsets;
        for (long offset : refs) {
            putReference(into, offset, getReference(from, offset));
        }
        for (long offset : refs) {
            Object value = getReference(into, offset);
            if (value == from) {
                putReference(into, offset, into);
            } else if (value != null) {
                rebindHelper(layout, value, from, into);
            }
        }
    }

    private static void copyPrimitives(Layout layout, Object from, Object into) {
        long[] offsets = layout.primitiveOffsets;
        byte[] kinds = layout.primitiveKinds;
        for (int i = 0; i < offsets.length; i++) {
            copyPrimitive(kinds[i], offsets[i], from, into);
        }
    }

    /** Makes a helper object of {@code owner}'s implementation that referred to {@code from} refer to {@code into}. */
    private static void rebindHelper(Layout owner, Object helper, Object from, Object into) {
        Class<?> type = helper.getClass();
        if (type.isArray() || !owner.ownsHelpersOf(type)) {
            return;
        }
        Layout layout = LAYOUTS.get(type);
        if (layout.unaddressable != null) {
            return;
        }
        for (long offset : layout.referenceOffsets) {
            if (getReference(helper, offset) == from) {
                putReference(helper, offset, into);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Saved: the state of a flat object, kept to be put back in place
    // ------------------------------------------------------------------------------------------------------------

    /**
     * The state of a <em>flat</em> object, saved so that it can be put back into the same object and the same
     * arrays: a primitive array, or an object of a class {@link #transfer} accepts whose reference fields hold only
     * {@code null}, primitive arrays, strings, boxed primitives and enums. The contents of its arrays are saved in
     * buffers that a later {@link #save} may reuse, so a task that updates the same kind of object again and again
     * allocates nothing to keep its state. Not thread-safe: one owner (an executor thread).
     */
    public static final class Saved {
        private Object object;
        /** A primitive array root: its contents; else an instance of the class holding the primitive fields. */
        private Object shadow;
        /** Per reference field: the reference it held, and for a primitive array the saved contents (else null). */
        private Object[] references;
        private Object[] contents;
        private long bytes;

        private Saved() {}

        /** About how many bytes its buffers take. */
        public long bytes() {
            return bytes;
        }

        /** Puts the saved state back into the object and its arrays, as they were when it was saved. */
        public void restore() {
            Object o = object;
            if (o.getClass().isArray()) {
                System.arraycopy(shadow, 0, o, 0, Array.getLength(o));
                return;
            }
            Layout layout = LAYOUTS.get(o.getClass());
            copyPrimitives(layout, shadow, o);
            long[] refs = layout.referenceOffsets;
            for (int i = 0; i < refs.length; i++) {
                Object original = references[i];
                putReference(o, refs[i], original);
                if (contents[i] != null) {
                    System.arraycopy(contents[i], 0, original, 0, Array.getLength(original));
                }
            }
        }

        /** Lets go of the object (the buffers stay, for reuse). */
        public void release() {
            object = null;
            if (references != null) {
                java.util.Arrays.fill(references, null);
            }
        }
    }

    /**
     * Saves the state of a flat object (see {@link Saved}), reusing the buffers of {@code recycled} where they fit.
     *
     * @return the saved state, or {@code null} if the object is not flat ({@link #deepCopy} it instead)
     */
    public static Saved save(Object object, Saved recycled) {
        Class<?> type = object.getClass();
        Saved saved = recycled != null ? recycled : new Saved();
        if (type.isArray()) {
            if (!type.getComponentType().isPrimitive()) {
                return null;
            }
            int length = Array.getLength(object);
            Object buffer = saved.shadow != null && saved.shadow.getClass() == type
                    && Array.getLength(saved.shadow) == length ? saved.shadow : Array.newInstance(
                            type.getComponentType(), length);
            System.arraycopy(object, 0, buffer, 0, length);
            saved.shadow = buffer;
            saved.object = object;
            saved.bytes = (long) length * primitiveBytes(type.getComponentType());
            return saved;
        }
        Layout layout = LAYOUTS.get(type);
        if (layout.untransferable != null) {
            return null;
        }
        long[] refs = layout.referenceOffsets;
        for (long offset : refs) {
            Object v = getReference(object, offset);
            if (v != null && !(v.getClass().isArray() && v.getClass().getComponentType().isPrimitive())
                    && !(v instanceof String) && !(v instanceof Number && v.getClass().getName().startsWith("java.lang."))
                    && !(v instanceof Boolean) && !(v instanceof Character) && !(v instanceof Enum<?>)) {
                return null;
            }
        }
        if (saved.shadow == null || saved.shadow.getClass() != type) {
            saved.shadow = allocateUnchecked(type);
            saved.references = new Object[refs.length];
            saved.contents = new Object[refs.length];
        }
        copyPrimitives(layout, object, saved.shadow);
        saved.bytes = 16L + 8L * refs.length;
        for (int i = 0; i < refs.length; i++) {
            Object v = getReference(object, refs[i]);
            saved.references[i] = v;
            if (v != null && v.getClass().isArray()) {
                Object buffer = saved.contents[i];
                int length = Array.getLength(v);
                if (buffer == null || buffer.getClass() != v.getClass() || Array.getLength(buffer) != length) {
                    buffer = Array.newInstance(v.getClass().getComponentType(), length);
                    saved.contents[i] = buffer;
                }
                System.arraycopy(v, 0, buffer, 0, length);
                saved.bytes += (long) length * primitiveBytes(v.getClass().getComponentType());
            } else {
                saved.contents[i] = null;
            }
        }
        saved.object = object;
        return saved;
    }

    // ------------------------------------------------------------------------------------------------------------
    // deepCopy
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Returns a deep copy of {@code object}: a graph of new objects with the same shape (objects referenced twice
     * are copied once, cycles are reproduced) and the same state, sharing nothing mutable with the original.
     *
     * <p>Shared, not copied: {@code null}; strings, boxed primitives, {@link BigInteger}, {@link BigDecimal},
     * {@link UUID}, {@link Locale}, {@link URI}, {@link Pattern}, {@code java.time} values; enums; records (as
     * immutable, with whatever they reference); {@link Class}, {@link Path}, {@link File}, {@link Charset},
     * {@link Thread}, {@link ThreadGroup}, {@link ClassLoader}, {@link Module}, {@link ThreadLocal},
     * {@link Reference}s (weak, soft, phantom), reflection and {@code java.lang.invoke} objects; lambdas and other
     * hidden classes (with whatever they captured); objects of classes without instance fields (stateless
     * comparators, lock and sentinel objects); empty arrays and the JDK's empty collections, so identity checks
     * against sentinels still work.
     *
     * <p>Primitive arrays are cloned, object arrays copied element by element. Public {@code java.util} and
     * {@code java.util.concurrent} maps and collections with a public no-arg constructor (except blocking queues
     * and {@link Properties}) are rebuilt: constructed anew (with the same comparator, shared, for sorted ones and
     * priority queues, and the same access order for a {@link LinkedHashMap}) and filled with deep copies of the
     * elements or entries, so hashed ones place the copied keys by the copies' hash codes. Immutable
     * {@code Set.of}/{@code Map.of} collections are rebuilt likewise. Application subclasses of {@link HashMap},
     * {@link Hashtable}, {@link IdentityHashMap}, {@link WeakHashMap} and {@link ConcurrentHashMap} are copied
     * field by field and then refilled ({@code clear} and {@code put} with the copied entries). A
     * {@link ReferenceQueue} is replaced by a new empty one. Every other object is allocated without running a
     * constructor and its fields copied: primitives as they are, references deeply.
     *
     * <p>Hash codes are computed, and sorted collections compare, when the entries are inserted, after the keys'
     * own graphs were copied; a key whose hash code depends on an object that is still being copied (because the
     * key is reachable from it, through a cycle) may hash differently. Objects that wrap threads, native or OS
     * resources (streams, sockets, channels, locks held or waited on) are copied as bits and must not be deep
     * copied.
     *
     * @throws IllegalArgumentException if the graph has a cycle through an immutable {@code Set.of}/{@code Map.of}
     *     collection, which can only be built once its elements are
     */
    @SuppressWarnings("unchecked")
    public static <T> T deepCopy(T object) {
        if (object == null) {
            return null;
        }
        return (T) new Copier().copy(object);
    }

    private static final byte P_SHARE = 0;
    private static final byte P_FIELDS = 1;
    private static final byte P_FIELDS_THEN_REFILL_MAP = 2;
    private static final byte P_REBUILD_COLLECTION = 3;
    private static final byte P_REBUILD_MAP = 4;
    private static final byte P_IMMUTABLE_SET = 5;
    private static final byte P_IMMUTABLE_MAP = 6;
    private static final byte P_NEW_REFERENCE_QUEUE = 7;
    private static final byte P_PRIMITIVE_ARRAY = 8;
    private static final byte P_OBJECT_ARRAY = 9;
    private static final byte P_SHALLOW_ARRAY = 10;

    /** How deep copies copy objects of one class. */
    private static final class Plan {
        final byte kind;
        final Layout layout;
        /** ()Object: the public no-arg constructor of a rebuilt collection. */
        final MethodHandle newEmpty;
        /** (Comparator)Object: the public constructor taking a comparator, or null. */
        final MethodHandle newWithComparator;

        Plan(byte kind, Layout layout, MethodHandle newEmpty, MethodHandle newWithComparator) {
            this.kind = kind;
            this.layout = layout;
            this.newEmpty = newEmpty;
            this.newWithComparator = newWithComparator;
        }
    }

    private static final Plan SHARE = new Plan(P_SHARE, null, null, null);

    private static final ClassValue<Plan> PLANS = new ClassValue<Plan>() {
        @Override
        protected Plan computeValue(Class<?> type) {
            return planOf(type);
        }
    };

    private static final long ACCESS_ORDER_OFFSET = accessOrderOffset();

    private static long accessOrderOffset() {
        try {
            return objectFieldOffset(LinkedHashMap.class.getDeclaredField("accessOrder"));
        } catch (NoSuchFieldException | RuntimeException e) {
            return -1;
        }
    }

    private static Plan planOf(Class<?> type) {
        if (type.isArray()) {
            Class<?> component = type.getComponentType();
            if (component.isPrimitive()) {
                return new Plan(P_PRIMITIVE_ARRAY, null, null, null);
            }
            boolean elementsShared = isSharedType(component)
                    && (Modifier.isFinal(component.getModifiers()) || isSharedWithSubtypes(component));
            return new Plan(elementsShared ? P_SHALLOW_ARRAY : P_OBJECT_ARRAY, null, null, null);
        }
        if (isSharedType(type)) {
            return SHARE;
        }
        if (type == ReferenceQueue.class) {
            return new Plan(P_NEW_REFERENCE_QUEUE, null, null, null);
        }
        Layout layout = LAYOUTS.get(type);
        if (layout.unaddressable != null || layout.fieldCount() == 0) {
            return SHARE;
        }
        String name = type.getName();
        if (name.startsWith("java.util.ImmutableCollections$")) {
            if (Set.class.isAssignableFrom(type)) {
                return new Plan(P_IMMUTABLE_SET, layout, null, null);
            }
            if (Map.class.isAssignableFrom(type)) {
                return new Plan(P_IMMUTABLE_MAP, layout, null, null);
            }
        }
        String pkg = type.getPackageName();
        boolean isMap = Map.class.isAssignableFrom(type);
        if ((pkg.equals("java.util") || pkg.equals("java.util.concurrent")) && Modifier.isPublic(type.getModifiers())
                && (isMap || Collection.class.isAssignableFrom(type))
                && !Properties.class.isAssignableFrom(type) && !BlockingQueue.class.isAssignableFrom(type)) {
            MethodHandle newEmpty = publicConstructor(type);
            if (newEmpty != null) {
                MethodHandle newWithComparator = null;
                if (SortedMap.class.isAssignableFrom(type) || SortedSet.class.isAssignableFrom(type)
                        || PriorityQueue.class.isAssignableFrom(type)) {
                    newWithComparator = publicConstructor(type, Comparator.class);
                }
                return new Plan(isMap ? P_REBUILD_MAP : P_REBUILD_COLLECTION, layout, newEmpty, newWithComparator);
            }
        }
        if (!pkg.startsWith("java.") && !Properties.class.isAssignableFrom(type)
                && (HashMap.class.isAssignableFrom(type) || Hashtable.class.isAssignableFrom(type)
                        || IdentityHashMap.class.isAssignableFrom(type) || WeakHashMap.class.isAssignableFrom(type)
                        || ConcurrentHashMap.class.isAssignableFrom(type))) {
            return new Plan(P_FIELDS_THEN_REFILL_MAP, layout, null, null);
        }
        return new Plan(P_FIELDS, layout, null, null);
    }

    private static MethodHandle publicConstructor(Class<?> type, Class<?>... parameters) {
        try {
            MethodHandle constructor = MethodHandles.publicLookup()
                    .findConstructor(type, MethodType.methodType(void.class, parameters));
            return constructor.asType(MethodType.methodType(Object.class, parameters));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Shared by deep copies whatever their exact class (the rule holds for every subtype). */
    private static boolean isSharedWithSubtypes(Class<?> type) {
        return Enum.class.isAssignableFrom(type) || Record.class.isAssignableFrom(type)
                || Path.class.isAssignableFrom(type) || File.class.isAssignableFrom(type)
                || Charset.class.isAssignableFrom(type) || ThreadLocal.class.isAssignableFrom(type)
                || isVmManaged(type);
    }

    private static boolean isSharedType(Class<?> type) {
        return isImmutableValueType(type) || isSharedWithSubtypes(type) || type.isHidden()
                || type.getName().startsWith("java.util.Collections$Empty")
                || type.getName().startsWith("java.util.Collections$UnmodifiableNavigableSet$Empty")
                || type.getName().startsWith("java.util.Collections$UnmodifiableNavigableMap$Empty");
    }

    /** Marks, in the table of copies, an immutable collection that is built once its elements are copied. */
    private static final Object BUILDING = new Object();
    /** Returned by {@link Copier#resolve} for an object whose copy exists only after its frame completes. */
    private static final Object PENDING = new Object();

    /**
     * One deep copy: a depth-first walk with an explicit stack (long linked structures don't overflow the thread
     * stack), in post order, so that a collection is filled only after its elements' graphs are copied.
     */
    private static final class Copier {
        private final IdentityHashMap<Object, Object> copies = new IdentityHashMap<>();
        private final ArrayDeque<Frame> stack = new ArrayDeque<>();
        /** Set by {@link #resolve} when it pushed a frame, which must run before the current one goes on. */
        boolean pushed;

        Object copy(Object root) {
            Object result = resolve(root);
            while (!stack.isEmpty()) {
                Frame top = stack.peek();
                if (top.advance(this)) {
                    stack.pop();
                    top.complete(this);
                }
            }
            return result == PENDING ? copies.get(root) : result;
        }

        /**
         * Returns the copy of {@code value} (not null), starting it if needed, or {@link #PENDING} if the copy
         * will exist only once the frame just pushed completes (then {@link #pushed} is set and the caller asks
         * again later).
         */
        Object resolve(Object value) {
            pushed = false;
            Class<?> type = value.getClass();
            Plan plan = PLANS.get(type);
            if (plan.kind == P_SHARE) {
                return value;
            }
            Object known = copies.get(value);
            if (known != null) {
                if (known == BUILDING) {
                    throw new IllegalArgumentException("cannot deep-copy a cycle through an immutable "
                            + type.getName() + ": it can only be built once its elements are");
                }
                return known;
            }
            switch (plan.kind) {
                case P_PRIMITIVE_ARRAY:
                    return startPrimitiveArray(value);
                case P_SHALLOW_ARRAY:
                case P_OBJECT_ARRAY:
                    return startObjectArray(value, plan.kind == P_SHALLOW_ARRAY);
                case P_FIELDS:
                    return startFields(value, plan.layout, false);
                case P_FIELDS_THEN_REFILL_MAP:
                    return startFields(value, plan.layout, true);
                case P_REBUILD_COLLECTION:
                case P_REBUILD_MAP:
                    return startRebuild(value, plan);
                case P_IMMUTABLE_SET:
                case P_IMMUTABLE_MAP:
                    return startImmutable(value, plan.kind == P_IMMUTABLE_MAP);
                case P_NEW_REFERENCE_QUEUE:
                    return register(value, new ReferenceQueue<Object>());
                default:
                    throw new AssertionError("plan " + plan.kind);
            }
        }

        private Object register(Object original, Object copy) {
            copies.put(original, copy);
            return copy;
        }

        private void push(Frame frame) {
            stack.push(frame);
            pushed = true;
        }

        private Object startPrimitiveArray(Object array) {
            Object copy;
            if (array instanceof int[]) {
                copy = ((int[]) array).clone();
            } else if (array instanceof long[]) {
                copy = ((long[]) array).clone();
            } else if (array instanceof double[]) {
                copy = ((double[]) array).clone();
            } else if (array instanceof byte[]) {
                copy = ((byte[]) array).clone();
            } else if (array instanceof char[]) {
                copy = ((char[]) array).clone();
            } else if (array instanceof boolean[]) {
                copy = ((boolean[]) array).clone();
            } else if (array instanceof float[]) {
                copy = ((float[]) array).clone();
            } else {
                copy = ((short[]) array).clone();
            }
            return register(array, copy);
        }

        private Object startObjectArray(Object value, boolean shallow) {
            Object[] array = (Object[]) value;
            if (array.length == 0) {
                return value; // immutable; may be a sentinel compared by identity
            }
            if (shallow) {
                return register(array, array.clone());
            }
            Object[] copy = (Object[]) Array.newInstance(array.getClass().getComponentType(), array.length);
            register(array, copy);
            push(new SlotsFrame(array, copy, null, -1));
            return copy;
        }

        private Object startFields(Object value, Layout layout, boolean refillMap) {
            Object copy = allocateUnchecked(value.getClass());
            register(value, copy);
            copyPrimitives(layout, value, copy);
            Object[] entries = refillMap ? entriesOf((Map<?, ?>) value) : null;
            if (layout.referenceOffsets.length > 0 || entries != null) {
                push(new FieldsFrame(value, copy, layout.referenceOffsets, entries));
            }
            return copy;
        }

        private Object startRebuild(Object value, Plan plan) {
            Comparator<?> comparator = comparatorOf(value);
            Object copy;
            try {
                if (comparator != null) {
                    if (plan.newWithComparator == null) {
                        return startFields(value, plan.layout, false);
                    }
                    copy = (Object) plan.newWithComparator.invokeExact((Comparator<?>) comparator);
                } else if (value.getClass() == LinkedHashMap.class && ACCESS_ORDER_OFFSET >= 0
                        && getBoolean(value, ACCESS_ORDER_OFFSET)) {
                    copy = new LinkedHashMap<Object, Object>(16, 0.75f, true);
                } else {
                    copy = (Object) plan.newEmpty.invokeExact();
                }
            } catch (Throwable t) {
                throw unchecked(t);
            }
            register(value, copy);
            boolean isMap = plan.kind == P_REBUILD_MAP;
            Object[] slots = isMap ? entriesOf((Map<?, ?>) value) : ((Collection<?>) value).toArray();
            push(new SlotsFrame(slots, new Object[slots.length], copy, isMap ? P_REBUILD_MAP : P_REBUILD_COLLECTION));
            return copy;
        }

        private Object startImmutable(Object value, boolean isMap) {
            Object[] slots = isMap ? entriesOf((Map<?, ?>) value) : ((Collection<?>) value).toArray();
            if (slots.length == 0) {
                return value; // empty and immutable
            }
            copies.put(value, BUILDING);
            push(new SlotsFrame(slots, new Object[slots.length], value, isMap ? P_IMMUTABLE_MAP : P_IMMUTABLE_SET));
            return PENDING;
        }

        /** Resolves {@code values[i..]} into {@code out}; returns where to go on, stopping after a push. */
        int resolveAll(Object[] values, Object[] out, int i) {
            pushed = false;
            while (i < values.length) {
                Object value = values[i];
                if (value != null) {
                    Object copy = resolve(value);
                    if (copy == PENDING) {
                        return i;
                    }
                    out[i] = copy;
                    if (pushed) {
                        return i + 1;
                    }
                }
                i++;
            }
            return i;
        }
    }

    private static Object[] entriesOf(Map<?, ?> map) {
        Object[] entries = new Object[map.size() * 2];
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (i == entries.length) {
                entries = Arrays.copyOf(entries, Math.max(8, i * 2));
            }
            entries[i++] = e.getKey();
            entries[i++] = e.getValue();
        }
        return i == entries.length ? entries : Arrays.copyOf(entries, i);
    }

    private static Comparator<?> comparatorOf(Object collection) {
        if (collection instanceof SortedMap) {
            return ((SortedMap<?, ?>) collection).comparator();
        }
        if (collection instanceof SortedSet) {
            return ((SortedSet<?>) collection).comparator();
        }
        if (collection instanceof PriorityQueue) {
            return ((PriorityQueue<?>) collection).comparator();
        }
        return null;
    }

    private abstract static class Frame {
        /** Makes progress; true once done, false when a frame was pushed that must run first. */
        abstract boolean advance(Copier copier);

        abstract void complete(Copier copier);
    }

    /** Copies the reference fields of an object allocated and given its primitive fields already. */
    private static final class FieldsFrame extends Frame {
        private final Object original;
        private final Object copy;
        private final long[] offsets;
        private int next;
        /** Keys and values of a map to refill, or null. */
        private final Object[] entries;
        private final Object[] entryCopies;
        private int nextEntry;

        FieldsFrame(Object original, Object copy, long[] offsets, Object[] entries) {
            this.original = original;
            this.copy = copy;
            this.offsets = offsets;
            this.entries = entries;
            this.entryCopies = entries == null ? null : new Object[entries.length];
        }

        @Override
        boolean advance(Copier copier) {
            copier.pushed = false;
            while (next < offsets.length) {
                long offset = offsets[next];
                Object value = getReference(original, offset);
                if (value != null) {
                    Object valueCopy = copier.resolve(value);
                    if (valueCopy == PENDING) {
                        return false;
                    }
                    putReference(copy, offset, valueCopy);
                    if (copier.pushed) {
                        next++;
                        return false;
                    }
                }
                next++;
            }
            if (entries != null) {
                nextEntry = copier.resolveAll(entries, entryCopies, nextEntry);
                return nextEntry == entries.length && !copier.pushed;
            }
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        void complete(Copier copier) {
            if (entries != null) {
                Map<Object, Object> map = (Map<Object, Object>) copy;
                map.clear();
                for (int i = 0; i < entryCopies.length; i += 2) {
                    map.put(entryCopies[i], entryCopies[i + 1]);
                }
            }
        }
    }

    /**
     * Resolves a sequence of values: the elements of an object array (copied into place), or the elements or
     * entries of a collection, which are inserted into their collection when complete.
     */
    private static final class SlotsFrame extends Frame {
        private final Object[] values;
        private final Object[] out;
        /** The collection to fill, or for immutable collections the original. */
        private final Object target;
        private final byte kind;
        private int next;

        SlotsFrame(Object[] values, Object[] out, Object target, int kind) {
            this.values = values;
            this.out = out;
            this.target = target;
            this.kind = (byte) kind;
        }

        @Override
        boolean advance(Copier copier) {
            next = copier.resolveAll(values, out, next);
            return next == values.length && !copier.pushed;
        }

        @Override
        @SuppressWarnings("unchecked")
        void complete(Copier copier) {
            switch (kind) {
                case P_REBUILD_COLLECTION: {
                    Collection<Object> collection = (Collection<Object>) target;
                    for (Object element : out) {
                        collection.add(element);
                    }
                    break;
                }
                case P_REBUILD_MAP: {
                    Map<Object, Object> map = (Map<Object, Object>) target;
                    for (int i = 0; i < out.length; i += 2) {
                        map.put(out[i], out[i + 1]);
                    }
                    break;
                }
                case P_IMMUTABLE_SET:
                    copier.copies.put(target, Set.copyOf(Arrays.asList(out)));
                    break;
                case P_IMMUTABLE_MAP: {
                    Map<Object, Object> entries = new HashMap<>();
                    for (int i = 0; i < out.length; i += 2) {
                        entries.put(out[i], out[i + 1]);
                    }
                    copier.copies.put(target, Map.copyOf(entries));
                    break;
                }
                default: // an object array, filled in place
                    break;
            }
        }
    }
}
