package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javassist.ClassPool;
import javassist.CtClass;
import javassist.CtMethod;
import javassist.bytecode.AnnotationsAttribute;
import javassist.bytecode.ParameterAnnotationsAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache of rewritten classes across runs. Each "run" is a new cache on the same folder, with an instrumenter
 * and a site registry of its own, as a new JVM would have; the classes are read through a loader over a folder of
 * class files, so a test can change a callee between runs.
 */
class RewriteCacheTest {
    private static final String CALLS = "weftsamples.Calls";
    private static final String BLOCK = "weftsamples.Block";

    @TempDir
    Path temporary;
    @TempDir
    Path classes;

    /** One JVM's worth of agent: its instrumenter (counting what it rewrites), registry and cache. */
    private final class Run {
        final Map<String, Integer> registered = new HashMap<>();
        final ClassInstrumenter.SiteRegistry sites = (loader, owner, name, descriptor, isStatic) ->
                registered.computeIfAbsent(owner + "." + name + descriptor, k -> registered.size());
        int instrumented;
        final ClassInstrumenter instrumenter = new ClassInstrumenter(sites, null);
        final RewriteCache cache = RewriteCache.open(temporary, (loader, bytes, recording) -> {
            instrumented++;
            return instrumenter.instrument(loader, bytes, recording);
        }, sites, null, "include=[] exclude=[]");
        final ClassLoader loader = new FolderFirstLoader(classes);

        byte[] calls() {
            return cache.rewrite(loader, CALLS, SampleLoader.originalBytes(CALLS));
        }
    }

    @Test
    void warmRun_takesTheClassFromTheCacheWithoutRewritingIt() {
        Run cold = new Run();
        byte[] first = cold.calls();
        Run warm = new Run();

        byte[] second = warm.calls();

        assertThat(cold.instrumented).isEqualTo(1);
        assertThat(cold.cache.misses()).isEqualTo(1);
        assertThat(warm.instrumented).as("the warm run does not rewrite").isZero();
        assertThat(warm.cache.hits()).isEqualTo(1);
        assertThat(hash(second)).isEqualTo(hash(first));
        assertThat(warm.registered).as("the cached code's call sites are registered, under the same ids")
                .isEqualTo(cold.registered).isNotEmpty();
    }

    @Test
    void changedCallee_invalidatesTheCachedCaller() throws Exception {
        Run cold = new Run();
        byte[] withTask = cold.calls();
        Files.createDirectories(classes.resolve("weftsamples"));
        Files.write(classes.resolve("weftsamples/Block.class"), blockWhoseScaleIsNoTask());
        Run afterChange = new Run();

        byte[] withoutTask = afterChange.calls();

        assertThat(afterChange.instrumented).as("a callee changed: the caller is rewritten again").isEqualTo(1);
        Run uncached = new Run();
        assertThat(hash(withoutTask)).isNotEqualTo(hash(withTask))
                .isEqualTo(hash(uncached.instrumenter.instrument(uncached.loader, SampleLoader.originalBytes(CALLS))));
        assertThat(afterChange.registered.keySet()).as("Block.scale is no task any more")
                .noneMatch(site -> site.startsWith(BLOCK + ".scale"));
        Run warm = new Run();
        assertThat(hash(warm.calls())).isEqualTo(hash(withoutTask));
        assertThat(warm.instrumented).as("the entry written again is used").isZero();
    }

    @Test
    void corruptEntry_isIgnoredAndWrittenAgain() throws IOException {
        byte[] first = new Run().calls();
        Path entry = onlyEntry();
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(entry, bytes);
        Run afterDamage = new Run();

        assertThat(hash(afterDamage.calls())).isEqualTo(hash(first));
        assertThat(afterDamage.instrumented).isEqualTo(1);

        Files.write(entry, java.util.Arrays.copyOf(bytes, 40)); // torn
        Run afterTear = new Run();
        assertThat(hash(afterTear.calls())).isEqualTo(hash(first));
        assertThat(afterTear.instrumented).isEqualTo(1);

        Run warm = new Run();
        assertThat(hash(warm.calls())).isEqualTo(hash(first));
        assertThat(warm.instrumented).isZero();
    }

    @Test
    void callSitesThatWouldGetOtherIds_areRewrittenAgain() {
        byte[] first = new Run().calls();
        Run other = new Run();
        other.sites.register(other.loader, "com.acme.Other", "task", "()V", true); // this run registered one before

        byte[] second = other.calls();

        assertThat(other.instrumented).isEqualTo(1);
        assertThat(hash(second)).isNotEqualTo(hash(first));
    }

    @Test
    void aDependencyInAJar_isKnownByItsBytes_asInAFolder() throws Exception {
        byte[] bytes = new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 1, 2, 3};
        Path folder = Files.createDirectories(temporary.resolve("in folder/weftsamples"));
        Files.write(folder.resolve("Dep.class"), bytes);
        Path jar = temporary.resolve("in a jar with a space.jar");
        writeJar(jar, "weftsamples/Dep.class", bytes);
        Path other = temporary.resolve("other.jar");
        writeJar(other, "weftsamples/Dep.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 9});

        try (var inFolder = new java.net.URLClassLoader(new URL[] {temporary.resolve("in folder").toUri().toURL()},
                        null);
                var inJar = new java.net.URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                var inOther = new java.net.URLClassLoader(new URL[] {other.toUri().toURL()}, null)) {
            String state = RewriteCache.state(inFolder, "weftsamples.Dep");
            assertThat(state).startsWith(bytes.length + ":");
            assertThat(RewriteCache.state(inJar, "weftsamples.Dep")).as("the same bytes in a jar").isEqualTo(state);
            assertThat(RewriteCache.state(inOther, "weftsamples.Dep")).as("other bytes").isNotEqualTo(state);
            assertThat(RewriteCache.state(inJar, "weftsamples.Missing")).isEqualTo("absent");
        }
    }

    @Test
    void weftsApiClass_isKnownByTheBytesOfTheClassTheProgramRuns() throws Exception {
        // The inserted code names Weft's API; its state is found from the class loaded, not by a resource lookup.
        ClassLoader loader = io.weft.api.spi.Intercept.class.getClassLoader();
        byte[] bytes;
        try (var in = io.weft.api.spi.Intercept.class.getResourceAsStream("Intercept.class")) {
            bytes = in.readAllBytes();
        }

        assertThat(RewriteCache.state(loader, "io.weft.api.spi.Intercept"))
                .isEqualTo(bytes.length + ":" + ContentHash.hex(bytes));
        assertThat(RewriteCache.state(loader, "io.weft.api.spi.NoSuchClass")).isEqualTo("absent");
        // Found from the class loaded, where it came from: its code source, a folder or a jar.
        URL where = RewriteCache.weftApi(loader, "io.weft.api.spi.Intercept", "io/weft/api/spi/Intercept.class");
        assertThat(where).isNotNull();
        try (var in = where.openStream()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(RewriteCache.weftApi(loader, "weftsamples.Calls", "weftsamples/Calls.class"))
                .as("not Weft's API: looked up as a resource").isNull();
    }

    @Test
    void userName_becomesAFileNameOfSafeCharacters() {
        assertThat(RewriteCache.fileNamePart("ann.o_b-2")).isEqualTo("ann.o_b-2");
        assertThat(RewriteCache.fileNamePart("DOMAIN\\ann b/ü")).isEqualTo("DOMAIN_ann_b__");
        assertThat(RewriteCache.fileNamePart("a\uD83D\uDE00b")).as("one character outside the BMP, one _")
                .isEqualTo("a_b").isEqualTo("a\uD83D\uDE00b".replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    private static void writeJar(Path jar, String entry, byte[] bytes) throws IOException {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            out.write(bytes);
            out.closeEntry();
        }
    }

    @Test
    void entriesAndFolders_areTheUsersAlone() throws IOException {
        new Run().calls();

        Path entry = onlyEntry();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry.getParent().getParent())))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(entry.getParent())) {
            assertThat(files).as("no temporary file is left").hasSize(1);
        }
    }

    @Test
    void folderPastItsBound_losesItsOlderHalfWhenARunWritesToIt() throws IOException {
        Run first = new Run();
        RewriteCache small = RewriteCache.open(temporary, (l, b, r) -> b, first.sites, null, "", 2);
        for (String name : List.of("weftsamples.Calls", "weftsamples.Block", "weftsamples.App")) {
            small.rewrite(first.loader, name, SampleLoader.originalBytes(name));
        }
        assertThat(entryCount()).as("trimmed once per run, at its first write").isEqualTo(3);

        RewriteCache next = RewriteCache.open(temporary, (l, b, r) -> b, first.sites, null, "", 2);
        next.rewrite(first.loader, "weftsamples.SubBlock", SampleLoader.originalBytes("weftsamples.SubBlock"));

        assertThat(entryCount()).isEqualTo(1);
    }

    @Test
    void folderOthersCanWrite_isNotUsed() throws IOException {
        Path own = temporary.resolve("weft-class-cache-" + System.getProperty("user.name"));
        Files.createDirectory(own);
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(RewriteCache.open(temporary, (l, b, r) -> b, (l, o, n, d, s) -> 0, null, "")).isNull();
    }

    /** Class files compared by hash: a failure then prints two short strings, not two byte arrays. */
    private static String hash(byte[] classFile) {
        return ContentHash.hex(classFile);
    }

    private long entryCount() throws IOException {
        try (Stream<Path> files = Files.walk(temporary)) {
            return files.filter(p -> p.toString().endsWith(".class")).count();
        }
    }

    private Path onlyEntry() throws IOException {
        try (Stream<Path> files = Files.walk(temporary)) {
            List<Path> entries = files.filter(p -> p.toString().endsWith(".class")).toList();
            assertThat(entries).hasSize(1);
            return entries.get(0);
        }
    }

    /** weftsamples.Block as if its author had taken {@code @Task} off {@code scale}. */
    private static byte[] blockWhoseScaleIsNoTask() throws Exception {
        ClassPool pool = new ClassPool(true);
        CtClass block = pool.get(BLOCK);
        CtMethod scale = block.getDeclaredMethod("scale");
        scale.getMethodInfo().removeAttribute(AnnotationsAttribute.visibleTag);
        scale.getMethodInfo().removeAttribute(ParameterAnnotationsAttribute.visibleTag);
        return block.toBytecode();
    }

    /** A loader that finds class files in a folder first, then as the tests' loader does. */
    private static final class FolderFirstLoader extends ClassLoader {
        private final Path folder;

        FolderFirstLoader(Path folder) {
            super("folder-first", RewriteCacheTest.class.getClassLoader());
            this.folder = folder;
        }

        @Override
        public URL getResource(String name) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return file.toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return super.getResource(name);
        }
    }
}
