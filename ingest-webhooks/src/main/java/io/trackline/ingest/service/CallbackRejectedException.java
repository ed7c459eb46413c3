package io.trackline.ingest.service;

/** A callback Trackline will not accept; {@link Reason} decides the HTTP answer. */
public class CallbackRejectedException extends RuntimeException {

    /** Why a callback was rejected: the stable error code of the JSON answer and the metric tag. */
    public enum Reason {
        MISSING_SIGNATURE(401, "missing_signature"),
        INVALID_SIGNATURE(401, "invalid_signature"),
        UNKNOWN_ACCOUNT(404, "unknown_account"),
        PAYLOAD_TOO_LARGE(413, "payload_too_large"),
        INVALID_JSON(400, "invalid_json"),
        MISSING_ORDER_ID(400, "missing_order_id"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
        UNAVAILABLE(503, "unavailable");

        private final int status;
        private final String code;

        Reason(int status, String code) {
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public CallbackRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
