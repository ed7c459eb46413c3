package io.trackline.pollers.quota;

/** PostgreSQL did not answer a quota read or write: nothing is granted until it does. */
final class QuotaUnavailableException extends RuntimeException {

    QuotaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
