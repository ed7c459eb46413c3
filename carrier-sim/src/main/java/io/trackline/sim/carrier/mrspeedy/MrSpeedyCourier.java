package io.trackline.sim.carrier.mrspeedy;

/** A courier who takes the order (a reactivated order gets another). */
public record MrSpeedyCourier(long courierId, String name, String phone) {}
