package io.trackline.ingest.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperSerializer;
import io.trackline.events.RawEnvelope;
import io.trackline.events.TracklineJson;

/** JSON value serializer of {@code trackline.raw.v1}, with Trackline's JSON settings. */
public class RawEnvelopeSerializer extends ObjectMapperSerializer<RawEnvelope> {

    public RawEnvelopeSerializer() {
        super(TracklineJson.mapper());
    }
}
