package io.trackline.store.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorCommonConfiguration;
import io.smallrye.reactive.messaging.providers.impl.ConnectorConfig;
import io.trackline.store.StoreKafkaResource;
import io.trackline.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The Kafka defaults as the running status-store sees them: tracing off on its channel from kafka-support's shared
 * file (none of status-store's own settings says so), and lz4 on its native codec (the service's parent-first line).
 */
@QuarkusTest
@WithTestResource(StoreKafkaResource.class)
@WithTestResource(PostgresTestResource.class)
class KafkaDefaultsIT {

    @Inject
    Config config;

    @Test
    void tracingIsOffOnTheEventsChannelThroughKafkaSupportsDefaults() {
        ConfigValue shared = config.getConfigValue("mp.messaging.connector.smallrye-kafka.tracing-enabled");
        assertThat(shared.getValue()).isEqualTo("false");
        assertThat(shared.getSourceName()).contains("kafka-support").contains("microprofile-config.properties");
        // The channel's configuration as the connector builds it: the channel's own keys, then the connector's.
        Config channel =
                new ConnectorConfig("mp.messaging.incoming.", config, "smallrye-kafka", EventConsumer.EVENTS_IN) {};
        assertThat(new KafkaConnectorCommonConfiguration(channel).getTracingEnabled())
                .isFalse();
    }

    @Test
    void lz4RunsOnItsNativeCodec() throws Exception {
        // Looked up as Kafka's own lz4 stream classes look it up.
        Class<?> factory = Class.forName("net.jpountz.lz4.LZ4Factory", true, KafkaProducer.class.getClassLoader());
        assertThat(factory.getClassLoader()).isSameAs(ClassLoader.getSystemClassLoader());
        assertThat(factory.getMethod("fastestInstance").invoke(null)).hasToString("LZ4Factory:JNI");
    }
}
