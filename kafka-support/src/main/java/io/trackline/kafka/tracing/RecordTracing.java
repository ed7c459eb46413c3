package io.trackline.kafka.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.Config;

/**
 * The trace context of a record in its Kafka headers, for the plain producers and consumers of every service
 * (docs/tracing.md): W3C Trace Context, {@value #TRACEPARENT} and {@value #TRACESTATE}, written by the sender and read
 * by the receiver, as the OpenTelemetry Kafka instrumentation and SmallRye's Kafka connector write them.
 *
 * <ul>
 * <li>{@link #send}: a {@link SpanKind#PRODUCER} span {@code publish <topic>}, a child of the current context (the
 * callback's HTTP request, a poll), whose context is injected into the record's headers; the caller ends it when the
 * broker acknowledged the record ({@link #end}).</li>
 * <li>{@link #process}: a {@link SpanKind#CONSUMER} span {@code <operation> <topic>}, a child of the context in one
 * record's headers (a record that has none starts a trace of its own).</li>
 * <li>{@link #batch}: a consumer span for many records, which come from many traces: it links to each record's
 * context (the OpenTelemetry messaging conventions for batches); a batch of records of one trace is that trace's
 * child as well.</li>
 * </ul>
 *
 * <p>Off unless the service's OpenTelemetry SDK is on ({@code quarkus.otel.sdk.disabled=false}): then every method
 * returns at once, with {@link Span#getInvalid()} as the span, and no header is written, so tracing that is off costs
 * a branch per record and no bytes on the topic.
 */
public final class RecordTracing {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** The Quarkus setting that switches the SDK off (Trackline's default) or on. */
    public static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");

    private static final RecordTracing OFF = new RecordTracing(OpenTelemetry.noop(), "trackline", false);

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean on;

    private RecordTracing(OpenTelemetry openTelemetry, String scope, boolean on) {
        this.tracer = openTelemetry.getTracer(scope);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.on = on;
    }

    /** Tracing through {@code openTelemetry}, with the spans of instrumentation scope {@code scope}. */
    public static RecordTracing of(OpenTelemetry openTelemetry, String scope) {
        return new RecordTracing(openTelemetry, scope, true);
    }

    /** Tracing that does nothing. */
    public static RecordTracing off() {
        return OFF;
    }

    /**
     * Tracing through the service's {@code openTelemetry} when its SDK is on ({@value #SDK_DISABLED} is false, as a
     * Quarkus service reads it), else {@link #off()}: the SDK Quarkus builds while it is disabled still creates (and
     * drops) a span per call, which is work for nothing.
     */
    public static RecordTracing of(OpenTelemetry openTelemetry, Config config, String scope) {
        boolean disabled = config.getOptionalValue(SDK_DISABLED, Boolean.class).orElse(false);
        return disabled || openTelemetry == null ? OFF : of(openTelemetry, scope);
    }

    /** Whether spans are made and headers written. */
    public boolean on() {
        return on;
    }

    /**
     * Starts the producer span of {@code record} as a child of the current context and writes its context into the
     * record's headers (replacing any it had). End it with {@link #end} once the send completed.
     */
    public Span send(ProducerRecord<?, ?> record) {
        if (!on) {
            return Span.getInvalid();
        }
        SpanBuilder builder = tracer.spanBuilder("publish " + record.topic())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(OPERATION_NAME, "publish");
        if (record.partition() != null) {
            builder.setAttribute(PARTITION, Integer.toString(record.partition()));
        }
        Span span = builder.startSpan();
        inject(Context.current().with(span), record.headers());
        return span;
    }

    /** Writes {@code context} into {@code headers} (replacing what they had); nothing while off. */
    public void inject(Context context, Headers headers) {
        if (!on || headers == null) {
            return;
        }
        headers.remove(TRACEPARENT);
        headers.remove(TRACESTATE);
        propagator.inject(context, headers, (TextMapSetter<Headers>) HeadersCarrier.INSTANCE);
    }

    /** The context in {@code headers}, over the root context; the root context when they carry none or it is off. */
    public Context extract(Headers headers) {
        if (!on || headers == null || headers.lastHeader(TRACEPARENT) == null) {
            return Context.root();
        }
        return propagator.extract(Context.root(), headers, HeadersCarrier.INSTANCE);
    }

    /**
     * Starts a consumer span {@code <operation> <topic>} as the child of the context in one record's headers; end it
     * with {@link #end}. Make it current while the record's work runs, so what that work sends is its child.
     */
    public Span process(String operation, String topic, int partition, long offset, Headers headers) {
        if (!on) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(operation + " " + topic)
                .setParent(extract(headers))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(PARTITION, Integer.toString(partition))
                .setAttribute(OFFSET, offset)
                .startSpan();
    }

    /**
     * Starts a consumer span {@code <operation> <topic>} for a batch of records with a link to the context of each
     * (each distinct one once). When all the records that carry a context carry the same trace, the span is also that
     * trace's child, so a trace of one record through the pipeline reads as one tree. End it with {@link #end}.
     */
    public Span batch(String operation, String topic, Iterable<Headers> records) {
        if (!on) {
            return Span.getInvalid();
        }
        Set<SpanContext> links = new LinkedHashSet<>();
        long count = 0;
        for (Headers headers : records) {
            count++;
            SpanContext linked = Span.fromContext(extract(headers)).getSpanContext();
            if (linked.isValid()) {
                links.add(linked);
            }
        }
        SpanBuilder builder = tracer.spanBuilder(operation + " " + topic)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(BATCH_COUNT, count);
        String trace = links.isEmpty() ? null : links.iterator().next().getTraceId();
        boolean oneTrace =
                trace != null && links.stream().allMatch(c -> c.getTraceId().equals(trace));
        if (oneTrace) {
            builder.setParent(Context.root().with(Span.wrap(links.iterator().next())));
        } else {
            builder.setNoParent();
        }
        for (SpanContext linked : links) {
            builder.addLink(linked);
        }
        return builder.startSpan();
    }

    /** Ends {@code span}, as failed with {@code error} when there is one. */
    public static void end(Span span, Throwable error) {
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        }
        span.end();
    }
}
