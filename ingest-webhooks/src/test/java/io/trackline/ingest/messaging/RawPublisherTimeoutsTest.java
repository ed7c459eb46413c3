package io.trackline.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawPublisherTimeoutsTest {

    @Test
    void theProducerReportsFailureWithinThePublishTimeout() {
        Map<String, String> settings = RawPublisher.timeouts(
                Map.of("max.block.ms", "250", "linger.ms", "1", "request.timeout.ms", "10000", "acks", "all"),
                Duration.ofSeconds(5));
        assertThat(settings)
                .containsEntry("delivery.timeout.ms", "4750")
                .containsEntry("request.timeout.ms", "4749")
                .containsEntry("acks", "all");
    }

    @Test
    void aShorterRequestTimeoutIsKept() {
        Map<String, String> settings = RawPublisher.timeouts(
                Map.of("max.block.ms", "250", "linger.ms", "1", "request.timeout.ms", "1000"), Duration.ofSeconds(5));
        assertThat(settings).containsEntry("request.timeout.ms", "1000");
    }

    @Test
    void deliveryTimeoutIsNotSetBesideThePublishTimeout() {
        assertThatThrownBy(() -> RawPublisher.timeouts(Map.of("delivery.timeout.ms", "30000"), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trackline.webhooks.publish-timeout");
    }

    @Test
    void aPublishTimeoutWithinMaxBlockIsRefused() {
        assertThatThrownBy(() ->
                        RawPublisher.timeouts(Map.of("max.block.ms", "250", "linger.ms", "1"), Duration.ofMillis(250)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
