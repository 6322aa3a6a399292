package io.weft.instrument;

import java.util.List;

/**
 * Decides which classes are application classes, i.e. which ones the agent rewrites: everything outside the JDK,
 * Weft itself and well-known libraries, refined by include and exclude patterns.
 *
 * <p>A pattern is a package or class prefix in dotted form ({@code com.acme.}, {@code com.acme.Main}); a
 * trailing {@code *} is allowed and ignored. Includes win over the built-in exclusions; user excludes win over
 * everything. Immutable and thread-safe.
 */
final class ClassFilter {
    /** Packages never rewritten unless explicitly included. */
    static final List<String> BUILT_IN_EXCLUDES = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.xml.", "org.w3c.", "org.ietf.", "org.omg.",
            "io.weft.api.", "io.weft.runtime.", "io.weft.instrument.", "io.weft.resources.", "io.weft.wire.",
            "io.weft.log.", "io.weft.internal.",
            unrelocated("java", "ssist."), unrelocated("org.", "apache.", "logging."), "org.slf4j.", "ch.qos.logback.",
            "org.junit.", "junit.", "org.opentest4j.", "org.apiguardian.", "org.assertj.", "net.jqwik.",
            "org.hamcrest.", "org.mockito.", "net.bytebuddy.", "org.objenesis.", "kotlin.", "scala.", "groovy.",
            "org.codehaus.groovy.", "org.openjdk.jmh.", "com.esotericsoftware.", unrelocated("io.", "netty."),
            "com.fasterxml.", "org.apache.maven.", "org.gradle.", "com.intellij.", "org.eclipse.");

    /**
     * {@code pieces} joined: the package of a library whose own copy the agent jar relocates. Relocation rewrites
     * every string constant that starts like that package, which would make a plain constant name the relocated
     * copy and leave the application's own copy of the library to be instrumented; the pieces are no such constant.
     */
    private static String unrelocated(String... pieces) {
        return String.join("", pieces);
    }

    private final List<String> includes;
    private final List<String> excludes;

    ClassFilter(List<String> includes, List<String> excludes) {
        this.includes = normalised(includes);
        this.excludes = normalised(excludes);
    }

    /** A loop, not a stream: this runs before {@code main}, where a stream's first use loads classes of its own. */
    private static List<String> normalised(List<String> patterns) {
        List<String> all = new java.util.ArrayList<>(patterns.size());
        for (String p : patterns) {
            all.add(normalise(p));
        }
        return List.copyOf(all);
    }

    private static String normalise(String pattern) {
        String p = pattern.trim().replace('/', '.');
        return p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
    }

    /**
     * Whether {@code className} (dotted binary name) loaded by {@code loader} is an application class.
     *
     * @param loader the defining loader; {@code null} (bootstrap) and the platform loader are never instrumented
     */
    boolean isApplicationClass(ClassLoader loader, String className) {
        if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
            return false;
        }
        if (startsWithAny(className, excludes)) {
            return false;
        }
        if (startsWithAny(className, includes)) {
            return true;
        }
        if (className.contains("$$Lambda") || className.startsWith("io.weft.internal.")) {
            return false;
        }
        return !isKnownLibrary(className);
    }

    /**
     * Whether methods of {@code className} may be tasks, i.e. whether the instrumenter must read the class to tell:
     * false for known libraries, unless the user included the class.
     */
    boolean mayDeclareTasks(String className) {
        return startsWithAny(className, includes) || !isKnownLibrary(className);
    }

    /** Whether calls to methods of {@code className} can be assumed not to be tasks, without reading it. */
    static boolean isKnownLibrary(String className) {
        return startsWithAny(className, BUILT_IN_EXCLUDES);
    }

    private static boolean startsWithAny(String className, List<String> prefixes) {
        for (String p : prefixes) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
