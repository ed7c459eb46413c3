package io.trackline.normalizer.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperSerializer;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.TracklineJson;

/** JSON value serializer of {@code trackline.events.v1} (the CloudEvent's data). */
public class CanonicalEventSerializer extends ObjectMapperSerializer<CanonicalEvent> {

    public CanonicalEventSerializer() {
        super(TracklineJson.mapper());
    }
}
