package io.trackline.normalizer.carrier;

/**
 * The payload is a well-formed carrier answer that reports an error (all24 {@code response_code} 400 with
 * {@code error_codes}, 247Express {@code errorCode}): it holds no fact about the shipment. It is counted by carrier
 * and code, not dead-lettered (it is not unparseable) and not dropped (the raw topic keeps it).
 */
public class CarrierErrorResponse extends Exception {

    private final String code;

    public CarrierErrorResponse(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The carrier's error code: low cardinality, usable as a metric tag. */
    public String code() {
        return code;
    }
}
