package io.trackline.sim.carrier;

import java.util.List;
import java.util.random.RandomGenerator;

/** Weighted choices, drawn from a shipment's random stream. */
public final class Choice {

    private Choice() {}

    /** Picks one of {@code options} with the given weights (same length). */
    public static <T> T weighted(RandomGenerator random, List<T> options, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < options.size(); i++) {
            r -= weights[i];
            if (r < 0) {
                return options.get(i);
            }
        }
        return options.get(options.size() - 1);
    }

    public static <T> T any(RandomGenerator random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    public static boolean chance(RandomGenerator random, double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    /** A bijective scramble of {@code index} in [0, modulus): unique references that do not look sequential. */
    public static long scramble(long index, long modulus, long multiplier, long offset) {
        return Math.floorMod(Math.floorMod(index, modulus) * multiplier + offset, modulus);
    }
}
