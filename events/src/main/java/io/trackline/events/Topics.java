package io.trackline.events;

/** Names of the Kafka topics Trackline owns. Raw and events topics share partition count and key. */
public final class Topics {

    /**
     * Raw carrier payloads as CloudEvents 1.0 (binary mode: the payload as it came, the {@link RawEnvelope}'s fields
     * in headers; {@link RawRecords}), keyed by {@link ShipmentIds#of}.
     */
    public static final String RAW = "trackline.raw.v1";

    /** Canonical events as CloudEvents 1.0 (binary mode), keyed by shipment id. */
    public static final String EVENTS = "trackline.events.v1";

    /** Raw records the normalizer could not parse, with the reason in headers. */
    public static final String RAW_DLQ = "trackline.raw.dlq.v1";

    /**
     * Canonical events the status store could not store for a reason that will not go away (a value the database
     * refuses, a record that is no canonical event), the record's bytes kept, the reason in headers.
     */
    public static final String EVENTS_DLQ = "trackline.events.dlq.v1";

    /** Compacted: which shipments to poll, keyed by shipment id. */
    public static final String SUBSCRIPTIONS = "trackline.subscriptions.v1";

    private Topics() {}
}
