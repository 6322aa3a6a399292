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
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the {@link Implement} alternatives of a task method: methods in the same jar or class directory as the
 * task's class that name it. Each location is scanned once, reading class files as bytes and loading (without
 * initialising) only those that mention the annotation.
 */
final class Implementations {
    private static final byte[] MARKER = "Lio/weft/api/Implement;".getBytes(StandardCharsets.UTF_8);
    private static final ConcurrentHashMap<String, List<Method>> BY_LOCATION = new ConcurrentHashMap<>();

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
            if (impl.of() == owner && impl.method().equals(task.getName())
                    && Arrays.equals(m.getParameterTypes(), task.getParameterTypes())) {
                check(task, m);
                found.add(m);
            }
        }
        found.sort(Comparator.comparing((Method m) -> m.getDeclaringClass().getName()).thenComparing(Method::getName));
        return found;
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

    /** The methods annotated {@code @Implement} in the location (jar or directory) that holds {@code owner}. */
    private static List<Method> declaredIn(Class<?> owner) {
        CodeSource source = owner.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return annotated(owner);
        }
        String key = source.getLocation().toString() + "@" + System.identityHashCode(owner.getClassLoader());
        return BY_LOCATION.computeIfAbsent(key, k -> scan(source, owner));
    }

    private static List<Method> scan(CodeSource source, Class<?> owner) {
        List<Method> methods = new ArrayList<>();
        try {
            Path location = Path.of(source.getLocation().toURI());
            for (String className : classesMentioningImplement(location)) {
                try {
                    methods.addAll(annotated(Class.forName(className, false, owner.getClassLoader())));
                } catch (ClassNotFoundException | LinkageError e) {
                    // A class that cannot load cannot hold a usable alternative.
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return annotated(owner);
        }
        return List.copyOf(methods);
    }

    private static List<Method> annotated(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Implement.class)).peek(m -> {
            m.setAccessible(true);
        }).toList();
    }

    private static List<String> classesMentioningImplement(Path location) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    if (mentions(Files.readAllBytes(p))) {
                        String relative = location.relativize(p).toString().replace('\\', '/');
                        names.add(relative.substring(0, relative.length() - 6).replace('/', '.'));
                    }
                }
            }
        } else if (Files.isRegularFile(location)) {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                    String n = e.getName();
                    if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            if (mentions(in.readAllBytes())) {
                                names.add(n.substring(0, n.length() - 6).replace('/', '.'));
                            }
                        }
                    }
                }
            }
        }
        return names;
    }

    private static boolean mentions(byte[] classFile) {
        outer:
        for (int i = 0; i <= classFile.length - MARKER.length; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (classFile[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
