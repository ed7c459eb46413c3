package io.trackline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerTimeoutsTest {

    private static final String PREFIX = "trackline.kafka.raw-producer.";
    private static final String TIMEOUT = "trackline.example.publish-timeout";

    @Test
    void theProducerReportsFailureWithinThePublishTimeout() {
        Map<String, String> settings = ProducerTimeouts.within(
                Map.of("max.block.ms", "250", "linger.ms", "1", "request.timeout.ms", "10000", "acks", "all"),
                Duration.ofSeconds(5),
                PREFIX,
                TIMEOUT);
        assertThat(settings)
                .containsEntry("delivery.timeout.ms", "4750")
                .containsEntry("request.timeout.ms", "4749")
                .containsEntry("acks", "all");
    }

    @Test
    void aShorterRequestTimeoutIsKept() {
        Map<String, String> settings = ProducerTimeouts.within(
                Map.of("max.block.ms", "250", "linger.ms", "1", "request.timeout.ms", "1000"),
                Duration.ofSeconds(5),
                PREFIX,
                TIMEOUT);
        assertThat(settings).containsEntry("request.timeout.ms", "1000");
    }

    @Test
    void deliveryTimeoutIsNotSetBesideThePublishTimeout() {
        assertThatThrownBy(() -> ProducerTimeouts.within(
                        Map.of("delivery.timeout.ms", "30000"), Duration.ofSeconds(5), PREFIX, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PREFIX + "delivery.timeout.ms")
                .hasMessageContaining(TIMEOUT);
    }

    @Test
    void aPublishTimeoutWithinMaxBlockIsRefused() {
        assertThatThrownBy(() -> ProducerTimeouts.within(
                        Map.of("max.block.ms", "250", "linger.ms", "1"), Duration.ofMillis(250), PREFIX, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TIMEOUT);
    }
}
