package io.trackline.sim.carrier.mrspeedy;

/**
 * What a MrSpeedy change carries besides its code, and how its callback misbehaves.
 *
 * @param point the point visited, or -1 for a status change
 * @param courier the courier who takes the order on an {@code active} change, or -1
 * @param copies how many times the callback is sent (2: a duplicate)
 * @param late the callback is held back until a minute after the next change (out of order)
 */
public record MrSpeedyStep(int point, int courier, int copies, boolean late) {}
