package io.trackline.sim.service;

/** Derives independent random streams from the configured seed (SplitMix64's finaliser over the parts). */
public final class Seeds {

    private Seeds() {}

    public static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long part : parts) {
            h = finalise(h ^ finalise(part + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
