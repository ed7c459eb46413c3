package io.trackline.pollers.carrier;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Keeps credentials out of the pollers' spans: 247Express's API key travels in the query string, and the REST
 * Client's spans carry the request's URL ({@code url.full}, and in older conventions {@code http.url},
 * {@code http.target}). When a span starts, with the attributes its instrumentation gave it, every URL attribute and
 * the span's name are passed through {@link Masking#mask(String)}, as the pollers' logs are, so no exporter ever sees
 * the key. Quarkus' OpenTelemetry SDK takes every {@link SpanProcessor} bean; with the SDK off this bean is never
 * called.
 */
@ApplicationScoped
public class MaskingSpanProcessor implements SpanProcessor {

    static final List<AttributeKey<String>> URL_ATTRIBUTES = List.of(
            AttributeKey.stringKey("url.full"),
            AttributeKey.stringKey("url.query"),
            AttributeKey.stringKey("url.original"),
            AttributeKey.stringKey("http.url"),
            AttributeKey.stringKey("http.target"));

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        for (AttributeKey<String> key : URL_ATTRIBUTES) {
            String value = span.getAttribute(key);
            if (value != null) {
                String masked = Masking.mask(value);
                if (!masked.equals(value)) {
                    span.setAttribute(key, masked);
                }
            }
        }
        String name = span.getName();
        String masked = Masking.mask(name);
        if (masked != null && !masked.equals(name)) {
            span.updateName(masked);
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
