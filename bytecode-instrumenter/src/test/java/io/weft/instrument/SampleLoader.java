package io.weft.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;

/**
 * A child-first loader that defines the sample classes from instrumented bytes, as the agent would, and delegates
 * every other class to its parent (so {@code io.weft.api.spi.Intercept} is the one the test installs into).
 */
final class SampleLoader extends ClassLoader {
    static final String SAMPLES = "weftsamples.";

    private final String prefix;
    private final BiFunction<ClassLoader, byte[], byte[]> rewrite;

    /** Defines the {@code weftsamples} classes as rewritten by {@code instrumenter}. */
    SampleLoader(ClassInstrumenter instrumenter) {
        this(SAMPLES, instrumenter::instrument);
    }

    /** Defines the classes whose name starts with {@code prefix} from their bytes as rewritten by {@code rewrite}. */
    SampleLoader(String prefix, BiFunction<ClassLoader, byte[], byte[]> rewrite) {
        super("weft-samples", SampleLoader.class.getClassLoader());
        this.prefix = prefix;
        this.rewrite = rewrite;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(prefix)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (getResource(name.replace('.', '/') + ".class") == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] instrumented = rewrite.apply(this, originalBytes(name));
                c = defineClass(name, instrumented, 0, instrumented.length);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** The class file as javac wrote it. */
    static byte[] originalBytes(String className) {
        String resource = "/" + className.replace('.', '/') + ".class";
        try (InputStream in = SampleLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no class file " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
