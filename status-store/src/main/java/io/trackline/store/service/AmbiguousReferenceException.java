package io.trackline.store.service;

/** The reference names shipments of several accounts; the caller must say which account. */
public class AmbiguousReferenceException extends RuntimeException {

    public AmbiguousReferenceException(String message) {
        super(message, null, false, false);
    }
}
