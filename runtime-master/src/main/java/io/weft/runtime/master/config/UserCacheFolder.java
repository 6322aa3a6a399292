package io.weft.runtime.master.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The user's own folder for what Weft keeps between runs on this host (class-data archives of worker processes,
 * the index of {@code @Implement} alternatives; the agent keeps its rewritten classes there too):
 * {@code weft-class-cache-<user>} in the temporary folder ({@code java.io.tmpdir}), mode 700. A folder another user
 * could write to is never used: what is kept there decides which code runs.
 */
public final class UserCacheFolder {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private UserCacheFolder() {}

    /** The folder, made if need be; {@code null} if it exists and is not safely the user's alone. */
    public static Path get() throws IOException {
        String user = System.getProperty("user.name", "user");
        Path folder = Path.of(System.getProperty("java.io.tmpdir"), "weft-class-cache-"
                + user.replaceAll("[^A-Za-z0-9_.-]", "_"));
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Made meanwhile by another run: checked below like any.
            } catch (UnsupportedOperationException e) {
                return null; // not a POSIX file system: no way to keep others out
            }
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        if (!attributes.isDirectory() || !attributes.owner().getName().equals(user)
                || !attributes.permissions().equals(OWNER_ONLY)) {
            return null;
        }
        return folder;
    }

    /**
     * Keeps the folder small: of the files named {@code prefix…suffix}, only the {@code kept} most recently written
     * stay, and the parts a killed run left ({@code prefix….part}) go after a day. Only tidiness: what cannot be
     * listed or deleted now is left for a later run.
     */
    public static void prune(Path folder, String prefix, String suffix, int kept) {
        try (var files = Files.list(folder)) {
            List<Path> made = new ArrayList<>();
            long dayAgo = System.currentTimeMillis() - 86_400_000L;
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(suffix)) {
                    made.add(p);
                } else if (name.startsWith(prefix) && name.endsWith(".part") && modified(p) < dayAgo) {
                    Files.deleteIfExists(p);
                }
            }
            if (made.size() <= kept) {
                return;
            }
            made.sort(Comparator.comparingLong(UserCacheFolder::modified).reversed());
            for (Path old : made.subList(kept, made.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException | RuntimeException e) {
            // Only tidiness: the next run tries again.
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0; // gone meanwhile, or unreadable: first to go
        }
    }
}
