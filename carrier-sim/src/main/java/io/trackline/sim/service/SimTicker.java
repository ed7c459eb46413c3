package io.trackline.sim.service;

import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trackline.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the simulator: every {@code trackline.sim.engine.tick} (real time) the engine catches up with the simulated
 * clock, then due callbacks go out. One thread, so ticks never overlap; a manual clock is moved by tests, which may
 * also call {@link #tick()} themselves to see the result at once.
 */
@ApplicationScoped
public class SimTicker {

    private final SimConfig config;
    private final SimEngine engine;
    private final List<Ticking> work;
    private final AtomicLong ticks = new AtomicLong();
    private ScheduledExecutorService scheduler;

    public SimTicker(SimConfig config, SimEngine engine, @All List<Ticking> work) {
        this.config = config;
        this.engine = engine;
        this.work = List.copyOf(work);
    }

    void onStart(@Observes StartupEvent event) {
        long every = Math.max(1, config.engine().tick().toMillis());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sim-ticker");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::safeTick, every, every, TimeUnit.MILLISECONDS);
        SimClock clock = engine.clock();
        Log.infof(
                "carrier simulator: simulated time %s, %s clock, %.1f simulated seconds per second",
                clock.instant(), clock.manual() ? "manual" : "scaled", clock.factor());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            Log.warn("simulator tick failed", e);
        }
    }

    /** One tick: catch up with simulated time, then the work that depends on it. */
    public synchronized void tick() {
        Instant now = engine.clock().instant();
        engine.advanceTo(now);
        for (Ticking each : work) {
            each.tick(now);
        }
        ticks.incrementAndGet();
    }

    public long ticks() {
        return ticks.get();
    }
}
