package io.trackline.normalizer.service;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one shipment has published on {@code trackline.events.v1}: the fact (event) ids with a fingerprint of status
 * and reason, and the codes published per carrier field by the time they occurred at, each bounded; and since when
 * the shipment's last published status is final. The value of the normalizer's state store, keyed by shipment id
 * ({@code messaging.ShipmentStore}); confined to the stream thread of the shipment's task.
 */
public final class ShipmentMemory {

    /** What to do with a fresh canonical event. */
    public enum Verdict {
        /** Not published yet: publish. */
        NEW,
        /** Same id, another status or reason (re-normalization through a new mapping): publish as a correction. */
        CORRECTION,
        /** Same id already published, or a state that did not change: skip. */
        DUPLICATE
    }

    /** No final status published (or a later status left it). */
    public static final long NOT_FINAL = -1;

    /** A published fact: the fingerprint of its status and reason, and the epoch millisecond it occurred at. */
    public record Fact(int fingerprint, long occurredAt) {}

    private final Map<String, Fact> facts;
    /** Per carrier field: the codes published, by the epoch millisecond they occurred at. */
    private final Map<String, TreeMap<Long, String>> states;

    private long finalSince;

    public ShipmentMemory() {
        this(new HashMap<>(), new HashMap<>(), NOT_FINAL);
    }

    public ShipmentMemory(Map<String, Fact> facts, Map<String, TreeMap<Long, String>> states, long finalSince) {
        this.facts = facts;
        this.states = states;
        this.finalSince = finalSince;
    }

    /**
     * @param state true when the event's code is a state (see {@code CarrierFact#state}): it is a duplicate when the
     *              shipment's published code of that field at the event's time is already this code. Judged by time,
     *              not by arrival order, so a replay reaches the same verdicts as the first run.
     */
    public Verdict judge(CanonicalEvent event, boolean state, boolean renormalizing) {
        Fact seen = facts.get(event.eventId());
        if (seen != null) {
            return renormalizing && seen.fingerprint() != fingerprint(event.status(), event.reason())
                    ? Verdict.CORRECTION
                    : Verdict.DUPLICATE;
        }
        if (state && event.rawField() != null && event.occurredAt() != null) {
            TreeMap<Long, String> codes = states.get(event.rawField());
            Map.Entry<Long, String> before = codes == null
                    ? null
                    : codes.floorEntry(event.occurredAt().toInstant().toEpochMilli());
            if (before != null && before.getValue().equalsIgnoreCase(event.rawCode())) {
                return Verdict.DUPLICATE;
            }
        }
        return Verdict.NEW;
    }

    /**
     * Remembers a published event.
     *
     * @param now        wall-clock epoch millisecond of the publication: a final status starts the retention clock
     * @param maxFacts   the most fact ids (and the most codes per field) kept: beyond it the oldest by event time go
     */
    public void record(CanonicalEvent event, long now, int maxFacts) {
        Instant at = event.occurredAt() == null ? null : event.occurredAt().toInstant();
        record(event.eventId(), event.status(), event.reason(), event.rawField(), event.rawCode(), at, maxFacts);
        if (event.status() != null && event.status().isFinal()) {
            if (finalSince == NOT_FINAL) {
                finalSince = now;
            }
        } else {
            finalSince = NOT_FINAL;
        }
    }

    /** Remembers a fact read back from the events topic (re-normalization seeds its memory so). */
    public void record(
            String eventId,
            CanonicalStatus status,
            CanonicalReason reason,
            String rawField,
            String rawCode,
            Instant occurredAt,
            int maxFacts) {
        long at = occurredAt == null ? Long.MIN_VALUE : occurredAt.toEpochMilli();
        facts.put(eventId, new Fact(fingerprint(status, reason), at));
        if (facts.size() > maxFacts) {
            facts.entrySet().stream()
                    .min(Comparator.comparingLong(e -> e.getValue().occurredAt()))
                    .map(Map.Entry::getKey)
                    .ifPresent(facts::remove);
        }
        if (rawField != null && rawCode != null && occurredAt != null) {
            TreeMap<Long, String> codes = states.computeIfAbsent(rawField, f -> new TreeMap<>());
            codes.put(at, rawCode);
            if (codes.size() > maxFacts) {
                codes.pollFirstEntry();
            }
        }
    }

    /** Facts remembered. */
    public Map<String, Fact> facts() {
        return facts;
    }

    /** Codes per field by epoch millisecond. */
    public Map<String, TreeMap<Long, String>> states() {
        return states;
    }

    /** The epoch millisecond the shipment's last published status became final, or {@link #NOT_FINAL}. */
    public long finalSince() {
        return finalSince;
    }

    /**
     * Stable across JVMs and releases (it is stored): the names of status and reason, not their enum hash codes.
     */
    static int fingerprint(CanonicalStatus status, CanonicalReason reason) {
        return ((status == null ? "" : status.name()) + '/' + (reason == null ? "" : reason.name())).hashCode();
    }
}
