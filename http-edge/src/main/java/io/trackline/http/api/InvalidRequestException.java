package io.trackline.http.api;

/** A query parameter or path segment an API cannot use (400 {@code invalid_request}); the message says which and why. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
