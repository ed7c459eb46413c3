package io.trackline.normalizer.messaging;

import static io.trackline.normalizer.messaging.NormalizerIT.canonical;
import static io.trackline.normalizer.messaging.NormalizerIT.codes;
import static io.trackline.normalizer.messaging.NormalizerIT.unique;
import static io.trackline.normalizer.messaging.Poisons.all24;
import static io.trackline.normalizer.messaging.Poisons.callback;
import static io.trackline.normalizer.messaging.Poisons.callbackWithVisit;
import static io.trackline.normalizer.messaging.Poisons.express247;
import static io.trackline.normalizer.messaging.Poisons.poll;
import static io.trackline.normalizer.messaging.Poisons.webhook;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trackline.events.Carrier;
import io.trackline.events.Topics;
import io.trackline.normalizer.DeadLetterCode;
import io.trackline.normalizer.messaging.Poisons.Raw;
import io.trackline.testsupport.KafkaTestResource;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 on the real broker, one poison class at a time: a raw record that downstream cannot hold (a time PostgreSQL
 * cannot store, text it cannot store, thousands of facts, a payload in another encoding, a record the parser chokes
 * on) is parked on {@code trackline.raw.dlq.v1} with its exact bytes, a code and a reason, and counted; a valid record
 * of another shipment sent right after it on the same partition is published within seconds (all poisons are sent at
 * once, so they also share the consumer's batches). Text a consumer cannot hold
 * in free-text fields is cleaned and counted instead, and an ETA outside the window is dropped.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class NormalizerPoisonIT {

    static final Duration SOON = Duration.ofSeconds(15);
    static final String FAR_AHEAD =
            OffsetDateTime.now(ZoneOffset.UTC).plusYears(2).withNano(0).toString();
    private static boolean warm;

    /** A record that must be parked: how to make it for a reference, and what the dead letter says. */
    record Poison(String name, String carrier, DeadLetterCode code, String reasonPart, Function<String, Raw> raw) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Poison mrspeedy(String name, DeadLetterCode code, String reasonPart, Function<String, String> payload) {
        return new Poison(name, "mrspeedy", code, reasonPart, id -> webhook(id, payload.apply(id)));
    }

    static Stream<Poison> poisons() {
        String ok = "2019-02-16T17:30:13+07:00";
        DeadLetterCode range = DeadLetterCode.EVENT_TIME_OUT_OF_RANGE;
        DeadLetterCode text = DeadLetterCode.INVALID_TEXT;
        DeadLetterCode payload = DeadLetterCode.UNPARSEABLE_PAYLOAD;
        return Stream.of(
                mrspeedy(
                        "event time in year +294277",
                        range,
                        "'+294277-01-01T00:00:00Z'",
                        id -> callback(id, "+294277-01-01T00:00:00Z", "available", "50032")),
                mrspeedy(
                        "event time in year -4713",
                        range,
                        "order.status",
                        id -> callback(id, "-4713-01-01T00:00:00Z", "available", "50032")),
                mrspeedy(
                        "event time in year 0000",
                        range,
                        "outside the window",
                        id -> callback(id, "0000-01-01T00:00:00Z", "available", "50032")),
                mrspeedy(
                        "event time in 1970",
                        range,
                        "outside the window",
                        id -> callback(id, "1970-01-01T00:00:00+07:00", "available", "50032")),
                mrspeedy(
                        "event time two years ahead",
                        range,
                        "outside the window",
                        id -> callback(id, FAR_AHEAD, "available", "50032")),
                mrspeedy(
                        "event time at second 60 of 9999-12-31",
                        range,
                        "SecondOfMinute",
                        id -> callback(id, "9999-12-31T23:59:60Z", "available", "50032")),
                mrspeedy(
                        "event time with an offset of +25:00",
                        range,
                        "cannot be held",
                        id -> callback(id, "2019-02-16T17:30:13+25:00", "available", "50032")),
                mrspeedy(
                        "courier visit in year 9999999",
                        range,
                        "point.courier_visit",
                        id -> callbackWithVisit(id, "+9999999-01-01T00:00:00Z", "plain address")),
                mrspeedy(
                        "event time that is no time",
                        DeadLetterCode.INVALID_TIME,
                        "'soon'",
                        id -> callback(id, "soon", "available", "50032")),
                new Poison(
                        "all24 local time in 1999",
                        "all24",
                        range,
                        "event_code",
                        ref -> poll(Carrier.ALL24, ref, all24(ref, "1999-12-31 23:59:59", "Order received"))),
                new Poison(
                        "247Express local time in year +294277",
                        "247express",
                        range,
                        "outside the window",
                        ref -> poll(Carrier.EXPRESS247, ref, express247(ref, "+294277-01-01 00:00:00", "late"))),
                mrspeedy(
                        "NUL in the order name (an identifier)",
                        text,
                        "U+0000",
                        id -> callback(id, ok, "available", "50\\u00000")),
                mrspeedy(
                        "NUL in the status (the raw code)",
                        text,
                        "rawCode",
                        id -> callback(id, ok, "avail\\u0000able", "50032")),
                mrspeedy(
                        "unpaired surrogate in the status (the raw code)",
                        text,
                        "unpaired surrogate",
                        id -> callback(id, ok, "avail\\ud800able", "50032")),
                new Poison(
                        "unit separator inside an all24 tracking number (the reference)",
                        "all24",
                        text,
                        "U+001F",
                        ref -> poll(Carrier.ALL24, ref, all24(ref + "\\u001fX", "2015-08-18 12:00:59", "x"))),
                new Poison(
                        "an all24 tracking number of 300 characters",
                        "all24",
                        text,
                        "300 characters",
                        ref -> poll(
                                Carrier.ALL24,
                                ref,
                                all24(ref + "X".repeat(300 - ref.length()), "2015-08-18 12:00:59", "x"))),
                new Poison(
                        "NUL in the envelope's account",
                        "mrspeedy",
                        text,
                        "account",
                        id -> Poisons.withAccount("de\u0000mo", id, callback(id, ok, "available", "50032"))),
                mrspeedy(
                        "2,000 visited points",
                        DeadLetterCode.TOO_MANY_FACTS,
                        "2001 facts",
                        id -> Poisons.amplification(id, 2000)),
                encoded("UTF-16LE", false),
                encoded("UTF-16BE", false),
                encoded("UTF-32LE", false),
                encoded("UTF-32BE", false),
                encoded("UTF-16LE", true),
                encoded("UTF-32BE", true),
                new Poison(
                        "UTF-16LE payload embedded byte for byte",
                        "unknown",
                        DeadLetterCode.INVALID_ENVELOPE,
                        "not UTF-8 JSON",
                        id -> Poisons.embedded(
                                id, callback(id, ok, "available", "50032"), Charset.forName("UTF-16LE"))),
                new Poison(
                        "UTF-32LE payload embedded byte for byte",
                        "unknown",
                        DeadLetterCode.INVALID_ENVELOPE,
                        "not UTF-8 JSON",
                        id -> Poisons.embedded(
                                id, callback(id, ok, "available", "50032"), Charset.forName("UTF-32LE"))),
                new Poison(
                        "a callback without ce_specversion (neither binary mode nor a JSON envelope)",
                        "unknown",
                        DeadLetterCode.INVALID_ENVELOPE,
                        "no carrier or payload",
                        id -> Poisons.withHeader(id, callback(id, ok, "available", "50032"), "ce_specversion", null)),
                new Poison(
                        "ce_specversion 0.3",
                        "unknown",
                        DeadLetterCode.INVALID_ENVELOPE,
                        "ce_specversion '0.3'",
                        id -> Poisons.withHeader(id, callback(id, ok, "available", "50032"), "ce_specversion", "0.3")),
                new Poison(
                        "a ce_type of someone else",
                        "unknown",
                        DeadLetterCode.INVALID_ENVELOPE,
                        "ce_type",
                        id -> Poisons.withHeader(
                                id, callback(id, ok, "available", "50032"), "ce_type", "com.example.order.v1")),
                new Poison(
                        "an unknown ce_carrier",
                        "unknown",
                        DeadLetterCode.INVALID_ENVELOPE,
                        "ce_carrier: 'dhl'",
                        id -> Poisons.withHeader(id, callback(id, ok, "available", "50032"), "ce_carrier", "dhl")),
                new Poison(
                        "a ce_time that is no time",
                        "unknown",
                        DeadLetterCode.INVALID_ENVELOPE,
                        "ce_time 'soon'",
                        id -> Poisons.withHeader(id, callback(id, ok, "available", "50032"), "ce_time", "soon")),

                // MrSpeedy's parser expects points as a list: an object makes it throw a NullPointerException.
                mrspeedy(
                        "points that are an object (a parser blow-up)",
                        DeadLetterCode.NORMALIZATION_FAILED,
                        "null",
                        id -> callback(
                                id,
                                ok,
                                "active",
                                "50032",
                                "{\"first\":{\"address\":\"x\",\"courier_visit_datetime\":\"" + ok + "\"}}")));
    }

    /** A callback in another encoding, without byte order mark; with a non-ASCII letter it is not even UTF-8. */
    static Poison encoded(String charset, boolean nonAscii) {
        return new Poison(
                charset + " payload" + (nonAscii ? " with a non-ASCII letter (base64)" : " (text)"),
                "mrspeedy",
                DeadLetterCode.UNPARSEABLE_PAYLOAD,
                "not UTF-8 JSON",
                id -> Poisons.encoded(
                        id,
                        callback(id, "2019-02-16T17:30:13+07:00", "available", nonAscii ? "Café" : "50032"),
                        Charset.forName(charset)));
    }

    /** A poison as sent: where it was stored, the valid record sent right behind it, the counter before. */
    record Sent(Raw poison, RecordMetadata at, Raw behind, double counterBefore, long sameCode) {}

    private static Map<String, Sent> sent;

    @BeforeEach
    void consumerRuns() throws Exception {
        if (!warm) {
            // The first test may start while the application still joins its group and restores its store.
            Raw first = Poisons.validCallback(Poisons.orderId());
            KafkaTestClients.sendRaw(first);
            await().atMost(NormalizerIT.WAIT)
                    .untilAsserted(() -> assertThat(codes(first.key())).isNotEmpty());
            warm = true;
        }
    }

    @AfterAll
    static void closeProducer() {
        KafkaTestClients.closeProducer();
    }

    /**
     * Every poison is sent at the first test, each followed at once by a valid record of another shipment on the same
     * partition: they meet in the consumer's batches as they would in production, and each test then checks its own.
     */
    static synchronized Sent sent(Poison poison) throws Exception {
        if (sent == null) {
            Map<String, Sent> all = new LinkedHashMap<>();
            List<Poison> every = poisons().toList();
            Map<String, Long> perCode = every.stream()
                    .collect(Collectors.groupingBy(p -> p.carrier() + "/" + p.code(), Collectors.counting()));
            Map<String, Double> before = new HashMap<>();
            for (Poison p : every) {
                before.computeIfAbsent(p.carrier() + "/" + p.code(), k -> deadLettered(p.carrier(), p.code()));
            }
            for (Poison p : every) {
                String ref = p.carrier().equals("mrspeedy") || p.carrier().equals("unknown")
                        ? Poisons.orderId()
                        : unique(p.carrier().equals("all24") ? "HS" : "EX-");
                Raw raw = p.raw().apply(ref);
                RecordMetadata at = KafkaTestClients.sendRaw(
                        raw, new RecordHeader("x-trackline-test", p.name().getBytes(StandardCharsets.UTF_8)));
                Raw behind = Poisons.validCallback(Poisons.orderIdOnPartition(at.partition()));
                KafkaTestClients.sendRaw(behind);
                String code = p.carrier() + "/" + p.code();
                all.put(p.name(), new Sent(raw, at, behind, before.get(code), perCode.get(code)));
            }
            sent = all;
        }
        return sent.get(poison.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisons")
    void aPoisonIsParkedWithItsBytesAndReasonAndTheRecordBehindItIsPublished(Poison poison) throws Exception {
        Sent sent = sent(poison);
        Raw raw = sent.poison();

        await("the valid record behind the poison")
                .atMost(SOON)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(codes(sent.behind().key())).containsExactly("available:INFO_RECEIVED"));
        ConsumerRecord<String, byte[]> parked = awaitDeadLetter(sent.at());
        assertThat(parked.key()).isEqualTo(raw.key());
        assertThat(parked.value()).as("the record's bytes, exactly").isEqualTo(raw.value());
        assertThat(header(parked, "dead-letter-code")).isEqualTo(poison.code().code());
        assertThat(header(parked, "dead-letter-reason"))
                .contains(poison.reasonPart())
                .hasSizeLessThan(1001);
        assertThat(header(parked, "dead-letter-exception-class-name")).isNotBlank();
        assertThat(header(parked, "dead-letter-topic")).isEqualTo(Topics.RAW);
        assertThat(header(parked, "dead-letter-carrier")).isEqualTo(poison.carrier());
        assertThat(header(parked, "x-trackline-test"))
                .as("the record's own headers are kept")
                .isEqualTo(poison.name());
        for (Header h : raw.headers()) {
            assertThat(parked.headers().lastHeader(h.key()).value())
                    .as("header %s kept", h.key())
                    .isEqualTo(h.value());
        }
        await("the dead-letter counter")
                .atMost(SOON)
                .pollDelay(Duration.ZERO)
                .untilAsserted(() -> assertThat(deadLettered(poison.carrier(), poison.code()))
                        .isEqualTo(sent.counterBefore() + sent.sameCode()));
        assertThat(KafkaTestClients.events(raw.key())).isEmpty();
    }

    /** Free text with what a consumer cannot hold: published cleaned, and counted. */
    record Dirty(String name, String carrier, String field, Function<String, Raw> raw, Consumer<JsonNode> check) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Dirty> dirtyTexts() {
        return Stream.of(
                new Dirty(
                        "NUL in a MrSpeedy address",
                        "mrspeedy",
                        "location.address",
                        id -> webhook(id, callbackWithVisit(id, "2019-02-16T18:04:10+07:00", "33/5 \\u0000Sukhumvit")),
                        e -> visit(e, "33/5 Sukhumvit")),
                new Dirty(
                        "unpaired low surrogate in a MrSpeedy address",
                        "mrspeedy",
                        "location.address",
                        id -> webhook(id, callbackWithVisit(id, "2019-02-16T18:04:10+07:00", "33/5 \\udc00 Sukhumvit")),
                        e -> visit(e, "33/5 \uFFFD Sukhumvit")),
                new Dirty(
                        "BEL and NUL in an all24 event name",
                        "all24",
                        "rawText",
                        ref -> poll(
                                Carrier.ALL24, ref, all24(ref, "2015-08-18 12:00:59", "Order\\u0007 rece\\u0000ived")),
                        e -> assertThat(e.path("rawText").asText()).isEqualTo("Order received")),
                new Dirty(
                        "an all24 event name of 300,000 characters",
                        "all24",
                        "rawText",
                        ref -> poll(Carrier.ALL24, ref, all24(ref, "2015-08-18 12:00:59", "x".repeat(300_000))),
                        e -> assertThat(e.path("rawText").asText())
                                .hasSize(1000)
                                .endsWith("x…")),
                new Dirty(
                        "an unpaired high surrogate in a 247Express delay note",
                        "247express",
                        "rawText",
                        ref -> poll(Carrier.EXPRESS247, ref, express247(ref, "2026-11-25 11:40:00", "late \\ud800")),
                        e -> {
                            if (e.path("rawField").asText().equals("delayCode")) {
                                assertThat(e.path("rawText").asText()).isEqualTo("late \uFFFD");
                            }
                        }));
    }

    static void visit(JsonNode event, String address) {
        if (event.path("rawField").asText().equals("point.courier_visit")) {
            assertThat(event.path("location").path("address").asText()).isEqualTo(address);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dirtyTexts")
    void freeTextDownstreamCannotHoldIsPublishedCleanedAndCounted(Dirty dirty) throws Exception {
        String ref = dirty.carrier().equals("mrspeedy")
                ? Poisons.orderId()
                : unique(dirty.carrier().equals("all24") ? "HS" : "EX-");
        Raw raw = dirty.raw().apply(ref);
        double before = sanitized(dirty.carrier(), dirty.field());
        KafkaTestClients.sendRaw(raw);

        await().atMost(SOON).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> events = KafkaTestClients.events(raw.key());
            assertThat(events).isNotEmpty();
            for (ConsumerRecord<String, String> event : events) {
                assertThat(event.value())
                        .doesNotContainIgnoringCase("\\u0000")
                        .doesNotContainIgnoringCase("\\ud8")
                        .doesNotContainIgnoringCase("\\udc")
                        .doesNotContain("\\u0007");
            }
            canonical(events).forEach(dirty.check());
        });
        assertThat(sanitized(dirty.carrier(), dirty.field())).isGreaterThan(before);
    }

    @Test
    void anEtaOutsideTheWindowIsLeftOutAndCountedTheEventIsPublished() throws Exception {
        String id = Poisons.orderId();
        double before = metric("trackline_normalizer_eta_dropped_total", Map.of("carrier", "mrspeedy"));
        Raw raw = webhook(
                id,
                callback(id, "2019-02-16T17:30:13+07:00", "available", "50032")
                        .replace("2019-02-16T19:30:13+07:00", "+294277-01-01T00:00:00Z"));
        KafkaTestClients.sendRaw(raw);

        await().atMost(SOON)
                .untilAsserted(() -> assertThat(codes(raw.key())).containsExactly("available:INFO_RECEIVED"));
        assertThat(canonical(KafkaTestClients.events(raw.key())).get(0).has("eta"))
                .isFalse();
        assertThat(metric("trackline_normalizer_eta_dropped_total", Map.of("carrier", "mrspeedy")))
                .isEqualTo(before + 1);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    static ConsumerRecord<String, byte[]> awaitDeadLetter(RecordMetadata at) {
        return await("the dead letter of " + at)
                .atMost(SOON)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> KafkaTestClients.readAllBytes(Topics.RAW_DLQ).stream()
                                .filter(r -> String.valueOf(at.partition()).equals(header(r, "dead-letter-partition"))
                                        && String.valueOf(at.offset()).equals(header(r, "dead-letter-offset"))
                                        && Topics.RAW.equals(header(r, "dead-letter-topic")))
                                .findFirst()
                                .orElse(null),
                        r -> r != null);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return KafkaTestClients.header(record, name);
    }

    static double deadLettered(String carrier, DeadLetterCode code) {
        return metric(
                "trackline_normalizer_raw_dead_lettered_total", Map.of("carrier", carrier, "reason", code.code()));
    }

    static double sanitized(String carrier, String field) {
        return metric("trackline_normalizer_text_sanitized_total", Map.of("carrier", carrier, "field", field));
    }
}
