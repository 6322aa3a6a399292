package io.weft.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The integration tests' temporary files and folders: {@link #directory} and {@link #file} make them in the test
 * JVM's temporary folder, and they are deleted, with all they hold, once the test class that made them has run.
 *
 * <p>Registered for every test class (by {@code META-INF/services} and {@code junit-platform.properties}). The
 * build gives the test JVM a temporary folder of its own ({@code target/it-tmp}, property
 * {@code weft.it.ownTmp}); there, after each class, anything else the class left behind fails it, naming what,
 * and is deleted. Elsewhere (a shared {@code /tmp}, where other processes come and go) only the deletion is done.
 */
public final class TemporaryFolders implements BeforeAllCallback, AfterAllCallback {
    private static final List<Path> MADE = new CopyOnWriteArrayList<>();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            TemporaryFolders.class);

    /** A new, empty folder, deleted after the test class. Like {@link Files#createTempDirectory(String, java.nio.file.attribute.FileAttribute[])}. */
    static Path directory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        MADE.add(dir);
        return dir;
    }

    /** A new, empty file, deleted after the test class. */
    static Path file(String prefix, String suffix) throws IOException {
        Path file = Files.createTempFile(prefix, suffix);
        MADE.add(file);
        return file;
    }

    private static Path temporaryFolder() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static boolean ownTemporaryFolder() {
        return Boolean.getBoolean("weft.it.ownTmp");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (ownTemporaryFolder()) {
            Files.createDirectories(temporaryFolder());
            context.getStore(NAMESPACE).put("before", list(temporaryFolder()));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        for (Path p : MADE) {
            deleteTree(p);
        }
        MADE.clear();
        @SuppressWarnings("unchecked")
        Set<String> before = context.getStore(NAMESPACE).remove("before", Set.class);
        if (before == null) {
            return;
        }
        Set<String> left = list(temporaryFolder());
        left.removeAll(before);
        for (String name : left) {
            deleteTree(temporaryFolder().resolve(name));
        }
        if (!left.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " left " + left + " in the temporary folder "
                    + temporaryFolder() + ": make temporary files and folders with TemporaryFolders.directory or"
                    + " TemporaryFolders.file, which delete them after the class, or delete them in the test");
        }
    }

    private static Set<String> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    /** Deletes {@code root} and everything under it, if it is there. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
