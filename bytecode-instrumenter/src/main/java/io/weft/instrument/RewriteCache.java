package io.weft.instrument;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rewritten classes kept between runs, so that a run whose classes were rewritten before does not even load the
 * rewriter (javassist's class loading and first interpreted use cost some 100 ms on the first class).
 *
 * <p>An entry is found by a hash of the class's bytes and of the options that change its rewrite (whether it is
 * the entry class, the include and exclude patterns); its folder is named after the agent's own jar (path, size,
 * time) and the JVM. It also holds what else the rewrite depended on, each checked before the entry is used:
 * <ul>
 *   <li>every class the rewriter looked up (a call is rewritten because its callee in another class is a
 *       {@code @Task}), as the class's loader finds it now: by the size and a hash of its class file, in a folder
 *       or a jar, or by its absence; the JDK's classes are covered by the JVM in the folder's name; the classes of
 *       Weft's API that the inserted code names are known by the class file of the class loaded;
 *   <li>the task call sites it registered: they are registered again in the same order, and must get the ids the
 *       rewritten code holds (they do unless classes load in another order than in the run that wrote the entry).
 * </ul>
 * Anything that does not match, and any entry that cannot be read whole, is a miss: the class is rewritten and the
 * entry written again.
 *
 * <p>Entries live under {@code weft-class-cache-<user>/rewrites-<hash>/} in the temporary folder
 * ({@code java.io.tmpdir}): folders of mode 700 that the user owns (a folder another user could write to is never
 * used: its classes would run in the program), files of mode 600, each written under a temporary name and renamed
 * into place, so a reader sees a whole entry or none.
 * Only the {@value #KEPT} most recently made folders are kept, and a folder past {@value #MAX_ENTRIES} entries loses
 * its older half when a run next writes to it.
 *
 * <p>Thread-safe: classes load on many threads; entries are files, written atomically.
 */
final class RewriteCache implements WeftTransformer.Rewriter {
    /** Rewrites a class the cache does not hold (the instrumenter, made when first needed). */
    interface Instrumenter {
        byte[] instrument(ClassLoader loader, byte[] classBytes, RewriteRecording recording);
    }

    /** How many rewrite folders (one per agent jar and JVM) the user's cache folder keeps. */
    static final int KEPT = 4;
    /** How many entries a rewrite folder holds before a run that writes one deletes the older half. */
    static final int MAX_ENTRIES = 4000;
    private static final int MAGIC = 0x57656674;
    /** The entries' format; a new format goes to a folder of its own. */
    private static final int FORMAT = 1;
    private static final String JDK = "jdk";
    /** The mode of the cache's folders, 700. */
    private static final Set<PosixFilePermission> OWNER_ONLY = java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final String ABSENT = "absent";
    private static final Set<String> PRIMITIVES =
            Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double", "void");

    private final Path folder;
    private final Instrumenter instrumenter;
    private final ClassInstrumenter.SiteRegistry sites;
    private final String mainClass;
    private final String filterKey;
    private final int maxEntries;
    private final java.util.concurrent.atomic.AtomicBoolean trimmed = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();
    private final ThreadLocal<Boolean> lastHit = new ThreadLocal<>();

    /**
     * @param folder where the entries are, an existing folder only the user can write
     * @param mainClass the program's entry class, or {@code null}
     * @param filterKey the include and exclude patterns, as text: entries made under other patterns are not used
     * @param maxEntries how many entries the folder may hold before the first entry this cache writes trims it
     */
    RewriteCache(Path folder, Instrumenter instrumenter, ClassInstrumenter.SiteRegistry sites, String mainClass,
            String filterKey, int maxEntries) {
        this.folder = folder;
        this.maxEntries = maxEntries;
        this.instrumenter = instrumenter;
        this.sites = sites;
        this.mainClass = mainClass;
        this.filterKey = filterKey;
    }

    /**
     * The cache in the user's own folder for this agent jar and JVM, made if need be; {@code null} if there is no
     * safe place for it (then every class is rewritten, as without the cache).
     */
    static RewriteCache open(Instrumenter instrumenter, ClassInstrumenter.SiteRegistry sites, String mainClass,
            String filterKey) {
        return open(Path.of(System.getProperty("java.io.tmpdir")), instrumenter, sites, mainClass, filterKey);
    }

    /** {@link #open(Instrumenter, ClassInstrumenter.SiteRegistry, String, String)} under another temporary folder. */
    static RewriteCache open(Path temporary, Instrumenter instrumenter, ClassInstrumenter.SiteRegistry sites,
            String mainClass, String filterKey) {
        return open(temporary, instrumenter, sites, mainClass, filterKey, MAX_ENTRIES);
    }

    /** {@link #open(Path, Instrumenter, ClassInstrumenter.SiteRegistry, String, String)} with another bound. */
    static RewriteCache open(Path temporary, Instrumenter instrumenter, ClassInstrumenter.SiteRegistry sites,
            String mainClass, String filterKey, int maxEntries) {
        try {
            Path own = ownFolder(temporary.resolve("weft-class-cache-" + fileNamePart(System.getProperty("user.name",
                    "user"))));
            if (own == null) {
                return null;
            }
            String salt = "format " + FORMAT + "|" + System.getProperty("java.home") + "|"
                    + System.getProperty("java.vm.version") + "|" + agentIdentity();
            Path folder = own.resolve("rewrites-" + ContentHash.hex(salt.getBytes(StandardCharsets.UTF_8)));
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                prune(own);
            }
            folder = ownFolder(folder);
            return folder == null ? null
                    : new RewriteCache(folder, instrumenter, sites, mainClass, filterKey, maxEntries);
        } catch (IOException | RuntimeException e) {
            return null; // only a speed-up
        }
    }

    @Override
    public byte[] rewrite(ClassLoader loader, String className, byte[] classBytes) {
        String key = className + "\n" + (className.equals(mainClass) ? "entry class" : "") + "\n" + filterKey;
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] named = new byte[keyBytes.length + classBytes.length];
        System.arraycopy(keyBytes, 0, named, 0, keyBytes.length);
        System.arraycopy(classBytes, 0, named, keyBytes.length, classBytes.length);
        Path file = folder.resolve(ContentHash.hex(named) + ".class");
        Entry entry = read(file);
        if (entry != null && entry.key.equals(key) && java.util.Arrays.equals(entry.original, classBytes)
                && entry.stillValid(loader, sites)) {
            hits.incrementAndGet();
            lastHit.set(Boolean.TRUE);
            return entry.rewritten;
        }
        RewriteRecording recording = new RewriteRecording();
        byte[] rewritten = instrumenter.instrument(loader, classBytes, recording);
        misses.incrementAndGet();
        lastHit.set(Boolean.FALSE);
        write(file, key, className, classBytes, recording, rewritten, loader);
        return rewritten;
    }

    @Override
    public boolean lastWasCached() {
        return Boolean.TRUE.equals(lastHit.get());
    }

    /** Classes taken from the cache so far. */
    int hits() {
        return hits.get();
    }

    /** Classes rewritten (and written to the cache) so far. */
    int misses() {
        return misses.get();
    }

    /** The folder the entries are in. */
    Path folder() {
        return folder;
    }

    // ---- entries ----------------------------------------------------------------------------------------------

    /** One entry as read back: what was rewritten, from what, and what the rewrite depended on. */
    private record Entry(String key, byte[] original, List<String> dependencies, List<String> states,
            List<RewriteRecording.Site> sites, byte[] rewritten) {
        boolean stillValid(ClassLoader loader, ClassInstrumenter.SiteRegistry registry) {
            for (int i = 0; i < dependencies.size(); i++) {
                if (!states.get(i).equals(state(loader, dependencies.get(i)))) {
                    return false;
                }
            }
            for (RewriteRecording.Site s : sites) {
                if (registry.register(loader, s.owner(), s.name(), s.descriptor(), s.isStatic()) != s.id()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The entry in {@code file}, or {@code null} if there is none or it cannot be read whole. */
    private static Entry read(Path file) {
        byte[] bytes;
        // A stream rather than Files.readAllBytes: the JVM has its classes loaded already, not those of NIO's file
        // channels (some 30 classes, a few milliseconds before main).
        try (InputStream in = new FileInputStream(file.toFile())) {
            bytes = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null; // none (FileNotFoundException), or unreadable: a miss
        }
        try {
            if (bytes.length < 8) {
                return null;
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, bytes.length - 8, 8));
            if (in.readLong() != ContentHash.of(bytes, 0, bytes.length - 8)) {
                return null; // torn or damaged: rewritten and written again
            }
            in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                return null;
            }
            String key = in.readUTF();
            byte[] original = in.readNBytes(in.readInt());
            int n = in.readInt();
            List<String> dependencies = new ArrayList<>(n);
            List<String> states = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                dependencies.add(in.readUTF());
                states.add(in.readUTF());
            }
            int m = in.readInt();
            List<RewriteRecording.Site> sites = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                sites.add(new RewriteRecording.Site(in.readUTF(), in.readUTF(), in.readUTF(), in.readBoolean(),
                        in.readInt()));
            }
            int length = in.readInt();
            byte[] rewritten = length < 0 ? null : in.readNBytes(length);
            if (rewritten != null && rewritten.length != length || in.available() != 0) {
                return null;
            }
            return new Entry(key, original, dependencies, states, sites, rewritten);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Writes the entry for a class just rewritten; a failure only means the next run rewrites it again. */
    private void write(Path file, String key, String className, byte[] original, RewriteRecording recording,
            byte[] rewritten, ClassLoader loader) {
        Path partial = null;
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(original.length * 2 + 1024);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(key);
            out.writeInt(original.length);
            out.write(original);
            List<String> dependencies = new ArrayList<>();
            List<String> states = new ArrayList<>();
            for (String name : recording.consulted()) {
                if (name.equals(className)) {
                    continue; // its bytes are the entry's key
                }
                String state = state(loader, name);
                if (state == null) {
                    return; // a class file that cannot be read now: nothing to check it against later
                }
                dependencies.add(name);
                states.add(state);
            }
            out.writeInt(dependencies.size());
            for (int i = 0; i < dependencies.size(); i++) {
                out.writeUTF(dependencies.get(i));
                out.writeUTF(states.get(i));
            }
            out.writeInt(recording.sites().size());
            for (RewriteRecording.Site s : recording.sites()) {
                out.writeUTF(s.owner());
                out.writeUTF(s.name());
                out.writeUTF(s.descriptor());
                out.writeBoolean(s.isStatic());
                out.writeInt(s.id());
            }
            out.writeInt(rewritten == null ? -1 : rewritten.length);
            if (rewritten != null) {
                out.write(rewritten);
            }
            out.flush();
            byte[] body = buffer.toByteArray();
            out.writeLong(ContentHash.of(body, 0, body.length));
            out.flush();
            partial = Files.createTempFile(folder, "entry-", ".part",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(partial, buffer.toByteArray());
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            partial = null;
            if (trimmed.compareAndSet(false, true)) {
                trim();
            }
        } catch (IOException | RuntimeException e) {
            // Only a speed-up: the next run rewrites the class again.
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException e) {
                    // left for the next prune
                }
            }
        }
    }

    /**
     * What a rewrite that looked up {@code name} through {@code loader} read: {@code jdk} for the JDK's classes
     * (the JVM is part of the folder's name), {@code absent}; for a class file, in a folder or a jar, its size and
     * hash; {@code null} if it cannot be told. Looked up as the instrumenter's class pool does: the loader, then the
     * JDK, then Weft's API (which the application class loader, when it is the loader, has asked already).
     */
    static String state(ClassLoader loader, String name) {
        while (name.endsWith("[]")) {
            name = name.substring(0, name.length() - 2);
        }
        if (PRIMITIVES.contains(name) || name.startsWith("java.")) {
            return JDK;
        }
        String path = name.replace('.', '/') + ".class";
        URL url = loader == null ? null : weftApi(loader, name, path);
        if (url == null && loader != null) {
            url = loader.getResource(path);
        }
        // The application class loader has asked the JDK's loaders already, and holds Weft's API itself.
        boolean asked = loader != null && loader == ClassLoader.getSystemClassLoader()
                && io.weft.api.spi.Intercept.class.getClassLoader() == loader;
        if (url == null && !asked) {
            url = Object.class.getResource("/" + path);
        }
        if (url == null && !asked) {
            url = io.weft.api.spi.Intercept.class.getResource("/" + path);
        }
        if (url == null) {
            return ABSENT;
        }
        if (url.getProtocol().equals("jrt")) {
            return JDK;
        }
        // By content, in a jar too: the same class in another jar (Weft's API is in weft-api.jar and in
        // weft-agent.jar, whichever the class path names first) is the same dependency.
        try {
            byte[] bytes = read(url);
            return bytes.length + ":" + ContentHash.hex(bytes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Where the class of Weft's API that the inserted code names, {@code name}, comes from, when it is the one the
     * agent itself runs with ({@code loader} holds Weft's API): the class file of the class the program will call,
     * found from the class rather than by asking {@code loader} for the resource, which asks the JDK's loaders
     * first (opening the JDK's image and looking in each of its modules, a few milliseconds before {@code main} for
     * a name no JDK package holds). {@code null} for any other class, or if it cannot be told: then it is looked up
     * as a resource.
     */
    static URL weftApi(ClassLoader loader, String name, String path) {
        if (!name.startsWith("io.weft.api.") || io.weft.api.spi.Intercept.class.getClassLoader() != loader) {
            return null;
        }
        try {
            // Weft's own API: loading it here (not initialising it) runs nothing of the program's.
            Class<?> c = Class.forName(name, false, loader);
            if (c.getClassLoader() != loader || c.getProtectionDomain().getCodeSource() == null) {
                return null;
            }
            URL where = c.getProtectionDomain().getCodeSource().getLocation();
            if (where == null || !where.getProtocol().equals("file")) {
                return null;
            }
            return where.getPath().endsWith("/") ? new URL(where, path)
                    : new URL("jar:" + where.toExternalForm() + "!/" + path);
        } catch (ClassNotFoundException | LinkageError | SecurityException | java.net.MalformedURLException e) {
            return null;
        }
    }

    /**
     * The bytes a class loader's resource URL names. A class in a jar on the class path is read through the jar
     * itself, which the class path holds open (a {@code JarFile} of it shares that), rather than through a
     * {@code jar:} URL connection, whose dozen classes the JVM would load for it before {@code main}; the jar is read
     * as the class loader reads it, at the running Java's version.
     */
    private static byte[] read(URL url) throws IOException {
        String spec = url.getPath();
        int bang = spec.indexOf("!/");
        if (url.getProtocol().equals("jar") && bang > 0 && spec.startsWith("file:")) {
            java.io.File file;
            try {
                file = new java.io.File(new java.net.URI(spec.substring(0, bang)));
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                file = null;
            }
            if (file != null) {
                // Not verified: only the bytes count here, and the class loader checks a signed jar's classes.
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(file, false, java.util.zip.ZipFile.OPEN_READ,
                        Runtime.version())) {
                    java.util.zip.ZipEntry entry = jar.getEntry(spec.substring(bang + 2));
                    if (entry != null) { // else a name the URL encodes: read as below
                        try (InputStream in = jar.getInputStream(entry)) {
                            return in.readAllBytes();
                        }
                    }
                }
            }
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

    /**
     * Keeps the folder bounded, once per run that writes to it (a run whose classes all come from the cache lists
     * nothing): past {@code maxEntries} entries, the older half goes, oldest written first, and parts a killed run
     * left. Every program and every version of its classes adds entries, and a folder lives as long as its agent
     * jar.
     */
    private void trim() {
        try (var files = Files.list(folder)) {
            List<Path> entries = new ArrayList<>();
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".class")) {
                    entries.add(p);
                } else if (name.endsWith(".part")
                        && modified(p) < System.currentTimeMillis() - 86_400_000L) {
                    Files.deleteIfExists(p);
                }
            }
            if (entries.size() <= maxEntries) {
                return;
            }
            entries.sort(Comparator.comparingLong(RewriteCache::modified));
            for (Path old : entries.subList(0, entries.size() - maxEntries / 2)) {
                Files.deleteIfExists(old);
            }
        } catch (IOException | RuntimeException e) {
            // Only tidiness: the next run that writes tries again.
        }
    }

    // ---- folders ----------------------------------------------------------------------------------------------

    /** Which agent code rewrote the classes: the jar (or classes folder) it was loaded from, its size and time. */
    private static String agentIdentity() throws IOException {
        var source = RewriteCache.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("the agent's code source is unknown");
        }
        Path where;
        try {
            where = Path.of(source.getLocation().toURI());
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IOException(e);
        }
        Path file = Files.isDirectory(where) ? where.resolve("io/weft/instrument/ClassInstrumenter.class") : where;
        return file.toRealPath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
    }

    /**
     * {@code name} with each character other than an ASCII letter, digit, {@code _}, {@code .} or {@code -} as one
     * {@code _}, as the runtime and the launcher name the same folder (a character outside the Basic Multilingual
     * Plane is one character, two {@code char}s).
     */
    static String fileNamePart(String name) {
        // A loop rather than a regular expression: this runs before main, when every class costs.
        StringBuilder part = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            boolean plain = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
                    || c == '.' || c == '-';
            part.append(plain ? (char) c : '_');
        }
        return part.toString();
    }

    /** {@code folder}, made if need be; {@code null} if it exists and is not safely the user's alone. */
    static Path ownFolder(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Made meanwhile by another run: checked below like any.
            } catch (UnsupportedOperationException e) {
                return null; // not a POSIX file system: no way to keep others out
            }
        }
        // One look at the folder for all three (and no permission string to parse).
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        if (!attributes.isDirectory() || !attributes.owner().getName().equals(System.getProperty("user.name"))
                || !attributes.permissions().equals(OWNER_ONLY)) {
            return null;
        }
        return folder;
    }

    /** Keeps the newest {@value #KEPT} rewrite folders, the one about to be made included. */
    private static void prune(Path own) {
        try (var files = Files.list(own)) {
            List<Path> folders = new ArrayList<>();
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().startsWith("rewrites-")
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    folders.add(p);
                }
            }
            folders.sort(Comparator.comparingLong(RewriteCache::modified).reversed());
            for (Path old : folders.subList(Math.min(folders.size(), KEPT - 1), folders.size())) {
                try (var entries = Files.list(old)) {
                    for (Path e : (Iterable<Path>) entries::iterator) {
                        Files.deleteIfExists(e);
                    }
                }
                Files.deleteIfExists(old);
            }
        } catch (IOException | RuntimeException e) {
            // Only tidiness: the next new folder tries again.
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
