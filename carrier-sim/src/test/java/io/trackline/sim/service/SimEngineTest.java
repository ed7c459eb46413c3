package io.trackline.sim.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trackline.events.Carrier;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import io.trackline.sim.config.SimConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Determinism by seed, and the bounds, of the lifecycle engine (no Quarkus: a manual clock, simulated weeks). */
class SimEngineTest {

    private static final Duration WEEK = Duration.ofDays(7);

    /** Everything a carrier shows, without wall times: seq, shipment, change and its simulated time. */
    private static List<String> history(SimEngine engine) {
        List<String> out = new ArrayList<>();
        for (Shipment s : engine.all()) {
            for (int i = 0; i < s.revealed(); i++) {
                Step step = s.steps().get(i);
                out.add(s.record(i).seq() + " " + s.shipmentId() + " " + s.scenario() + " " + step.field() + "="
                        + step.code() + " @" + step.at());
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void sameSeedAndSimulatedTimeGiveTheSameShipmentsAndChangesHoweverTheClockTicks() {
        SimConfig config = Engines.config(Map.of("trackline.sim.seed", "42"));
        ManualClock oneJumpClock = new ManualClock(Engines.START);
        SimEngine oneJump = Engines.engine(config, oneJumpClock);
        oneJumpClock.advance(WEEK);
        oneJump.advanceTo(oneJumpClock.instant());

        ManualClock ticksClock = new ManualClock(Engines.START);
        SimEngine ticks = Engines.engine(config, ticksClock);
        for (int i = 0; i < 7 * 24 * 6; i++) {
            ticksClock.advance(Duration.ofMinutes(10));
            ticks.advanceTo(ticksClock.instant());
        }

        List<String> first = history(oneJump);
        assertThat(first).hasSizeGreaterThan(2000);
        assertThat(history(ticks)).isEqualTo(first);
        assertThat(oneJump.stats().backgroundCreated())
                .containsEntry("all24", 300L)
                .containsEntry("247express", 300L)
                .containsEntry("mrspeedy", 300L);
    }

    @Test
    void withAConfiguredStartTheTrafficIsTheSameHoweverLateTheEngineIsBuilt() {
        // A scaled clock starts with the application; the engine is built a moment later, by a different amount in
        // every run. With clock.start set, the traffic must not depend on that moment.
        SimConfig config = Engines.config(
                Map.of("trackline.sim.seed", "42", "trackline.sim.clock.start", "2026-11-24T08:00:00+07:00"));
        List<List<String>> runs = new ArrayList<>();
        for (Duration late : List.of(Duration.ofSeconds(90), Duration.ofMinutes(17))) {
            ManualClock clock = new ManualClock(Engines.START.plus(late));
            SimEngine engine = Engines.engine(config, clock);
            clock.advance(Duration.ofDays(2).minus(late));
            engine.advanceTo(clock.instant());
            runs.add(history(engine));
        }
        assertThat(runs.get(0)).hasSizeGreaterThan(1000);
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        ManualClock clockA = new ManualClock(Engines.START);
        SimEngine a = Engines.engine(Engines.config(Map.of("trackline.sim.seed", "42")), clockA);
        ManualClock clockB = new ManualClock(Engines.START);
        SimEngine b = Engines.engine(Engines.config(Map.of("trackline.sim.seed", "43")), clockB);
        clockA.advance(Duration.ofDays(2));
        clockB.advance(Duration.ofDays(2));
        a.advanceTo(clockA.instant());
        b.advanceTo(clockB.instant());
        assertThat(history(a)).isNotEqualTo(history(b));
        assertThat(a.all().get(0).reference()).isNotEqualTo(b.all().get(0).reference());
    }

    @Test
    void onDemandShipmentsAreReproducibleToo() {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            ManualClock clock = new ManualClock(Engines.START);
            SimEngine engine = Engines.engine(
                    Engines.config(Map.of(
                            "trackline.sim.traffic.all24.count",
                            "0",
                            "trackline.sim.traffic.247express.count",
                            "0",
                            "trackline.sim.traffic.mrspeedy.count",
                            "0")),
                    clock);
            engine.create(Carrier.ALL24, Optional.of("demo"), Optional.of("delivered"));
            clock.advance(Duration.ofMinutes(3));
            engine.create(Carrier.EXPRESS247, Optional.empty(), Optional.of("returned"));
            engine.create(Carrier.MRSPEEDY, Optional.of("shop2"), Optional.empty());
            clock.advance(Duration.ofDays(10));
            engine.advanceTo(clock.instant());
            runs.add(history(engine));
        }
        assertThat(runs.get(0)).hasSizeGreaterThan(10).isEqualTo(runs.get(1));
    }

    @Test
    void referencesAreUniqueAndFinishedShipmentsAreForgottenAfterTheRetention() {
        ManualClock clock = new ManualClock(Engines.START);
        SimEngine engine = Engines.engine(Engines.config(Map.of("trackline.sim.engine.retention", "24h")), clock);
        clock.advance(Duration.ofDays(2));
        engine.advanceTo(clock.instant());
        List<Shipment> all = engine.all();
        assertThat(all.stream().map(Shipment::shipmentId).distinct().count()).isEqualTo(all.size());
        clock.advance(Duration.ofDays(30));
        engine.advanceTo(clock.instant());
        assertThat(engine.live()).isZero();
        assertThat(engine.stats().forgotten()).isEqualTo(900);
        assertThat(engine.stats().changes()).isGreaterThan(900 * 4);
    }

    @Test
    void aFullSimulatorSkipsArrivalsAndRefusesOnDemandShipments() {
        ManualClock clock = new ManualClock(Engines.START);
        SimEngine engine = Engines.engine(Engines.config(Map.of("trackline.sim.engine.max-shipments", "50")), clock);
        clock.advance(Duration.ofDays(3));
        engine.advanceTo(clock.instant());
        assertThat(engine.live()).isEqualTo(50);
        assertThat(engine.stats().skipped()).isPositive();
        assertThatThrownBy(() -> engine.create(Carrier.ALL24, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void changesOfOneShipmentAreInTimeOrderAndTheirSeqsAscend() {
        ManualClock clock = new ManualClock(Engines.START);
        SimEngine engine = Engines.engine(Engines.config(Map.of()), clock);
        clock.advance(WEEK);
        engine.advanceTo(clock.instant());
        for (Shipment s : engine.all()) {
            for (int i = 1; i < s.revealed(); i++) {
                assertThat(s.steps().get(i).at())
                        .isAfterOrEqualTo(s.steps().get(i - 1).at());
                assertThat(s.record(i).seq()).isGreaterThan(s.record(i - 1).seq());
            }
            Instant visibleFrom = s.steps().get(0).at();
            assertThat(visibleFrom).isAfterOrEqualTo(Engines.START);
        }
    }
}
