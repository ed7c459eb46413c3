package io.trackline.pollers.repository;

import io.trackline.events.Carrier;
import java.time.OffsetDateTime;

/**
 * One row of {@code pollers.subscription}: a subscription as the record at ({@code partition}, {@code offset}) of
 * {@code trackline.subscriptions.v1} states it, or its end ({@code deletedAt}) by a tombstone there.
 */
public record SubscriptionRow(
        String shipmentId,
        Carrier carrier,
        String account,
        String reference,
        String customerId,
        OffsetDateTime subscribedAt,
        OffsetDateTime deletedAt,
        int partition,
        long offset) {}
