package io.trackline.pollers.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.trackline.events.Topics;
import java.time.Duration;

/**
 * The subscriptions API and the pollers' consumers ({@code trackline.pollers.subscriptions.*}). The Kafka clients'
 * own settings are under {@code trackline.kafka.subscriptions-producer.*}, {@code .subscriptions-consumer.*} and
 * {@code .events-consumer.*} (kafka-support's {@code KafkaClients}).
 */
@ConfigMapping(prefix = "trackline.pollers.subscriptions")
public interface SubscriptionsConfig {

    /** The compacted topic of subscriptions. */
    @WithDefault(Topics.SUBSCRIPTIONS)
    String topic();

    /** The longest a POST or DELETE waits for Kafka's acknowledgement before answering 503. */
    @WithDefault("15s")
    Duration publishTimeout();

    /** Page sizes of GET /api/v1/subscriptions. */
    Pages pages();

    /** Whether this instance runs the subscriptions consumer (its share of the polling) and the events listener. */
    @WithDefault("true")
    boolean consume();

    interface Pages {
        @WithDefault("50")
        int defaultSize();

        @WithDefault("500")
        int maxSize();
    }
}
