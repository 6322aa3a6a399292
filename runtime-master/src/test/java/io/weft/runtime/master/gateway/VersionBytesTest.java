package io.weft.runtime.master.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bytes kept for lineage: within the budget while their versions live, given back once they are gone. */
class VersionBytesTest {
    @Test
    void bytesOverTheBudget_areRefused_andTheFirstBytesKeptStay() {
        VersionBytes.Budget budget = new VersionBytes.Budget(100, "a test's");
        VersionBytes first = new VersionBytes(budget);
        first.keep(new byte[60]);
        byte[] kept = first.bytes();
        first.keep(new byte[10]); // another worker's send of the same version: the same bytes, not kept twice
        VersionBytes second = new VersionBytes(budget);
        second.keep(new byte[60]);

        assertThat(first.bytes()).isSameAs(kept).hasSize(60);
        assertThat(second.bytes()).isNull();
        assertThat(second.refused()).isTrue();
        assertThat(budget.kept()).isEqualTo(60);
    }

    @Test
    void bytesOfAVersionNoLongerReachable_giveTheirShareOfTheBudgetBack() throws InterruptedException {
        VersionBytes.Budget budget = new VersionBytes.Budget(1 << 20, "a test's");
        keepAndDrop(budget);
        assertThat(budget.kept()).isEqualTo(600_000);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (budget.kept() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(budget.kept()).isZero();
        VersionBytes again = new VersionBytes(budget);
        again.keep(new byte[1 << 20]);
        assertThat(again.bytes()).isNotNull();
    }

    private static void keepAndDrop(VersionBytes.Budget budget) {
        new VersionBytes(budget).keep(new byte[600_000]);
    }
}
