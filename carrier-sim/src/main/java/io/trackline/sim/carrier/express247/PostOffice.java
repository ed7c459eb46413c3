package io.trackline.sim.carrier.express247;

/** A 247Express post office or sorting centre, with its province. */
public record PostOffice(String id, String name, String provinceId, String provinceName) {}
