package io.trackline.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trackline.systemtests.OtlpReceiver.Link;
import io.trackline.systemtests.OtlpReceiver.Span;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One callback is one trace through the packaged services (docs/tracing.md): ingest-webhooks' HTTP request and the
 * raw record's producer span, the normalizer's span as the child of the record's {@code traceparent}, and
 * status-store's stored batch linked to the normalizer's span (and its child when the batch is of that trace only),
 * as the services export them over OTLP/HTTP to {@link OtlpReceiver}. The callback carries a {@code traceparent} of
 * the test's own, so its trace is told apart from every other test's.
 */
class TracingIT {

    @BeforeAll
    static void startPipeline() throws Exception {
        Pipeline.start();
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return HexFormat.of().formatHex(b);
    }

    static Optional<Span> find(Predicate<Span> p) {
        return Pipeline.traces().spans().stream().filter(p).findFirst();
    }

    static Span awaitSpan(String what, Predicate<Span> p) {
        return await(what)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> find(p), Optional::isPresent)
                .orElseThrow();
    }

    @Test
    void aCallbackIsOneTraceFromTheRequestToTheStoredBatch() {
        String trace = hex(16);
        String caller = hex(8);
        long order = ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
        byte[] body = Callbacks.example(order);
        given().contentType("application/json")
                .header("X-DV-Signature", Callbacks.signature(body, Pipeline.SECRET))
                .header("traceparent", "00-" + trace + "-" + caller + "-01")
                .body(body)
                .when()
                .post(Pipeline.ingest().url("/webhooks/mrspeedy/" + Pipeline.ACCOUNT))
                .then()
                .statusCode(200);
        await("timeline of order " + order)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> given().header("X-API-Key", Pipeline.API_KEY)
                                .get(Pipeline.store().url("/api/v1/shipments/mrspeedy/" + order + "/timeline"))
                                .statusCode(),
                        status -> status == 200);

        Span request = awaitSpan(
                "ingest-webhooks' request span",
                s -> s.service().equals("ingest-webhooks")
                        && s.kind() == Span.SERVER
                        && s.traceId().equals(trace));
        assertThat(request.parentSpanId()).isEqualTo(caller);
        Span publish = awaitSpan(
                "ingest-webhooks' publish span",
                s -> s.service().equals("ingest-webhooks")
                        && s.kind() == Span.PRODUCER
                        && s.parentSpanId().equals(request.spanId()));
        assertThat(publish.traceId()).isEqualTo(trace);
        assertThat(publish.name()).isEqualTo("publish trackline.raw.v1");

        Span normalize = awaitSpan(
                "the normalizer's span of the raw record",
                s -> s.service().equals("normalizer") && s.parentSpanId().equals(publish.spanId()));
        assertThat(normalize.traceId()).isEqualTo(trace);
        assertThat(normalize.kind()).isEqualTo(Span.CONSUMER);

        Span stored = awaitSpan(
                "status-store's stored batch linked to the normalizer's span",
                s -> s.service().equals("status-store") && s.links().contains(new Link(trace, normalize.spanId())));
        assertThat(stored.kind()).isEqualTo(Span.CONSUMER);
        assertThat(stored.name()).isEqualTo("store trackline.events.v1");
        if (stored.traceId().equals(trace)) {
            assertThat(stored.parentSpanId())
                    .as("a batch of this trace only is the normalizer span's child")
                    .isEqualTo(normalize.spanId());
        } else {
            assertThat(stored.parentSpanId())
                    .as("a batch of many traces is a trace of its own")
                    .isEmpty();
            List<String> traces =
                    stored.links().stream().map(Link::traceId).distinct().toList();
            assertThat(traces).hasSizeGreaterThan(1);
        }
    }
}
