package io.trackline.pollers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.pollers.service.PollMetrics;
import io.trackline.pollers.service.PollScheduler;
import io.trackline.pollers.service.PollState;
import io.trackline.pollers.service.PollStateStore;
import io.trackline.pollers.service.SchedulingFakes;
import io.trackline.pollers.service.SchedulingFakes.CapturingRawTopic;
import io.trackline.pollers.service.SchedulingFakes.FakeCarrier;
import io.trackline.pollers.service.SchedulingFakes.FakeStatuses;
import io.trackline.pollers.service.SchedulingFakes.MutableClock;
import io.trackline.testsupport.TestInfra;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two scheduler instances on one real PostgreSQL (pollers.poll_state), each with its own fake carrier counting the
 * look-ups it gets: a partition moved from one to the other, a restart, and an instance that missed its revocation.
 * In each round every subscription must be asked exactly once, by the instance that owns it.
 */
class RebalanceIT {

    static final Instant START = Instant.parse("2026-12-01T03:00:00Z"); // 10:00 in Bangkok
    static final int PARTITIONS = 3;

    static PGSimpleDataSource dataSource;

    final MutableClock clock = new MutableClock(START);
    final List<PollScheduler> started = new ArrayList<>();
    String account;
    List<Subscription> subscriptions;

    @BeforeAll
    static void migrate() {
        TestInfra.Postgres pg = TestInfra.postgres();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(pg.jdbcUrl());
        dataSource.setUser(pg.user());
        dataSource.setPassword(pg.password());
        Flyway.configure()
                .dataSource(dataSource)
                .schemas("pollers")
                .defaultSchema("pollers")
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @BeforeEach
    void subscriptions() {
        account = "it" + UUID.randomUUID().toString().substring(0, 8); // rows of their own per test
        subscriptions = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            subscriptions.add(new Subscription(
                    Carrier.ALL24,
                    account,
                    String.format("HS%06d", i),
                    null,
                    START.minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC)));
        }
    }

    @AfterEach
    void stop() {
        started.forEach(s -> s.shutdown());
    }

    PollScheduler instance(FakeCarrier carrier) {
        PollScheduler s = new PollScheduler(
                clock,
                SchedulingFakes.config(Map.of(
                        "trackline.pollers.scheduling.policy", "round-robin",
                        "trackline.pollers.scheduling.min-interval", "10m",
                        "trackline.pollers.scheduling.max-polls-per-tick", "100",
                        "trackline.pollers.scheduling.revoke-timeout", "5s")),
                List.of(carrier),
                null,
                new FakeStatuses(),
                new PollStateStore(new PollStateRepository(dataSource)),
                new CapturingRawTopic(),
                new PollMetrics(new SimpleMeterRegistry()));
        started.add(s);
        return s;
    }

    int partitionOf(Subscription s) {
        return subscriptions.indexOf(s) % PARTITIONS;
    }

    void assign(PollScheduler s, int partition) {
        s.assigned(partition);
        for (Subscription sub : subscriptions) {
            if (partitionOf(sub) == partition) {
                s.upserted(partition, sub);
            }
        }
        s.caughtUp(partition);
    }

    /** Look-ups per reference since {@code before} (a copy of the counts taken earlier). */
    static Map<String, Integer> since(Map<String, Integer> before, FakeCarrier... carriers) {
        Map<String, Integer> now = new HashMap<>();
        for (FakeCarrier c : carriers) {
            c.counts().forEach((ref, n) -> now.merge(ref, n, Integer::sum));
        }
        before.forEach((ref, n) -> now.merge(ref, -n, Integer::sum));
        now.values().removeIf(n -> n == 0);
        return now;
    }

    static Map<String, Integer> total(FakeCarrier... carriers) {
        return since(Map.of(), carriers);
    }

    Map<String, Integer> everyOnce() {
        Map<String, Integer> m = new HashMap<>();
        subscriptions.forEach(s -> m.put(s.reference(), 1));
        return m;
    }

    @Test
    void aMovedPartitionIsPolledByItsNewOwnerOnlyAndNothingTwice() {
        FakeCarrier carrierA = new FakeCarrier(Carrier.ALL24);
        FakeCarrier carrierB = new FakeCarrier(Carrier.ALL24);
        PollScheduler a = instance(carrierA);
        PollScheduler b = instance(carrierB);
        for (int p = 0; p < PARTITIONS; p++) {
            assign(a, p);
        }
        a.tick();
        assertThat(total(carrierA)).isEqualTo(everyOnce());

        // The group moves partition 2 to b: a gives it up (after its tick), b reads the poll states a left.
        a.revoked(2);
        assign(b, 2);
        Map<String, Integer> before = total(carrierA, carrierB);
        a.tick();
        b.tick(); // same time: what a polled a moment ago is not due again for b either
        assertThat(since(before, carrierA, carrierB)).isEmpty();

        for (int round = 0; round < 3; round++) {
            clock.advance(Duration.ofMinutes(10));
            before = total(carrierA, carrierB);
            Map<String, Integer> beforeB = total(carrierB);
            a.tick();
            b.tick();
            assertThat(since(before, carrierA, carrierB)).as("round %d", round).isEqualTo(everyOnce());
            Map<String, Integer> byB = since(beforeB, carrierB);
            assertThat(byB.keySet())
                    .as("b polls exactly the moved partition")
                    .containsExactlyInAnyOrderElementsOf(subscriptions.stream()
                            .filter(s -> partitionOf(s) == 2)
                            .map(Subscription::reference)
                            .toList());
        }
        PollState moved = new PollStateStore(new PollStateRepository(dataSource))
                .load(List.of(subscriptions.get(2).shipmentId()))
                .get(subscriptions.get(2).shipmentId());
        assertThat(moved.lastPolledAt()).isEqualTo(clock.instant());
        assertThat(moved.lastDigest()).startsWith("sha-256:");
    }

    @Test
    void aRestartedInstanceGoesOnWhereItStopped() {
        FakeCarrier before = new FakeCarrier(Carrier.ALL24);
        PollScheduler first = instance(before);
        for (int p = 0; p < PARTITIONS; p++) {
            assign(first, p);
        }
        first.tick();
        for (int p = 0; p < PARTITIONS; p++) {
            first.revoked(p); // a clean shutdown gives its partitions up
        }
        FakeCarrier after = new FakeCarrier(Carrier.ALL24);
        PollScheduler restarted = instance(after);
        for (int p = 0; p < PARTITIONS; p++) {
            assign(restarted, p);
        }
        restarted.tick();
        assertThat(after.total()).as("nothing polled twice across the restart").isZero();
        clock.advance(Duration.ofMinutes(10));
        restarted.tick();
        assertThat(total(after)).as("and nothing dropped").isEqualTo(everyOnce());
    }

    @Test
    void anInstanceThatMissedItsRevocationPollsNothingTheNewOwnerClaimed() {
        FakeCarrier carrierA = new FakeCarrier(Carrier.ALL24);
        FakeCarrier carrierB = new FakeCarrier(Carrier.ALL24);
        PollScheduler a = instance(carrierA);
        PollScheduler b = instance(carrierB);
        for (int p = 0; p < PARTITIONS; p++) {
            assign(a, p);
        }
        a.tick();
        // b gets partition 2 while a, cut off from the group, still believes it owns it
        assign(b, 2);
        for (int round = 0; round < 3; round++) {
            clock.advance(Duration.ofMinutes(10));
            Map<String, Integer> before = total(carrierA, carrierB);
            if (round % 2 == 0) {
                b.tick();
                a.tick();
            } else {
                a.tick();
                b.tick();
            }
            assertThat(since(before, carrierA, carrierB)).as("round %d", round).isEqualTo(everyOnce());
        }
    }
}
