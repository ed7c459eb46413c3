package io.trackline.sim.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.events.Carrier;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import io.trackline.sim.carrier.all24.All24Lifecycle;
import io.trackline.sim.carrier.express247.Express247Lifecycle;
import io.trackline.sim.carrier.mrspeedy.MrSpeedyLifecycle;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lifecycles look like the carriers': the right hours in each zone, every scenario, the documents' codes. */
class LifecycleTest {

    private static List<Shipment> shipments;

    @BeforeAll
    static void simulateTwoWeeks() {
        ManualClock clock = new ManualClock(Engines.START);
        SimEngine engine = Engines.engine(
                Engines.config(Map.of(
                        "trackline.sim.traffic.all24.count",
                        "1500",
                        "trackline.sim.traffic.247express.count",
                        "1500",
                        "trackline.sim.traffic.mrspeedy.count",
                        "1500",
                        "trackline.sim.traffic.all24.per-day",
                        "300",
                        "trackline.sim.traffic.247express.per-day",
                        "300",
                        "trackline.sim.traffic.mrspeedy.per-day",
                        "300")),
                clock);
        clock.advance(Duration.ofDays(20));
        engine.advanceTo(clock.instant());
        shipments = engine.all();
        assertThat(shipments).hasSize(4500).allMatch(Shipment::finished);
    }

    private static List<Shipment> of(Carrier carrier) {
        return shipments.stream().filter(s -> s.carrier() == carrier).toList();
    }

    private static ZonedDateTime local(Step step, ZoneId zone) {
        return step.at().atZone(zone);
    }

    /** Every change with this code happened between {@code from} and {@code to} o'clock local time. */
    private static void between(Carrier carrier, String code, ZoneId zone, int from, int to) {
        List<Step> steps = of(carrier).stream()
                .flatMap(s -> s.steps().stream())
                .filter(s -> s.code().equals(code))
                .toList();
        assertThat(steps).as(code).isNotEmpty();
        assertThat(steps)
                .as(code + " hours")
                .allSatisfy(step -> assertThat(local(step, zone).getHour()).isBetween(from, to - 1));
    }

    @Test
    void all24PicksUpInBusinessHoursLoadsVansInTheMorningAndDeliversInTheDay() {
        ZoneId bangkok = ZoneId.of("Asia/Bangkok");
        between(Carrier.ALL24, All24Lifecycle.GOODS_RECEIVED, bangkok, 7, 19);
        between(Carrier.ALL24, All24Lifecycle.PICKED_UP, bangkok, 6, 12);
        between(Carrier.ALL24, All24Lifecycle.GOODS_ARRIVED, bangkok, 7, 21);
        between(Carrier.ALL24, All24Lifecycle.DELIVERY_COMPLETE, bangkok, 7, 22);
        assertThat(of(Carrier.ALL24).stream().map(Shipment::scenario).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(
                        "delivered", "failed_then_delivered", "cancelled_by_customer", "cancelled_by_carrier");
        // The document's example: arrival and delivery in the same second.
        assertThat(of(Carrier.ALL24))
                .anyMatch(s -> s.steps().size() >= 2
                        && s.lastChangeAt()
                                .equals(s.steps().get(s.steps().size() - 2).at()));
        Set<String> finals = of(Carrier.ALL24).stream()
                .map(s -> s.steps().get(s.steps().size() - 1).code())
                .collect(Collectors.toSet());
        assertThat(finals).containsExactlyInAnyOrder("500000", "401100", "401101");
        assertThat(codes(Carrier.ALL24))
                .containsExactlyInAnyOrder(
                        "050000",
                        "100000",
                        "200000",
                        "300000",
                        "500000",
                        "401100",
                        "401101",
                        All24Lifecycle.UNDOCUMENTED_SORTING);
    }

    @Test
    void express247FailsWithDocumentedDelayReasonsAndReturnsAfterThreeAttempts() {
        ZoneId saigon = ZoneId.of("Asia/Ho_Chi_Minh");
        between(Carrier.EXPRESS247, "PICKED_UP", saigon, 7, 19);
        between(Carrier.EXPRESS247, "DELIVERING", saigon, 6, 12);
        between(Carrier.EXPRESS247, "DELIVERED", saigon, 7, 22);
        between(Carrier.EXPRESS247, "PENDING_FOR_PROCEED", saigon, 7, 22);
        assertThat(codes(Carrier.EXPRESS247))
                .contains(
                        "ACCEPTED",
                        "PICKED_UP",
                        "IN_TRANSIT",
                        "DELIVERING",
                        "DELIVERED",
                        "PENDING_FOR_PROCEED",
                        "PENDING_FOR_RETURN",
                        "RETURNED",
                        "LOST",
                        "CANCEL",
                        "CONFISCATED",
                        Express247Lifecycle.UNDOCUMENTED_STATUS);
        for (Shipment s : of(Carrier.EXPRESS247)) {
            List<Step> steps = s.steps();
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).code().equals("PENDING_FOR_PROCEED")) {
                    Step delay = steps.get(i + 1);
                    assertThat(delay.field()).isEqualTo("delayCode");
                    assertThat(delay.at()).isEqualTo(steps.get(i).at());
                    assertThat(Integer.parseInt(delay.code())).isBetween(1, 53);
                }
            }
            // One attempt per day: a failed attempt is tried again on a later day.
            List<LocalDate> attempts = steps.stream()
                    .filter(step -> step.code().equals("DELIVERING"))
                    .map(step -> local(step, saigon).toLocalDate())
                    .toList();
            assertThat(attempts).doesNotHaveDuplicates();
            if (s.scenario().equals("returned")) {
                assertThat(steps.stream().filter(step -> step.code().equals("PENDING_FOR_PROCEED")))
                        .hasSize(3);
                assertThat(steps.get(steps.size() - 1).code()).isEqualTo("RETURNED");
            }
        }
    }

    @Test
    void mrSpeedyCouriersWorkTheirDayWithDelaysReactivationsAndCancellations() {
        ZoneId bangkok = ZoneId.of("Asia/Bangkok");
        for (String code : List.of("available", "active", "pickup", "dropoff")) {
            between(Carrier.MRSPEEDY, code, bangkok, 6, 24);
        }
        assertThat(codes(Carrier.MRSPEEDY))
                .containsExactlyInAnyOrder(
                        "new",
                        "available",
                        "active",
                        "completed",
                        "delayed",
                        "reactivated",
                        "canceled",
                        "pickup",
                        "stop",
                        "dropoff",
                        MrSpeedyLifecycle.UNDOCUMENTED_STATUS);
        assertThat(of(Carrier.MRSPEEDY))
                .allSatisfy(s -> assertThat(s.steps().get(0).code()).isEqualTo("new"));
        // Ids grow with creation, as MrSpeedy's do.
        List<Long> ids = of(Carrier.MRSPEEDY).stream().map(Shipment::number).toList();
        assertThat(ids).isSorted();
    }

    @Test
    void sundaysAreQuieterForPickups() {
        ZoneId bangkok = ZoneId.of("Asia/Bangkok");
        List<Step> pickups = of(Carrier.ALL24).stream()
                .flatMap(s -> s.steps().stream())
                .filter(s -> s.code().equals(All24Lifecycle.GOODS_RECEIVED))
                .toList();
        long sundays = pickups.stream()
                .filter(s -> local(s, bangkok).getDayOfWeek() == DayOfWeek.SUNDAY)
                .count();
        assertThat(sundays).isLessThan(pickups.size() / 10);
    }

    private static Set<String> codes(Carrier carrier) {
        Set<String> codes = new HashSet<>();
        of(carrier).forEach(s -> s.steps().forEach(step -> codes.add(step.code())));
        return codes;
    }
}
