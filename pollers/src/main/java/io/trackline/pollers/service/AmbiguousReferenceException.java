package io.trackline.pollers.service;

/** The reference is subscribed in several accounts; the caller must say which account. */
public class AmbiguousReferenceException extends RuntimeException {

    public AmbiguousReferenceException(String message) {
        super(message, null, false, false);
    }
}
