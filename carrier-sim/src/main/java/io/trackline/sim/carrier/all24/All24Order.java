package io.trackline.sim.carrier.all24;

import java.time.Instant;

/** What all24 knows of an order besides its history. */
public record All24Order(
        String trackingNumber,
        String thirdPartyNumber,
        String customerId,
        String orderRefId,
        Instant originOrderDate,
        Instant expectedCompletion,
        All24Place sender,
        All24Place recipient) {}
