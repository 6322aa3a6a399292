package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When C1 would take over what the directive keeps from C2, read from the JVM's flags as {@code VM.flags -all}. */
class RuntimeCompilationTest {
    /** Lines as HotSpot prints them, with fewer spaces. */
    private static String flags(String tiered, String mode, String stopAt) {
        return """
                    ccstr CompilationMode            = %s      {product} {default}
                     bool TieredCompilation          = %s      {pd product} {default}
                     intx TieredStopAtLevel          = %s      {product} {default}
                     bool UseJVMCICompiler           = false   {product} {default}
                """.formatted(mode, tiered, stopAt);
    }

    @Test
    void defaultTieredCompilation_letsC1TakeOver() {
        assertThat(RuntimeCompilation.c1CannotTakeOver(flags("true", "default", "4"))).isNull();
    }

    @Test
    void withoutTiersOrWithOneCompiler_theDirectiveIsNotAdded() {
        assertThat(RuntimeCompilation.c1CannotTakeOver(flags("false", "default", "4")))
                .contains("-XX:-TieredCompilation");
        assertThat(RuntimeCompilation.c1CannotTakeOver(flags("true", "high-only", "4")))
                .contains("-XX:CompilationMode=high-only");
        assertThat(RuntimeCompilation.c1CannotTakeOver(flags("true", "quick-only", "4")))
                .contains("-XX:CompilationMode=quick-only");
        assertThat(RuntimeCompilation.c1CannotTakeOver(flags("true", "default", "1")))
                .contains("-XX:TieredStopAtLevel=1");
        assertThat(RuntimeCompilation.c1CannotTakeOver("")).as("flags not found").isNotNull();
    }
}
