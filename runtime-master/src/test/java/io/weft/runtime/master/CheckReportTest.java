package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckReportTest {
    private final List<String> lines = new ArrayList<>();
    private final CheckReport report = new CheckReport(lines::add);

    @Test
    void aFinding_isPrintedAtOnceAfterTheTasksName() {
        report.ran(1, "Main.add", List.of("changed its @In parameter 1 (Sum acc), …"));

        assertThat(lines).containsExactly("weft: check: task Main.add changed its @In parameter 1 (Sum acc), …");
        assertThat(report.count()).isEqualTo(1);
    }

    @Test
    void theSameFindingFromEveryCallOfATask_isPrintedOnceAndCountedEachTime() {
        for (int i = 0; i < 10; i++) {
            report.ran(i, "Main.add", List.of("changed its @In parameter 1 (Sum acc), …"));
        }
        report.ran(10, "Main.other", List.of());
        report.summarise();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("weft: check: 10 undeclared writes by 10 of 11 tasks (shown above, at most"
                + " 5 for each task)").endsWith("Exiting with status 1.");
    }

    @Test
    void differentFindingsOfOneTask_arePrintedUpToALimit() {
        for (int i = 0; i < 20; i++) {
            report.ran(i, "Main.write", List.of("created file out-" + i + ".txt, …"));
        }

        assertThat(lines).hasSize(CheckReport.SHOWN_PER_TASK);
        assertThat(report.count()).isEqualTo(20);
    }

    @Test
    void aRunWithoutFindings_saysSoInOneLine() {
        report.ran(1, "Main.add", List.of());
        report.summarise();

        assertThat(lines).containsExactly("weft: check: no undeclared writes in 1 task.");
        assertThat(report.count()).isZero();
    }
}
