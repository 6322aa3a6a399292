package io.weft.runtime.master;

import io.weft.api.Implement;
import io.weft.runtime.master.config.UserCacheFolder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Finds the {@link Implement} alternatives of a task method: methods in the same jar or class directory as the
 * task's class that name it. Each location is read once per run, as bytes (only the classes that mention the
 * annotation, when the index an earlier run kept of it says which, {@link #classesMentioningImplement(Path, Path)});
 * a class is loaded (not initialised) only when its constant pool names both the annotation and the task's class,
 * as an {@code @Implement(of = …)} for it must.
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
        if (found.size() > 1) { // most tasks have none: their first call then spins no comparator's lambdas
            found.sort(Comparator.comparing((Method m) -> m.getDeclaringClass().getName())
                    .thenComparing(Method::getName));
        }
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
        Map<String, byte[]> candidates = BY_LOCATION.computeIfAbsent(key, new Scan(source));
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

    /**
     * {@link #scan} of a location, for {@code computeIfAbsent}. A class rather than a lambda (and the class folders
     * are walked with visitors rather than streams): a program's first task call runs this while the JVM
     * interprets, where each lambda costs a class spun at run time.
     */
    private static final class Scan implements java.util.function.Function<String, Map<String, byte[]>> {
        private final CodeSource source;

        Scan(CodeSource source) {
            this.source = source;
        }

        @Override
        public Map<String, byte[]> apply(String location) {
            return scan(source);
        }
    }

    /** The class files of a location that mention {@code @Implement}, or {@code null} if it cannot be read. */
    private static Map<String, byte[]> scan(CodeSource source) {
        try {
            Path indexes;
            try {
                indexes = UserCacheFolder.get();
            } catch (IOException | RuntimeException e) {
                indexes = null; // then every run reads the whole location
            }
            return classesMentioningImplement(Path.of(source.getLocation().toURI()), indexes);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The class files of a jar or class folder that mention {@code @Implement}, by class name. Finding them means
     * reading every class file of the location (about 0.2 s more before the first task of a class in a jar of 5,000
     * classes), so the names found are kept in {@code indexes} (if not {@code null}), one index per location, and a
     * later run that finds the location unchanged reads only those classes. A jar is unchanged when its class
     * entries have the same names, sizes and checksums (from its directory, without inflating them); a folder when
     * its class files have the same names, sizes and times (read without opening them).
     */
    static Map<String, byte[]> classesMentioningImplement(Path location, Path indexes) throws IOException {
        if (Files.isDirectory(location)) {
            // A folder reached through a link (a class path entry that links to a build folder) is read as the
            // folder it links to: a walk that starts at a link visits the link alone.
            location = location.toRealPath();
        }
        List<String> state = indexes == null ? null : state(location);
        Path index = state == null ? null : indexes.resolve(indexName(location));
        List<String> names = index == null ? null : readIndex(index, location, state);
        if (names != null) {
            return classFilesMentioningImplement(location, names);
        }
        Map<String, byte[]> found = classesMentioningImplement(location);
        if (index != null) {
            writeIndex(index, location, state, found.keySet());
        }
        return found;
    }

    private static final String INDEX_HEADER = "weft @Implement index 1";
    /** A binary class name as an index holds it: dotted parts, none empty, no path separator. */
    private static final java.util.regex.Pattern CLASS_NAME =
            java.util.regex.Pattern.compile("[^./\\\\]+(\\.[^./\\\\]+)*");
    /** How many location indexes the user's folder keeps; writing one past that removes the oldest. */
    static final int INDEXES_KEPT = 64;

    /**
     * What decides a location's index: a jar's class entries, their sizes and checksums (a hash of them all); a
     * folder's class files, their sizes and times.
     */
    private static List<String> state(Path location) throws IOException {
        if (Files.isRegularFile(location)) {
            long h = 0xcbf29ce484222325L;
            int n = 0;
            try (JarFile jar = new JarFile(location.toFile(), false)) {
                for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().endsWith(".class")) {
                        h = fnv(fnv(fnv(h, e.getName()), Long.toString(e.getCrc())), Long.toString(e.getSize()));
                        n++;
                    }
                }
            }
            return List.of("jar " + n + " " + Long.toHexString(h));
        }
        if (!Files.isDirectory(location)) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        lines.add("folder");
        Files.walkFileTree(location, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes link) throws IOException {
                if (!p.getFileName().toString().endsWith(".class")) {
                    return FileVisitResult.CONTINUE;
                }
                // A linked class file counts as the file it links to.
                BasicFileAttributes a = link.isSymbolicLink() ? Files.readAttributes(p, BasicFileAttributes.class)
                        : link;
                if (a.isRegularFile()) {
                    lines.add(location.relativize(p).toString().replace('\\', '/') + " " + a.size() + " "
                            + a.lastModifiedTime().toMillis());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Collections.sort(lines.subList(1, lines.size()));
        return lines;
    }

    /** The index file of a location: named after its real path (another location of the same name overwrites it). */
    private static String indexName(Path location) throws IOException {
        return "implements-" + Long.toHexString(fnv(0xcbf29ce484222325L, location.toRealPath().toString())) + ".txt";
    }

    /** FNV-1a, 64 bits, of {@code text}'s characters and a separator, continuing from {@code h}. */
    private static long fnv(long h, String text) {
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ '\n') * 0x100000001b3L;
    }

    /** The class names an index holds for {@code location} in this state, or {@code null} if it holds none. */
    private static List<String> readIndex(Path index, Path location, List<String> state) {
        List<String> lines;
        try {
            lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null; // none yet, or unreadable: the location is read whole
        }
        int head = 3 + state.size();
        if (lines.size() < head || !lines.get(0).equals(INDEX_HEADER)
                || !lines.get(1).equals(location.toAbsolutePath().normalize().toString())
                || !lines.get(2).equals(Integer.toString(state.size()))
                || !lines.subList(3, head).equals(state)) {
            return null;
        }
        List<String> names = lines.subList(head, lines.size());
        for (String name : names) {
            if (!CLASS_NAME.matcher(name).matches()) {
                return null; // not an index this class wrote: the location is read whole
            }
        }
        return names;
    }

    /** Writes a location's index whole (under a temporary name, then renamed); a failure only costs a read. */
    private static void writeIndex(Path index, Path location, List<String> state, java.util.Collection<String> names) {
        List<String> lines = new ArrayList<>(3 + state.size() + names.size());
        lines.add(INDEX_HEADER);
        lines.add(location.toAbsolutePath().normalize().toString());
        lines.add(Integer.toString(state.size()));
        lines.addAll(state);
        lines.addAll(new java.util.TreeSet<>(names));
        Path partial = null;
        try {
            Path folder = index.getParent();
            partial = Files.createTempFile(folder, "implements-", ".part");
            Files.write(partial, lines, StandardCharsets.UTF_8);
            Files.move(partial, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            partial = null;
            UserCacheFolder.prune(folder, "implements-", ".txt", INDEXES_KEPT);
        } catch (IOException | RuntimeException e) {
            // Only a speed-up: the next run reads the location whole again.
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException e) {
                    // a part left behind is overwritten by none and harms none
                }
            }
        }
    }

    /** Of the named classes of a jar or class folder, those whose class files mention {@code @Implement}. */
    private static Map<String, byte[]> classFilesMentioningImplement(Path location, List<String> classNames)
            throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        if (classNames.isEmpty()) {
            return found;
        }
        JarFile jar = Files.isDirectory(location) ? null : new JarFile(location.toFile());
        try {
            for (String name : classNames) {
                String entry = name.replace('.', '/') + ".class";
                byte[] bytes = null;
                if (jar == null) {
                    Path file = location.resolve(entry);
                    bytes = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
                } else {
                    JarEntry e = jar.getJarEntry(entry);
                    if (e != null) {
                        try (InputStream in = jar.getInputStream(e)) {
                            bytes = in.readAllBytes();
                        }
                    }
                }
                if (bytes != null && indexOf(bytes, MARKER) >= 0) {
                    found.put(name, bytes);
                }
            }
        } finally {
            if (jar != null) {
                jar.close();
            }
        }
        return found;
    }

    private static List<Method> annotated(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Implement.class)).peek(m -> {
            m.setAccessible(true);
        }).toList();
    }

    private static Map<String, byte[]> classesMentioningImplement(Path location) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        if (Files.isDirectory(location)) {
            Files.walkFileTree(location, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes a) throws IOException {
                    if (p.toString().endsWith(".class")) {
                        byte[] bytes = Files.readAllBytes(p);
                        if (indexOf(bytes, MARKER) >= 0) {
                            String relative = location.relativize(p).toString().replace('\\', '/');
                            found.put(relative.substring(0, relative.length() - 6).replace('/', '.'), bytes);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } else if (Files.isRegularFile(location)) {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                    JarEntry e = entries.nextElement();
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
