package io.trackline.normalizer.carrier;

/** The payload cannot be read as the carrier's format; the record goes to the dead-letter topic with this reason. */
public class UnparseableException extends Exception {

    public UnparseableException(String message) {
        super(message);
    }

    public UnparseableException(String message, Throwable cause) {
        super(message, cause);
    }
}
