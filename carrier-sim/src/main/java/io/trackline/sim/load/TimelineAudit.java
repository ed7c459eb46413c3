package io.trackline.sim.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the facts a shipment must show with the events its timeline shows (the {@code events} of
 * {@code GET /api/v1/shipments/mrspeedy/{ref}/timeline}), by raw field, raw code and instant:
 * <ul>
 * <li><b>lost</b>: an expected fact no event shows;</li>
 * <li><b>duplicated</b>: every event beyond the first that shows the same fact (the store keys events by event id, so
 * this counts a fact that reached it under two ids);</li>
 * <li><b>unexpected</b>: an event of no expected fact, counted by raw field and code: from a callback that was not
 * accepted and so not expected, or a state the normalizer published again at a later time though it had not
 * changed.</li>
 * </ul>
 */
public final class TimelineAudit {

    /** Counts over one or more timelines. */
    public record Count(
            long expected, long found, long lost, long duplicated, long unexpected, Map<String, Long> unexpectedCodes) {

        public static final Count ZERO = new Count(0, 0, 0, 0, 0, Map.of());

        /** Nothing of {@code expected} facts was found (the timeline could not be read). */
        public static Count unread(long expected) {
            return new Count(expected, 0, expected, 0, 0, Map.of());
        }

        public Count plus(Count o) {
            Map<String, Long> codes = new TreeMap<>(unexpectedCodes);
            o.unexpectedCodes.forEach((code, n) -> codes.merge(code, n, Long::sum));
            return new Count(
                    expected + o.expected,
                    found + o.found,
                    lost + o.lost,
                    duplicated + o.duplicated,
                    unexpected + o.unexpected,
                    codes);
        }

        public boolean complete() {
            return lost == 0;
        }
    }

    private TimelineAudit() {}

    /** {@code events} is the timeline's events array; a missing timeline (404) is an empty one. */
    public static Count of(Collection<Fact> expected, JsonNode events) {
        Map<Fact, Integer> shown = new HashMap<>();
        if (events != null) {
            for (JsonNode event : events) {
                shown.merge(fact(event), 1, Integer::sum);
            }
        }
        long found = 0;
        long duplicated = 0;
        long unexpected = 0;
        Map<String, Long> codes = new TreeMap<>();
        for (Fact fact : expected) {
            if (shown.containsKey(fact)) {
                found++;
            }
        }
        for (Map.Entry<Fact, Integer> e : shown.entrySet()) {
            if (expected.contains(e.getKey())) {
                duplicated += e.getValue() - 1;
            } else {
                unexpected += e.getValue();
                codes.merge(e.getKey().field() + " " + e.getKey().code(), (long) e.getValue(), Long::sum);
            }
        }
        return new Count(expected.size(), found, expected.size() - found, duplicated, unexpected, codes);
    }

    /** Whether the timeline shows {@code fact}. */
    public static boolean shows(JsonNode events, Fact fact) {
        if (events != null) {
            for (JsonNode event : events) {
                if (fact.equals(fact(event))) {
                    return true;
                }
            }
        }
        return false;
    }

    static Fact fact(JsonNode event) {
        JsonNode at = event.path("occurredAt");
        return new Fact(
                event.path("rawField").asText(null),
                event.path("rawCode").asText(null),
                at.isTextual() ? OffsetDateTime.parse(at.asText()).toInstant() : null);
    }
}
