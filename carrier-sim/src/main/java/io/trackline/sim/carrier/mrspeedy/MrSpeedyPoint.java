package io.trackline.sim.carrier.mrspeedy;

import java.time.Instant;

/** An address the courier visits: the first is the pickup, the last the drop-off. */
public record MrSpeedyPoint(
        long pointId,
        String address,
        String latitude,
        String longitude,
        Instant requiredStart,
        Instant requiredFinish,
        String contactName,
        String phone,
        String clientOrderId,
        String note) {}
