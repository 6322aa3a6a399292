package io.weft.runtime.master;

import io.weft.api.Implement;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the {@link Implement} alternatives of a task method: methods in the same jar or class directory as the
 * task's class that name it. Each location is read once, as bytes; a class is loaded (not initialised) only when
 * its constant pool names both the annotation and the task's class, as an {@code @Implement(of = …)} for it must.
 * Loading a class costs its instrumentation, so this keeps the first call of a task cheap.
 */
final class Implementations {
    private static final byte[] MARKER = "Lio/weft/api/Implement;".getBytes(StandardCharsets.UTF_8);
    /** Per location: the class files that mention {@code @Implement}, as bytes, by class name. */
    private static final ConcurrentHashMap<String, Map<String, byte[]>> BY_LOCATION = new ConcurrentHashMap<>();

    private Implementations() {}

    /**
     * The alternatives of {@code task}, ordered by class and method name.
     *
     * @throws IllegalStateException if an alternative's parameters, result or static-ness differ from the task's
     */
    static List<Method> of(Method task) {
        Class<?> owner = task.getDeclaringClass();
        List<Method> found = new ArrayList<>();
        for (Method m : declaredIn(owner)) {
            Implement impl = m.getAnnotation(Implement.class);
            if (impl.of() != owner) {
                continue;
            }
            if (impl.method().equals(task.getName())
                    && Arrays.equals(m.getParameterTypes(), task.getParameterTypes())) {
                check(task, m);
                found.add(m);
            } else if (!namesATask(owner, impl.method(), m.getParameterTypes())) {
                // Silently ignoring it would silently never run it.
                throw new IllegalStateException("@Implement method " + m.getDeclaringClass().getName() + "."
                        + m.getName() + " names " + owner.getName() + "." + impl.method() + parameters(m)
                        + ", which is not a @Task method of that class; its tasks are " + tasks(owner));
            }
        }
        found.sort(Comparator.comparing((Method m) -> m.getDeclaringClass().getName()).thenComparing(Method::getName));
        return found;
    }

    private static boolean namesATask(Class<?> owner, String name, Class<?>[] parameters) {
        return Arrays.stream(owner.getDeclaredMethods()).anyMatch(t -> t.isAnnotationPresent(io.weft.api.Task.class)
                && t.getName().equals(name) && Arrays.equals(t.getParameterTypes(), parameters));
    }

    private static List<String> tasks(Class<?> owner) {
        return Arrays.stream(owner.getDeclaredMethods()).filter(t -> t.isAnnotationPresent(io.weft.api.Task.class))
                .map(t -> t.getName() + parameters(t)).sorted().toList();
    }

    private static String parameters(Method m) {
        return Arrays.stream(m.getParameterTypes()).map(Class::getTypeName)
                .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }

    private static void check(Method task, Method alternative) {
        String where = "@Implement method " + alternative.getDeclaringClass().getName() + "." + alternative.getName();
        if (!alternative.getReturnType().equals(task.getReturnType())) {
            throw new IllegalStateException(where + " returns " + alternative.getReturnType().getName()
                    + " but the task " + task.getName() + " returns " + task.getReturnType().getName());
        }
        boolean taskStatic = Modifier.isStatic(task.getModifiers());
        if (Modifier.isStatic(alternative.getModifiers()) != taskStatic) {
            throw new IllegalStateException(where + " must be " + (taskStatic ? "static" : "an instance method")
                    + ", like the task " + task.getName());
        }
        if (!taskStatic && !alternative.getDeclaringClass().isAssignableFrom(task.getDeclaringClass())) {
            throw new IllegalStateException(where + " is an instance method of a class the task's receiver ("
                    + task.getDeclaringClass().getName() + ") is not");
        }
    }

    /** The methods annotated {@code @Implement} that may name {@code owner}: those in classes of its location. */
    private static List<Method> declaredIn(Class<?> owner) {
        CodeSource source = owner.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return annotated(owner);
        }
        String key = source.getLocation().toString() + "@" + System.identityHashCode(owner.getClassLoader());
        Map<String, byte[]> candidates = BY_LOCATION.computeIfAbsent(key, k -> scan(source));
        if (candidates == null) {
            return annotated(owner);
        }
        byte[] ownerName = ("L" + owner.getName().replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);
        List<Method> methods = new ArrayList<>();
        for (Map.Entry<String, byte[]> c : candidates.entrySet()) {
            if (indexOf(c.getValue(), ownerName) >= 0) {
                try {
                    methods.addAll(annotated(Class.forName(c.getKey(), false, owner.getClassLoader())));
                } catch (ClassNotFoundException | LinkageError e) {
                    // A class that cannot load cannot hold a usable alternative.
                }
            }
        }
        return methods;
    }

    /** The class files of a location that mention {@code @Implement}, or {@code null} if it cannot be read. */
    private static Map<String, byte[]> scan(CodeSource source) {
        try {
            return classesMentioningImplement(Path.of(source.getLocation().toURI()));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static List<Method> annotated(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Implement.class)).peek(m -> {
            m.setAccessible(true);
        }).toList();
    }

    private static Map<String, byte[]> classesMentioningImplement(Path location) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    byte[] bytes = Files.readAllBytes(p);
                    if (indexOf(bytes, MARKER) >= 0) {
                        String relative = location.relativize(p).toString().replace('\\', '/');
                        found.put(relative.substring(0, relative.length() - 6).replace('/', '.'), bytes);
                    }
                }
            }
        } else if (Files.isRegularFile(location)) {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                    String n = e.getName();
                    if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            byte[] bytes = in.readAllBytes();
                            if (indexOf(bytes, MARKER) >= 0) {
                                found.put(n.substring(0, n.length() - 6).replace('/', '.'), bytes);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
