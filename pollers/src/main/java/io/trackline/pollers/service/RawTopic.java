package io.trackline.pollers.service;

import io.trackline.events.RawEnvelope;
import java.util.concurrent.CompletionStage;

/** Where polled carrier answers go: {@code trackline.raw.v1}. Completes when Kafka acknowledged the record. */
public interface RawTopic {

    CompletionStage<Void> publish(RawEnvelope envelope);
}
