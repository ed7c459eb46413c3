package io.trackline.store.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.TracklineJson;

/** Reads the data of the CloudEvents on {@code trackline.events.v1}. */
public class CanonicalEventDeserializer extends ObjectMapperDeserializer<CanonicalEvent> {

    public CanonicalEventDeserializer() {
        super(CanonicalEvent.class, TracklineJson.mapper());
    }
}
