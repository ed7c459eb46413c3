package io.trackline.sim.carrier.mrspeedy;

import java.util.List;

/** What MrSpeedy knows of an order besides its changes. */
public record MrSpeedyOrder(
        long orderId,
        String orderName,
        String matter,
        int vehicleTypeId,
        int totalWeightKg,
        List<MrSpeedyPoint> points,
        String paymentAmount,
        List<MrSpeedyCourier> couriers) {}
