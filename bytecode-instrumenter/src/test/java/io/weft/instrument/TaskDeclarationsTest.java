package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.api.spi.TaskSites;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Wrong task declarations fail the class at load time, naming class, method and parameter. */
class TaskDeclarationsTest {
    private final ClassInstrumenter instrumenter = new ClassInstrumenter(TaskSites::register, null);

    @Test
    void outOnInt_isRejectedNamingParameter() {
        assertRejected("weftsamples.bad.OutOnInt")
                .hasMessageContaining("@Out cannot hold on parameter 1 'count' (int)")
                .hasMessageContaining("of task weftsamples.bad.OutOnInt.fill(I)V")
                .hasMessageContaining("Only @In is allowed here");
    }

    @Test
    void inOutOnString_isRejectedNamingParameter() {
        assertRejected("weftsamples.bad.InOutOnString")
                .hasMessageContaining("@InOut cannot hold on parameter 2 'text' (java.lang.String)")
                .hasMessageContaining("weftsamples.bad.InOutOnString.edit(Lweftsamples/Block;Ljava/lang/String;)V");
    }

    @Test
    void concurrentOnBoxedValue_isRejectedNamingParameter() {
        assertRejected("weftsamples.bad.ConcurrentOnBoxed")
                .hasMessageContaining("@Concurrent cannot hold on parameter 1 'total' (java.lang.Long)")
                .hasMessageContaining("weftsamples.bad.ConcurrentOnBoxed.accumulate(");
    }

    @Test
    void commutativeOnClass_isRejectedNamingParameter() {
        assertRejected("weftsamples.bad.CommutativeOnClass")
                .hasMessageContaining("@Commutative cannot hold on parameter 1 'type' (java.lang.Class)")
                .hasMessageContaining("weftsamples.bad.CommutativeOnClass.register(");
    }

    @Test
    void outOnEnum_isRejectedNamingParameter() {
        assertRejected("weftsamples.bad.OutOnEnum")
                .hasMessageContaining("@Out cannot hold on parameter 1 'unit' (java.util.concurrent.TimeUnit)")
                .hasMessageContaining("weftsamples.bad.OutOnEnum.pick(");
    }

    @Test
    void outOnParameterOfNonTaskMethod_isRejectedNamingParameter() {
        assertRejected("weftsamples.bad.OutOnNonTask")
                .hasMessageContaining("@Out on parameter 2 'target' (weftsamples.Block)")
                .hasMessageContaining("of weftsamples.bad.OutOnNonTask.fill(Lweftsamples/Block;Lweftsamples/Block;)V")
                .hasMessageContaining("which is not a @Task");
    }

    @Test
    void twoDirectionsOnOneParameter_areRejectedNamingParameter() {
        assertRejected("weftsamples.bad.TwoDirections")
                .hasMessageContaining("parameter 1 'target' (weftsamples.Block)")
                .hasMessageContaining("of task weftsamples.bad.TwoDirections.both(Lweftsamples/Block;)V")
                .hasMessageContaining("more than one direction (@In, @InOut)");
    }

    @Test
    void taskOnAbstractMethod_isRejectedNamingMethod() {
        assertRejected("weftsamples.bad.AbstractTask")
                .hasMessageContaining("@Task method weftsamples.bad.AbstractTask.work(Lweftsamples/Block;)V has no body");
    }

    @Test
    void directionOnInnerClassConstructor_isRejectedNamingConstructorAndParameter() {
        assertRejected("weftsamples.bad.InnerConstructor$Inner")
                .hasMessageContaining("@Out on parameter")
                .hasMessageContaining("'target' (weftsamples.Block)")
                .hasMessageContaining("weftsamples.bad.InnerConstructor$Inner.<init>(");
    }

    @Test
    void validDirections_areAccepted() {
        assertThatCode(() -> instrumenter.instrument(getClass().getClassLoader(),
                SampleLoader.originalBytes("weftsamples.Directions"))).doesNotThrowAnyException();
        assertThatCode(() -> instrumenter.instrument(getClass().getClassLoader(),
                SampleLoader.originalBytes("weftsamples.Directions$Inner"))).doesNotThrowAnyException();
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String className) {
        byte[] bytes = SampleLoader.originalBytes(className);
        return assertThatThrownBy(() -> instrumenter.instrument(getClass().getClassLoader(), bytes))
                .isInstanceOf(InstrumentationException.class);
    }
}
