package io.trackline.store;

import static io.trackline.events.CanonicalStatus.INFO_RECEIVED;
import static io.trackline.events.CanonicalStatus.PICKED_UP;
import static io.trackline.store.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.Carrier;
import io.trackline.events.Topics;
import io.trackline.testsupport.PostgresTestResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, a stored batch is a consumer span {@code store trackline.events.v1} linked to the context in each
 * record's {@code traceparent} (the normalizer's span), and a child of it when the batch is of that one trace.
 */
@QuarkusTest
@TestProfile(StoreTracingIT.Tracing.class)
@WithTestResource(StoreKafkaResource.class)
@WithTestResource(PostgresTestResource.class)
class StoreTracingIT {

    public static class Tracing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "20ms");
        }
    }

    /** The spans of the test JVM (Quarkus exports to a SpanExporter bean instead of OTLP when there is one). */
    @ApplicationScoped
    public static class Spans {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Inject
    InMemorySpanExporter spans;

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zero
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aStoredBatchIsASpanLinkedToTheRecordsContext() {
        String trace = hex(16);
        String parent = hex(8);
        String ref = StatusStoreIT.unique("TRACE");
        Events.send(
                List.of(
                        event(Carrier.ALL24, "acme", ref, 0, INFO_RECEIVED),
                        event(Carrier.ALL24, "acme", ref, 5, PICKED_UP)),
                Map.of("traceparent", "00-" + trace + "-" + parent + "-01"));
        StatusStoreIT.awaitTimeline(Carrier.ALL24, ref, 2);

        SpanData stored = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(s -> s.getLinks().stream()
                                        .anyMatch(l ->
                                                l.getSpanContext().getSpanId().equals(parent)))
                                .findFirst()
                                .orElse(null),
                        s -> s != null);
        assertThat(stored.getName()).isEqualTo("store " + Topics.EVENTS);
        assertThat(stored.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(stored.getLinks())
                .allSatisfy(l -> assertThat(l.getSpanContext().getTraceId()).isEqualTo(trace));
        // a batch of one trace is that trace's child
        assertThat(stored.getTraceId()).isEqualTo(trace);
        assertThat(stored.getParentSpanId()).isEqualTo(parent);
        assertThat(stored.getAttributes().asMap().toString()).contains("trackline.store.events.stored");
    }

    @Test
    void aBatchOfManyTracesLinksToEachAndStartsATraceOfItsOwn() {
        String traceA = hex(16);
        String traceB = hex(16);
        String spanA = hex(8);
        String spanB = hex(8);
        String refA = StatusStoreIT.unique("TRACE-A");
        String refB = StatusStoreIT.unique("TRACE-B");
        // one send, so (almost always) one poll: when the two land in two batches each is its trace's child instead,
        // which the other test covers; the assertion below only needs a span linked to both or to each.
        Events.send(
                List.of(event(Carrier.ALL24, "acme", refA, 0, INFO_RECEIVED)),
                Map.of("traceparent", "00-" + traceA + "-" + spanA + "-01"));
        Events.send(
                List.of(event(Carrier.ALL24, "acme", refB, 0, INFO_RECEIVED)),
                Map.of("traceparent", "00-" + traceB + "-" + spanB + "-01"));
        StatusStoreIT.awaitTimeline(Carrier.ALL24, refA, 1);
        StatusStoreIT.awaitTimeline(Carrier.ALL24, refB, 1);

        List<String> ours = List.of(spanA, spanB);
        List<SpanData> linked = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(s -> s.getLinks().stream()
                                        .anyMatch(link -> ours.contains(
                                                link.getSpanContext().getSpanId())))
                                .toList(),
                        found -> found.stream()
                                        .flatMap(s -> s.getLinks().stream())
                                        .map(link -> link.getSpanContext().getSpanId())
                                        .filter(ours::contains)
                                        .distinct()
                                        .count()
                                == 2);
        for (SpanData s : linked) {
            long traces = s.getLinks().stream()
                    .map(link -> link.getSpanContext().getTraceId())
                    .distinct()
                    .count();
            if (traces > 1) {
                assertThat(s.getParentSpanContext().isValid()).isFalse();
                assertThat(s.getTraceId()).isNotIn(traceA, traceB);
            } else {
                assertThat(s.getTraceId())
                        .isEqualTo(s.getLinks().get(0).getSpanContext().getTraceId());
            }
        }
    }
}
