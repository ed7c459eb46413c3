package io.trackline.http;

import io.vertx.core.json.JsonObject;

/**
 * An answer the edge gives instead of routing a request: a status, Trackline's stable error code and a message for
 * people, written as {@code {"code", "message"}}.
 *
 * @param close whether the connection is closed after the answer: when the request's framing cannot be trusted,
 *              whatever follows on the connection could be read as a request the client never meant
 */
public record Refusal(int status, String code, String message, boolean close) {

    static Refusal invalid(String message) {
        return new Refusal(400, "invalid_request", message, false);
    }

    /** A request whose body length cannot be known: answered, and the connection closed. */
    static Refusal badFraming(String message) {
        return new Refusal(400, "invalid_request", message, true);
    }

    /** The JSON body of the answer. */
    public String json() {
        return new JsonObject().put("code", code).put("message", message).encode();
    }
}
