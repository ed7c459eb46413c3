package io.trackline.ingest.service;

import io.smallrye.mutiny.Uni;
import io.trackline.events.RawEnvelope;

/**
 * Where a verified callback goes: the raw topic. The service's own view of what it needs from messaging (implemented
 * by {@code messaging.RawPublisher}), so that messaging depends on the service and never the other way round.
 */
public interface RawTopic {

    /** Completes once Kafka has acknowledged the envelope; fails if it was not stored. */
    Uni<Void> publish(RawEnvelope envelope);
}
