package io.trackline.normalizer.messaging;

import static io.trackline.normalizer.messaging.NormalizerIT.WAIT;
import static io.trackline.normalizer.messaging.NormalizerIT.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import io.trackline.events.TracklineJson;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.service.Normalizer.Normalized;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.TestInfra;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The re-normalization command of docs/normalizer.md: an instance started with
 * {@code trackline.normalizer.renormalize.from} and a new all24 table (300000 now means DELIVERED, version
 * {@value #VERSION}) replays the raw topic from that instant. Before it starts, the raw topic holds one all24 poll from
 * before the instant and one from after it, and the events topic holds what the old table made of both.
 *
 * <p>On topics of its own ({@code renorm.*}) of the shared broker, so the corrections it publishes under existing event
 * ids do not meet the other tests' "no id twice" checks.
 */
@QuarkusTest
@TestProfile(NormalizerRenormalizeIT.Run.class)
@QuarkusTestResource(KafkaTestResource.class)
class NormalizerRenormalizeIT {

    static final String VERSION = "all24-renormalize-test";
    static final String RAW = "renorm.raw.v1";
    static final String EVENTS = "renorm.events.v1";
    // Kept in system properties: the profile and the test class may be loaded by different class loaders.
    static final String RUN = (String) System.getProperties()
            .computeIfAbsent(
                    "trackline.test.renormalize.run",
                    k -> unique("") + "-"
                            + Instant.now().minus(Duration.ofHours(1)).toEpochMilli());
    static final Instant FROM = Instant.ofEpochMilli(Long.parseLong(RUN.substring(RUN.indexOf('-') + 1)));
    static final String BEFORE = "RB" + RUN.substring(0, RUN.indexOf('-'));
    static final String AFTER = "RA" + RUN.substring(0, RUN.indexOf('-'));
    static final String NEVER_PUBLISHED = "RN" + RUN.substring(0, RUN.indexOf('-'));

    @Inject
    RenormalizeProgress progress;

    public static class Run implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path mappings = prepare();
            return Map.of(
                    "trackline.normalizer.mapping-dir",
                    mappings.toString(),
                    "trackline.normalizer.renormalize.from",
                    FROM.toString(),
                    "trackline.normalizer.renormalize.exit-when-done",
                    "false",
                    "trackline.normalizer.raw-topic",
                    RAW,
                    "quarkus.kafka-streams.application-id",
                    "trackline-renormalize-" + UUID.randomUUID(),
                    "trackline.normalizer.events-topic",
                    EVENTS,
                    "trackline.normalizer.dead-letter-topic",
                    "renorm.dlq.v1");
        }
    }

    /** The new table, and the raw and events topics as the old table left them. Runs before the application. */
    static synchronized Path prepare() {
        String prepared = System.getProperty("trackline.test.renormalize.mappings");
        if (prepared != null) {
            return Path.of(prepared);
        }
        try {
            String bootstrap = TestInfra.kafka().bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                if (!admin.listTopics().names().get().contains(RAW)) {
                    admin.createTopics(List.of(
                                    new NewTopic(RAW, TestInfra.PARTITIONS, (short) 1),
                                    new NewTopic(EVENTS, TestInfra.PARTITIONS, (short) 1),
                                    new NewTopic("renorm.dlq.v1", 1, (short) 1)))
                            .all()
                            .get();
                }
            }
            Path dir = Files.createTempDirectory("trackline-mappings");
            ObjectNode table;
            try (InputStream in = NormalizerRenormalizeIT.class.getResourceAsStream("/mappings/all24.json")) {
                table = (ObjectNode) TracklineJson.mapper().readTree(in);
            }
            table.put("version", VERSION);
            for (JsonNode row : table.get("mappings")) {
                if (row.get("code").asText().equals("300000")) {
                    ((ObjectNode) row).put("status", "DELIVERED");
                }
            }
            Files.writeString(dir.resolve("all24.json"), TracklineJson.mapper().writeValueAsString(table));

            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", ByteArraySerializer.class.getName());
            p.put("acks", "all");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
                Instant now = Instant.now();
                publishAsTheOldTableDid(producer, poll(BEFORE), now.minus(Duration.ofHours(2)), true);
                publishAsTheOldTableDid(producer, poll(AFTER), now.minus(Duration.ofMinutes(30)), true);
                publishAsTheOldTableDid(producer, poll(NEVER_PUBLISHED), now.minus(Duration.ofMinutes(20)), false);
            }
            System.setProperty("trackline.test.renormalize.mappings", dir.toString());
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare the re-normalization test", e);
        }
    }

    static RawEnvelope poll(String number) {
        return Samples.envelope(
                Carrier.ALL24,
                Source.POLL,
                number,
                Samples.text(Samples.ALL24_EXAMPLE).replace("HSBY37H7", number));
    }

    /**
     * The raw record at {@code at}, and (if {@code published}) the old table's events on the same partition. What
     * the old table published was received before binary mode: a version 2 JSON envelope, so the re-normalization
     * replays old data; what it never published is a binary-mode record.
     */
    static void publishAsTheOldTableDid(
            KafkaProducer<String, byte[]> producer, RawEnvelope envelope, Instant at, boolean published)
            throws Exception {
        ProducerRecord<String, byte[]> binary = RawRecords.record(RAW, envelope);
        RecordMetadata raw = producer.send(
                        published
                                ? new ProducerRecord<>(
                                        RAW, null, at.toEpochMilli(), envelope.key(), OldRawValues.versionTwo(envelope))
                                : new ProducerRecord<>(
                                        RAW, null, at.toEpochMilli(), binary.key(), binary.value(), binary.headers()))
                .get();
        if (!published) {
            return;
        }
        List<Normalized> old =
                Samples.normalizer(Samples.metrics(new SimpleMeterRegistry())).normalize(envelope);
        for (Normalized n : old) {
            CanonicalEvent event = n.event();
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    EVENTS,
                    raw.partition(),
                    event.shipmentId(),
                    TracklineJson.mapper().writeValueAsBytes(event));
            record.headers().add("ce_id", event.eventId().getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }

    static List<JsonNode> events(String number) {
        return KafkaTestClients.readAll(EVENTS).stream()
                .filter(r -> r.key().equals("all24:demo:" + number))
                .map(NormalizerRenormalizeIT::json)
                .toList();
    }

    static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return TracklineJson.mapper().readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void replaysFromTheInstantAndRepublishesOnlyWhatTheNewTableChanges() {
        await().atMost(WAIT).until(progress::done);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events(NEVER_PUBLISHED)).hasSize(5));

        // after the instant: the old five events, then the one correction, under the id it had
        List<JsonNode> after = events(AFTER);
        assertThat(after).hasSize(6);
        JsonNode oldArrival = after.stream()
                .filter(e -> e.get("rawCode").asText().equals("300000"))
                .findFirst()
                .orElseThrow();
        JsonNode correction = after.get(5);
        assertThat(correction.get("eventId").asText())
                .isEqualTo(oldArrival.get("eventId").asText());
        assertThat(oldArrival.get("status").asText()).isEqualTo("OUT_FOR_DELIVERY");
        assertThat(correction.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(correction.get("mappingVersion").asText()).isEqualTo(VERSION);

        // before the instant: not replayed
        assertThat(events(BEFORE))
                .hasSize(5)
                .allSatisfy(e -> assertThat(e.get("mappingVersion").asText()).isEqualTo("all24-1"));
        // never published before: every fact, through the new table
        assertThat(events(NEVER_PUBLISHED))
                .allSatisfy(e -> assertThat(e.get("mappingVersion").asText()).isEqualTo(VERSION));
    }
}
