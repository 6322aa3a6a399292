package io.weft.api.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class InstrumentedClassesTest {
    public static class Base {
        int v;
    }

    public static class Sub extends Base {
        int w;
    }

    /** Defines {@link Base} and {@link Sub} afresh, as the agent's transformer sees application classes load. */
    private static final class Fresh extends ClassLoader {
        Fresh() {
            super(InstrumentedClassesTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(InstrumentedClassesTest.class.getName() + "$")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return c;
            }
        }
    }

    @Test
    void aClassRewrittenUpToObject_waitsForItself() throws Exception {
        Fresh loader = new Fresh();
        InstrumentedClasses.add(loader, Base.class.getName());
        InstrumentedClasses.add(loader, Sub.class.getName());

        assertTrue(InstrumentedClasses.waitsForItself(loader.loadClass(Sub.class.getName())));
        assertTrue(InstrumentedClasses.waitsForItself(loader.loadClass(Base.class.getName())));
    }

    @Test
    void aClassWhoseSuperclassWasNotRewritten_doesNot() throws Exception {
        Fresh loader = new Fresh();
        InstrumentedClasses.add(loader, Sub.class.getName());

        assertFalse(InstrumentedClasses.waitsForItself(loader.loadClass(Sub.class.getName())));
    }

    @Test
    void theSameNameFromAnotherLoader_jdkClassesAndArrays_doNot() throws Exception {
        InstrumentedClasses.add(new Fresh(), Sub.class.getName());

        assertFalse(InstrumentedClasses.waitsForItself(new Fresh().loadClass(Base.class.getName())));
        assertFalse(InstrumentedClasses.waitsForItself(ArrayList.class));
        assertFalse(InstrumentedClasses.waitsForItself(Object[].class));
        assertTrue(InstrumentedClasses.waitsForItself(Object.class), "nothing of its own to wait for");
    }
}
