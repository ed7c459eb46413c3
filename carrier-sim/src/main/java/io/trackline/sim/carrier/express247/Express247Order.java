package io.trackline.sim.carrier.express247;

import java.time.Instant;

/** What 247Express knows of an order besides its history. */
public record Express247Order(
        String orderCode,
        String receiverName,
        String mailerTypeID,
        int length,
        int width,
        int height,
        int realWeight,
        int calWeight,
        int quantity,
        long price,
        long farRegionFee,
        long fuelFee,
        long vat,
        Instant estimate) {

    public int weight() {
        return Math.max(realWeight, calWeight);
    }

    public long total() {
        return price + farRegionFee + fuelFee + vat;
    }
}
