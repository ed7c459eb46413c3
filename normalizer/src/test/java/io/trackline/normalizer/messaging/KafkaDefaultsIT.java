package io.trackline.normalizer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorCommonConfiguration;
import io.smallrye.reactive.messaging.providers.impl.ConnectorConfig;
import io.trackline.testsupport.KafkaTestResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The Kafka defaults as the running normalizer sees them: tracing off on both channels from kafka-support's shared
 * file (none of the normalizer's own settings says so), and lz4 on its native codec (the service's parent-first line).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class KafkaDefaultsIT {

    @Inject
    Config config;

    @Test
    void tracingIsOffOnEveryChannelThroughKafkaSupportsDefaults() {
        ConfigValue shared = config.getConfigValue("mp.messaging.connector.smallrye-kafka.tracing-enabled");
        assertThat(shared.getValue()).isEqualTo("false");
        assertThat(shared.getSourceName()).contains("kafka-support").contains("microprofile-config.properties");
        // Each channel's configuration as the connector builds it: the channel's own keys, then the connector's.
        assertThat(tracing("mp.messaging.incoming.", RawEventProcessor.RAW_IN)).isFalse();
        assertThat(tracing("mp.messaging.outgoing.", RawEventProcessor.DLQ_OUT)).isFalse();
    }

    @Test
    void lz4RunsOnItsNativeCodec() throws Exception {
        // Looked up as Kafka's own lz4 stream classes look it up.
        Class<?> factory = Class.forName("net.jpountz.lz4.LZ4Factory", true, KafkaProducer.class.getClassLoader());
        assertThat(factory.getClassLoader()).isSameAs(ClassLoader.getSystemClassLoader());
        assertThat(factory.getMethod("fastestInstance").invoke(null)).hasToString("LZ4Factory:JNI");
    }

    private boolean tracing(String prefix, String channel) {
        Config channelConfig = new ConnectorConfig(prefix, config, "smallrye-kafka", channel) {};
        return new KafkaConnectorCommonConfiguration(channelConfig).getTracingEnabled();
    }
}
