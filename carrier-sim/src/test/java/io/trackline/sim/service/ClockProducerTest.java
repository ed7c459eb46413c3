package io.trackline.sim.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An anchored clock starts where the anchor says simulated time has got to by now. */
class ClockProducerTest {

    private static final Instant ANCHOR = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void withoutAnAnchorSimulatedTimeStartsAtStart() {
        assertThat(ClockProducer.anchored(ANCHOR, null, ANCHOR.plusSeconds(30), 60))
                .isEqualTo(ANCHOR);
    }

    @Test
    void anAnchorCountsTheWallTimeSinceItAtTheFactor() {
        Instant now = ANCHOR.plusSeconds(5);
        assertThat(ClockProducer.anchored(ANCHOR, ANCHOR, now, 60)).isEqualTo(ANCHOR.plus(Duration.ofMinutes(5)));
        assertThat(ClockProducer.anchored(ANCHOR, ANCHOR, now, 1)).isEqualTo(now);
    }
}
