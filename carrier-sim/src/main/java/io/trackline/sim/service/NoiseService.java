package io.trackline.sim.service;

import io.trackline.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The noise in force, changeable at run time ({@code PUT /sim/noise}). Per-request decisions (fail, be slow) come
 * from a seeded stream, but which request gets them depends on the order clients call in, so they are not
 * reproducible the way lifecycles are.
 */
@ApplicationScoped
public class NoiseService {

    private volatile NoiseSettings settings;
    private final SplittableRandom random;

    public NoiseService(SimConfig config) {
        this.settings = NoiseSettings.of(config.noise());
        this.random = new SplittableRandom(Seeds.mix(config.seed(), 0x4E015EL));
    }

    public NoiseSettings settings() {
        return settings;
    }

    public void update(NoiseSettings settings) {
        this.settings = settings;
    }

    /** Whether this answer fails. */
    public synchronized boolean fails() {
        double rate = settings.failureRate();
        return rate > 0 && random.nextDouble() < rate;
    }

    /** How long to hold this answer back (zero: not at all). */
    public synchronized Duration delay() {
        NoiseSettings current = settings;
        return current.slowRate() > 0 && random.nextDouble() < current.slowRate() ? current.slowDelay() : Duration.ZERO;
    }

    /** A number from a seeded stream, for picking which failure a carrier answers. */
    public synchronized int pick(int bound) {
        return random.nextInt(bound);
    }
}
