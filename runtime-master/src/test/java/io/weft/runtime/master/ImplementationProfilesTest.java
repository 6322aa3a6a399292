package io.weft.runtime.master;

import static io.weft.runtime.master.ConstrainedTasks.definition;
import static io.weft.runtime.master.ConstrainedTasks.method;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.Constraint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImplementationProfilesTest {
    private static final String GPU_KIND = "[EPYC, A100]/256GB";
    private static final String CPU_KIND = "[Xeon]/32GB";
    private static final long MS = 1_000_000;

    @SuppressWarnings("unused")
    private static final class Solver {
        void onCpu() {}

        @Constraint(gpus = 1)
        void onGpu() {}

        void other() {}
    }

    private final ImplementationProfiles profiles = new ImplementationProfiles();
    private final TaskDefinition solve = definition("Solver.solve", method(Solver.class, "onCpu"),
            method(Solver.class, "onGpu"));
    private final Implementation cpu = solve.implementations().get(0);
    private final Implementation gpu = solve.implementations().get(1);
    private final List<Implementation> both = solve.implementations();

    /** Chooses on a node of this kind and runs the choice to completion, taking the time given for it. */
    private Implementation run(String kind, List<Implementation> runnable, long cpuNanos, long gpuNanos) {
        Implementation chosen = profiles.choose(solve, runnable, kind);
        profiles.started(solve, chosen, kind);
        profiles.completed(solve, chosen, kind, chosen == cpu ? cpuNanos : gpuNanos);
        return chosen;
    }

    private List<Implementation> runTimes(int times, String kind, long cpuNanos, long gpuNanos) {
        List<Implementation> chosen = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            chosen.add(run(kind, both, cpuNanos, gpuNanos));
        }
        return chosen;
    }

    @Test
    void firstSixChoices_alternate_soEachImplementationIsTriedThreeTimes() {
        assertThat(ImplementationProfiles.TRIALS).isEqualTo(3);

        assertThat(runTimes(6, GPU_KIND, 5 * MS, 1 * MS)).containsExactly(cpu, gpu, cpu, gpu, cpu, gpu);
    }

    @Test
    void afterTheTrials_theImplementationWithTheLowerMeanWins() {
        runTimes(6, GPU_KIND, 5 * MS, 1 * MS);

        assertThat(runTimes(10, GPU_KIND, 5 * MS, 1 * MS)).containsOnly(gpu);
        assertThat(profiles.meanNanos(solve, gpu, GPU_KIND)).isEqualTo(1 * MS);
        assertThat(profiles.meanNanos(solve, cpu, GPU_KIND)).isEqualTo(5 * MS);
    }

    @Test
    void afterTheTrials_theFirstImplementationWinsIfItIsFaster() {
        runTimes(6, GPU_KIND, 1 * MS, 5 * MS);

        assertThat(profiles.choose(solve, both, GPU_KIND)).isSameAs(cpu);
    }

    @Test
    void theMeanDecides_notTheLastRun() {
        long[] gpuTimes = {1 * MS, 1 * MS, 10 * MS}; // mean 4 ms
        for (int i = 0; i < 3; i++) {
            profiles.started(solve, cpu, GPU_KIND);
            profiles.completed(solve, cpu, GPU_KIND, 3 * MS);
            profiles.started(solve, gpu, GPU_KIND);
            profiles.completed(solve, gpu, GPU_KIND, gpuTimes[i]);
        }

        assertThat(profiles.meanNanos(solve, gpu, GPU_KIND)).isEqualTo(4 * MS);
        assertThat(profiles.choose(solve, both, GPU_KIND)).isSameAs(cpu);
    }

    @Test
    void profilesArePerNodeKind_trialsStartOverOnAnotherKind() {
        runTimes(6, GPU_KIND, 5 * MS, 1 * MS);

        // Another kind of node that also has a GPU, where the GPU implementation is slow.
        String otherGpuKind = "[Xeon, T4]/64GB";
        assertThat(runTimes(6, otherGpuKind, 2 * MS, 9 * MS)).containsExactly(cpu, gpu, cpu, gpu, cpu, gpu);

        assertThat(profiles.choose(solve, both, otherGpuKind)).isSameAs(cpu);
        assertThat(profiles.choose(solve, both, GPU_KIND)).isSameAs(gpu);
    }

    @Test
    void fastOnGpuImplementation_isNotChosenOnACpuOnlyKind() {
        runTimes(6, GPU_KIND, 5 * MS, 1 * MS);

        // On a CPU-only node only the CPU implementation is runnable.
        assertThat(profiles.choose(solve, List.of(cpu), CPU_KIND)).isSameAs(cpu);
        assertThat(profiles.meanNanos(solve, gpu, CPU_KIND)).isEqualTo(-1);
    }

    @Test
    void aSingleRunnableImplementation_isChosenWithoutTrials() {
        for (int i = 0; i < 5; i++) {
            assertThat(run(GPU_KIND, List.of(gpu), 0, 1 * MS)).isSameAs(gpu);
        }
    }

    @Test
    void startedButNotCompletedAttempts_countAsTried() {
        for (int i = 0; i < 3; i++) { // sent, still running (or failed)
            assertThat(profiles.choose(solve, both, GPU_KIND)).isSameAs(cpu);
            profiles.started(solve, cpu, GPU_KIND);
            profiles.started(solve, gpu, GPU_KIND);
        }

        // Both tried three times; only the GPU one has a time yet, so it is the fastest known.
        profiles.completed(solve, gpu, GPU_KIND, 7 * MS);
        assertThat(profiles.choose(solve, both, GPU_KIND)).isSameAs(gpu);
    }

    @Test
    void attemptsInFlight_areNotRepeated_whileAnotherImplementationIsUntried() {
        for (int i = 0; i < 3; i++) {
            profiles.started(solve, cpu, GPU_KIND); // never completes
        }

        assertThat(runTimes(3, GPU_KIND, 0, 1 * MS)).containsOnly(gpu);
        assertThat(profiles.choose(solve, both, GPU_KIND)).as("the only one with a time").isSameAs(gpu);
    }

    @Test
    void withNoTimeForAnyImplementation_choicesKeepRotating() {
        for (int i = 0; i < 6; i++) {
            Implementation chosen = profiles.choose(solve, both, GPU_KIND);
            profiles.started(solve, chosen, GPU_KIND); // every attempt fails
        }

        assertThat(profiles.choose(solve, both, GPU_KIND)).isSameAs(cpu);
        profiles.started(solve, cpu, GPU_KIND);
        assertThat(profiles.choose(solve, both, GPU_KIND)).isSameAs(gpu);
    }

    @Test
    void profilesArePerTask() {
        runTimes(6, GPU_KIND, 5 * MS, 1 * MS);
        TaskDefinition other = definition("Solver.other", method(Solver.class, "other"),
                method(Solver.class, "onGpu"));

        assertThat(profiles.choose(other, other.implementations(), GPU_KIND)).isSameAs(other.implementations()
                .get(0));
        assertThat(profiles.meanNanos(other, other.implementations().get(1), GPU_KIND)).isEqualTo(-1);
    }
}
