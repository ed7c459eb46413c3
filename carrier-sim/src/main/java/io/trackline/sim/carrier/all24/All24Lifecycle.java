package io.trackline.sim.carrier.all24;

import io.trackline.events.Carrier;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import io.trackline.sim.carrier.CarrierLifecycle;
import io.trackline.sim.carrier.Choice;
import io.trackline.sim.carrier.DayProfile;
import io.trackline.sim.carrier.PlanRequest;
import io.trackline.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * all24 (Bangkok): order received, goods received at the hub in business hours, picked up onto the vehicle in the
 * morning, goods arrived at the recipient in the day and delivery complete (often in the same second, as in the
 * document's example). A failed attempt leaves no event of its own: the parcel goes back to the hub and is picked up
 * again the next morning. Codes and names are the document's history example (see docs/mapping.md).
 */
@ApplicationScoped
public class All24Lifecycle implements CarrierLifecycle {

    public static final ZoneId ZONE = ZoneId.of("Asia/Bangkok");
    public static final String FIELD = "event_code";
    static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE);

    public static final String ORDER_RECEIVED = "050000";
    public static final String GOODS_RECEIVED = "100000";
    public static final String PICKED_UP = "200000";
    public static final String GOODS_ARRIVED = "300000";
    public static final String DELIVERY_COMPLETE = "500000";
    public static final String CANCELLED_BY_CUSTOMER = "401100";
    public static final String CANCELLED_BY_CARRIER = "401101";
    /** Not in the document: a sorting-hub scan, sent as noise. */
    public static final String UNDOCUMENTED_SORTING = "250000";

    static final List<String> SCENARIOS =
            List.of("delivered", "failed_then_delivered", "cancelled_by_customer", "cancelled_by_carrier");
    private static final double[] SCENARIO_WEIGHTS = {0.84, 0.06, 0.05, 0.05};
    private static final long TRACKING_SPACE = 36L * 36 * 36 * 36 * 36 * 36;
    private static final long MANUAL_OFFSET = 1_000_000_000L;

    private static final List<All24Place> SENDERS = List.of(
            new All24Place(
                    "abc123", "Fashion F200", "F 39-40, J.J. Mall, 1, 588 Kampaeng Phet 2 Rd", "Chatuchak", "10900"),
            new All24Place("k7m2p9", "ร้านฟ้าใส แฟชั่น", "99/1 ซอยสุขุมวิท 55 (ทองหล่อ)", "Watthana", "10110"),
            new All24Place("q4r8t1", "Siam Gadget", "991 Siam Paragon, Rama 1 Rd", "Pathum Wan", "10330"),
            new All24Place("z9x3c5", "บ้านขนมไทย", "12 ถนนเจริญกรุง", "Bang Rak", "10500"));
    private static final List<All24Place> RECIPIENTS = List.of(
            new All24Place(null, "", "123/322, The Met Condo, South Sathorn road", "", ""),
            new All24Place(null, "", "88/12 ถนนรัชดาภิเษก แขวงดินแดง", "Din Daeng", "10400"),
            new All24Place(null, "Somsri K.", "45 Soi Ari 4, Phahonyothin Rd", "Phaya Thai", "10400"),
            new All24Place(null, "", "300 ถนนบางนา-ตราด", "Bang Na", "10260"),
            new All24Place(null, "Lumpini Tower, 20th floor", "1168 Rama 4 Rd", "Sathorn", "10120"));
    private static final List<All24Place> HUBS = List.of(
            new All24Place("", "Fastrak Service Limited", null, "Bangkok", "10110"),
            new All24Place("", "ศูนย์คัดแยกสินค้า บางนา", null, "Bangkok", "10260"));
    private static final All24Place VEHICLE = new All24Place("", "On vehicle", null, "Bangkok", "");

    private final SimConfig.All24 config;

    public All24Lifecycle(SimConfig config) {
        this.config = config.all24();
    }

    @Override
    public Carrier carrier() {
        return Carrier.ALL24;
    }

    @Override
    public ZoneId zone() {
        return ZONE;
    }

    @Override
    public List<String> scenarios() {
        return SCENARIOS;
    }

    @Override
    public List<String> accounts() {
        return config.accounts().keySet().stream().sorted().toList();
    }

    @Override
    public Map<String, String> references(Shipment shipment) {
        All24Order order = shipment.profile();
        return Map.of("tracking_number", order.thirdPartyNumber(), "customer_id", order.customerId());
    }

    @Override
    public String rawTime(Shipment shipment, int step) {
        return EVENT_TIME.format(shipment.steps().get(step).at());
    }

    @Override
    public Shipment plan(PlanRequest request) {
        RandomGenerator random = request.random();
        String scenario = request.scenario().orElseGet(() -> Choice.weighted(random, SCENARIOS, SCENARIO_WEIGHTS));
        long index = request.manual() ? request.index() + MANUAL_OFFSET : request.index();
        String trackingNumber =
                "HS" + base36(Choice.scramble(index, TRACKING_SPACE, 1_234_567_891L, request.salt()), 6);
        String thirdParty =
                "TP" + String.format("%08d", Choice.scramble(index, 100_000_000L, 7_777_777L, request.salt() * 7 + 13));
        String customerId = config.accounts().get(request.account()).customerId();
        All24Place sender = Choice.any(random, SENDERS);
        All24Place to = Choice.any(random, RECIPIENTS);
        All24Place recipient = new All24Place(
                randomRef(random), to.locationName(), to.addressline1(), to.serviceArea(), to.postcode());
        All24Place atRecipient = new All24Place(recipient.locationRef(), "", null, "", "");
        All24Place hub = Choice.any(random, HUBS);

        Instant t = request.createdAt().truncatedTo(ChronoUnit.SECONDS);
        Instant originOrderDate = t.minus(Duration.ofMinutes(10 + random.nextInt(50)));
        Instant expected = originOrderDate
                .atZone(ZONE)
                .toLocalDate()
                .plusDays(1)
                .atTime(LocalTime.of(23, 59))
                .atZone(ZONE)
                .toInstant();
        All24Order order = new All24Order(
                trackingNumber,
                thirdParty,
                customerId,
                randomRef(random).substring(0, 7),
                originOrderDate,
                expected,
                sender,
                recipient);

        List<Step> steps = new ArrayList<>();
        steps.add(step(t, ORDER_RECEIVED, "Order received", sender));
        if (scenario.equals("cancelled_by_customer")) {
            t = DayProfile.BUSINESS.next(t, Duration.ofHours(2), ZONE, random);
            steps.add(step(t, CANCELLED_BY_CUSTOMER, "Order cancelled (by customer)", sender));
            return shipment(request, scenario, trackingNumber, order, steps);
        }
        t = DayProfile.BUSINESS.next(t, Duration.ofHours(3), ZONE, random);
        steps.add(step(t, GOODS_RECEIVED, "Goods received", hub));
        if (Choice.chance(random, request.noise().unknownCodeRate())) {
            t = DayProfile.LINEHAUL.next(t, Duration.ofHours(1), ZONE, random);
            steps.add(new Step(
                    t,
                    FIELD,
                    UNDOCUMENTED_SORTING,
                    "Arrived at sorting hub",
                    true,
                    HUBS.get((HUBS.indexOf(hub) + 1) % HUBS.size())));
        }
        int failures = switch (scenario) {
            case "failed_then_delivered" -> 1 + random.nextInt(2);
            case "cancelled_by_carrier" -> random.nextInt(3);
            default -> 0;
        };
        for (int i = 0; i < failures; i++) {
            // Out on the van, nobody home: all24 reports nothing until the van takes the parcel out again.
            t = DayProfile.MORNING.next(t, Duration.ofHours(1), ZONE, random);
            steps.add(step(t, PICKED_UP, "Picked up", VEHICLE));
            t = t.plus(Duration.ofHours(6));
        }
        if (scenario.equals("cancelled_by_carrier")) {
            t = DayProfile.BUSINESS.next(t, Duration.ofHours(4), ZONE, random);
            steps.add(step(t, CANCELLED_BY_CARRIER, "Order cancelled (by carrier)", hub));
            return shipment(request, scenario, trackingNumber, order, steps);
        }
        t = DayProfile.MORNING.next(t, Duration.ofHours(1), ZONE, random);
        steps.add(step(t, PICKED_UP, "Picked up", VEHICLE));
        t = DayProfile.DAYTIME.next(t, Duration.ofHours(2), ZONE, random);
        steps.add(step(t, GOODS_ARRIVED, "Goods arrived", atRecipient));
        // As in the document's example, the delivery is often stamped in the same second as the arrival.
        t = Choice.chance(random, 0.35) ? t : t.plusSeconds(1 + random.nextInt(600));
        steps.add(step(t, DELIVERY_COMPLETE, "Delivery complete", atRecipient));
        return shipment(request, scenario, trackingNumber, order, steps);
    }

    private static Shipment shipment(
            PlanRequest request, String scenario, String trackingNumber, All24Order order, List<Step> steps) {
        return new Shipment(
                Carrier.ALL24,
                request.account(),
                trackingNumber,
                altReference(order.customerId(), order.thirdPartyNumber()),
                request.serial(),
                request.serial(),
                request.manual(),
                scenario,
                steps.get(0).at(),
                steps,
                order);
    }

    /** How the third-party form finds an order: the customer's id and its own tracking number. */
    public static String altReference(String customerId, String thirdPartyNumber) {
        return customerId + "/" + thirdPartyNumber;
    }

    private static Step step(Instant at, String code, String name, All24Place where) {
        return new Step(at, FIELD, code, name, false, where);
    }

    private static String randomRef(RandomGenerator random) {
        StringBuilder ref = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            ref.append(Character.forDigit(random.nextInt(36), 36));
        }
        return ref.toString();
    }

    private static String base36(long value, int width) {
        String digits = Long.toString(value, 36).toUpperCase();
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
