package io.trackline.sim;

import java.time.Instant;

/**
 * One planned change of a shipment: what its carrier will show from {@code at} (simulated) on.
 *
 * @param at simulated time of the change
 * @param field the carrier field that changes, named as the normalizer names it ({@code event_code}, {@code status},
 *        {@code delayCode}, {@code order.status}, {@code point.courier_visit})
 * @param code the carrier's code
 * @param name the carrier's text for it, where it has one
 * @param undocumented true for a code the carrier's document does not list (noise)
 * @param detail carrier-specific data its renderer needs (a location, a post office, a courier)
 */
public record Step(Instant at, String field, String code, String name, boolean undocumented, Object detail) {

    public Step {
        if (at.getNano() != 0) {
            throw new IllegalArgumentException("carrier times have whole seconds");
        }
    }
}
