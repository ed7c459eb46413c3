package io.trackline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** One filter for every plain client: the kafka.* settings it knows, its own prefix over them, typos refused. */
class KafkaClientsTest {

    /** What SmallRye's default-kafka-broker map holds: every kafka.* setting, whichever client it is for. */
    private static final Map<String, Object> KAFKA = Map.of(
            "bootstrap.servers", "127.0.0.1:9092",
            "security.protocol", "PLAINTEXT",
            "group.id", "shared-group",
            "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
            "acks", "1",
            "auto.offset.reset", "earliest",
            "tracing-enabled", "false");

    @Test
    void prefixedReadsTheSettingsUnderThePrefixWithoutIt() {
        Config config = config(Map.of(
                "trackline.kafka.raw-producer.acks", "all",
                "trackline.kafka.raw-producer.max.block.ms", "250",
                "trackline.kafka.raw-producerx.acks", "0",
                "trackline.kafka.raw-producer.", "ignored: no name",
                "trackline.kafka.events-producer.acks", "1"));

        assertThat(KafkaClients.prefixed(config, "trackline.kafka.raw-producer."))
                .containsExactlyInAnyOrderEntriesOf(Map.of("acks", "all", "max.block.ms", "250"));
    }

    @Test
    void aProducerKeepsOnlyProducerSettingsOfKafkaAndItsOwnWin() {
        Map<String, Object> settings = KafkaClients.producerSettings(KAFKA, Map.of("acks", "all", "linger.ms", "5"));

        assertThat(settings)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "bootstrap.servers", "127.0.0.1:9092",
                        "security.protocol", "PLAINTEXT",
                        "acks", "all",
                        "linger.ms", "5"));
    }

    @Test
    void aConsumerKeepsOnlyConsumerSettings() {
        assertThat(KafkaClients.consumerSettings(KAFKA, Map.of("max.poll.records", "5000")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "bootstrap.servers", "127.0.0.1:9092",
                        "security.protocol", "PLAINTEXT",
                        "group.id", "shared-group",
                        "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                        "auto.offset.reset", "earliest",
                        "max.poll.records", "5000"));
    }

    @Test
    void anAdminClientKeepsOnlyAdminSettings() {
        assertThat(KafkaClients.adminSettings(KAFKA, Map.of()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "bootstrap.servers", "127.0.0.1:9092",
                        "security.protocol", "PLAINTEXT"));
    }

    @Test
    void anOwnSettingTheClientDoesNotKnowIsRefusedByName() {
        assertThatThrownBy(() -> KafkaClients.producerSettings(
                        KAFKA, Map.of("ack", "all", "linger.ms", "1", "max.poll.records", "10")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[ack, max.poll.records]");
    }

    @Test
    void theClientIdIsTheCallersUnlessASettingNamesOne() {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(
                KAFKA, Map.of(), "trackline-test", new StringSerializer(), new StringSerializer())) {
            assertThat(producer.metrics().keySet())
                    .anySatisfy(name -> assertThat(name.tags()).containsEntry("client-id", "trackline-test"));
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(
                KAFKA, Map.of("client.id", "mine"), "trackline-test", new StringSerializer(), new StringSerializer())) {
            assertThat(producer.metrics().keySet())
                    .anySatisfy(name -> assertThat(name.tags()).containsEntry("client-id", "mine"));
        }
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }
}
