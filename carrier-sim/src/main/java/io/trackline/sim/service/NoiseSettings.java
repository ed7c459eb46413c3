package io.trackline.sim.service;

import io.trackline.sim.config.SimConfig;
import java.time.Duration;

/**
 * The noise in force: failing and slow answers (decided per request), duplicate and reordered callbacks and
 * undocumented codes (decided when a shipment is planned, from its own random stream). Rates are probabilities.
 */
public record NoiseSettings(
        double failureRate,
        double slowRate,
        Duration slowDelay,
        double duplicateRate,
        double reorderRate,
        double unknownCodeRate) {

    public static final NoiseSettings NONE = new NoiseSettings(0, 0, Duration.ZERO, 0, 0, 0);

    public NoiseSettings {
        for (double rate : new double[] {failureRate, slowRate, duplicateRate, reorderRate, unknownCodeRate}) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("noise rates are probabilities from 0 to 1");
            }
        }
        if (slowDelay == null || slowDelay.isNegative() || slowDelay.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("slowDelay must be from 0 to 5 minutes");
        }
    }

    public static NoiseSettings of(SimConfig.Noise config) {
        return new NoiseSettings(
                config.failureRate(),
                config.slowRate(),
                config.slowDelay(),
                config.duplicateRate(),
                config.reorderRate(),
                config.unknownCodeRate());
    }
}
