package io.trackline.events;

/**
 * A record of {@link Topics#RAW} that {@link RawRecords#read} cannot read: neither CloudEvents binary mode with
 * Trackline's attributes nor a JSON envelope of version 1 or 2. Its message says which and never quotes the payload;
 * the normalizer parks such a record as {@code invalid_envelope}.
 */
public class InvalidRawRecordException extends Exception {

    public InvalidRawRecordException(String message) {
        super(message);
    }

    public InvalidRawRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
