package io.trackline.ingest.rest;

import static io.restassured.RestAssured.given;
import static io.trackline.ingest.Fixtures.ACME_PREVIOUS_SECRET;
import static io.trackline.ingest.Fixtures.ACME_SECRET;
import static io.trackline.ingest.Fixtures.BETA_SECRET;
import static io.trackline.samples.CarrierSample.MRSPEEDY_CALLBACK_THAI;
import static io.trackline.samples.CarrierSample.MRSPEEDY_CALLBACK_THAI_COMPACT;
import static io.trackline.samples.CarrierSample.MRSPEEDY_CALLBACK_UNKNOWN_FIELDS;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import io.trackline.ingest.Fixtures;
import io.trackline.testsupport.MetricsEndpoint;
import io.trackline.testsupport.PrometheusText;
import io.trackline.testsupport.RestartableKafka;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The callback endpoint against a real Kafka broker (in the test JVM, restartable): what MrSpeedy hears, what lands
 * on {@code trackline.raw.v1}, and what {@code /q/metrics} and {@code /q/health} show. One Quarkus boot for all.
 * Each test sends what it reads. The one ordering is deliberate: the broker outage runs last, so no other test
 * shares the producer's and this consumer's reconnect after the restart.
 */
@QuarkusTest
@QuarkusTestResource(value = RestartableKafka.Resource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MrSpeedyWebhookIT {

    private static final String ACME = "/webhooks/mrspeedy/acme";
    private static final AtomicLong ORDER_IDS = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L * 100);

    private static KafkaCompanion companion;
    private static ConsumerTask<String, String> raw;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void consumeRawTopic() {
        companion = new KafkaCompanion(RestartableKafka.current().bootstrapServers());
        raw = companion.consumeStrings().fromTopics(Topics.RAW);
    }

    @AfterAll
    static void stopConsuming() {
        if (raw != null) {
            raw.stop();
        }
        if (companion != null) {
            companion.close();
        }
    }

    @Test
    void readinessIsUpWithKafka() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }

    @Test
    void signedThaiCallbackIsStoredByteExactBeforeTheAnswer() throws Exception {
        byte[] body = Fixtures.body(MRSPEEDY_CALLBACK_THAI);
        String requestId = "req-" + UUID.randomUUID();
        String digest = sha256(body);
        double before = metric("trackline_webhooks_callbacks_accepted_total", Map.of("account", "acme"));

        OffsetDateTime sent = OffsetDateTime.now();
        given().contentType("application/json; charset=UTF-8")
                .header("X-DV-Signature", Fixtures.signature(MRSPEEDY_CALLBACK_THAI, "acme"))
                .header("X-Request-Id", requestId)
                .body(body)
                .when()
                .post(ACME)
                .then()
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("requestId", equalTo(requestId))
                .body("orderId", equalTo("1250032"))
                .body("contentDigest", equalTo(digest));

        ConsumerRecord<String, String> record = awaitRecords(
                        "mrspeedy:acme:1250032",
                        r -> requestId.equals(envelope(r).requestId()),
                        1)
                .get(0);
        RawEnvelope envelope = envelope(record);
        assertThat(envelope.payload()).isEqualTo(body);
        assertThat(envelope.payloadText()).contains("กรุงเทพมหานคร");
        assertThat(envelope.account()).isEqualTo("acme");
        assertThat(envelope.source()).isEqualTo(Source.WEBHOOK);
        assertThat(envelope.shipmentRef()).isEqualTo("1250032");
        assertThat(envelope.contentDigest()).isEqualTo(digest);
        assertThat(envelope.receivedAt())
                .isBetween(sent.minusSeconds(5), OffsetDateTime.now().plusSeconds(1));
        assertThat(envelope.headers())
                .containsEntry("X-DV-Signature", Fixtures.signature(MRSPEEDY_CALLBACK_THAI, "acme"))
                .containsEntry("X-Request-Id", requestId);
        assertThat(envelope.headers().values()).noneMatch(v -> v.contains(ACME_SECRET));
        assertThat(metric("trackline_webhooks_callbacks_accepted_total", Map.of("account", "acme")))
                .isEqualTo(before + 1);
    }

    @Test
    void upperCaseSignatureAndUnknownFieldsAreAccepted() {
        byte[] body = Fixtures.body(MRSPEEDY_CALLBACK_UNKNOWN_FIELDS);
        given().contentType("application/json")
                .header(
                        "X-DV-Signature",
                        Fixtures.signature(MRSPEEDY_CALLBACK_UNKNOWN_FIELDS, "acme")
                                .toUpperCase())
                .body(body)
                .when()
                .post(ACME)
                .then()
                .statusCode(200)
                .body("orderId", equalTo("1250099"));

        RawEnvelope stored =
                envelope(awaitRecords("mrspeedy:acme:1250099", r -> true, 1).get(0));
        assertThat(stored.payloadText())
                .contains("\"brand_new_top_level\":true")
                .contains("future_field");
    }

    @Test
    void whitespaceMattersAndRetriesShareOneDigest() {
        byte[] pretty = Fixtures.body(MRSPEEDY_CALLBACK_THAI);
        byte[] compact = Fixtures.body(MRSPEEDY_CALLBACK_THAI_COMPACT);
        String requestTag = UUID.randomUUID().toString();

        // The pretty body's signature does not cover the compact bytes: 401, stored nowhere.
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.signature(MRSPEEDY_CALLBACK_THAI, "acme"))
                .body(compact)
                .when()
                .post(ACME)
                .then()
                .statusCode(401)
                .body("code", equalTo("invalid_signature"));

        List<String> digests = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            digests.add(given().contentType("application/json")
                    .header("X-Request-Id", requestTag + "-" + attempt)
                    .header("X-DV-Signature", Fixtures.signature(MRSPEEDY_CALLBACK_THAI_COMPACT, "acme"))
                    .body(compact)
                    .when()
                    .post(ACME)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("contentDigest"));
        }
        assertThat(Set.copyOf(digests)).hasSize(1);

        List<ConsumerRecord<String, String>> retries = awaitRecords(
                "mrspeedy:acme:1250032", r -> envelope(r).requestId().startsWith(requestTag), 3);
        assertThat(retries).extracting(r -> envelope(r).contentDigest()).containsOnly(digests.get(0));
        assertThat(retries)
                .extracting(ConsumerRecord::partition)
                .containsOnly(retries.get(0).partition());
        // The pretty body is a distinct payload with a digest of its own.
        assertThat(digests.get(0)).isNotEqualTo(sha256(pretty)).isEqualTo(sha256(compact));
        assertThat(envelope(retries.get(0)).payload()).isEqualTo(compact);
    }

    @Test
    void previousSecretIsAcceptedDuringARotationAndCounted() {
        double before =
                metric("trackline_webhooks_signature_matched_total", Map.of("account", "acme", "secret", "previous"));
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.signature(MRSPEEDY_CALLBACK_THAI, "acme-previous"))
                .body(Fixtures.body(MRSPEEDY_CALLBACK_THAI))
                .when()
                .post(ACME)
                .then()
                .statusCode(200);
        long orderId = ORDER_IDS.incrementAndGet();
        byte[] other = order(orderId, "courier_assigned");
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(other, BETA_SECRET))
                .body(other)
                .when()
                .post("/webhooks/mrspeedy/beta")
                .then()
                .statusCode(200);
        // beta's secret is not acme's.
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(other, BETA_SECRET))
                .body(other)
                .when()
                .post(ACME)
                .then()
                .statusCode(401);

        assertThat(metric(
                        "trackline_webhooks_signature_matched_total", Map.of("account", "acme", "secret", "previous")))
                .isEqualTo(before + 1);
        awaitRecords("mrspeedy:beta:" + orderId, r -> true, 1);
    }

    @Test
    void everyRejectionIsClearAndNothingRejectedReachesKafka() throws Exception {
        long rejectedOrder = ORDER_IDS.incrementAndGet();
        byte[] body = order(rejectedOrder, "active");
        String good = Fixtures.sign(body, ACME_SECRET);
        double missingBefore = metric(
                "trackline_webhooks_callbacks_rejected_total",
                Map.of("account", "acme", "reason", "missing_signature"));

        List<Response> answers = new ArrayList<>();
        answers.add(
                expect(given().contentType("application/json").body(body).when().post(ACME), 401, "missing_signature"));
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", "")
                        .body(body)
                        .when()
                        .post(ACME),
                401,
                "missing_signature"));
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", good.substring(1) + "0")
                        .body(body)
                        .when()
                        .post(ACME),
                401,
                "invalid_signature"));
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", "not-hex")
                        .body(body)
                        .when()
                        .post(ACME),
                401,
                "invalid_signature"));
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", good)
                        .body(body)
                        .when()
                        .post("/webhooks/mrspeedy/nobody"),
                404,
                "unknown_account"));
        answers.add(expect(
                given().contentType("text/plain")
                        .header("X-DV-Signature", good)
                        .body(body)
                        .when()
                        .post(ACME),
                415,
                "unsupported_media_type"));
        answers.add(expect(given().header("X-DV-Signature", good).when().get(ACME), 405, "method_not_allowed"));
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", good)
                        .when()
                        .put(ACME),
                405,
                "method_not_allowed"));

        byte[] notJson = ("{\"order\":{\"order_id\":" + rejectedOrder + "}").getBytes(StandardCharsets.UTF_8);
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", Fixtures.sign(notJson, ACME_SECRET))
                        .body(notJson)
                        .when()
                        .post(ACME),
                400,
                "invalid_json"));
        byte[] trailing = ("{\"order\":{\"order_id\":" + rejectedOrder + "}} {}").getBytes(StandardCharsets.UTF_8);
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", Fixtures.sign(trailing, ACME_SECRET))
                        .body(trailing)
                        .when()
                        .post(ACME),
                400,
                "invalid_json"));
        byte[] empty = new byte[0];
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", Fixtures.sign(empty, ACME_SECRET))
                        .body(empty)
                        .when()
                        .post(ACME),
                400,
                "invalid_json"));
        byte[] noOrder = "{\"event_datetime\":\"2026-11-24T17:30:13+07:00\",\"order\":{\"status\":\"active\"}}"
                .getBytes(StandardCharsets.UTF_8);
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", Fixtures.sign(noOrder, ACME_SECRET))
                        .body(noOrder)
                        .when()
                        .post(ACME),
                400,
                "missing_order_id"));

        byte[] large = largeOrder(rejectedOrder, 300 * 1024);
        answers.add(expect(
                given().contentType("application/json")
                        .header("X-DV-Signature", Fixtures.sign(large, ACME_SECRET))
                        .body(large)
                        .when()
                        .post(ACME),
                413,
                "payload_too_large"));
        // Chunked, so no Content-Length: measured after reading.
        HttpResponse<String> chunked = HTTP.send(
                HttpRequest.newBuilder(base.resolve(ACME))
                        .header("Content-Type", "application/json")
                        .header("X-DV-Signature", Fixtures.sign(large, ACME_SECRET))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("\"code\":\"payload_too_large\"");

        for (Response answer : answers) {
            String text = answer.asString();
            assertThat(answer.contentType()).startsWith("application/json");
            assertThat(text)
                    .doesNotContain(ACME_SECRET)
                    .doesNotContain(ACME_PREVIOUS_SECRET)
                    .doesNotContain(String.valueOf(rejectedOrder))
                    .doesNotContain("Exception")
                    .doesNotContain("nobody");
        }
        assertThat(metric(
                        "trackline_webhooks_callbacks_rejected_total",
                        Map.of("account", "acme", "reason", "missing_signature")))
                .isEqualTo(missingBefore + 2);
        assertThat(metric(
                        "trackline_webhooks_callbacks_rejected_total",
                        Map.of("account", "unknown", "reason", "unknown_account")))
                .isGreaterThanOrEqualTo(1);

        // A valid callback sent after the rejected ones arrives; none of the rejected ones did.
        long sentinel = ORDER_IDS.incrementAndGet();
        byte[] sentinelBody = order(sentinel, "active");
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(sentinelBody, ACME_SECRET))
                .body(sentinelBody)
                .when()
                .post(ACME)
                .then()
                .statusCode(200);
        awaitRecords("mrspeedy:acme:" + sentinel, r -> true, 1);
        assertThat(raw.getRecords()).noneMatch(r -> r.key().endsWith(":" + rejectedOrder));
    }

    @Test
    void concurrentCallbacksAreAllStoredInOrderPerShipment() throws Exception {
        int orders = 16;
        int changesPerOrder = 12;
        long firstOrder = ORDER_IDS.addAndGet(orders) - orders + 1;
        ExecutorService pool = Executors.newFixedThreadPool(orders);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int o = 0; o < orders; o++) {
                long orderId = firstOrder + o;
                results.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int change = 0; change < changesPerOrder; change++) {
                        byte[] body = order(orderId, "step-" + change);
                        // java.net.http here: RestAssured is not meant for many threads at once.
                        statuses.add(HTTP.send(
                                        HttpRequest.newBuilder(base.resolve(ACME))
                                                .header("Content-Type", "application/json")
                                                .header("X-DV-Signature", Fixtures.jceSign(body, ACME_SECRET))
                                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode());
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> result : results) {
                assertThat(result.get()).containsOnly(200);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int o = 0; o < orders; o++) {
            List<ConsumerRecord<String, String>> records =
                    awaitRecords("mrspeedy:acme:" + (firstOrder + o), r -> true, changesPerOrder);
            List<String> steps =
                    records.stream().map(r -> status(envelope(r).payloadText())).toList();
            List<String> expected = new ArrayList<>();
            for (int change = 0; change < changesPerOrder; change++) {
                expected.add("step-" + change);
            }
            assertThat(steps).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void metricsShowReceivedRejectedTimesAndInFlight() {
        // What the metrics show: one callback accepted, one with a wrong signature, one for an unknown account.
        long orderId = ORDER_IDS.incrementAndGet();
        byte[] body = order(orderId, "active");
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(body, ACME_SECRET))
                .body(body)
                .when()
                .post(ACME)
                .then()
                .statusCode(200);
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(body, BETA_SECRET))
                .body(body)
                .when()
                .post(ACME)
                .then()
                .statusCode(401);
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(body, ACME_SECRET))
                .body(body)
                .when()
                .post("/webhooks/mrspeedy/nobody")
                .then()
                .statusCode(404);
        awaitRecords("mrspeedy:acme:" + orderId, r -> true, 1);

        String metrics = MetricsEndpoint.scrape();
        assertThat(metrics)
                .contains("trackline_webhooks_callbacks_received_total{account=\"acme\",carrier=\"mrspeedy\"}")
                .contains("trackline_webhooks_callbacks_rejected_total{account=\"acme\",carrier=\"mrspeedy\","
                        + "reason=\"invalid_signature\"}")
                .contains("trackline_webhooks_signature_verification_seconds_count{carrier=\"mrspeedy\"}")
                .contains("trackline_webhooks_publish_seconds_bucket{carrier=\"mrspeedy\",outcome=\"acked\",le=")
                .contains("trackline_webhooks_callbacks_inflight");
        Map<String, String> acme = Map.of("account", "acme");
        double received = PrometheusText.valueOrZero(metrics, "trackline_webhooks_callbacks_received_total", acme);
        assertThat(received)
                .isGreaterThan(
                        PrometheusText.valueOrZero(metrics, "trackline_webhooks_callbacks_accepted_total", acme));
        assertThat(metrics).doesNotContain(ACME_SECRET).doesNotContain("account=\"nobody\"");
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: see the class comment
    void kafkaDownAnswers503ThenRecoversWithNothingLost() {
        RestartableKafka kafka = RestartableKafka.current();
        long orderId = ORDER_IDS.incrementAndGet();
        byte[] body = order(orderId, "delivered");
        String signature = Fixtures.sign(body, ACME_SECRET);
        List<String> acceptedDuringOutage = new ArrayList<>();
        // Acknowledged before the outage: still there after the restart.
        long acknowledged = ORDER_IDS.incrementAndGet();
        byte[] acknowledgedBody = order(acknowledged, "active");
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(acknowledgedBody, ACME_SECRET))
                .body(acknowledgedBody)
                .when()
                .post(ACME)
                .then()
                .statusCode(200);
        awaitRecords("mrspeedy:acme:" + acknowledged, r -> true, 1);
        kafka.stop();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().get("/q/health/ready")
                            .then()
                            .statusCode(503)
                            .body("status", equalTo("DOWN")));

            for (int attempt = 0; attempt < 2; attempt++) {
                Response answer = given().contentType("application/json")
                        .header("X-DV-Signature", signature)
                        .header("X-Request-Id", "outage-" + orderId + "-" + attempt)
                        .body(body)
                        .when()
                        .post(ACME);
                if (answer.statusCode() == 200) {
                    acceptedDuringOutage.add(answer.path("requestId")); // only allowed if truly stored
                } else {
                    assertThat(answer.statusCode()).isEqualTo(503);
                    assertThat(answer.header("Retry-After")).isNotBlank();
                    assertThat(answer.jsonPath().getString("code")).isEqualTo("unavailable");
                }
            }
            assertThat(acceptedDuringOutage).isEmpty();
            // A broker outage is not a reason to restart the receiver.
            given().get("/q/health/live").then().statusCode(200);
            assertThat(metric(
                            "trackline_webhooks_callbacks_rejected_total",
                            Map.of("account", "acme", "reason", "unavailable")))
                    .isGreaterThanOrEqualTo(2);
        } finally {
            kafka.restart();
        }

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        // MrSpeedy retries until it hears 200; the retry is stored.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> given().contentType("application/json")
                        .header("X-DV-Signature", signature)
                        .header("X-Request-Id", "retry-" + orderId)
                        .body(body)
                        .when()
                        .post(ACME)
                        .then()
                        .statusCode(200));
        // A retry answered 503 while the producer was reconnecting may still have reached Kafka afterwards
        // (docs/webhooks.md): at least the one answered 200 is stored, and every copy is the same callback.
        List<ConsumerRecord<String, String>> stored = awaitRecords(
                "mrspeedy:acme:" + orderId,
                r -> envelope(r).requestId().startsWith("retry-"),
                found -> assertThat(found).isNotEmpty());
        for (ConsumerRecord<String, String> copy : stored) {
            assertThat(envelope(copy).payload()).isEqualTo(body);
            assertThat(envelope(copy).contentDigest()).isEqualTo(sha256(body));
        }
        // What was acknowledged before the outage is still there after the restart, next to what came after.
        long probe = ORDER_IDS.incrementAndGet();
        byte[] after = order(probe, "active");
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(after, ACME_SECRET))
                .body(after)
                .when()
                .post(ACME)
                .then()
                .statusCode(200);
        try (KafkaCompanion fresh = new KafkaCompanion(kafka.bootstrapServers())) {
            ConsumerTask<String, String> all = fresh.consumeStrings().fromTopics(Topics.RAW);
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Set<String> keys =
                            all.getRecords().stream().map(ConsumerRecord::key).collect(Collectors.toSet());
                    assertThat(keys)
                            .contains(
                                    "mrspeedy:acme:" + acknowledged,
                                    "mrspeedy:acme:" + orderId,
                                    "mrspeedy:acme:" + probe);
                });
            } finally {
                all.stop();
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** The content digest, computed here and not by Trackline's code. */
    private static String sha256(byte[] body) {
        try {
            return "sha-256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response expect(Response answer, int status, String code) {
        answer.then().statusCode(status).body("code", equalTo(code));
        return answer;
    }

    private static List<ConsumerRecord<String, String>> awaitRecords(
            String key, Predicate<ConsumerRecord<String, String>> which, int count) {
        return awaitRecords(key, which, found -> assertThat(found).hasSize(count));
    }

    /** The raw records of {@code key} that match {@code which}, in offset order, once {@code expectation} holds. */
    private static List<ConsumerRecord<String, String>> awaitRecords(
            String key,
            Predicate<ConsumerRecord<String, String>> which,
            Consumer<List<ConsumerRecord<String, String>>> expectation) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            found.clear();
            raw.getRecords().stream()
                    .filter(r -> key.equals(r.key()))
                    .filter(which)
                    .forEach(found::add);
            expectation.accept(found);
        });
        found.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return found;
    }

    private static RawEnvelope envelope(ConsumerRecord<String, String> record) {
        try {
            // The value is the callback's body, UTF-8 JSON (the service refuses any other), so its text gives back
            // its bytes; the envelope's other fields are the record's headers.
            return RawRecords.read(record.headers(), record.value().getBytes(StandardCharsets.UTF_8))
                    .envelope();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String status(String payload) {
        try {
            return TracklineJson.mapper()
                    .readTree(payload)
                    .path("order")
                    .path("status")
                    .asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] order(long orderId, String status) {
        return ("{\"event_datetime\":\"" + OffsetDateTime.now() + "\",\"order\":{\"order_id\":" + orderId
                        + ",\"status\":\"" + status + "\",\"points\":[{\"address\":\"ถนน สุขุมวิท กรุงเทพมหานคร\"}]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] largeOrder(long orderId, int size) {
        StringBuilder note = new StringBuilder();
        while (note.length() < size) {
            note.append("x");
        }
        return ("{\"order\":{\"order_id\":" + orderId + ",\"note\":\"" + note + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
