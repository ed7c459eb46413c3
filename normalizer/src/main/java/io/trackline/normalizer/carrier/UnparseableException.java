package io.trackline.normalizer.carrier;

import io.trackline.normalizer.DeadLetterCode;

/**
 * The raw record cannot become canonical events: it goes to the dead-letter topic with {@link #code()} and this
 * message as its reason. Without a code it is {@link DeadLetterCode#UNPARSEABLE_PAYLOAD}: the payload is not the
 * carrier's format. Messages quote carrier values only through {@link Quoted}, so they stay short.
 */
public class UnparseableException extends Exception {

    private final DeadLetterCode code;

    public UnparseableException(String message) {
        this(DeadLetterCode.UNPARSEABLE_PAYLOAD, message);
    }

    public UnparseableException(String message, Throwable cause) {
        this(DeadLetterCode.UNPARSEABLE_PAYLOAD, message, cause);
    }

    public UnparseableException(DeadLetterCode code, String message) {
        super(message);
        this.code = code;
    }

    public UnparseableException(DeadLetterCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public DeadLetterCode code() {
        return code;
    }
}
