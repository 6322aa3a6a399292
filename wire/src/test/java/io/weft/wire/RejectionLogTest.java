package io.weft.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RejectionLogTest {
    @Test
    void aFlood_isShownTenTimes_thenCountedOnceAMinute() {
        RejectionLog log = new RejectionLog("weft: ");
        List<String> printed = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 100_000; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(1); // 100 s of a thousand connections a second
            printed.addAll(log.dropped("/10.0.0.1:" + i, "handshake failed: garbage", now));
        }
        assertThat(printed.subList(0, 10)).allMatch(l -> l.startsWith("weft: dropped the connection from /10.0.0.1:"));
        assertThat(printed.get(10)).contains("counted, and the count said at most once a minute");
        assertThat(printed).hasSize(12);
        assertThat(printed.get(11)).startsWith("weft: 60000 more dropped connections since the last count; the last"
                + " one: /10.0.0.1:60009: handshake failed: garbage");
    }
}
