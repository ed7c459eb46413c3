package io.trackline.pollers.service;

/**
 * Kafka did not acknowledge a subscription record in time: nothing is promised for the items not acknowledged.
 * Subscribing again is harmless, so the caller retries.
 */
public class SubscriptionsUnavailableException extends RuntimeException {

    public SubscriptionsUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
