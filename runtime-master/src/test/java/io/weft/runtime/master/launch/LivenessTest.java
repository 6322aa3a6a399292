package io.weft.runtime.master.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void workerSilentForLongerThanTheTimeout_isOverdueOnce() {
        Liveness liveness = new Liveness(2 * SECOND);
        liveness.heard("w1", 0);
        liveness.heard("w2", 0);
        liveness.heard("w1", SECOND);

        assertThat(liveness.overdue(2 * SECOND)).as("exactly at the timeout: not yet").isEmpty();
        assertThat(liveness.overdue(2 * SECOND + 1)).containsExactly("w2");
        assertThat(liveness.overdue(10 * SECOND)).as("w2 is reported once; w1 is late now").containsExactly("w1");
        assertThat(liveness.overdue(20 * SECOND)).isEmpty();
    }

    @Test
    void answeringWorker_isNeverOverdue() {
        Liveness liveness = new Liveness(SECOND);
        for (long t = 0; t < 100 * SECOND; t += SECOND / 2) {
            liveness.heard("w1", t);
            assertThat(liveness.overdue(t + SECOND / 4)).isEmpty();
        }
    }

    @Test
    void forgottenWorker_isNotReported_andTimeoutMustBePositive() {
        Liveness liveness = new Liveness(SECOND);
        liveness.heard("w1", 0);
        liveness.forget("w1");
        assertThat(liveness.overdue(5 * SECOND)).isEmpty();
        assertThatThrownBy(() -> new Liveness(0)).hasMessageContaining("must be positive");
    }
}
