package io.trackline.pollers.service;

import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.pollers.config.SchedulingConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The change rate λ(t) of one shipment's tracking, in changes per hour: how likely the carrier's answer is to hold
 * news at time {@code t}, from what Trackline knows of the shipment (carrier, canonical status, since when, the
 * carrier's ETA) and the local hour in the carrier's zone.
 *
 * <p>Each status has one or more ways out, each a kind of work with its own hours ({@link HourlyProfile}) and a mean
 * wait counted in fully busy hours: λ(t) = Σ weight(t) / mean, as for a Poisson process thinned by the hour. A
 * shipment at the hub in the evening has rate 0 until the vans leave at 7; one on the van has a high rate through
 * the day and 0 at night. Two corrections: the longer a shipment has sat in one status the less likely it is to move
 * soon (rate × 1 / (1 + dwell / stale-after): waits are a mixture, and the long ones are the stuck ones), and near
 * the carrier's ETA deliveries are likelier (rate × (1 + eta-boost) within eta-window of it). A floor (night-floor ×
 * the busiest rate) keeps every rate above 0, so a carrier working at an hour it usually does not is found
 * eventually.
 *
 * <p>The table is data: the canonical statuses as docs/mapping.md maps each carrier's codes (all24's 100000 "Goods
 * received" is {@code IN_TRANSIT} at the hub, its 200000 "Picked up" {@code PICKED_UP} onto the van, 300000 "Goods
 * arrived" {@code OUT_FOR_DELIVERY} at the door). The means are orders of magnitude of parcel networks (a hub
 * handles a parcel within a working day, a van round takes a morning, a doorstep signature minutes), not fitted to
 * any test carrier; docs/pollers.md says why each is what it is.
 */
public final class HazardModel {

    /** One way out of a status: a kind of work and its mean wait in fully busy hours. */
    public record Exit(HourlyProfile profile, double meanBusyHours) {}

    private static final ZoneId BANGKOK = ZoneId.of("Asia/Bangkok");
    private static final ZoneId HO_CHI_MINH = ZoneId.of("Asia/Ho_Chi_Minh");

    /** Statuses after which a delivery comes next: the ETA matters to them. */
    private static final List<CanonicalStatus> BEFORE_DELIVERY = List.of(
            CanonicalStatus.PICKED_UP,
            CanonicalStatus.IN_TRANSIT,
            CanonicalStatus.OUT_FOR_DELIVERY,
            CanonicalStatus.DELIVERY_FAILED);

    private final Map<Carrier, Map<CanonicalStatus, List<Exit>>> table = new EnumMap<>(Carrier.class);
    private final Map<Carrier, List<Exit>> unknown = new EnumMap<>(Carrier.class);
    private final Map<Carrier, Double> floors = new EnumMap<>(Carrier.class);
    private final double nightFloor;
    private final double staleAfterHours;
    private final Duration etaWindow;
    private final double etaBoost;

    public HazardModel(double nightFloor, Duration staleAfter, Duration etaWindow, double etaBoost) {
        if (nightFloor <= 0 || nightFloor > 1) {
            throw new IllegalArgumentException("trackline.pollers.scheduling.adaptive.night-floor must be in (0, 1]");
        }
        if (staleAfter.isNegative() || staleAfter.isZero() || etaWindow.isNegative() || etaBoost < 0) {
            throw new IllegalArgumentException("stale-after must be positive, eta-window and eta-boost not negative");
        }
        this.nightFloor = nightFloor;
        this.staleAfterHours = staleAfter.toSeconds() / 3600.0;
        this.etaWindow = etaWindow;
        this.etaBoost = etaBoost;

        // all24, Bangkok: order received -> goods received at the hub (business hours) -> onto the van (morning)
        // -> arrived at the recipient (day) -> delivery complete (minutes later, often the same second).
        Map<CanonicalStatus, List<Exit>> all24 = new EnumMap<>(CanonicalStatus.class);
        all24.put(CanonicalStatus.INFO_RECEIVED, List.of(new Exit(HourlyProfile.BUSINESS, 3)));
        all24.put(CanonicalStatus.IN_TRANSIT, List.of(new Exit(HourlyProfile.MORNING, 1.5)));
        all24.put(CanonicalStatus.PICKED_UP, List.of(new Exit(HourlyProfile.DAYTIME, 2)));
        all24.put(CanonicalStatus.OUT_FOR_DELIVERY, List.of(new Exit(HourlyProfile.ALWAYS, 0.25)));
        all24.put(CanonicalStatus.DELIVERY_FAILED, List.of(new Exit(HourlyProfile.MORNING, 1.5)));
        all24.put(CanonicalStatus.RETURNING, List.of(new Exit(HourlyProfile.BUSINESS, 8)));
        table.put(Carrier.ALL24, all24);
        unknown.put(Carrier.ALL24, List.of(new Exit(HourlyProfile.DAYTIME, 4)));

        // 247Express, Ho Chi Minh City: accepted -> picked up at the sender (business hours) -> line-haul between
        // sorting centres (mostly night), scans on the way -> delivering (morning) -> delivered or a failed
        // attempt (day) -> the next morning's round; returns go back by line-haul to the origin post office.
        Map<CanonicalStatus, List<Exit>> express = new EnumMap<>(CanonicalStatus.class);
        express.put(CanonicalStatus.INFO_RECEIVED, List.of(new Exit(HourlyProfile.BUSINESS, 4)));
        express.put(CanonicalStatus.PICKED_UP, List.of(new Exit(HourlyProfile.LINEHAUL, 3)));
        express.put(
                CanonicalStatus.IN_TRANSIT,
                List.of(new Exit(HourlyProfile.LINEHAUL, 8), new Exit(HourlyProfile.MORNING, 1.5)));
        express.put(CanonicalStatus.OUT_FOR_DELIVERY, List.of(new Exit(HourlyProfile.DAYTIME, 3)));
        express.put(CanonicalStatus.DELIVERY_FAILED, List.of(new Exit(HourlyProfile.MORNING, 1.5)));
        express.put(
                CanonicalStatus.RETURNING,
                List.of(new Exit(HourlyProfile.BUSINESS, 10), new Exit(HourlyProfile.LINEHAUL, 8)));
        table.put(Carrier.EXPRESS247, express);
        unknown.put(Carrier.EXPRESS247, List.of(new Exit(HourlyProfile.DAYTIME, 4)));

        // MrSpeedy, Bangkok: same-day couriers, a status lasts minutes from early morning to late night.
        Map<CanonicalStatus, List<Exit>> speedy = new EnumMap<>(CanonicalStatus.class);
        speedy.put(CanonicalStatus.INFO_RECEIVED, List.of(new Exit(HourlyProfile.COURIERS, 0.3)));
        speedy.put(CanonicalStatus.IN_TRANSIT, List.of(new Exit(HourlyProfile.COURIERS, 0.4)));
        speedy.put(CanonicalStatus.DELIVERY_FAILED, List.of(new Exit(HourlyProfile.COURIERS, 0.5)));
        table.put(Carrier.MRSPEEDY, speedy);
        unknown.put(Carrier.MRSPEEDY, List.of(new Exit(HourlyProfile.COURIERS, 1)));

        for (Carrier c : Carrier.values()) {
            // A share of the rate of a shipment in a status the table does not know: a typical day's rate.
            double typical = unknown.get(c).stream()
                    .mapToDouble(e -> 1 / e.meanBusyHours())
                    .sum();
            floors.put(c, nightFloor * typical);
        }
    }

    public static HazardModel from(SchedulingConfig.Adaptive config) {
        return new HazardModel(config.nightFloor(), config.staleAfter(), config.etaWindow(), config.etaBoost());
    }

    /** The carrier's zone, in which its hours are reckoned. */
    public static ZoneId zone(Carrier carrier) {
        return carrier == Carrier.EXPRESS247 ? HO_CHI_MINH : BANGKOK;
    }

    /**
     * λ at {@code at}, changes per hour.
     *
     * @param status      the shipment's current canonical status, null when none is known yet
     * @param statusSince when it entered it (null: unknown, no dwell correction)
     * @param eta         the carrier's expected delivery, or null
     */
    public double rate(Carrier carrier, CanonicalStatus status, Instant statusSince, OffsetDateTime eta, Instant at) {
        if (status != null && status.isFinal()) {
            return 0;
        }
        List<Exit> exits =
                status == null ? unknown.get(carrier) : table.get(carrier).getOrDefault(status, unknown.get(carrier));
        ZoneId zone = zone(carrier);
        double rate = 0;
        for (Exit exit : exits) {
            rate += exit.profile().weight(at, zone) / exit.meanBusyHours();
        }
        rate = Math.max(rate, floors.get(carrier));
        if (statusSince != null && at.isAfter(statusSince)) {
            double dwellHours = (at.getEpochSecond() - statusSince.getEpochSecond()) / 3600.0;
            rate /= 1 + dwellHours / staleAfterHours;
        }
        if (eta != null && etaBoost > 0 && BEFORE_DELIVERY.contains(status)) {
            long away = Math.abs(at.getEpochSecond() - eta.toEpochSecond());
            if (away <= etaWindow.toSeconds()) {
                rate *= 1 + etaBoost;
            }
        }
        return rate;
    }

    public double nightFloor() {
        return nightFloor;
    }
}
