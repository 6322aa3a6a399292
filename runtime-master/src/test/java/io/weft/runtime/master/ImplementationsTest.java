package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.api.Constraint;
import io.weft.api.Implement;
import io.weft.api.Task;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImplementationsTest {
    static final class Solver {
        @Task
        static long solve(long[] data) {
            return data.length;
        }

        @Task
        static long solve(int[] data) {
            return data.length;
        }

        @Task
        long scaled(long[] data) {
            return data.length;
        }

        @Task
        static String badlyImplemented(long[] data) {
            return "";
        }
    }

    /** Alternatives in another class of the same class directory. */
    static final class GpuSolvers {
        @Implement(of = Solver.class, method = "solve")
        @Constraint(gpus = 1)
        static long solveOnGpu(long[] data) {
            return data.length;
        }

        @Implement(of = Solver.class, method = "solve")
        @Constraint(processorArchitecture = "ppc64le")
        static long solveOnPower(long[] data) {
            return data.length;
        }

        @Implement(of = Solver.class, method = "badlyImplemented")
        static Object wrongResult(long[] data) {
            return "";
        }
    }

    static final class Misspelled {
        @Task
        static long work(long[] data) {
            return data.length;
        }
    }

    static final class MisspelledAlternatives {
        @Implement(of = Misspelled.class, method = "wrok")
        static long workFast(long[] data) {
            return data.length;
        }
    }

    static class SubSolver {
        @Implement(of = Solver.class, method = "scaled")
        long scaledElsewhere(long[] data) {
            return data.length;
        }
    }

    private static Method method(Class<?> c, String name, Class<?>... types) throws Exception {
        return c.getDeclaredMethod(name, types);
    }

    @Test
    void alternativesAnywhereInTheTaskClassLocation_areFound_forTheMatchingOverloadOnly() throws Exception {
        List<Method> found = Implementations.of(method(Solver.class, "solve", long[].class));
        assertThat(found).extracting(Method::getName).containsExactly("solveOnGpu", "solveOnPower");
        assertThat(Implementations.of(method(Solver.class, "solve", int[].class))).isEmpty();
    }

    @Test
    void alternativeWithAnotherResultType_isRejectedNamingIt() throws Exception {
        assertThatThrownBy(() -> Implementations.of(method(Solver.class, "badlyImplemented", long[].class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GpuSolvers.wrongResult returns java.lang.Object")
                .hasMessageContaining("returns java.lang.String");
    }

    @Test
    void instanceAlternativeInAnUnrelatedClass_isRejected() throws Exception {
        assertThatThrownBy(() -> Implementations.of(method(Solver.class, "scaled", long[].class)))
                .hasMessageContaining("SubSolver.scaledElsewhere")
                .hasMessageContaining("receiver");
    }

    @Test
    void alternativeNamingNoTask_failsTheFirstCall_listingTheTasks() throws Exception {
        assertThatThrownBy(() -> Implementations.of(method(Misspelled.class, "work", long[].class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MisspelledAlternatives.workFast names")
                .hasMessageContaining("Misspelled.wrok(long[])")
                .hasMessageContaining("which is not a @Task method")
                .hasMessageContaining("work(long[])");
    }
}
