package io.trackline.pollers.carrier;

/**
 * The account's quota had no token for the next attempt: nothing was sent. The carrier clients' {@code @Retry}
 * aborts on it, so a retry never goes past the budget.
 */
public class NoTokenException extends RuntimeException {

    public NoTokenException() {
        super("no quota token for this attempt", null, false, false);
    }
}
