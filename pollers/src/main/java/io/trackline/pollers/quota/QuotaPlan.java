package io.trackline.pollers.quota;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.trackline.events.Carrier;
import io.trackline.pollers.config.QuotaConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every account may spend: each carrier limit less its margin, shaped as token-bucket bandwidths that can never
 * let more than that budget through in the carrier's window (docs/pollers.md, "Quota").
 *
 * <ul>
 *   <li>A rolling window W (MrSpeedy's 60 s and 24 h, all24's and 247Express's 60 s) with budget B: a greedy bucket of
 *       capacity C and refill B − C per W. Any interval of length W sees at most the C tokens it starts with plus
 *       B − C refilled: B.
 *   <li>A calendar day (247Express, midnight to midnight in Asia/Ho_Chi_Minh) with budget B: capacity B refilled all at
 *       once at each local midnight (Bucket4j's intervally aligned refill). No token appears between two midnights,
 *       so a calendar day never sees more than B, and the whole day's budget can be saved for the hours when
 *       shipments move.
 * </ul>
 */
public final class QuotaPlan {

    public static final String PER_MINUTE = "per_minute";
    public static final String DAILY = "daily";
    public static final String OVERALL = "overall";

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofDays(1);

    /** How a carrier counts its daily limit. */
    public enum Day {
        /** Any 24 hours (MrSpeedy; all24, which says nothing, is held to the stricter reading). */
        ROLLING,
        /** Midnight to midnight in the carrier's zone (247Express: "times/day"; carrier-sim counts so too). */
        CALENDAR
    }

    /** One carrier's limits as configured, before the margin. */
    public record CarrierLimits(
            long perMinuteLimit,
            OptionalLong dailyLimit,
            OptionalLong overallDailyLimit,
            double margin,
            Map<String, QuotaConfig.AccountLimits> accounts) {

        public CarrierLimits {
            if (!(margin >= 0 && margin < 1)) {
                throw new IllegalArgumentException("a quota margin is at least 0 and below 1, not " + margin);
            }
            accounts = Map.copyOf(accounts);
        }
    }

    /**
     * One account's budgets after the margin.
     *
     * @param perMinute look-ups in any 60 s
     * @param daily     look-ups per day (rolling or calendar, as {@link #day()}), if the carrier has a daily limit
     */
    public record Budget(Carrier carrier, String account, long perMinute, OptionalLong daily, Day day, ZoneId zone) {}

    private final Map<Carrier, CarrierLimits> limits;

    public QuotaPlan(Map<Carrier, CarrierLimits> limits) {
        this.limits = new EnumMap<>(limits);
        for (Carrier carrier : Carrier.values()) {
            if (!this.limits.containsKey(carrier)) {
                throw new IllegalArgumentException("no quota limits for " + carrier);
            }
        }
    }

    public static QuotaPlan from(QuotaConfig config) {
        QuotaConfig.All24 all24 = config.all24();
        QuotaConfig.Express247 express = config.express247();
        QuotaConfig.MrSpeedy mrspeedy = config.mrspeedy();
        Map<Carrier, CarrierLimits> limits = new EnumMap<>(Carrier.class);
        limits.put(
                Carrier.ALL24,
                new CarrierLimits(
                        all24.perMinuteLimit(),
                        all24.dailyLimit(),
                        OptionalLong.empty(),
                        all24.margin(),
                        all24.accounts()));
        limits.put(
                Carrier.EXPRESS247,
                new CarrierLimits(
                        express.perMinuteLimit(),
                        OptionalLong.of(express.dailyLimit()),
                        OptionalLong.of(express.overallDailyLimit()),
                        express.margin(),
                        express.accounts()));
        limits.put(
                Carrier.MRSPEEDY,
                new CarrierLimits(
                        mrspeedy.perMinuteLimit(),
                        OptionalLong.of(mrspeedy.dailyLimit()),
                        OptionalLong.empty(),
                        mrspeedy.margin(),
                        mrspeedy.accounts()));
        QuotaPlan plan = new QuotaPlan(limits);
        plan.validate();
        return plan;
    }

    /** Fails at start-up, naming the setting, when a budget cannot be shaped (below 2 look-ups after the margin). */
    public void validate() {
        for (Carrier carrier : Carrier.values()) {
            check(budget(carrier, "-"));
            limits.get(carrier).accounts().keySet().forEach(account -> check(budget(carrier, account)));
            overall(carrier).ifPresent(b -> bandwidthOverall(carrier));
        }
    }

    private void check(Budget budget) {
        accountBucket(budget);
    }

    /** The carrier's zone, in which its day begins: all24 and MrSpeedy are in Bangkok, 247Express in Ho Chi Minh City. */
    public static ZoneId zone(Carrier carrier) {
        return switch (carrier) {
            case ALL24, MRSPEEDY -> ZoneId.of("Asia/Bangkok");
            case EXPRESS247 -> ZoneId.of("Asia/Ho_Chi_Minh");
        };
    }

    public static Day day(Carrier carrier) {
        return carrier == Carrier.EXPRESS247 ? Day.CALENDAR : Day.ROLLING;
    }

    /** The next midnight in the carrier's zone after {@code now}: when its calendar day, and a spent quota, renew. */
    public static Instant nextMidnight(Carrier carrier, Instant now) {
        ZoneId zone = zone(carrier);
        LocalDate today = LocalDate.ofInstant(now, zone);
        return today.plusDays(1).atStartOfDay(zone).toInstant();
    }

    public Budget budget(Carrier carrier, String account) {
        CarrierLimits carrierLimits = limits.get(carrier);
        Optional<QuotaConfig.AccountLimits> own =
                Optional.ofNullable(carrierLimits.accounts().get(account));
        long perMinute = own.flatMap(a -> boxed(a.perMinuteLimit())).orElse(carrierLimits.perMinuteLimit());
        OptionalLong daily =
                own.flatMap(a -> boxed(a.dailyLimit())).map(OptionalLong::of).orElse(carrierLimits.dailyLimit());
        OptionalLong dailyBudget = daily.isPresent()
                ? OptionalLong.of(lessMargin(daily.getAsLong(), carrierLimits.margin()))
                : OptionalLong.empty();
        return new Budget(
                carrier,
                account,
                lessMargin(perMinute, carrierLimits.margin()),
                dailyBudget,
                day(carrier),
                zone(carrier));
    }

    /** The budget over all of the carrier's accounts together, after the margin (247Express's 3,000,000). */
    public OptionalLong overall(Carrier carrier) {
        CarrierLimits carrierLimits = limits.get(carrier);
        OptionalLong overall = carrierLimits.overallDailyLimit();
        return overall.isPresent()
                ? OptionalLong.of(lessMargin(overall.getAsLong(), carrierLimits.margin()))
                : OptionalLong.empty();
    }

    /** Accounts named in the quota configuration (those with limits of their own). */
    public Set<String> configuredAccounts(Carrier carrier) {
        return new TreeSet<>(limits.get(carrier).accounts().keySet());
    }

    /** {@code limit × (1 − margin)}, rounded down, in decimal so that 5,000 less 10 % is 4,500 and not 4,499. */
    static long lessMargin(long limit, double margin) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a quota limit is positive, not " + limit);
        }
        return BigDecimal.valueOf(limit)
                .multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(margin)))
                .setScale(0, RoundingMode.FLOOR)
                .longValueExact();
    }

    /** The account's own bucket: its per-minute and daily bandwidths, consumed together in one transaction. */
    public BucketConfiguration accountBucket(Budget budget) {
        ConfigurationBuilder builder =
                BucketConfiguration.builder().addLimit(rolling(PER_MINUTE, budget.perMinute(), MINUTE, 60));
        budget.daily()
                .ifPresent(daily -> builder.addLimit(
                        budget.day() == Day.CALENDAR
                                ? calendarDay(DAILY, daily, budget.zone())
                                : rolling(DAILY, daily, DAY, 4)));
        return builder.build();
    }

    /** The bucket all of the carrier's accounts share, if it has an overall limit. */
    public Optional<BucketConfiguration> overallBucket(Carrier carrier) {
        if (overall(carrier).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(BucketConfiguration.builder()
                .addLimit(bandwidthOverall(carrier))
                .build());
    }

    private Bandwidth bandwidthOverall(Carrier carrier) {
        long budget = overall(carrier).orElseThrow();
        return day(carrier) == Day.CALENDAR
                ? calendarDay(OVERALL, budget, zone(carrier))
                : rolling(OVERALL, budget, DAY, 4);
    }

    /**
     * A rolling window: capacity {@code budget / share} (at least 1), the rest refilled greedily over the window, so
     * capacity + refill = budget. For the minute the capacity is one second's share: a burst never exceeds what the
     * rate would give in a second or two (all24 counts per second and says no number). For the day it is a quarter,
     * so that six quiet night hours' refill is kept for the day instead of lost at a full bucket.
     */
    static Bandwidth rolling(String id, long budget, Duration window, int share) {
        if (budget < 2) {
            throw new IllegalArgumentException("a " + id + " budget of " + budget
                    + " after the margin cannot be a token bucket: raise the limit or lower the margin");
        }
        long capacity = Math.max(1, ceilDiv(budget, share));
        if (capacity >= budget) {
            capacity = budget - 1;
        }
        long refill = budget - capacity;
        return Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(refill, window)
                .id(id)
                .build();
    }

    /**
     * A calendar day in {@code zone}: the whole budget, refilled at every local midnight. The refill grid is anchored
     * at midnight of 2000-01-01 and steps by 24 h, which keeps to local midnights only in a zone without daylight
     * saving from then on (both carriers' zones): checked here.
     */
    static Bandwidth calendarDay(String id, long budget, ZoneId zone) {
        Instant anchor = LocalDate.of(2000, 1, 1).atStartOfDay(zone).toInstant();
        if (zone.getRules().nextTransition(anchor) != null) {
            throw new IllegalArgumentException(zone + " changes its offset: a calendar-day quota needs a fixed one");
        }
        return Bandwidth.builder()
                .capacity(budget)
                .refillIntervallyAligned(budget, DAY, anchor)
                .id(id)
                .build();
    }

    /**
     * Tokens a bandwidth can still give before {@code nanosToMidnight} has passed: what it holds, plus what a greedy
     * refill adds until then (an aligned daily refill adds nothing before midnight).
     */
    static long deliverableBefore(Bandwidth bandwidth, long tokens, long nanosToMidnight) {
        long held = Math.max(0, tokens);
        if (bandwidth.isRefillIntervally()) {
            return held;
        }
        double refill = (double) bandwidth.getRefillTokens() * nanosToMidnight / bandwidth.getRefillPeriodNanos();
        return held + (long) refill;
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    private static Optional<Long> boxed(OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }
}
