package io.trackline.pollers.carrier;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The spans of a test JVM, kept in memory. Quarkus' OpenTelemetry exports to a {@code SpanExporter} bean instead of
 * OTLP when there is one; it is used only where a test profile switches the SDK on ({@link TracingProfile}).
 */
@ApplicationScoped
public class TestSpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
