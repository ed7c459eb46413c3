package io.trackline.pollers.service;

import io.trackline.events.Subscription;
import java.util.concurrent.CompletionStage;

/**
 * Where subscriptions are kept: the compacted topic {@code trackline.subscriptions.v1}, keyed by shipment id. Each
 * stage completes when Kafka acknowledged the record (all in-sync replicas), with the record's position.
 */
public interface SubscriptionLog {

    /** The record's position on the topic. */
    record Position(int partition, long offset) {}

    CompletionStage<Position> publish(Subscription subscription);

    /** A tombstone: the subscription of {@code shipmentId} ends. */
    CompletionStage<Position> end(String shipmentId);
}
