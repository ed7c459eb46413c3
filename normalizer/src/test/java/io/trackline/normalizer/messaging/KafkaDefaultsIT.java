package io.trackline.normalizer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trackline.testsupport.KafkaTestResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The Kafka defaults as the running normalizer sees them: kafka-support's shared file is read (the service has no
 * SmallRye Kafka channel left, so tracing of channels does not apply; Kafka Streams has no tracing of its own here),
 * the application runs exactly once with lz4 on its producer, and lz4 runs on its native codec (the service's
 * parent-first line).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class KafkaDefaultsIT {

    @Inject
    Config config;

    @Test
    void kafkaSupportsSharedDefaultsAreReadAndTheApplicationRunsExactlyOnceWithLz4() {
        ConfigValue shared = config.getConfigValue("mp.messaging.connector.smallrye-kafka.tracing-enabled");
        assertThat(shared.getValue()).isEqualTo("false");
        assertThat(shared.getSourceName()).contains("kafka-support").contains("microprofile-config.properties");
        assertThat(config.getValue("kafka-streams.processing.guarantee", String.class))
                .isEqualTo("exactly_once_v2");
        assertThat(config.getValue("kafka-streams.producer.compression.type", String.class))
                .isEqualTo("lz4");
        assertThat(config.getValue("quarkus.kafka-streams.application-id", String.class))
                .isEqualTo("trackline-normalizer");
    }

    @Test
    void lz4RunsOnItsNativeCodec() throws Exception {
        // Looked up as Kafka's own lz4 stream classes look it up.
        Class<?> factory = Class.forName("net.jpountz.lz4.LZ4Factory", true, KafkaProducer.class.getClassLoader());
        assertThat(factory.getClassLoader()).isSameAs(ClassLoader.getSystemClassLoader());
        assertThat(factory.getMethod("fastestInstance").invoke(null)).hasToString("LZ4Factory:JNI");
    }
}
