package io.trackline.pollers;

import static io.trackline.pollers.PollersTestData.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.MetricsEndpoint;
import io.trackline.testsupport.PostgresTestResource;
import io.trackline.testsupport.TestInfra;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The application's subscriptions consumer: what its listener hears, and the rows it keeps. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(SubscriptionSeed.class)
class SubscriptionsConsumerIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RecordingListener listener;

    static void send(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestInfra.kafka().bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, key, value))
                    .get();
        }
    }

    @Test
    void onAssignmentTheListenerHearsEverySubscriptionFromTheBeginningThenCaughtUp() {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(listener.calls())
                        .filteredOn(c -> c.what().equals("caughtUp"))
                        .extracting(RecordingListener.Call::partition)
                        .containsAll(List.of(0, 1, 2)));
        List<RecordingListener.Call> calls = listener.calls();
        for (Subscription seed : SubscriptionSeed.seeds()) {
            int upserted = indexOf(calls, "upserted", seed.shipmentId());
            assertThat(upserted).as(seed.shipmentId()).isNotNegative();
            int partition = calls.get(upserted).partition();
            int assigned = firstIndex(calls, "assigned", partition);
            int caughtUp = firstIndex(calls, "caughtUp", partition);
            assertThat(assigned).as("assigned before its subscriptions").isBetween(0, upserted - 1);
            assertThat(caughtUp).as("caught up after its subscriptions").isGreaterThan(upserted);
        }
        Subscription ended = SubscriptionSeed.ended();
        int removed = indexOf(calls, "removed", ended.shipmentId());
        assertThat(removed).isGreaterThan(indexOf(calls, "upserted", ended.shipmentId()));
        assertThat(removed)
                .isLessThan(firstIndex(calls, "caughtUp", calls.get(removed).partition()));
        // the records that are no subscription were skipped, and never reached the listener
        assertThat(calls)
                .noneMatch(c -> "mrspeedy:seed:garbage".equals(c.shipmentId())
                        || "mrspeedy:seed:elsewhere".equals(c.shipmentId()));
        assertThat(MetricsEndpoint.metric(
                        "trackline_pollers_subscriptions_skipped_total", Map.of("reason", "unreadable")))
                .isGreaterThanOrEqualTo(1);
        assertThat(MetricsEndpoint.metric(
                        "trackline_pollers_subscriptions_skipped_total", Map.of("reason", "key_mismatch")))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void recordsMadeElsewhereReachTheListenerAndTheRowsPoisonIncluded() throws Exception {
        Subscription made = new Subscription(
                Carrier.EXPRESS247,
                "demo",
                PollersTestData.orderCode(),
                null,
                OffsetDateTime.parse("2026-02-02T02:02:02Z"));
        send("247express:demo:POISON", "{\"carrier\":\"nowhere\"}".getBytes(StandardCharsets.UTF_8));
        send("247express:demo:POISON2", new byte[] {(byte) 0xff, 0x00, 0x7b});
        send(made.shipmentId(), TracklineJson.mapper().writeValueAsBytes(made));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(listener.calls())
                        .anyMatch(c ->
                                c.what().equals("upserted") && made.shipmentId().equals(c.shipmentId())));
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/api/v1/subscriptions/247express/" + made.reference())
                        .then()
                        .statusCode(200)
                        .body("subscribed_at", equalTo("2026-02-02T02:02:02Z")));

        send(made.shipmentId(), null);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(listener.calls())
                        .anyMatch(c ->
                                c.what().equals("removed") && made.shipmentId().equals(c.shipmentId())));
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/api/v1/subscriptions/247express/" + made.reference())
                        .then()
                        .statusCode(404));
    }

    @Test
    void theSeededSubscriptionsAreRowsAndTheEndedOneIsNot() {
        await().atMost(WAIT).untilAsserted(() -> {
            for (Subscription seed : SubscriptionSeed.seeds().subList(1, SubscriptionSeed.SEEDS)) {
                api().get("/api/v1/subscriptions/mrspeedy/" + seed.reference())
                        .then()
                        .statusCode(200)
                        .body("account", equalTo("seed"));
            }
        });
        api().get("/api/v1/subscriptions/mrspeedy/" + SubscriptionSeed.ended().reference())
                .then()
                .statusCode(404);
    }

    static int indexOf(List<RecordingListener.Call> calls, String what, String shipmentId) {
        return IntStream.range(0, calls.size())
                .filter(i -> calls.get(i).what().equals(what)
                        && shipmentId.equals(calls.get(i).shipmentId()))
                .findFirst()
                .orElse(-1);
    }

    static int firstIndex(List<RecordingListener.Call> calls, String what, int partition) {
        return IntStream.range(0, calls.size())
                .filter(i -> calls.get(i).what().equals(what) && calls.get(i).partition() == partition)
                .findFirst()
                .orElse(-1);
    }
}
