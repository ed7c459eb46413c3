package io.trackline.pollers.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class HazardModelTest {

    static final ZoneId BANGKOK = ZoneId.of("Asia/Bangkok");
    static final HazardModel MODEL = new HazardModel(0.02, Duration.ofDays(3), Duration.ofHours(12), 1.0);

    /** A Tuesday in Bangkok at {@code hour}:00. */
    static Instant bangkok(int hour) {
        return LocalDateTime.of(2026, 12, 1, hour, 0).atZone(BANGKOK).toInstant();
    }

    @Test
    void aParcelOnTheVanChangesInTheDayAndNotAt3am() {
        double day = MODEL.rate(Carrier.ALL24, CanonicalStatus.PICKED_UP, null, null, bangkok(11));
        double night = MODEL.rate(Carrier.ALL24, CanonicalStatus.PICKED_UP, null, null, bangkok(3));
        assertThat(day).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9)); // 1 / 2 busy hours
        assertThat(night).isPositive().isLessThan(day / 50);
    }

    @Test
    void aParcelAtTheHubWaitsForTheMorningVans() {
        double evening = MODEL.rate(Carrier.ALL24, CanonicalStatus.IN_TRANSIT, null, null, bangkok(20));
        double morning = MODEL.rate(Carrier.ALL24, CanonicalStatus.IN_TRANSIT, null, null, bangkok(8));
        assertThat(morning).isGreaterThan(evening * 20);
    }

    @Test
    void hoursAreTheCarriersOwn() {
        // 247Express works in Ho Chi Minh City's hours (the same offset as Bangkok, its own zone id)
        Instant nineLocal = LocalDateTime.of(2026, 12, 1, 9, 0)
                .atZone(ZoneId.of("Asia/Ho_Chi_Minh"))
                .toInstant();
        Instant ninePmLocal = nineLocal.plus(Duration.ofHours(12));
        assertThat(MODEL.rate(Carrier.EXPRESS247, CanonicalStatus.INFO_RECEIVED, null, null, nineLocal))
                .isGreaterThan(
                        20 * MODEL.rate(Carrier.EXPRESS247, CanonicalStatus.INFO_RECEIVED, null, null, ninePmLocal));
    }

    @Test
    void aFinalStatusNeverChanges() {
        for (CanonicalStatus s : CanonicalStatus.values()) {
            if (s.isFinal()) {
                assertThat(MODEL.rate(Carrier.EXPRESS247, s, null, null, bangkok(11)))
                        .as(s.name())
                        .isZero();
            }
        }
    }

    @Test
    void theLongerInOneStatusTheLessLikelyToMove() {
        Instant at = bangkok(11);
        double fresh = MODEL.rate(Carrier.ALL24, CanonicalStatus.PICKED_UP, at.minus(Duration.ofHours(1)), null, at);
        double stuck = MODEL.rate(Carrier.ALL24, CanonicalStatus.PICKED_UP, at.minus(Duration.ofDays(3)), null, at);
        assertThat(stuck).isLessThan(fresh * 0.55).isGreaterThan(fresh * 0.45);
    }

    @Test
    void deliveriesAreLikelierNearTheEta() {
        Instant at = bangkok(11);
        OffsetDateTime near = at.plus(Duration.ofHours(3)).atZone(BANGKOK).toOffsetDateTime();
        OffsetDateTime far = at.plus(Duration.ofDays(3)).atZone(BANGKOK).toOffsetDateTime();
        double base = MODEL.rate(Carrier.EXPRESS247, CanonicalStatus.OUT_FOR_DELIVERY, null, far, at);
        assertThat(MODEL.rate(Carrier.EXPRESS247, CanonicalStatus.OUT_FOR_DELIVERY, null, near, at))
                .isCloseTo(2 * base, org.assertj.core.data.Offset.offset(1e-9));
        // before pickup the ETA says nothing about the next change
        assertThat(MODEL.rate(Carrier.EXPRESS247, CanonicalStatus.INFO_RECEIVED, null, near, at))
                .isEqualTo(MODEL.rate(Carrier.EXPRESS247, CanonicalStatus.INFO_RECEIVED, null, far, at));
    }

    @Test
    void anUnknownStatusStillHasADaytimeRate() {
        assertThat(MODEL.rate(Carrier.MRSPEEDY, null, null, null, bangkok(12))).isPositive();
        assertThat(MODEL.rate(Carrier.ALL24, CanonicalStatus.UNKNOWN, null, null, bangkok(12)))
                .isEqualTo(MODEL.rate(Carrier.ALL24, null, null, null, bangkok(12)));
    }
}
