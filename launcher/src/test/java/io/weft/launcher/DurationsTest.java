package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void unitsAndSlurmClockForms_areSeconds() {
        assertThat(Durations.seconds("90", "t")).isEqualTo(90);
        assertThat(Durations.seconds("90s", "t")).isEqualTo(90);
        assertThat(Durations.seconds("10m", "t")).isEqualTo(600);
        assertThat(Durations.seconds("1h30m", "t")).isEqualTo(5400);
        assertThat(Durations.seconds("2d", "t")).isEqualTo(172800);
        assertThat(Durations.seconds("05:30", "t")).isEqualTo(330);
        assertThat(Durations.seconds("01:30:00", "t")).isEqualTo(5400);
        assertThat(Durations.seconds("1-02", "t")).isEqualTo(93600);
        assertThat(Durations.seconds("1-00:00:10", "t")).isEqualTo(86410);
    }

    @Test
    void nonsenseAndZero_areRefusedWithTheForms() {
        assertThatThrownBy(() -> Durations.seconds("soon", "--time")).hasMessageContaining("--time soon")
                .hasMessageContaining("1h30m");
        assertThatThrownBy(() -> Durations.seconds("0s", "--time")).hasMessageContaining("longer than zero");
    }

    @Test
    void slurmForm_roundTrips() {
        assertThat(Durations.slurm(5400)).isEqualTo("01:30:00");
        assertThat(Durations.slurm(86410)).isEqualTo("1-00:00:10");
    }
}
