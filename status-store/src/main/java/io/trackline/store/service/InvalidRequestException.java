package io.trackline.store.service;

/** A query parameter the API cannot use; the message says which and why. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
