package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassFilterTest {
    private final ClassLoader app = ClassFilterTest.class.getClassLoader();

    @Test
    void applicationClass_isInstrumented() {
        ClassFilter filter = new ClassFilter(List.of(), List.of());

        assertThat(filter.isApplicationClass(app, "com.acme.Main")).isTrue();
        assertThat(filter.isApplicationClass(app, "weftsamples.Block")).isTrue();
    }

    @Test
    void jdkWeftAndLibraryClasses_areNotInstrumented() {
        ClassFilter filter = new ClassFilter(List.of(), List.of());

        assertThat(filter.isApplicationClass(app, "java.util.ArrayList")).isFalse();
        assertThat(filter.isApplicationClass(app, "io.weft.api.spi.Intercept")).isFalse();
        assertThat(filter.isApplicationClass(app, "io.weft.runtime.Anything")).isFalse();
        assertThat(filter.isApplicationClass(app, "org.junit.jupiter.api.Test")).isFalse();
        assertThat(filter.isApplicationClass(app, "javassist.CtClass")).isFalse();
    }

    @Test
    void everyPackageOfWeftsOwn_isNotInstrumented() {
        ClassFilter filter = new ClassFilter(List.of(), List.of());

        for (String weft : List.of("io.weft.wire.transfer.Chunks", "io.weft.wire.transfer.FileTransfers$Receipt",
                "io.weft.runtime.worker.executor.ExecutorPool", "io.weft.runtime.worker.objects.PayloadCodec",
                "io.weft.runtime.worker.endpoint.WorkerEndpoint", "io.weft.runtime.worker.process.WorkerMain",
                "io.weft.runtime.master.launch.WorkerPool", "io.weft.internal.shaded.io.netty.buffer.ByteBuf",
                "io.weft.log.Log4jFile$FileConfiguration", "io.weft.internal.shaded.org.apache.logging.log4j.Logger")) {
            assertThat(filter.isApplicationClass(app, weft)).as(weft).isFalse();
            assertThat(filter.mayDeclareTasks(weft)).as(weft).isFalse();
        }
    }

    @Test
    void bootstrapAndPlatformLoaders_areNeverInstrumented() {
        ClassFilter filter = new ClassFilter(List.of("com.acme."), List.of());

        assertThat(filter.isApplicationClass(null, "com.acme.Main")).isFalse();
        assertThat(filter.isApplicationClass(ClassLoader.getPlatformClassLoader(), "com.acme.Main")).isFalse();
    }

    @Test
    void lambdaProxyClasses_areNotInstrumented() {
        ClassFilter filter = new ClassFilter(List.of(), List.of());

        assertThat(filter.isApplicationClass(app, "com.acme.Main$$Lambda$14/0x0000000800c03000")).isFalse();
    }

    @Test
    void include_winsOverBuiltInExclusions() {
        ClassFilter filter = new ClassFilter(List.of("org.eclipse.myapp.*"), List.of());

        assertThat(filter.isApplicationClass(app, "org.eclipse.myapp.Main")).isTrue();
        assertThat(filter.isApplicationClass(app, "org.eclipse.core.Platform")).isFalse();
    }

    @Test
    void exclude_winsOverEverything() {
        ClassFilter filter = new ClassFilter(List.of("com.acme."), List.of("com.acme.generated.", "com/acme/Gen*"));

        assertThat(filter.isApplicationClass(app, "com.acme.Main")).isTrue();
        assertThat(filter.isApplicationClass(app, "com.acme.generated.Parser")).isFalse();
        assertThat(filter.isApplicationClass(app, "com.acme.GenTables")).isFalse();
        assertThat(filter.isApplicationClass(app, "org.other.Main")).isTrue();
    }

    @Test
    void knownLibraries_areRecognisedWithoutReadingThem() {
        assertThat(ClassFilter.isKnownLibrary("java.lang.String")).isTrue();
        assertThat(ClassFilter.isKnownLibrary("io.netty.channel.Channel")).isTrue();
        assertThat(ClassFilter.isKnownLibrary("com.acme.Main")).isFalse();
    }
}
