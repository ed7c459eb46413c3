package io.trackline.ingest.tracing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service with its OpenTelemetry SDK on, exporting to {@link TestSpans} at once. */
public class TracingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "20ms");
    }
}
