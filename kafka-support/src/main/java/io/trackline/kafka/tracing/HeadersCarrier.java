package io.trackline.kafka.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka record headers as the carrier of OpenTelemetry's text-map propagation: a field is a header of that name, its
 * value UTF-8 text. Setting a field replaces every header of that name (a record read again and sent on keeps one
 * {@code traceparent}); getting one reads the last header of that name.
 */
enum HeadersCarrier implements TextMapGetter<Headers>, TextMapSetter<Headers> {
    INSTANCE;

    @Override
    public void set(Headers headers, String key, String value) {
        if (headers == null || key == null || value == null) {
            return;
        }
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Iterable<String> keys(Headers headers) {
        List<String> keys = new ArrayList<>();
        if (headers != null) {
            for (Header h : headers) {
                keys.add(h.key());
            }
        }
        return keys;
    }

    @Override
    public String get(Headers headers, String key) {
        if (headers == null || key == null) {
            return null;
        }
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
