package io.trackline.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load tool's counting, on a timeline the real pipeline stored: {@code load/recorded-timeline.json} is the answer
 * of status-store's {@code GET /api/v1/shipments/mrspeedy/{ref}/timeline} for one order of a benchmark run (the six
 * callbacks of {@link CallbackPlan} through ingest-webhooks, the normalizer and status-store; how it was taken is in
 * the file's {@code recorded} field). The plan rebuilt for that order must expect exactly the facts the pipeline
 * stored; and the audit must count what is taken from or added to that timeline.
 */
class TimelineAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode recorded;
    private ArrayNode events;
    private Set<Fact> expected;

    @BeforeEach
    void read() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/load/recorded-timeline.json")) {
            recorded = JSON.readTree(in);
        }
        events = (ArrayNode) recorded.path("answer").path("events");
        long order = Long.parseLong(
                recorded.path("answer").path("shipment").path("reference").asText());
        OffsetDateTime created = OffsetDateTime.parse(recorded.path("created").asText());
        // The run's plan: first order and window as the run had them, so this order's six callbacks are rebuilt.
        CallbackPlan plan = new CallbackPlan(
                recorded.path("firstOrder").asLong(),
                recorded.path("window").asInt(),
                "demo-callback-secret-not-real",
                created);
        int steps = CallbackPlan.steps();
        long window = recorded.path("window").asLong();
        long offset = order - recorded.path("firstOrder").asLong();
        long wave = offset / window;
        expected = LongStream.range(0, steps)
                .map(step -> wave * steps * window + step * window + offset % window)
                .mapToObj(plan::callback)
                .peek(c -> assertThat(c.orderId()).isEqualTo(order))
                .map(CallbackPlan.Callback::fact)
                .collect(Collectors.toSet());
    }

    @Test
    void thePlanExpectsExactlyWhatThePipelineStored() {
        assertThat(expected).hasSize(CallbackPlan.steps());
        Set<String> stored = new TreeSet<>();
        events.forEach(e -> stored.add(TimelineAudit.fact(e).toString()));
        assertThat(stored)
                .isEqualTo(expected.stream().map(Fact::toString).collect(Collectors.toCollection(TreeSet::new)));
        assertThat(TimelineAudit.of(expected, events))
                .isEqualTo(new TimelineAudit.Count(6, 6, 0, 0, 0, java.util.Map.of()));
        expected.forEach(f -> assertThat(TimelineAudit.shows(events, f)).isTrue());
    }

    @Test
    void anEventTakenAwayIsLost() {
        JsonNode gone = events.remove(3);
        TimelineAudit.Count count = TimelineAudit.of(expected, events);
        assertThat(count.lost()).isEqualTo(1);
        assertThat(count.found()).isEqualTo(5);
        assertThat(count.duplicated()).isZero();
        assertThat(TimelineAudit.shows(events, TimelineAudit.fact(gone))).isFalse();
    }

    @Test
    void aTimelineTheStoreDoesNotHaveLosesEverything() {
        assertThat(TimelineAudit.of(expected, JSON.createArrayNode()).lost()).isEqualTo(6);
        assertThat(TimelineAudit.Count.unread(6).lost()).isEqualTo(6);
    }

    @Test
    void theSameFactUnderAnotherEventIdIsADuplicate() {
        ObjectNode copy = events.get(4).deepCopy();
        copy.put("eventId", "00000000-0000-8000-8000-000000000000");
        // Written with another offset: the same instant, so the same fact.
        OffsetDateTime at = OffsetDateTime.parse(copy.path("occurredAt").asText());
        copy.put(
                "occurredAt", at.withOffsetSameInstant(java.time.ZoneOffset.UTC).toString());
        events.add(copy);
        TimelineAudit.Count count = TimelineAudit.of(expected, events);
        assertThat(count.duplicated()).isEqualTo(1);
        assertThat(count.lost()).isZero();
        assertThat(count.unexpected()).isZero();
    }

    @Test
    void aStateRepeatedLaterIsUnexpectedNotDuplicated() {
        ObjectNode again = events.get(2).deepCopy();
        OffsetDateTime at = OffsetDateTime.parse(again.path("occurredAt").asText());
        again.put("eventId", "00000000-0000-8000-8000-000000000001");
        again.put("occurredAt", at.plusMinutes(10).toString());
        events.add(again);
        TimelineAudit.Count count = TimelineAudit.of(expected, events);
        assertThat(count.duplicated()).isZero();
        assertThat(count.unexpected()).isEqualTo(1);
        assertThat(count.unexpectedCodes())
                .containsEntry(
                        again.path("rawField").asText() + " "
                                + again.path("rawCode").asText(),
                        1L);
    }

    @Test
    void countsAddUp() {
        TimelineAudit.Count one = TimelineAudit.of(expected, events);
        assertThat(one.plus(TimelineAudit.Count.unread(6)))
                .isEqualTo(new TimelineAudit.Count(12, 6, 6, 0, 0, java.util.Map.of()));
    }
}
