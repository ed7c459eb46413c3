package io.trackline.normalizer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trackline.events.Carrier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the normalizer ({@code trackline.normalizer.*}, on {@code /q/metrics} as {@code trackline_normalizer_*}).
 * Tags are carrier, field, status, reason and outcome: never a shipment reference.
 */
@ApplicationScoped
public class NormalizerMetrics {

    static final String PREFIX = "trackline.normalizer.";

    private final MeterRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    public NormalizerMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered at zero so dashboards and alerts see a series before the first occurrence.
        for (Carrier carrier : Carrier.values()) {
            counter("events.duplicate", "carrier", carrier.id());
        }
        counter("dedupe.rebuilt_events");
    }

    /** Raw records read, by carrier. */
    public void rawConsumed(String carrier) {
        count("raw.consumed", "carrier", carrier);
    }

    /** Canonical events published, by carrier and canonical status. */
    public void emitted(String carrier, String status) {
        count("events.emitted", "carrier", carrier, "status", status);
    }

    /** Facts not published because their event id (or unchanged state) was already on the events topic. */
    public void duplicate(String carrier) {
        count("events.duplicate", "carrier", carrier);
    }

    /** Codes with no row in the carrier's mapping table: published as UNKNOWN with the raw code. */
    public void unmapped(String carrier, String field) {
        count("codes.unmapped", "carrier", carrier, "field", field);
    }

    /** Codes mapped through the carrier's name because the code itself has no row. */
    public void mappedByName(String carrier, String field) {
        count("codes.mapped_by_name", "carrier", carrier, "field", field);
    }

    /** A code sent with a name its mapping row does not expect (all24's table contradicts its example). */
    public void nameDisagreement(String carrier, String field) {
        count("codes.name_disagreement", "carrier", carrier, "field", field);
    }

    /** Carrier error answers (no facts), by the carrier's error code. */
    public void carrierError(String carrier, String code) {
        count("carrier.errors", "carrier", carrier, "code", code == null ? "none" : code);
    }

    /** Raw records sent to the dead-letter topic, by carrier ("unknown" when unreadable) and reason. */
    public void deadLettered(String carrier, String reason) {
        count("raw.dead_lettered", "carrier", carrier, "reason", reason);
    }

    /** Event ids read back from the events topic on a partition assignment. */
    public void rebuilt(int events) {
        counter("dedupe.rebuilt_events").increment(events);
    }

    private void count(String name, String... tags) {
        counter(name, tags).increment();
    }

    private Counter counter(String name, String... tags) {
        List<String> key = new ArrayList<>(tags.length + 1);
        key.add(name);
        key.addAll(List.of(tags));
        return counters.computeIfAbsent(key, k -> Counter.builder(PREFIX + name).tags(tags).register(registry));
    }
}
