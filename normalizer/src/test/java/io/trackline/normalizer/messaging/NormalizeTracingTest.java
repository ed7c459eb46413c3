package io.trackline.normalizer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.trackline.events.Carrier;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.kafka.tracing.RecordTracing;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.service.NormalizerMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The normalizer continues a raw record's trace (docs/tracing.md): one consumer span per raw record, the child of the
 * record's {@code traceparent}, whose context is each published event's {@code traceparent}; with tracing off no
 * event carries one.
 */
class NormalizeTracingTest {

    @TempDir
    Path state;

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    final NormalizerMetrics metrics = Samples.metrics(new SimpleMeterRegistry());
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> raw;
    TestOutputTopic<byte[], byte[]> events;

    void start(RecordTracing tracing) {
        NormalizeProcessor.Settings settings = new NormalizeProcessor.Settings(
                1000, Duration.ofDays(30), Duration.ofHours(1), Optional.empty(), Topics.EVENTS);
        RenormalizeProgress progress = new RenormalizeProgress(false, false);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "normalizer-tracing-test-" + System.nanoTime());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(
                NormalizerTopology.build(
                        Topics.RAW,
                        Topics.EVENTS,
                        Topics.RAW_DLQ,
                        AutoOffsetReset.earliest(),
                        () -> new NormalizeProcessor(
                                Samples.normalizer(metrics), metrics, settings, progress, (c, t, p, s) -> 0, tracing)),
                props,
                Instant.parse("2026-11-25T12:00:00Z"));
        raw = driver.createInputTopic(Topics.RAW, new ByteArraySerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(Topics.EVENTS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        sdk.close();
    }

    /** A raw record of the all24 example, sent in the context of {@code upstream} (when not null). */
    void send(Span upstream) {
        ProducerRecord<String, byte[]> record = RawRecords.record(
                Topics.RAW,
                Samples.envelope(Carrier.ALL24, Source.POLL, "HSBY37H7", Samples.text(Samples.ALL24_EXAMPLE)));
        if (upstream != null) {
            RecordTracing.of(sdk, "upstream").inject(Context.root().with(upstream), record.headers());
        }
        raw.pipeInput(new TestRecord<>(
                record.key().getBytes(StandardCharsets.UTF_8),
                record.value(),
                record.headers(),
                Instant.parse("2026-11-25T12:00:00Z")));
    }

    static String traceparent(TestRecord<byte[], byte[]> record) {
        Header h = record.headers().lastHeader(RecordTracing.TRACEPARENT);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void eachEventCarriesTheContextOfTheNormalizeSpanUnderTheRawRecords() {
        start(RecordTracing.of(sdk, "io.trackline.normalizer"));
        Span publish = sdk.getTracer("upstream")
                .spanBuilder("publish trackline.raw.v1")
                .startSpan();
        publish.end();

        send(publish);

        List<TestRecord<byte[], byte[]>> published = events.readRecordsToList();
        assertThat(published).hasSizeGreaterThan(1);
        SpanData normalize = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("normalize " + Topics.RAW))
                .findFirst()
                .orElseThrow();
        assertThat(normalize.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(normalize.getTraceId()).isEqualTo(publish.getSpanContext().getTraceId());
        assertThat(normalize.getParentSpanId())
                .isEqualTo(publish.getSpanContext().getSpanId());
        assertThat(published)
                .allSatisfy(e -> assertThat(traceparent(e))
                        .isEqualTo("00-" + normalize.getTraceId() + "-" + normalize.getSpanId() + "-01"));
    }

    @Test
    void aRawRecordWithoutContextStartsATraceAndTracingOffWritesNoHeader() {
        start(RecordTracing.of(sdk, "io.trackline.normalizer"));
        send(null);
        SpanData normalize = spans.getFinishedSpanItems().get(0);
        assertThat(normalize.getParentSpanContext().isValid()).isFalse();
        assertThat(events.readRecordsToList())
                .allSatisfy(e -> assertThat(traceparent(e)).contains(normalize.getSpanId()));
        driver.close();

        driver = null;
        start(RecordTracing.off());
        Span upstream = sdk.getTracer("upstream").spanBuilder("publish").startSpan();
        upstream.end();
        send(upstream);
        assertThat(events.readRecordsToList())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(traceparent(e)).isNull());
    }
}
