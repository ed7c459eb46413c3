package io.trackline.store.service;

import static io.trackline.store.service.TestEvents.valid;
import static io.trackline.store.service.TestEvents.withRawText;
import static io.trackline.store.service.TestEvents.withTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.trackline.events.CanonicalEvent;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bisection and retries of {@link TimelineStore}, on a writer that fails as told (no database). */
class TimelineStoreTest {

    /** A writer that "commits" a batch unless {@code failure} names a failure for it. */
    static final class FakeWriter extends TimelineWriter {
        final List<List<String>> calls = new ArrayList<>();
        final Set<String> committed = new HashSet<>();
        Function<List<CanonicalEvent>, Throwable> failure = batch -> null;

        FakeWriter() {
            super(null);
        }

        @Override
        public Uni<WriteResult> write(List<CanonicalEvent> batch) {
            calls.add(batch.stream().map(CanonicalEvent::eventId).toList());
            Throwable f = failure.apply(batch);
            if (f instanceof RuntimeException r
                    && r.getMessage() != null
                    && r.getMessage().startsWith("sync")) {
                throw r; // thrown while building the statements, before any Uni
            }
            if (f != null) {
                return Uni.createFrom().failure(f);
            }
            batch.forEach(e -> committed.add(e.eventId()));
            return Uni.createFrom().item(new WriteResult(batch.size(), batch.size(), 0, batch.size(), 0));
        }
    }

    final FakeWriter writer = new FakeWriter();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TimelineStore store = new TimelineStore(writer, Duration.ofMillis(1), Duration.ofMillis(5), registry);

    static List<CanonicalEvent> batch(int n) {
        return IntStream.range(0, n).mapToObj(i -> valid("R" + i)).toList();
    }

    TimelineStore.Outcome storeUnchecked(List<CanonicalEvent> events) {
        return store.store(events, false).await().atMost(Duration.ofSeconds(10));
    }

    double transientFailures() {
        return registry.get("trackline.store.batch.write.failures").counter().count();
    }

    @Test
    void aBatchWithoutFailuresIsOneWrite() {
        List<CanonicalEvent> events = batch(500);
        TimelineStore.Outcome outcome = store.store(events).await().atMost(Duration.ofSeconds(10));
        assertThat(writer.calls).hasSize(1);
        assertThat(outcome.rejected()).isEmpty();
        assertThat(outcome.written().stored()).isEqualTo(500);
    }

    @Test
    void recordsTheDatabaseRefusesAreFoundByBisectionAndTheRestIsStored() {
        List<CanonicalEvent> events = new ArrayList<>(batch(20));
        Set<String> poison = Set.of(events.get(3).eventId(), events.get(17).eventId());
        writer.failure = b -> b.stream().anyMatch(e -> poison.contains(e.eventId()))
                ? new PgException("timestamp out of range", "ERROR", "22008", null)
                : null;

        TimelineStore.Outcome outcome = storeUnchecked(events);

        assertThat(outcome.rejected()).extracting(TimelineStore.Rejected::index).containsExactly(3, 17);
        assertThat(outcome.rejected()).allSatisfy(r -> {
            assertThat(r.reason().code()).isEqualTo(UnstorableEventException.REJECTED_BY_DATABASE);
            assertThat(r.reason().getMessage()).contains("SQLSTATE 22008").contains("timestamp out of range");
        });
        assertThat(outcome.written().stored()).isEqualTo(18);
        assertThat(writer.committed).hasSize(18).doesNotContainAnyElementsOf(poison);
        // 2 culprits among 20: a few transactions, not one per event
        assertThat(writer.calls.size()).isLessThan(20);
        assertThat(transientFailures()).isZero();
    }

    @Test
    void aTransientFailureDuringBisectionIsRetriedAndParksNothingForIt() {
        List<CanonicalEvent> events = batch(16);
        String poison = events.get(9).eventId();
        AtomicInteger call = new AtomicInteger();
        writer.failure = b -> {
            int n = call.incrementAndGet();
            if (n >= 2 && n <= 4) {
                return n % 2 == 0
                        ? ClosedConnectionException.INSTANCE
                        : new PgException("the database system is shutting down", "FATAL", "57P03", null);
            }
            return b.stream().anyMatch(e -> e.eventId().equals(poison))
                    ? new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null)
                    : null;
        };

        TimelineStore.Outcome outcome = storeUnchecked(events);

        assertThat(outcome.rejected()).extracting(TimelineStore.Rejected::index).containsExactly(9);
        assertThat(writer.committed).hasSize(15);
        assertThat(transientFailures()).isEqualTo(3);
    }

    @Test
    void anExceptionWhileBuildingTheStatementsParksTheRecord() {
        List<CanonicalEvent> events = batch(5);
        String poison = events.get(0).eventId();
        writer.failure = b -> b.stream().anyMatch(e -> e.eventId().equals(poison))
                ? new IllegalArgumentException("sync: no rank for this status")
                : null;

        TimelineStore.Outcome outcome = storeUnchecked(events);

        assertThat(outcome.rejected()).singleElement().satisfies(r -> {
            assertThat(r.index()).isZero();
            assertThat(r.reason().code()).isEqualTo(UnstorableEventException.UNPROCESSABLE);
        });
        assertThat(writer.committed).hasSize(4);
    }

    @Test
    void aFailureOfUnknownCauseIsRetriedNotParked() {
        AtomicInteger call = new AtomicInteger();
        writer.failure = b -> call.incrementAndGet() <= 3
                ? new PgException("relation \"timeline_event\" does not exist", "ERROR", "42P01", null)
                : null;

        TimelineStore.Outcome outcome = storeUnchecked(batch(4));

        assertThat(outcome.rejected()).isEmpty();
        assertThat(writer.calls).hasSize(4).allSatisfy(c -> assertThat(c).hasSize(4));
        assertThat(transientFailures()).isEqualTo(3);
    }

    @Test
    void checkedEventsNeverReachTheWriter() {
        List<CanonicalEvent> events = List.of(
                valid("A"),
                withTime(valid("B"), OffsetDateTime.parse("+294277-01-01T00:00:00Z")),
                withRawText(valid("C"), "nul\u0000"),
                valid("D"));

        TimelineStore.Outcome outcome = store.store(events).await().atMost(Duration.ofSeconds(10));

        assertThat(outcome.rejected())
                .extracting(r -> r.index() + ":" + r.reason().code())
                .containsExactly("1:event_time_out_of_range", "2:invalid_text");
        assertThat(writer.calls)
                .singleElement()
                .satisfies(c -> assertThat(c)
                        .containsExactly(events.get(0).eventId(), events.get(3).eventId()));
    }

    @Test
    void aBatchOfPoisonOnlyParksEveryRecord() {
        writer.failure = b -> new PgException("index row size exceeds btree maximum", "ERROR", "54000", null);
        TimelineStore.Outcome outcome = storeUnchecked(batch(8));
        assertThat(outcome.rejected()).hasSize(8);
        assertThat(outcome.written()).isEqualTo(WriteResult.NONE);
    }
}
