package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.spi.TaskSites;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeftTransformerTest {
    private final List<String> failures = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final WeftTransformer transformer = new WeftTransformer(new ClassFilter(List.of(), List.of()),
            new ClassInstrumenter(TaskSites::register, null), (name, error) -> {
                failures.add(name);
                errors.add(error);
            }, false);
    private final ClassLoader loader = WeftTransformerTest.class.getClassLoader();

    @Test
    void applicationClass_isRewritten() {
        byte[] original = SampleLoader.originalBytes("weftsamples.Calls");

        byte[] out = transformer.transform(loader, "weftsamples/Calls", null, null, original);

        assertThat(out).isNotNull().isNotEqualTo(original);
        assertThat(failures).isEmpty();
    }

    @Test
    void libraryClassesRedefinitionsAndNamelessClasses_areLeftAlone() {
        byte[] original = SampleLoader.originalBytes("weftsamples.Calls");

        assertThat(transformer.transform(loader, "java/util/Calls", null, null, original)).isNull();
        assertThat(transformer.transform(null, "weftsamples/Calls", null, null, original)).isNull();
        assertThat(transformer.transform(loader, "weftsamples/Calls", Object.class, null, original)).isNull();
        assertThat(transformer.transform(loader, null, null, null, original)).isNull();
        assertThat(failures).isEmpty();
    }

    @Test
    void wrongDeclaration_isReportedToTheFailureHandlerNotSwallowed() {
        byte[] bad = SampleLoader.originalBytes("weftsamples.bad.OutOnInt");

        byte[] out = transformer.transform(loader, "weftsamples/bad/OutOnInt", null, null, bad);

        assertThat(out).isNull();
        assertThat(failures).containsExactly("weftsamples.bad.OutOnInt");
        assertThat(errors.get(0)).isInstanceOf(InstrumentationException.class).hasMessageContaining("'count'");
    }

    @Test
    void unreadableClassFile_isReportedToTheFailureHandler() {
        byte[] out = transformer.transform(loader, "com/acme/Broken", null, null, new byte[] {1, 2, 3});

        assertThat(out).isNull();
        assertThat(failures).containsExactly("com.acme.Broken");
        assertThat(errors.get(0)).isInstanceOf(InstrumentationException.class)
                .hasMessageContaining("cannot read class file");
    }
}
