package io.trackline.kafka;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.microprofile.config.Config;

/**
 * The one place where a service's plain Kafka clients get their settings, so that no service filters them its own
 * way. A client's settings are, in this order:
 * <ol>
 * <li>the service's {@code kafka.*} settings (SmallRye's {@code default-kafka-broker} map: bootstrap servers,
 * security), of which only the names the client knows are kept ({@link ProducerConfig#configNames()},
 * {@link ConsumerConfig#configNames()}, {@link AdminClientConfig#configNames()}): that map also holds settings of
 * other clients, which this client would warn about or trip over;</li>
 * <li>the client's own settings, under a prefix of its own (e.g. {@code trackline.kafka.raw-producer.}), read by
 * {@link #prefixed}; each must be a name the client knows, so that a misspelt setting stops the service at startup
 * instead of being ignored;</li>
 * <li>a {@code client.id} the caller chooses, where neither names one.</li>
 * </ol>
 * The same rule as SmallRye's connector applies to its own clients ({@code ConfigurationCleaner}).
 */
public final class KafkaClients {

    private KafkaClients() {}

    /**
     * The settings under {@code prefix}, with the prefix removed: {@code trackline.kafka.raw-producer.acks=all} is
     * {@code acks=all} for the prefix {@code trackline.kafka.raw-producer.}.
     */
    public static Map<String, String> prefixed(Config config, String prefix) {
        Map<String, String> settings = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> settings.put(name.substring(prefix.length()), value));
            }
        }
        return settings;
    }

    /**
     * A client's settings: the entries of {@code kafka} whose names {@code configNames} knows, then every entry of
     * {@code own} over them.
     *
     * @throws IllegalArgumentException if {@code own} names a setting that {@code configNames} does not know
     */
    public static Map<String, Object> settings(Set<String> configNames, Map<String, ?> kafka, Map<String, ?> own) {
        Set<String> unknown = new TreeSet<>(own.keySet());
        unknown.removeAll(configNames);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("not settings of this Kafka client: " + unknown);
        }
        Map<String, Object> settings = only(kafka, configNames);
        settings.putAll(own);
        return settings;
    }

    /** The entries of {@code settings} whose names {@code configNames} holds (e.g. the producer's). */
    public static Map<String, Object> only(Map<String, ?> settings, Set<String> configNames) {
        Map<String, Object> kept = new TreeMap<>();
        settings.forEach((name, value) -> {
            if (configNames.contains(name)) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    /** A producer's settings ({@link #settings} with {@link ProducerConfig#configNames()}). */
    public static Map<String, Object> producerSettings(Map<String, ?> kafka, Map<String, ?> own) {
        return settings(ProducerConfig.configNames(), kafka, own);
    }

    /** A consumer's settings ({@link #settings} with {@link ConsumerConfig#configNames()}). */
    public static Map<String, Object> consumerSettings(Map<String, ?> kafka, Map<String, ?> own) {
        return settings(ConsumerConfig.configNames(), kafka, own);
    }

    /** An admin client's settings ({@link #settings} with {@link AdminClientConfig#configNames()}). */
    public static Map<String, Object> adminSettings(Map<String, ?> kafka, Map<String, ?> own) {
        return settings(AdminClientConfig.configNames(), kafka, own);
    }

    /**
     * A producer on the service's brokers.
     *
     * @param own      the producer's own settings (often {@link #prefixed}), over the {@code kafka.*} ones
     * @param clientId the {@code client.id}, unless a setting names one
     */
    public static <K, V> KafkaProducer<K, V> producer(
            Map<String, ?> kafka,
            Map<String, ?> own,
            String clientId,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer) {
        Map<String, Object> settings = producerSettings(kafka, own);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(settings, keySerializer, valueSerializer);
    }

    /**
     * A consumer on the service's brokers.
     *
     * @param own      the consumer's own settings, over the {@code kafka.*} ones
     * @param clientId the {@code client.id}, unless a setting names one
     */
    public static <K, V> KafkaConsumer<K, V> consumer(
            Map<String, ?> kafka,
            Map<String, ?> own,
            String clientId,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer) {
        Map<String, Object> settings = consumerSettings(kafka, own);
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(settings, keyDeserializer, valueDeserializer);
    }

    /** An admin client on the service's brokers, with request and API timeouts of {@code timeoutMs}. */
    public static Admin admin(Map<String, ?> kafka, String clientId, int timeoutMs) {
        Map<String, Object> settings = adminSettings(
                kafka,
                Map.of(
                        AdminClientConfig.CLIENT_ID_CONFIG, clientId,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs));
        return Admin.create(settings);
    }
}
