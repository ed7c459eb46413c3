package io.trackline.pollers.service;

/** No active subscription of that carrier, reference (and account). */
public class SubscriptionNotFoundException extends RuntimeException {

    public SubscriptionNotFoundException(String message) {
        super(message, null, false, false);
    }
}
