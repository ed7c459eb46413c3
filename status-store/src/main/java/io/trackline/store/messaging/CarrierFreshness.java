package io.trackline.store.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * How fresh each carrier's news is: {@value #FRESHNESS}{carrier} = seconds since this instance last read a canonical
 * event of the carrier from {@code trackline.events.v1}, a gauge per carrier Trackline knows from the start (before
 * the first event, the seconds since the service started), so "no events from a carrier for N minutes" is one
 * comparison. status-store sees every canonical event, whoever produced it; with several instances each reads its
 * partitions, and the freshest instance ({@code min by (carrier)}) speaks for the carrier. Created at startup, so the
 * gauges exist before the first batch.
 */
@Startup
@ApplicationScoped
public class CarrierFreshness {

    public static final String FRESHNESS = "trackline.store.carrier.freshness";

    private final Clock clock;
    private final Map<Carrier, Long> lastMillis = new EnumMap<>(Carrier.class);

    @Inject
    public CarrierFreshness(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    CarrierFreshness(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        long start = clock.millis();
        for (Carrier carrier : Carrier.values()) {
            lastMillis.put(carrier, start);
            Gauge.builder(FRESHNESS, this, f -> f.secondsSince(carrier))
                    .description("Seconds since the last canonical event of the carrier was read (since the start "
                            + "before the first)")
                    .tag("carrier", carrier.id())
                    .baseUnit("seconds")
                    .register(registry);
        }
    }

    /** Called with each batch's readable events. */
    public void seen(Collection<CanonicalEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        long now = clock.millis();
        synchronized (lastMillis) {
            for (CanonicalEvent event : events) {
                if (event.carrier() != null) {
                    lastMillis.put(event.carrier(), now);
                }
            }
        }
    }

    double secondsSince(Carrier carrier) {
        long last;
        synchronized (lastMillis) {
            last = lastMillis.get(carrier);
        }
        return Math.max(0, clock.millis() - last) / 1000.0;
    }
}
