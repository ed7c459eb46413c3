package io.trackline.pollers.carrier;

import java.util.HashMap;
import java.util.Map;

/** {@link CarrierClientsProfile} with the OpenTelemetry SDK on, exporting to {@link TestSpans} at once. */
public class TracingProfile extends CarrierClientsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("quarkus.otel.sdk.disabled", "false");
        overrides.put("quarkus.otel.bsp.schedule.delay", "20ms");
        return overrides;
    }
}
