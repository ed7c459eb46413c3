package io.trackline.sim.load;

import java.time.Instant;

/**
 * One carrier fact as it must appear in a shipment's timeline: the raw field and code the normalizer names it by
 * ({@code order.status} with the status, {@code point.courier_visit} with {@code pickup}/{@code stop}/{@code dropoff})
 * and the instant it happened. A canonical event carries these as {@code rawField}, {@code rawCode} and
 * {@code occurredAt}; two events of one fact in one timeline are a duplicate.
 */
public record Fact(String field, String code, Instant at) {

    public static final String STATUS = "order.status";
    public static final String VISIT = "point.courier_visit";
}
