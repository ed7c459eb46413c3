package io.trackline.kafka.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordTracingTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final RecordTracing tracing = RecordTracing.of(sdk, "test");

    @AfterEach
    void close() {
        sdk.close();
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void sendIsAChildOfTheCurrentSpanAndWritesItsContextAsTraceparent() {
        Span request = sdk.getTracer("test").spanBuilder("POST /callback").startSpan();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("trackline.raw.v1", "k", new byte[0]);
        record.headers().add(RecordTracing.TRACEPARENT, "stale".getBytes(StandardCharsets.UTF_8));
        Span send;
        try (Scope ignored = request.makeCurrent()) {
            send = tracing.send(record);
        }
        RecordTracing.end(send, null);
        request.end();

        SpanData publish = spans.getFinishedSpanItems().get(0);
        assertThat(publish.getName()).isEqualTo("publish trackline.raw.v1");
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(publish.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        assertThat(record.headers().headers(RecordTracing.TRACEPARENT)).hasSize(1);
        assertThat(header(record.headers(), RecordTracing.TRACEPARENT))
                .isEqualTo("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-01");
    }

    @Test
    void processIsAChildOfTheRecordsContext() {
        Headers headers = new RecordHeaders();
        Span upstream = sdk.getTracer("test").spanBuilder("publish").startSpan();
        tracing.inject(Context.root().with(upstream), headers);
        upstream.end();

        Span process = tracing.process("normalize", "trackline.raw.v1", 3, 42L, headers);
        RecordTracing.end(process, new IllegalStateException("boom"));

        SpanData data = spans.getFinishedSpanItems().get(1);
        assertThat(data.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(data.getName()).isEqualTo("normalize trackline.raw.v1");
        assertThat(data.getTraceId()).isEqualTo(upstream.getSpanContext().getTraceId());
        assertThat(data.getParentSpanId()).isEqualTo(upstream.getSpanContext().getSpanId());
        assertThat(data.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        assertThat(data.getAttributes().get(RecordTracing.OFFSET)).isEqualTo(42L);
        assertThat(data.getAttributes().get(RecordTracing.PARTITION)).isEqualTo("3");
    }

    @Test
    void aRecordWithoutContextStartsATraceOfItsOwn() {
        Span process = tracing.process("normalize", "trackline.raw.v1", 0, 0L, new RecordHeaders());
        process.end();
        SpanData data = spans.getFinishedSpanItems().get(0);
        assertThat(data.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void aBatchLinksToEveryRecordsContextAndIsAChildOnlyWhenTheyShareOneTrace() {
        Span a = sdk.getTracer("test").spanBuilder("a").startSpan();
        Span b = sdk.getTracer("test").spanBuilder("b").startSpan();
        Headers first = new RecordHeaders();
        Headers second = new RecordHeaders();
        tracing.inject(Context.root().with(a), first);
        tracing.inject(Context.root().with(b), second);
        a.end();
        b.end();

        tracing.batch("store", "trackline.events.v1", List.of(first, second, new RecordHeaders()))
                .end();
        SpanData mixed = spans.getFinishedSpanItems().get(2);
        assertThat(mixed.getParentSpanContext().isValid()).isFalse();
        assertThat(mixed.getLinks())
                .extracting(LinkData::getSpanContext)
                .extracting(c -> c.getSpanId())
                .containsExactly(
                        a.getSpanContext().getSpanId(), b.getSpanContext().getSpanId());
        assertThat(mixed.getAttributes().get(RecordTracing.BATCH_COUNT)).isEqualTo(3L);

        tracing.batch("store", "trackline.events.v1", List.of(first)).end();
        SpanData single = spans.getFinishedSpanItems().get(3);
        assertThat(single.getTraceId()).isEqualTo(a.getSpanContext().getTraceId());
        assertThat(single.getParentSpanId()).isEqualTo(a.getSpanContext().getSpanId());
        assertThat(single.getLinks()).hasSize(1);
    }

    @Test
    void offWritesNoHeaderAndMakesNoSpan() {
        RecordTracing off = RecordTracing.of(sdk, config(Map.of(RecordTracing.SDK_DISABLED, "true")), "test");
        assertThat(off.on()).isFalse();
        Span request = sdk.getTracer("test").spanBuilder("request").startSpan();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("t", "k", new byte[0]);
        try (Scope ignored = request.makeCurrent()) {
            assertThat(off.send(record)).isSameAs(Span.getInvalid());
        }
        assertThat(record.headers().toArray()).isEmpty();
        assertThat(off.batch("store", "t", List.of(record.headers()))).isSameAs(Span.getInvalid());
        assertThat(RecordTracing.of(sdk, config(Map.of()), "test").on()).isTrue();
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }
}
