package io.trackline.sim.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.trackline.sim.carrier.all24.All24Lifecycle;
import io.trackline.sim.carrier.express247.Express247Lifecycle;
import io.trackline.sim.carrier.mrspeedy.MrSpeedyLifecycle;
import io.trackline.sim.config.SimConfig;
import io.trackline.sim.repository.ChangeLog;
import io.trackline.sim.repository.ShipmentRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Engines outside Quarkus, on a manual clock, for tests that advance simulated weeks in milliseconds. */
final class Engines {

    static final Instant START = Instant.parse("2026-11-24T01:00:00Z");

    private Engines() {}

    static SimConfig config(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put("trackline.sim.demo.mrspeedy-secret", "not-used");
        p.put("trackline.sim.all24.accounts.demo.api-key", "k1");
        p.put("trackline.sim.all24.accounts.demo.customer-id", "12345");
        p.put("trackline.sim.all24.accounts.shop2.api-key", "k2");
        p.put("trackline.sim.all24.accounts.shop2.customer-id", "777");
        p.put("trackline.sim.247express.accounts.demo.api-key", "k3");
        p.put("trackline.sim.mrspeedy.accounts.demo.auth-token", "k4");
        p.put("trackline.sim.mrspeedy.accounts.shop2.auth-token", "k5");
        for (String carrier : List.of("all24", "247express", "mrspeedy")) {
            p.put("trackline.sim.traffic." + carrier + ".per-day", "400");
            p.put("trackline.sim.traffic." + carrier + ".count", "300");
        }
        // Keep every shipment for inspection unless a test asks for forgetting.
        p.put("trackline.sim.engine.retention", "1000d");
        p.put("trackline.sim.noise.duplicate-rate", "0.1");
        p.put("trackline.sim.noise.reorder-rate", "0.1");
        p.put("trackline.sim.noise.unknown-code-rate", "0.1");
        p.putAll(overrides);
        // Quarkus' own converter reads "24h" and "100ms", as in application.properties.
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SimConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(p, "test", 500))
                .build();
        return config.getConfigMapping(SimConfig.class);
    }

    static SimEngine engine(SimConfig config, SimClock clock) {
        return new SimEngine(
                config,
                clock,
                new ShipmentRepository(),
                new ChangeLog(config),
                new NoiseService(config),
                List.of(new All24Lifecycle(config), new Express247Lifecycle(config), new MrSpeedyLifecycle(config)),
                List.of(),
                new SimpleMeterRegistry());
    }
}
