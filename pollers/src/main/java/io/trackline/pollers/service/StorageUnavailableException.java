package io.trackline.pollers.service;

/** PostgreSQL could not be reached or is overloaded: nothing was stored; the same write may be tried again. */
public class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
