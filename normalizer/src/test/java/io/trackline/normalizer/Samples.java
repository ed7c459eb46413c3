package io.trackline.normalizer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.Source;
import io.trackline.normalizer.carrier.all24.All24Parser;
import io.trackline.normalizer.carrier.express247.Express247Parser;
import io.trackline.normalizer.carrier.mrspeedy.MrSpeedyParser;
import io.trackline.normalizer.mapping.MappingTables;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.NormalizerMetrics;
import io.trackline.samples.CarrierSample;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** The carrier documents' own examples (from carrier-samples), and a normalizer built without CDI. */
public final class Samples {

    public static final CarrierSample ALL24_EXAMPLE = CarrierSample.ALL24_TRACKING;
    public static final CarrierSample EXPRESS247 = CarrierSample.EXPRESS247_TRACKING;
    public static final CarrierSample MRSPEEDY_CALLBACK = CarrierSample.MRSPEEDY_CALLBACK;
    public static final CarrierSample MRSPEEDY_ORDERS = CarrierSample.MRSPEEDY_ORDERS;
    public static final OffsetDateTime RECEIVED = OffsetDateTime.parse("2026-11-25T12:00:00Z");

    private Samples() {}

    public static String text(CarrierSample sample) {
        return sample.text();
    }

    public static RawEnvelope envelope(Carrier carrier, Source source, String ref, String payload) {
        return RawEnvelope.of(
                carrier,
                "demo",
                source,
                ref,
                RECEIVED,
                "req-" + ref,
                "application/json",
                Map.of(),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    public static RawEnvelope envelope(
            Carrier carrier, Source source, String ref, String payload, OffsetDateTime receivedAt) {
        return RawEnvelope.of(
                carrier,
                "demo",
                source,
                ref,
                receivedAt,
                "req-" + ref,
                "application/json",
                Map.of(),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The callback example with the order moved on: courier assigned, pickup point visited. */
    public static String activeWithPickup(String payload) {
        return payload.replace("\"status\": \"available\"", "\"status\": \"active\"")
                .replace(
                        "\"event_datetime\": \"2019-02-16T17:30:13+07:00\"",
                        "\"event_datetime\": \"2019-02-16T18:05:00+07:00\"")
                .replaceFirst(
                        "\"courier_visit_datetime\": null",
                        "\"courier_visit_datetime\": \"2019-02-16T18:04:10+07:00\"");
    }

    public static NormalizerMetrics metrics(SimpleMeterRegistry registry) {
        return new NormalizerMetrics(registry);
    }

    public static Normalizer normalizer(NormalizerMetrics metrics) {
        return new Normalizer(
                List.of(new All24Parser(), new Express247Parser(), new MrSpeedyParser()),
                new MappingTables(java.util.Optional.empty()),
                metrics);
    }
}
