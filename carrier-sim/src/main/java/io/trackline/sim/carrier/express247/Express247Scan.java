package io.trackline.sim.carrier.express247;

/**
 * How a status step shows: in {@code statuses[]} when the order's status changes, in {@code trackings[]} when it was
 * scanned at a post office (both, often).
 */
public record Express247Scan(boolean statusChange, PostOffice office, String trackingName, String notes) {}
