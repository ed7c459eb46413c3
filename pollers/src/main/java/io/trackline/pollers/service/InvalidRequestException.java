package io.trackline.pollers.service;

/** A query parameter or path segment the API cannot use; the message says which and why. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
