package io.trackline.normalizer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import io.trackline.kafka.DeadLetters;
import io.trackline.normalizer.DeadLetterCode;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.service.NormalizerMetrics;
import io.trackline.normalizer.service.ShipmentMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka Streams topology without a broker ({@link TopologyTestDriver}, the real RocksDB store): each fact once,
 * CloudEvents headers, dead letters with their headers, events too large for the producer parked, final shipments
 * removed by the punctuator, and a re-normalization run seeded from what the events topic holds.
 */
class NormalizerTopologyTest {

    static final Duration RETENTION = Duration.ofDays(30);

    @TempDir
    Path state;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final NormalizerMetrics metrics = Samples.metrics(registry);
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> raw;
    TestOutputTopic<byte[], byte[]> events;
    TestOutputTopic<byte[], byte[]> deadLetters;

    void start(Optional<Instant> renormalizeFrom, EventsTopicSeed seed, int maxRequestSize) {
        NormalizeProcessor.Settings settings =
                new NormalizeProcessor.Settings(1000, RETENTION, Duration.ofHours(1), renormalizeFrom, Topics.EVENTS);
        RenormalizeProgress progress = new RenormalizeProgress(renormalizeFrom.isPresent(), false);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "normalizer-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(maxRequestSize));
        driver = new TopologyTestDriver(
                NormalizerTopology.build(
                        Topics.RAW,
                        Topics.EVENTS,
                        Topics.RAW_DLQ,
                        AutoOffsetReset.earliest(),
                        () -> new NormalizeProcessor(Samples.normalizer(metrics), metrics, settings, progress, seed)),
                props,
                Instant.parse("2026-11-25T12:00:00Z"));
        raw = driver.createInputTopic(Topics.RAW, new ByteArraySerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(Topics.EVENTS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters =
                driver.createOutputTopic(Topics.RAW_DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    void start() {
        start(Optional.empty(), (c, t, p, s) -> 0, 1024 * 1024);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    void send(RawEnvelope envelope) {
        send(envelope, Instant.parse("2026-11-25T12:00:00Z"));
    }

    void send(RawEnvelope envelope, Instant timestamp) {
        ProducerRecord<String, byte[]> record = RawRecords.record(Topics.RAW, envelope);
        raw.pipeInput(new TestRecord<>(
                record.key().getBytes(StandardCharsets.UTF_8), record.value(), record.headers(), timestamp));
    }

    static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static JsonNode data(TestRecord<byte[], byte[]> record) throws Exception {
        return TracklineJson.mapper().readTree(record.value());
    }

    static List<String> codes(List<TestRecord<byte[], byte[]>> records) throws Exception {
        List<String> codes = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : records) {
            codes.add(data(r).get("rawCode").asText() + ":"
                    + data(r).get("status").asText());
        }
        return codes;
    }

    @Test
    void aRepeatedPollPublishesEachFactOnceAsACloudEvent() throws Exception {
        start();
        String payload = Samples.text(Samples.ALL24_EXAMPLE);
        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", payload));
        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", payload));

        List<TestRecord<byte[], byte[]>> published = events.readRecordsToList();
        assertThat(codes(published))
                .containsExactly(
                        "050000:INFO_RECEIVED",
                        "100000:IN_TRANSIT",
                        "200000:PICKED_UP",
                        "300000:OUT_FOR_DELIVERY",
                        "500000:DELIVERED");
        TestRecord<byte[], byte[]> first = published.get(0);
        JsonNode event = data(first);
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("all24:demo:HSBY37H7");
        assertThat(header(first.headers(), "ce_specversion")).isEqualTo("1.0");
        assertThat(header(first.headers(), "ce_id"))
                .isEqualTo(event.get("eventId").asText());
        assertThat(header(first.headers(), "ce_type")).isEqualTo(CanonicalEvent.CLOUD_EVENT_TYPE);
        assertThat(header(first.headers(), "ce_source")).isEqualTo("/trackline/normalizer");
        assertThat(header(first.headers(), "ce_subject")).isEqualTo("all24:demo:HSBY37H7");
        assertThat(header(first.headers(), "content-type")).isEqualTo("application/json");
        assertThat(header(first.headers(), "ce_mappingversion"))
                .isEqualTo(event.get("mappingVersion").asText());
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(registry.get("trackline.normalizer.events.duplicate")
                        .tag("carrier", "all24")
                        .counter()
                        .count())
                .isEqualTo(5);

        KeyValueStore<String, ShipmentMemory> store = driver.getKeyValueStore(NormalizerTopology.STORE);
        ShipmentMemory memory = store.get("all24:demo:HSBY37H7");
        assertThat(memory.facts()).hasSize(5);
        assertThat(memory.finalSince()).as("DELIVERED is final").isNotEqualTo(ShipmentMemory.NOT_FINAL);
    }

    @Test
    void theSameFactFromAWebhookAndAPollIsOneEvent() throws Exception {
        start();
        String callback = Samples.text(Samples.MRSPEEDY_CALLBACK);
        send(Samples.envelope(Carrier.MRSPEEDY, Source.WEBHOOK, "1250032", callback));
        int first = events.readRecordsToList().size();
        assertThat(first).isPositive();
        send(Samples.envelope(Carrier.MRSPEEDY, Source.WEBHOOK, "1250032", callback));
        assertThat(events.readRecordsToList()).as("a resent callback").isEmpty();
        send(Samples.envelope(Carrier.MRSPEEDY, Source.WEBHOOK, "1250032", Samples.activeWithPickup(callback)));
        assertThat(codes(events.readRecordsToList()))
                .as("the order moved on: its new status and the visited point, once each")
                .hasSize(2)
                .anySatisfy(c -> assertThat(c).startsWith("active:"));
    }

    @Test
    void aRecordThatCannotBeReadIsADeadLetterWithItsBytesAndReasonAndTheNextIsPublished() throws Exception {
        start();
        byte[] garbage = "<html/>".getBytes(StandardCharsets.UTF_8);
        Headers original = new org.apache.kafka.common.header.internals.RecordHeaders();
        original.add("x-trace", "t-1".getBytes(StandardCharsets.UTF_8));
        raw.pipeInput(new TestRecord<>(
                "all24:demo:X".getBytes(StandardCharsets.UTF_8),
                garbage,
                original,
                Instant.parse("2026-11-25T12:00:00Z")));
        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", Samples.text(Samples.ALL24_EXAMPLE)));

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("all24:demo:X");
        assertThat(header(dead.headers(), "x-trace")).isEqualTo("t-1");
        assertThat(header(dead.headers(), DeadLetters.CODE)).isEqualTo(DeadLetterCode.INVALID_ENVELOPE.code());
        assertThat(header(dead.headers(), DeadLetters.REASON)).contains("not a Trackline envelope");
        assertThat(header(dead.headers(), DeadLetters.EXCEPTION_CLASS)).endsWith("UnparseableException");
        assertThat(header(dead.headers(), DeadLetters.TOPIC)).isEqualTo(Topics.RAW);
        assertThat(header(dead.headers(), DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("0");
        assertThat(header(dead.headers(), NormalizeProcessor.DLQ_CARRIER)).isEqualTo("unknown");
        assertThat(registry.get("trackline.normalizer.raw.dead_lettered")
                        .tags("carrier", "unknown", "reason", "invalid_envelope")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(events.readRecordsToList()).hasSize(5);
    }

    @Test
    void anEventLargerThanTheProducerSendsParksItsRecordWithoutFailingTheTask() throws Exception {
        start(Optional.empty(), (c, t, p, s) -> 0, 1500);
        String payload = Samples.text(Samples.ALL24_EXAMPLE);
        String big =
                payload.replace("\"event_name\": \"Delivery complete\"", "\"event_name\": \"" + "x".repeat(900) + "\"");
        assertThat(big).isNotEqualTo(payload);
        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", big));
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead.headers(), DeadLetters.CODE)).isEqualTo(DeadLetterCode.PUBLISH_FAILED.code());
        assertThat(header(dead.headers(), DeadLetters.EXCEPTION_CLASS)).endsWith("RecordTooLargeException");
        assertThat(header(dead.headers(), DeadLetters.VALUE_OMITTED))
                .as("the dead letter itself is over the limit: stored without the value")
                .isEqualTo(Integer.toString(
                        RawRecords.record(Topics.RAW, Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", big))
                                .value()
                                .length));
        assertThat(dead.value()).isEmpty();
        assertThat(codes(events.readRecordsToList())).as("the events that fit").hasSize(4);

        send(Samples.envelope(Carrier.EXPRESS247, Source.POLL, "ABC12345", Samples.text(Samples.EXPRESS247)));
        assertThat(events.readRecordsToList()).isNotEmpty();
    }

    @Test
    void aShipmentFinalForTheRetentionIsRemovedAndOnlyThen() throws Exception {
        start();
        String payload = Samples.text(Samples.ALL24_EXAMPLE);
        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", payload));
        assertThat(events.readRecordsToList()).hasSize(5);
        KeyValueStore<String, ShipmentMemory> store = driver.getKeyValueStore(NormalizerTopology.STORE);

        driver.advanceWallClockTime(RETENTION.minusHours(2));
        assertThat(store.get("all24:demo:HSBY37H7"))
                .as("final, not for long enough")
                .isNotNull();
        driver.advanceWallClockTime(Duration.ofHours(3));
        assertThat(store.get("all24:demo:HSBY37H7"))
                .as("final for the retention")
                .isNull();
        assertThat(registry.get("trackline.normalizer.store.expired_shipments")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aRenormalizationRunIsSeededFromTheEventsTopicAndRepublishesOnlyChangedFacts() throws Exception {
        // What an earlier run published: the first two facts, the second under another status.
        start();
        String payload = Samples.text(Samples.ALL24_EXAMPLE);
        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", payload));
        List<TestRecord<byte[], byte[]>> before = events.readRecordsToList();
        driver.close();
        driver = null;

        Instant from = Instant.parse("2026-11-20T00:00:00Z");
        List<Integer> seededPartitions = new ArrayList<>();
        EventsTopicSeed seed = (configs, topic, partition, sink) -> {
            seededPartitions.add(partition);
            seedWith(before.get(0), null, sink);
            seedWith(before.get(1), CanonicalStatus.PICKED_UP, sink);
            return 2;
        };
        state = state.resolve("run");
        start(Optional.of(from), seed, 1024 * 1024);
        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", payload), from.minusSeconds(1));
        assertThat(events.readRecordsToList()).as("a record before the instant").isEmpty();
        assertThat(seededPartitions)
                .as("nothing read before a record to normalize")
                .isEmpty();

        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", payload), from.plusSeconds(1));
        List<TestRecord<byte[], byte[]>> run = events.readRecordsToList();
        assertThat(seededPartitions).containsExactly(0);
        assertThat(codes(run))
                .as("the correction (same id, the table's status) and the facts never published")
                .containsExactly(
                        "100000:IN_TRANSIT", "200000:PICKED_UP", "300000:OUT_FOR_DELIVERY", "500000:DELIVERED");
        assertThat(header(run.get(0).headers(), "ce_id"))
                .isEqualTo(header(before.get(1).headers(), "ce_id"));

        send(Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", payload), from.plusSeconds(2));
        assertThat(events.readRecordsToList()).as("the same poll again").isEmpty();
    }

    private static void seedWith(
            TestRecord<byte[], byte[]> event,
            CanonicalStatus status,
            BiConsumer<String, EventsTopicSeed.PublishedFact> sink) {
        try {
            JsonNode data = data(event);
            sink.accept(
                    data.get("shipmentId").asText(),
                    new EventsTopicSeed.PublishedFact(
                            data.get("eventId").asText(),
                            status != null
                                    ? status
                                    : CanonicalStatus.valueOf(data.get("status").asText()),
                            null,
                            data.get("rawField").asText(),
                            data.get("rawCode").asText(),
                            Instant.parse(data.get("occurredAt").asText())));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
