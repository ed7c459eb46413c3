package io.trackline.sim.carrier;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.random.RandomGenerator;

/**
 * How likely a kind of change is at each local hour of the day (0..1), and on Sundays: pickups happen in business
 * hours, vans leave in the morning, deliveries happen in the day, line-haul runs at night. {@link #next} samples the
 * time of the next such change by thinning a Poisson process (Lewis and Shedler): candidate times come at the busy-hour
 * rate and each is kept with the hour's weight, so nothing happens in an hour of weight 0.
 */
public record DayProfile(String name, double[] hours, double sunday) {

    public static final DayProfile ALWAYS = of("always", 1, 0, 24, 1);
    /** Merchants place orders mostly from the morning to late evening. */
    public static final DayProfile ORDERS = new DayProfile(
            "orders",
            new double[] {
                0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.15, 0.35, 0.6, 0.85, 1, 1, 1, 1, 1, 1, 0.95, 0.9, 0.9, 0.95, 1,
                0.9, 0.6, 0.25
            },
            0.7);

    public static final DayProfile BUSINESS = new DayProfile(
            "business",
            new double[] {0, 0, 0, 0, 0, 0, 0, 0.2, 0.8, 1, 1, 1, 0.7, 1, 1, 1, 1, 0.8, 0.3, 0, 0, 0, 0, 0},
            0.15);
    /** Vans leave the hub in the morning. */
    public static final DayProfile MORNING = new DayProfile(
            "morning",
            new double[] {0, 0, 0, 0, 0, 0, 0.2, 0.8, 1, 1, 0.6, 0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            0.3);
    /** Doorstep deliveries and attempts. */
    public static final DayProfile DAYTIME = new DayProfile(
            "daytime",
            new double[] {0, 0, 0, 0, 0, 0, 0, 0.1, 0.5, 0.9, 1, 1, 0.8, 0.9, 1, 1, 1, 0.9, 0.7, 0.4, 0.2, 0, 0, 0},
            0.4);
    /** Line-haul between hubs: any time, most at night. */
    public static final DayProfile LINEHAUL = new DayProfile(
            "linehaul",
            new double[] {
                1, 1, 1, 1, 0.9, 0.7, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
                1
            },
            1);
    /** MrSpeedy's dispatchers and couriers work from early morning to late night. */
    public static final DayProfile COURIERS = new DayProfile(
            "couriers",
            new double[] {0, 0, 0, 0, 0, 0, 0.1, 0.6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.9, 0.5, 0.1},
            0.9);

    private static final int MAX_CANDIDATES = 100_000;

    public DayProfile {
        if (hours.length != 24) {
            throw new IllegalArgumentException("24 hourly weights");
        }
    }

    private static DayProfile of(String name, double weight, int from, int to, double sunday) {
        double[] hours = new double[24];
        for (int h = from; h < to; h++) {
            hours[h] = weight;
        }
        return new DayProfile(name, hours, sunday);
    }

    public double weight(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        double w = hours[local.getHour()];
        return local.getDayOfWeek() == DayOfWeek.SUNDAY ? w * sunday : w;
    }

    /** The sum of the hourly weights: how many fully busy hours a day has, to turn per-day rates into a rate. */
    public double busyHoursPerDay() {
        double sum = 0;
        for (double w : hours) {
            sum += w;
        }
        return sum;
    }

    /**
     * The time of the next change after {@code from}, whole seconds, at least one second later.
     *
     * @param mean mean waiting time counted in fully busy hours
     */
    public Instant next(Instant from, Duration mean, ZoneId zone, RandomGenerator random) {
        double meanSeconds = Math.max(1, mean.toSeconds());
        Instant t = from;
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            double wait = -Math.log(1 - random.nextDouble()) * meanSeconds;
            t = t.plusMillis(Math.max(1, (long) (wait * 1000)));
            if (random.nextDouble() < weight(t, zone)) {
                break;
            }
        }
        Instant whole = t.truncatedTo(ChronoUnit.SECONDS);
        return whole.isAfter(from) ? whole : from.plusSeconds(1);
    }
}
