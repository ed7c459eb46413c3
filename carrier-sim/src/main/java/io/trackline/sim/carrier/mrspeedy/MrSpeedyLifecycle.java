package io.trackline.sim.carrier.mrspeedy;

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
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * MrSpeedy (Bangkok, same-day couriers): new, available once a dispatcher has verified it, active when a courier takes
 * it, the pickup and drop-off visits, completed; all within the couriers' day (early morning to late night). Some
 * orders are delayed by a dispatcher and made available again, some reactivated when the courier drops them (another
 * courier takes them), some canceled before pickup. Every change is a callback.
 */
@ApplicationScoped
public class MrSpeedyLifecycle implements CarrierLifecycle {

    public static final ZoneId ZONE = ZoneId.of("Asia/Bangkok");
    public static final String FIELD_STATUS = "order.status";
    public static final String FIELD_VISIT = "point.courier_visit";
    /** Not in the document's list of statuses, sent as noise. */
    public static final String UNDOCUMENTED_STATUS = "on_hold";
    /** The first order id; on-demand orders start at {@link #FIRST_ON_DEMAND_ID}. */
    public static final long FIRST_ORDER_ID = 1_300_000L;

    public static final long FIRST_ON_DEMAND_ID = 8_000_000L;

    static final List<String> SCENARIOS = List.of("completed", "delayed", "reactivated", "canceled");
    private static final double[] SCENARIO_WEIGHTS = {0.82, 0.06, 0.06, 0.06};

    private record Place(String address, String latitude, String longitude) {}

    private static final List<Place> PLACES = List.of(
            new Place(
                    "33/5 ถนน สุขุมวิท แขวง คลองเตยเหนือ เขต วัฒนา กรุงเทพมหานคร 10110 ประเทศไทย",
                    "13.7440632",
                    "100.5541464"),
            new Place(
                    "3079/25 ถนน สุขุมวิท แขวง บางจาก เขต พระโขนง กรุงเทพมหานคร 10260 ประเทศไทย",
                    "13.6931036",
                    "100.6011547"),
            new Place(
                    "999/9 ถนน พระรามที่ 1 แขวง ปทุมวัน เขต ปทุมวัน กรุงเทพมหานคร 10330 ประเทศไทย",
                    "13.7465337",
                    "100.5391488"),
            new Place("1 ถนน สีลม แขวง สีลม เขต บางรัก กรุงเทพมหานคร 10500 ประเทศไทย", "13.7290282", "100.5340543"),
            new Place(
                    "88 ถนน รัชดาภิเษก แขวง ดินแดง เขต ดินแดง กรุงเทพมหานคร 10400 ประเทศไทย",
                    "13.7649110",
                    "100.5688462"),
            new Place(
                    "587 ถนน กำแพงเพชร 2 แขวง จตุจักร เขต จตุจักร กรุงเทพมหานคร 10900 ประเทศไทย",
                    "13.8000983",
                    "100.5510214"),
            new Place(
                    "123 ถนน บางนา-ตราด แขวง บางนา เขต บางนา กรุงเทพมหานคร 10260 ประเทศไทย",
                    "13.6680012",
                    "100.6340051"));
    private static final List<String> MATTERS =
            List.of("Documents", "เอกสาร", "Flowers", "อาหาร", "เสื้อผ้า", "Electronics (fragile)");
    private static final List<String> COURIER_NAMES =
            List.of("สมชาย ใจดี", "วิชัย แสงทอง", "Anan P.", "สมศักดิ์ มั่นคง", "Niran K.", "ประยุทธ รุ่งเรือง");
    private static final List<String> CONTACTS = List.of("คุณสมหญิง", "Khun Ploy", "คุณวีระ", "Mr. Tanaka");

    private final SimConfig.MrSpeedy config;

    public MrSpeedyLifecycle(SimConfig config) {
        this.config = config.mrspeedy();
    }

    @Override
    public Carrier carrier() {
        return Carrier.MRSPEEDY;
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
    public String rawTime(Shipment shipment, int step) {
        return MrSpeedyJson.TIME.format(shipment.steps().get(step).at());
    }

    @Override
    public Shipment plan(PlanRequest request) {
        RandomGenerator random = request.random();
        String scenario = request.scenario().orElseGet(() -> Choice.weighted(random, SCENARIOS, SCENARIO_WEIGHTS));
        long orderId = (request.manual() ? FIRST_ON_DEMAND_ID : FIRST_ORDER_ID) + request.index();
        Instant t = request.createdAt().truncatedTo(ChronoUnit.SECONDS);
        MrSpeedyOrder order = order(orderId, random, t);
        int last = order.points().size() - 1;
        double duplicates = request.noise().duplicateRate();
        double reorders = request.noise().reorderRate();

        List<Step> steps = new ArrayList<>();
        Steps add = (at, field, code, point, courier, undocumented) -> steps.add(new Step(
                at,
                field,
                code,
                null,
                undocumented,
                new MrSpeedyStep(
                        point, courier, Choice.chance(random, duplicates) ? 2 : 1, Choice.chance(random, reorders))));
        add.step(t, FIELD_STATUS, "new", -1, -1, false);
        t = DayProfile.COURIERS.next(t, Duration.ofMinutes(5), ZONE, random);
        add.step(t, FIELD_STATUS, "available", -1, -1, false);
        if (scenario.equals("delayed")) {
            t = DayProfile.COURIERS.next(t, Duration.ofMinutes(15), ZONE, random);
            add.step(t, FIELD_STATUS, "delayed", -1, -1, false);
            t = DayProfile.COURIERS.next(t, Duration.ofMinutes(60), ZONE, random);
            add.step(t, FIELD_STATUS, "available", -1, -1, false);
        }
        if (scenario.equals("canceled")) {
            t = DayProfile.COURIERS.next(t, Duration.ofMinutes(20), ZONE, random);
            add.step(t, FIELD_STATUS, "canceled", -1, -1, false);
            return shipment(request, scenario, order, steps);
        }
        t = DayProfile.COURIERS.next(t, Duration.ofMinutes(10), ZONE, random);
        add.step(t, FIELD_STATUS, "active", -1, 0, false);
        if (scenario.equals("reactivated")) {
            // The courier gave the order up before the pickup: it is available again, and another courier takes it.
            t = DayProfile.COURIERS.next(t, Duration.ofMinutes(15), ZONE, random);
            add.step(t, FIELD_STATUS, "reactivated", -1, -1, false);
            t = DayProfile.COURIERS.next(t, Duration.ofMinutes(10), ZONE, random);
            add.step(t, FIELD_STATUS, "active", -1, 1, false);
        }
        int courier = scenario.equals("reactivated") ? 1 : 0;
        t = DayProfile.COURIERS.next(t, Duration.ofMinutes(25), ZONE, random);
        add.step(t, FIELD_VISIT, "pickup", 0, -1, false);
        for (int stop = 1; stop < last; stop++) {
            t = DayProfile.COURIERS.next(t, Duration.ofMinutes(20), ZONE, random);
            add.step(t, FIELD_VISIT, "stop", stop, -1, false);
        }
        if (Choice.chance(random, request.noise().unknownCodeRate())) {
            t = DayProfile.COURIERS.next(t, Duration.ofMinutes(10), ZONE, random);
            add.step(t, FIELD_STATUS, UNDOCUMENTED_STATUS, -1, -1, true);
            t = DayProfile.COURIERS.next(t, Duration.ofMinutes(15), ZONE, random);
            add.step(t, FIELD_STATUS, "active", -1, courier, false);
        }
        t = DayProfile.COURIERS.next(t, Duration.ofMinutes(40), ZONE, random);
        add.step(t, FIELD_VISIT, "dropoff", last, -1, false);
        t = t.plusSeconds(random.nextInt(121));
        add.step(t, FIELD_STATUS, "completed", -1, -1, false);
        return shipment(request, scenario, order, steps);
    }

    @FunctionalInterface
    private interface Steps {
        void step(Instant at, String field, String code, int point, int courier, boolean undocumented);
    }

    private static MrSpeedyOrder order(long orderId, RandomGenerator random, Instant created) {
        int count = random.nextDouble() < 0.1 ? 3 : 2;
        List<MrSpeedyPoint> points = new ArrayList<>();
        int first = random.nextInt(PLACES.size());
        Instant window = created.plus(Duration.ofMinutes(30 + random.nextInt(30)));
        for (int i = 0; i < count; i++) {
            Place place = PLACES.get((first + i * (1 + random.nextInt(PLACES.size() - 1))) % PLACES.size());
            String clientOrderId =
                    i == 0 && random.nextBoolean() ? "SHOP-" + (100_000 + random.nextInt(900_000)) : null;
            points.add(new MrSpeedyPoint(
                    orderId * 3 + i,
                    place.address(),
                    place.latitude(),
                    place.longitude(),
                    window,
                    window.plus(Duration.ofMinutes(30)),
                    Choice.any(random, CONTACTS),
                    "669" + (10_000_000 + random.nextInt(90_000_000)),
                    clientOrderId,
                    i == count - 1 ? "โทรก่อนส่ง" : null));
            window = window.plus(Duration.ofMinutes(40 + random.nextInt(40)));
        }
        List<MrSpeedyCourier> couriers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            couriers.add(new MrSpeedyCourier(
                    70_000 + random.nextInt(30_000),
                    Choice.any(random, COURIER_NAMES),
                    "668" + (10_000_000 + random.nextInt(90_000_000))));
        }
        String payment = (120 + 10 * random.nextInt(20)) + ".00";
        return new MrSpeedyOrder(
                orderId,
                String.valueOf(orderId % 100_000),
                Choice.any(random, MATTERS),
                8,
                random.nextInt(5),
                points,
                payment,
                couriers);
    }

    private static Shipment shipment(PlanRequest request, String scenario, MrSpeedyOrder order, List<Step> steps) {
        return new Shipment(
                Carrier.MRSPEEDY,
                request.account(),
                Long.toString(order.orderId()),
                null,
                order.orderId(),
                request.serial(),
                request.manual(),
                scenario,
                steps.get(0).at(),
                steps,
                order);
    }
}
