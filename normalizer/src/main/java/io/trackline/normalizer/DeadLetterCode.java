package io.trackline.normalizer;

import java.util.Locale;

/**
 * Why a raw record was sent to {@code trackline.raw.dlq.v1}: the {@code dead-letter-code} header and the
 * {@code reason} tag of {@code trackline_normalizer_raw_dead_lettered_total}. Stable names, documented in
 * docs/normalizer.md; a new failure gets a new code rather than a new meaning for an old one.
 */
public enum DeadLetterCode {

    /** The record value is not a Trackline raw envelope (not UTF-8 JSON text, no carrier, no payload). */
    INVALID_ENVELOPE,
    /** The payload is not the carrier's format (not JSON, a required field missing, an invalid order code). */
    UNPARSEABLE_PAYLOAD,
    /** A time text of the carrier that is no date and time at all. */
    INVALID_TIME,
    /**
     * A fact's time (or a time of the payload written as a date and time whose value cannot be held, such as second
     * 60, an offset beyond ±18:00 or a year beyond ±999999999) outside the validation window.
     */
    EVENT_TIME_OUT_OF_RANGE,
    /** An identifier (reference, raw code, account, references, raw time) with control characters, an unpaired
     * surrogate or over the length cap. */
    INVALID_TEXT,
    /** More facts in one raw record than {@code trackline.normalizer.max-facts-per-record}. */
    TOO_MANY_FACTS,
    /** Any other failure while normalizing the record: a parser or mapping bug. */
    NORMALIZATION_FAILED,
    /** Kafka refused one of its events for good (too large, not serializable, invalid topic or record). */
    PUBLISH_FAILED;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The stable code, lower case with underscores. */
    public String code() {
        return code;
    }
}
