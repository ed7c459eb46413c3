package io.trackline.sim.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DayProfileTest {

    private static final ZoneId BANGKOK = ZoneId.of("Asia/Bangkok");

    @Test
    void nothingHappensInAnHourOfWeightZeroAndTimesHaveWholeSeconds() {
        SplittableRandom random = new SplittableRandom(1);
        Instant t = Instant.parse("2026-11-24T15:00:00Z"); // 22:00 in Bangkok
        for (int i = 0; i < 2000; i++) {
            Instant next = DayProfile.MORNING.next(t, Duration.ofHours(2), BANGKOK, random);
            assertThat(next).isAfter(t);
            assertThat(next.getNano()).isZero();
            assertThat(DayProfile.MORNING.weight(next, BANGKOK)).isPositive();
            t = next;
        }
    }

    @Test
    void theMeanWaitIsCountedInBusyHours() {
        SplittableRandom random = new SplittableRandom(2);
        Instant start = Instant.parse("2026-11-24T00:00:00Z");
        double total = 0;
        int n = 5000;
        for (int i = 0; i < n; i++) {
            total += Duration.between(start, DayProfile.ALWAYS.next(start, Duration.ofHours(1), BANGKOK, random))
                    .toSeconds();
        }
        assertThat(total / n).isBetween(3300.0, 3900.0);
    }
}
