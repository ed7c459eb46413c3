package io.trackline.store.service;

import java.util.List;

/**
 * Why one record can never be stored: a failure that retrying will not fix. The consumer parks the record on the
 * dead-letter topic with {@link #code()} as {@code dead-letter-code} and the message as {@code dead-letter-reason}.
 * Messages name the field and the rule, never the record's content.
 */
public class UnstorableEventException extends RuntimeException {

    /** Not JSON, or JSON that is no canonical event (a required field missing, an unknown status). */
    public static final String UNREADABLE = "unreadable";
    /** Larger than an event may be, or an identifier longer than the database indexes hold. */
    public static final String TOO_LARGE = "too_large";
    /** A time outside the years 0001–9999. */
    public static final String EVENT_TIME_OUT_OF_RANGE = "event_time_out_of_range";
    /** Text with U+0000 or an unpaired surrogate, which PostgreSQL cannot hold. */
    public static final String INVALID_TEXT = "invalid_text";
    /** PostgreSQL refused the record for what it contains (SQLSTATE class 22, 23 or 54); the reason names it. */
    public static final String REJECTED_BY_DATABASE = "rejected_by_database";
    /** The store's own code failed on the record while building its statements (e.g. a status rule). */
    public static final String UNPROCESSABLE = "unprocessable";

    /** Every code, so that a counter per code can exist before the first dead letter. */
    public static final List<String> CODES =
            List.of(UNREADABLE, TOO_LARGE, EVENT_TIME_OUT_OF_RANGE, INVALID_TEXT, REJECTED_BY_DATABASE, UNPROCESSABLE);

    private final String code;

    public UnstorableEventException(String code, String message) {
        this(code, message, null);
    }

    public UnstorableEventException(String code, String message, Throwable cause) {
        // no stack trace: this is a verdict on a record, not a defect, and poison may come in bulk
        super(message, cause, false, false);
        this.code = code;
    }

    /** A stable, low-cardinality reason code (the {@code reason} tag of the dead-letter counter). */
    public String code() {
        return code;
    }
}
