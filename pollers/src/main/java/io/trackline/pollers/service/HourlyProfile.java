package io.trackline.pollers.service;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * How busy one kind of parcel work is at each local hour (0 = none, 1 = the busiest hour), and on Sundays: the shape
 * every parcel network shares. Couriers collect from senders in business hours, vans leave the hubs in the morning,
 * doorstep deliveries happen in the day, trunks between hubs run mostly at night, and nothing is handed over at
 * 3 a.m.
 *
 * @param hours  weight of each local hour, 0..23
 * @param sunday factor for Sundays (fewer rounds)
 */
public record HourlyProfile(String name, double[] hours, double sunday) {

    /** Collections from senders and intake at the hub. */
    public static final HourlyProfile BUSINESS = new HourlyProfile(
            "business",
            new double[] {0, 0, 0, 0, 0, 0, 0, 0.2, 0.8, 1, 1, 1, 0.7, 1, 1, 1, 1, 0.8, 0.3, 0, 0, 0, 0, 0},
            0.15);

    /** Vans leaving the delivery hub. */
    public static final HourlyProfile MORNING = new HourlyProfile(
            "morning",
            new double[] {0, 0, 0, 0, 0, 0, 0.2, 0.8, 1, 1, 0.6, 0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            0.3);

    /** Doorstep deliveries and failed attempts. */
    public static final HourlyProfile DAYTIME = new HourlyProfile(
            "daytime",
            new double[] {0, 0, 0, 0, 0, 0, 0, 0.1, 0.5, 0.9, 1, 1, 0.8, 0.9, 1, 1, 1, 0.9, 0.7, 0.4, 0.2, 0, 0, 0},
            0.4);

    /** Line-haul between hubs: any hour, most at night. */
    public static final HourlyProfile LINEHAUL = new HourlyProfile(
            "linehaul",
            new double[] {
                1, 1, 1, 1, 0.9, 0.7, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
                1
            },
            1);

    /** On-demand couriers: early morning to late night, most days alike. */
    public static final HourlyProfile COURIERS = new HourlyProfile(
            "couriers",
            new double[] {0, 0, 0, 0, 0, 0, 0.1, 0.6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.9, 0.5, 0.1},
            0.9);

    /** Every hour alike (a delivery signed minutes after the van arrived). */
    public static final HourlyProfile ALWAYS = new HourlyProfile("always", filled(1), 1);

    public HourlyProfile {
        if (hours.length != 24) {
            throw new IllegalArgumentException("an hourly profile has 24 weights");
        }
        hours = hours.clone();
    }

    /** The weight at {@code at} in {@code zone}. */
    public double weight(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        double w = hours[local.getHour()];
        return local.getDayOfWeek() == DayOfWeek.SUNDAY ? w * sunday : w;
    }

    private static double[] filled(double w) {
        double[] h = new double[24];
        java.util.Arrays.fill(h, w);
        return h;
    }
}
