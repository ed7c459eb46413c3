package io.trackline.sim.carrier.all24;

/** A place as all24 writes it: a location object, and for sender and recipient an address line. */
public record All24Place(
        String locationRef, String locationName, String addressline1, String serviceArea, String postcode) {}
