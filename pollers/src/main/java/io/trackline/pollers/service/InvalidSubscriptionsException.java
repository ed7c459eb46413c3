package io.trackline.pollers.service;

import java.util.List;

/** A subscription request refused as a whole before anything was stored or sent: every problem, with its index. */
public class InvalidSubscriptionsException extends RuntimeException {

    private final String code;
    private final List<SubscriptionProblem> problems;

    public InvalidSubscriptionsException(String code, String message, List<SubscriptionProblem> problems) {
        super(message, null, false, false);
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    /** Trackline's stable error code: {@code invalid_subscription}, {@code too_many_subscriptions}, ... */
    public String code() {
        return code;
    }

    public List<SubscriptionProblem> problems() {
        return problems;
    }
}
