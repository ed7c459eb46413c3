package io.trackline.store;

import static io.trackline.events.CanonicalStatus.CANCELLED;
import static io.trackline.events.CanonicalStatus.DELIVERED;
import static io.trackline.events.CanonicalStatus.DELIVERY_FAILED;
import static io.trackline.events.CanonicalStatus.INFO_RECEIVED;
import static io.trackline.events.CanonicalStatus.IN_TRANSIT;
import static io.trackline.events.CanonicalStatus.LOST;
import static io.trackline.events.CanonicalStatus.OUT_FOR_DELIVERY;
import static io.trackline.events.CanonicalStatus.PICKED_UP;
import static io.trackline.events.CanonicalStatus.RETURNED;
import static io.trackline.events.CanonicalStatus.RETURNING;
import static io.trackline.events.CanonicalStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.store.service.EventFact;
import io.trackline.store.service.StatusRules;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The status rules of docs/status-rules.md, without a database. */
class StatusRulesTest {

    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T08:00:00+07:00");

    static EventFact at(int minute, CanonicalStatus status) {
        return at(minute, status, null);
    }

    static EventFact at(int minute, CanonicalStatus status, CanonicalReason reason) {
        return new EventFact(
                status + "@" + minute + (reason == null ? "" : "/" + reason),
                status,
                reason,
                T0.plusMinutes(minute),
                null,
                false);
    }

    /** The same event as one whose mapping row is a reversal ({@code reversal: true}). */
    static EventFact reversal(EventFact e) {
        return new EventFact(e.eventId(), e.status(), e.reason(), e.occurredAt(), e.eta(), true);
    }

    static CanonicalStatus replay(EventFact... events) {
        return StatusRules.replay(List.of(events)).status();
    }

    @Test
    void theLatestEventByEventTimeDecidesNotTheLastToArrive() {
        assertThat(replay(at(30, OUT_FOR_DELIVERY), at(10, PICKED_UP), at(20, IN_TRANSIT)))
                .isEqualTo(OUT_FOR_DELIVERY);
    }

    @Test
    void eventsOfOneInstantAreOrderedByHowFarAlongTheyAre() {
        // all24 lists "Goods arrived" and "Delivery complete" with one timestamp, newest first.
        assertThat(replay(at(5, DELIVERED), at(5, OUT_FOR_DELIVERY))).isEqualTo(DELIVERED);
    }

    @ParameterizedTest
    @EnumSource(
            value = CanonicalStatus.class,
            names = {"DELIVERED", "RETURNED", "CANCELLED", "LOST", "SEIZED"})
    void aFinalStatusHoldsAgainstLaterNonFinalEvents(CanonicalStatus fin) {
        for (CanonicalStatus later :
                List.of(INFO_RECEIVED, PICKED_UP, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERY_FAILED, RETURNING, UNKNOWN)) {
            assertThat(replay(at(1, IN_TRANSIT), at(2, fin), at(3, later)))
                    .as("%s then %s", fin, later)
                    .isEqualTo(fin);
        }
    }

    @Test
    void aLaterFinalEventReplacesAFinalStatus() {
        assertThat(replay(at(1, LOST), at(2, DELIVERED))).isEqualTo(DELIVERED);
        ShipmentState state = StatusRules.replay(List.of(
                at(1, CANCELLED, CanonicalReason.CANCELLED_BY_CUSTOMER),
                at(2, CANCELLED, CanonicalReason.CANCELLED_BY_CARRIER)));
        assertThat(state.reason()).isEqualTo(CanonicalReason.CANCELLED_BY_CARRIER);
    }

    @ParameterizedTest
    @EnumSource(
            value = CanonicalStatus.class,
            names = {"DELIVERED", "RETURNED", "CANCELLED", "LOST", "SEIZED"})
    void aReactivationReopensAnyFinalStatus(CanonicalStatus fin) {
        EventFact reactivated = reversal(at(2, INFO_RECEIVED, CanonicalReason.REACTIVATED));
        assertThat(replay(at(1, fin), reactivated)).isEqualTo(INFO_RECEIVED);
        // and the order moves on from there
        assertThat(replay(at(1, fin), reactivated, at(3, IN_TRANSIT))).isEqualTo(IN_TRANSIT);
    }

    @Test
    void aReactivationOfTheSameInstantAsTheCancellationComesAfterIt() {
        assertThat(replay(reversal(at(2, INFO_RECEIVED, CanonicalReason.REACTIVATED)), at(2, CANCELLED)))
                .isEqualTo(INFO_RECEIVED);
    }

    @ParameterizedTest
    @EnumSource(
            value = CanonicalStatus.class,
            names = {"DELIVERED", "CANCELLED", "LOST", "SEIZED"})
    void aDeclaredReturnFollowsAFinalStatus(CanonicalStatus fin) {
        // 247Express PENDING_FOR_RETURN: "The order is being returned to the customer" (a reversal in its table)
        assertThat(replay(at(1, fin), reversal(at(2, RETURNING)))).isEqualTo(RETURNING);
        assertThat(replay(at(1, fin), reversal(at(2, RETURNING)), at(3, RETURNED)))
                .isEqualTo(RETURNED);
    }

    @Test
    void onlyTheEventsFlagReopensAFinalStatusNotItsStatusOrReason() {
        assertThat(replay(at(1, DELIVERED), at(2, RETURNING))).isEqualTo(DELIVERED);
        assertThat(replay(at(1, CANCELLED), at(2, INFO_RECEIVED, CanonicalReason.REACTIVATED)))
                .isEqualTo(CANCELLED);
    }

    static CanonicalEvent event(Carrier carrier, CanonicalStatus status, CanonicalReason reason, Boolean reversal) {
        return CanonicalEvent.builder()
                .eventId("e")
                .shipmentId(carrier.id() + ":acme:1")
                .carrier(carrier)
                .account("acme")
                .reference("1")
                .status(status)
                .reason(reason)
                .occurredAt(T0)
                .rawCode("x")
                .mappingVersion("v")
                .reversal(reversal)
                .build();
    }

    @Test
    void anEventWrittenBeforeTheFlagIsDecidedFromItsStatusAsThen() {
        assertThat(EventFact.of(event(Carrier.EXPRESS247, RETURNING, null, null))
                        .reversal())
                .isTrue();
        assertThat(EventFact.of(event(Carrier.MRSPEEDY, INFO_RECEIVED, CanonicalReason.REACTIVATED, null))
                        .reversal())
                .isTrue();
        assertThat(EventFact.of(event(Carrier.ALL24, RETURNING, null, null)).reversal())
                .isFalse();
        assertThat(EventFact.of(event(Carrier.MRSPEEDY, CANCELLED, null, null)).reversal())
                .isFalse();
        assertThat(EventFact.of(event(Carrier.EXPRESS247, DELIVERED, null, null))
                        .reversal())
                .isFalse();
    }

    @Test
    void anEventsOwnFlagWinsOverTheOldRule() {
        assertThat(EventFact.of(event(Carrier.EXPRESS247, RETURNING, null, false))
                        .reversal())
                .isFalse();
        assertThat(EventFact.of(event(Carrier.ALL24, RETURNING, null, true)).reversal())
                .isTrue();
        assertThat(replay(at(1, DELIVERED), EventFact.of(event(Carrier.EXPRESS247, RETURNING, null, false))))
                .isEqualTo(DELIVERED);
    }

    @Test
    void anUnmappedCodeNeverHidesAKnownStatus() {
        assertThat(replay(at(1, IN_TRANSIT), at(2, UNKNOWN))).isEqualTo(IN_TRANSIT);
        assertThat(replay(at(2, UNKNOWN), at(1, IN_TRANSIT))).isEqualTo(IN_TRANSIT);
        assertThat(replay(at(1, UNKNOWN))).isEqualTo(UNKNOWN);
    }

    @Test
    void aLateEventNewerThanTheStatusButOlderThanABlockedOneIsReplayed() {
        // DELIVERED, then IN_TRANSIT held back; a late reactivation between them reopens, and IN_TRANSIT then counts.
        List<EventFact> events = List.of(
                at(1, DELIVERED), at(3, IN_TRANSIT), reversal(at(2, INFO_RECEIVED, CanonicalReason.REACTIVATED)));
        assertThat(StatusRules.replay(events).status()).isEqualTo(IN_TRANSIT);
        ShipmentState soFar = StatusRules.replay(events.subList(0, 2));
        assertThat(soFar.status()).isEqualTo(DELIVERED);
        assertThat(StatusRules.inOrder(soFar, events.get(2)))
                .as("must not be applied on top")
                .isFalse();
    }

    @Test
    void theStatusDoesNotDependOnArrivalOrder() {
        List<EventFact> history = List.of(
                at(0, INFO_RECEIVED),
                at(1, PICKED_UP),
                at(2, IN_TRANSIT),
                at(3, DELIVERY_FAILED, CanonicalReason.RECIPIENT_UNAVAILABLE),
                at(4, OUT_FOR_DELIVERY),
                at(5, DELIVERED),
                reversal(at(6, RETURNING)),
                at(7, UNKNOWN),
                at(8, RETURNED),
                at(9, IN_TRANSIT));
        ShipmentState expected = StatusRules.replay(history);
        assertThat(expected.status()).isEqualTo(RETURNED);
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<EventFact> arrival = new ArrayList<>(history);
            Collections.shuffle(arrival, random);
            // as the writer does: apply in-order arrivals, replay the whole timeline for a late one
            ShipmentState state = null;
            List<EventFact> stored = new ArrayList<>();
            for (EventFact e : arrival) {
                stored.add(e);
                state = state == null || StatusRules.inOrder(state, e)
                        ? StatusRules.apply(state, e)
                        : StatusRules.replay(stored);
            }
            assertThat(state).as("arrival %s", arrival).isEqualTo(expected);
        }
    }

    @Test
    void etaIsTheLatestOneGiven() {
        EventFact early = new EventFact("a", IN_TRANSIT, null, T0, T0.plusDays(3), false);
        EventFact late = new EventFact("b", OUT_FOR_DELIVERY, null, T0.plusHours(1), T0.plusDays(1), false);
        EventFact none = new EventFact("c", DELIVERED, null, T0.plusHours(2), null, false);
        assertThat(StatusRules.replay(List.of(none, late, early)).eta()).isEqualTo(T0.plusDays(1));
    }

    @Test
    void rankPutsReactivationAboveFinal() {
        assertThat(StatusRules.rank(INFO_RECEIVED, CanonicalReason.REACTIVATED))
                .isGreaterThan(StatusRules.rank(CANCELLED, null));
    }
}
