package io.weft.runtime.master.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
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
        return get(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@link #get()} under another temporary folder. */
    static Path get(Path temporary) throws IOException {
        String user = System.getProperty("user.name", "user");
        Path folder = temporary.resolve("weft-class-cache-" + user.replaceAll("[^A-Za-z0-9_.-]", "_"));
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
}
