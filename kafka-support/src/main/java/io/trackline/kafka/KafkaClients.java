package io.trackline.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings cleaned in one place: from the service's {@code kafka.*} settings (SmallRye's
 * {@code default-kafka-broker} map) and a prefix of its own, only the keys the client knows, so a client never warns
 * about, or trips over, another client's settings.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** The entries of {@code settings} whose names {@code configNames} knows (e.g. {@link ProducerConfig#configNames()}). */
    public static Map<String, Object> only(Map<String, ?> settings, Set<String> configNames) {
        Map<String, Object> kept = new HashMap<>();
        settings.forEach((name, value) -> {
            if (configNames.contains(name)) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    public static Map<String, Object> producerSettings(Map<String, ?> settings) {
        return only(settings, ProducerConfig.configNames());
    }

    public static Map<String, Object> consumerSettings(Map<String, ?> settings) {
        return only(settings, ConsumerConfig.configNames());
    }

    /** An admin client on the service's brokers, with request and API timeouts of {@code timeoutMs}. */
    public static Admin admin(Map<String, ?> kafka, String clientId, int timeoutMs) {
        Map<String, Object> admin = only(kafka, AdminClientConfig.configNames());
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return Admin.create(admin);
    }
}
