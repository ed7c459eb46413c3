package io.trackline.pollers.carrier;

/**
 * A failure worth another attempt: a 5xx answer, an I/O error or a timeout, a carrier-side exception it reports as
 * such (247Express {@code EXCEPTION}, MrSpeedy {@code service_unavailable}). The carrier clients' {@code @Retry}
 * retries on this type only. Its message is built by the client from the status or error code and never holds a
 * URI, a header or a credential.
 */
public class RetryableCarrierFailure extends RuntimeException {

    private final String detail;

    public RetryableCarrierFailure(String detail) {
        super(detail, null, false, false);
        this.detail = detail;
    }

    /** Low-cardinality reason: {@code http_503}, {@code io}, {@code EXCEPTION}. */
    public String detail() {
        return detail;
    }
}
