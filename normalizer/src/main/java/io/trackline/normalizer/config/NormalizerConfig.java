package io.trackline.normalizer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.trackline.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** Settings of the normalizer, under {@code trackline.normalizer}. */
@ConfigMapping(prefix = "trackline.normalizer")
public interface NormalizerConfig {

    /** The topic of canonical events (CloudEvents), co-partitioned with the raw topic. */
    @WithDefault(Topics.EVENTS)
    String eventsTopic();

    /** The topic of raw carrier payloads the normalizer reads. */
    @WithDefault(Topics.RAW)
    String rawTopic();

    /** Where raw records that cannot be used go, with their reason. */
    @WithDefault(Topics.RAW_DLQ)
    String deadLetterTopic();

    /** A folder whose {@code <carrier>.json} files replace the mapping tables built into the jar. */
    Optional<Path> mappingDir();

    /**
     * The most facts taken from one raw record (MrSpeedy's orders have at most 99 points, an all24 history some 10 to
     * 30 entries); a record with more goes to the dead-letter topic as {@code too_many_facts}.
     */
    @WithDefault("200")
    int maxFactsPerRecord();

    /**
     * The largest canonical event published, in bytes as sent (key, value and headers); a record that would give a
     * larger one is parked as {@code publish_failed} before anything is sent. By default the producer's
     * {@code max.request.size} ({@code kafka-streams.producer.max.request.size}, 1 MiB): the size Kafka would refuse.
     */
    OptionalInt maxEventSize();

    /** What a fact must be to become a canonical event (docs/normalizer.md, "Validation"). */
    Validation validation();

    /**
     * How this instance watches the progress of its application id (a consumer group) on the raw partitions its
     * tasks own (lag, stuck partitions, readiness).
     */
    Consumer consumer();

    /** The state store of what each shipment published (docs/normalizer.md, "State store"). */
    Store store();

    /** Re-normalization: replaying the raw topic through the current mapping tables. */
    Renormalize renormalize();

    interface Validation {

        /** The earliest event time accepted: no carrier Trackline reads has data from before 2000. */
        @WithDefault("2000-01-01T00:00:00Z")
        Instant earliest();

        /** How far after now an event time may lie (clock skew, time zones mistaken by a carrier): one year. */
        @WithDefault("P365D")
        Duration latestAhead();

        /** The longest identifier (reference, references, raw code, account, raw time) accepted, in characters. */
        @WithDefault("256")
        int maxIdentifierLength();

        /** Free text (raw text, location fields) longer than this is cut, in characters. */
        @WithDefault("1000")
        int maxTextLength();
    }

    interface Consumer {

        /** A partition with records waiting whose committed offset has not moved for this long is stuck. */
        @WithDefault("60s")
        Duration stuckAfter();

        /** How often the committed and end offsets of the owned raw partitions are read. */
        @WithDefault("5s")
        Duration progressInterval();

        /** How long one broker round trip of that reading may take. */
        @WithDefault("5s")
        Duration progressTimeout();
    }

    interface Store {

        /**
         * The most fact ids kept per shipment (and codes per carrier field); beyond it the oldest by event time go. A
         * MrSpeedy order has at most some 100 facts, an all24 history 10 to 30.
         */
        @WithDefault("1000")
        int maxFactsPerShipment();

        /**
         * How long a shipment whose last published status is final stays in the store; then it is removed, and a
         * fact of it that comes again after that is published again (same event id).
         */
        @WithDefault("P30D")
        Duration finalRetention();

        /** How often the store is swept for shipments final for longer than {@link #finalRetention()}. */
        @WithDefault("PT1H")
        Duration sweepInterval();
    }

    interface Renormalize {

        /**
         * When set, this instance is a re-normalization run (with an application id of its own): partitions of the raw
         * topic without a committed offset of that application id start at the first record at or after this instant, events whose status or reason
         * changed are published again under the same id, and the instance stops once it has read up to the end
         * offsets it found when it started.
         */
        Optional<Instant> from();

        /** Stop the application when the run has caught up (off in tests). */
        @WithDefault("true")
        boolean exitWhenDone();
    }
}
