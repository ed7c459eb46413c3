package io.trackline.normalizer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trackline.events.Carrier;
import io.trackline.kafka.MeterCache;
import io.trackline.normalizer.DeadLetterCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/**
 * Meters of the normalizer ({@code trackline.normalizer.*}, on {@code /q/metrics} as {@code trackline_normalizer_*}).
 * Tags are carrier, field, status, reason and outcome: never a shipment reference.
 */
@ApplicationScoped
public class NormalizerMetrics {

    static final String PREFIX = "trackline.normalizer.";
    /** The carrier tag of a record whose envelope cannot be read. */
    public static final String UNKNOWN_CARRIER = "unknown";
    /** Carrier error codes used as tags: anything else is "other", so a carrier cannot create series. */
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    /** Counters looked up once per name and tags, not built and registered again for every record. */
    private final MeterCache meters;

    public NormalizerMetrics(MeterRegistry registry) {
        this.meters = new MeterCache(registry, PREFIX);
        // Registered at zero so dashboards and alerts see a series before the first occurrence.
        for (Carrier carrier : Carrier.values()) {
            counter("events.duplicate", "carrier", carrier.id());
            counter("eta.dropped", "carrier", carrier.id());
            for (DeadLetterCode code : DeadLetterCode.values()) {
                counter("raw.dead_lettered", "carrier", carrier.id(), "reason", code.code());
            }
            for (String field : FactValidator.TEXT_FIELDS) {
                counter("text.sanitized", "carrier", carrier.id(), "field", field);
            }
        }
        // A record whose carrier cannot be read.
        counter("raw.dead_lettered", "carrier", UNKNOWN_CARRIER, "reason", DeadLetterCode.INVALID_ENVELOPE.code());
        counter("raw.dead_lettered", "carrier", UNKNOWN_CARRIER, "reason", DeadLetterCode.NORMALIZATION_FAILED.code());
        counter("renormalize.seeded_events");
        counter("store.expired_shipments");
        counter("store.restored_records");
    }

    /** Raw records read, by carrier. */
    public void rawConsumed(String carrier) {
        count("raw.consumed", "carrier", carrier);
    }

    /** Canonical events published, by carrier and canonical status. */
    public void emitted(String carrier, String status) {
        count("events.emitted", "carrier", carrier, "status", status);
    }

    /** Facts not published because their event id (or unchanged state) was already published: the store says so. */
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
        count(
                "carrier.errors",
                "carrier",
                carrier,
                "code",
                code == null ? "none" : ERROR_CODE.matcher(code).matches() ? code : "other");
    }

    /** Raw records sent to the dead-letter topic, by carrier ("unknown" when unreadable) and stable reason code. */
    public void deadLettered(String carrier, DeadLetterCode reason) {
        count("raw.dead_lettered", "carrier", carrier, "reason", reason.code());
    }

    /** Free-text values cleaned before publishing (control characters, unpaired surrogates, cut to length). */
    public void textSanitized(String carrier, String field) {
        count("text.sanitized", "carrier", carrier, "field", field);
    }

    /** Raw records whose ETA was outside the validation window and left out of their events. */
    public void etaDropped(String carrier) {
        count("eta.dropped", "carrier", carrier);
    }

    /** Events read back from the events topic to seed a re-normalization run's memory. */
    public void seeded(int events) {
        counter("renormalize.seeded_events").increment(events);
    }

    /** Records of the store's changelog read back into a local store (a restart without local state, a failover). */
    public void restored(long records) {
        counter("store.restored_records").increment(records);
    }

    /** Shipments removed from the state store, final for longer than the retention. */
    public void expired(int shipments) {
        counter("store.expired_shipments").increment(shipments);
    }

    private void count(String name, String... tags) {
        counter(name, tags).increment();
    }

    private Counter counter(String name, String... tags) {
        return meters.counter(name, tags);
    }
}
