package io.weft.api.spi;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The classes the agent rewrote, so the runtime can tell which objects wait for their own pending tasks: every
 * method of a rewritten class waits before it reads or writes a field of its object, so such an object may be
 * handed to library code that only calls its methods (a list that stores it and later prints it) without waiting
 * first. An object of a JDK class, or of a class the agent left alone, may not: library code would read its fields
 * directly.
 *
 * <p>Thread-safe: classes are recorded by the class-loading threads that rewrite them, queried by application
 * threads. Class loaders are held weakly.
 */
public final class InstrumentedClasses {
    private static final Map<ClassLoader, Set<String>> RECORDED = new WeakHashMap<>();

    private static final ClassValue<Boolean> WAITS_FOR_ITSELF = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.isArray() || type.isPrimitive() || type.isInterface()) {
                return false;
            }
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                if (!isRecorded(c)) {
                    return false; // a method it inherits from this class reads fields without waiting
                }
            }
            return true;
        }
    };

    private InstrumentedClasses() {}

    /** Records that the agent rewrote the class {@code name} defined by {@code loader}. Before the class is defined. */
    public static void add(ClassLoader loader, String name) {
        if (loader == null) {
            return; // the JDK's own classes are never rewritten
        }
        synchronized (RECORDED) {
            Set<String> names = RECORDED.get(loader); // not computeIfAbsent's lambda: this runs before main
            if (names == null) {
                names = new HashSet<>();
                RECORDED.put(loader, names);
            }
            names.add(name);
        }
    }

    /**
     * Whether every method an instance of {@code type} runs, up to {@code Object}'s, was rewritten by the agent, so
     * that the object waits for its pending tasks by itself when code that is not rewritten (the JDK's) calls it.
     */
    public static boolean waitsForItself(Class<?> type) {
        return WAITS_FOR_ITSELF.get(type);
    }

    private static boolean isRecorded(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        if (loader == null) {
            return false;
        }
        synchronized (RECORDED) {
            Set<String> names = RECORDED.get(loader);
            return names != null && names.contains(c.getName());
        }
    }
}
