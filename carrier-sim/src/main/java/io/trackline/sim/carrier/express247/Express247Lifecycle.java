package io.trackline.sim.carrier.express247;

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
 * 247Express (Ho Chi Minh City): accepted, picked up in business hours, line-haul between sorting centres (mostly at
 * night), out for delivery in the morning, delivered in the day; failed attempts are PENDING_FOR_PROCEED with a delay
 * reason from the document's list and are tried again the next morning; after three the parcel goes back
 * (PENDING_FOR_RETURN, RETURNED). Some orders are cancelled before pickup, lost or confiscated in transit.
 */
@ApplicationScoped
public class Express247Lifecycle implements CarrierLifecycle {

    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    public static final String FIELD_STATUS = "status";
    public static final String FIELD_DELAY = "delayCode";
    static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE);
    /** Not in the document: a warehouse hold, sent as noise. */
    public static final String UNDOCUMENTED_STATUS = "STORED";
    /** Not in the document's list of delay reasons, sent as noise. */
    public static final String UNDOCUMENTED_DELAY = "17";

    static final List<String> SCENARIOS =
            List.of("delivered", "failed_then_delivered", "returned", "cancelled", "lost", "confiscated");
    private static final double[] SCENARIO_WEIGHTS = {0.80, 0.09, 0.05, 0.03, 0.015, 0.015};
    private static final int RETURN_AFTER_ATTEMPTS = 3;
    private static final long MANUAL_OFFSET = 5_000_000L;

    /** The document's delay reasons a doorstep attempt fails with, and how often. */
    private static final List<String> DELAYS =
            List.of("2", "12", "13", "10", "9", "11", "1", "4", "6", "8", "19", "24", "35", "40");

    private static final double[] DELAY_WEIGHTS = {20, 20, 12, 10, 6, 5, 5, 5, 3, 4, 3, 2, 3, 1};
    static final Map<String, String> DELAY_NOTES = Map.ofEntries(
            Map.entry("1", "Wrong address."),
            Map.entry("2", "The recipient is not at the address, the recipient's house is closed."),
            Map.entry("4", "Address not found."),
            Map.entry("6", "The recipient changes another address."),
            Map.entry("8", "The recipient doesn't want to receive"),
            Map.entry("9", "The recipient has no free time to receive."),
            Map.entry("10", "The recipient is requested to delivery at another time."),
            Map.entry("11", "Locked recipient's phone/subscriber, unable to contact the recipient."),
            Map.entry("12", "The recipient does not answer the phone, unable to contact the recipient."),
            Map.entry("13", "The recipient is not at home/at work."),
            Map.entry("19", "The recipient has no money."),
            Map.entry("24", "Bad weather: Heavy rain/Flood/Storm/Flood/Natural disaster."),
            Map.entry("35", "Incorrect recipient's phone number or incorrect phone number."),
            Map.entry("40", "Another reason."),
            Map.entry(UNDOCUMENTED_DELAY, "Người nhận hẹn giao lại."));
    static final Map<String, String> TRACKING_NAMES = Map.ofEntries(
            Map.entry("ACCEPTED", "Đã tiếp nhận đơn hàng"),
            Map.entry("PICKED_UP", "Đã lấy hàng"),
            Map.entry("IN_TRANSIT", "Đang vận chuyển"),
            Map.entry("DELIVERING", "Đang giao hàng"),
            Map.entry("DELIVERED", "Giao hàng thành công"),
            Map.entry("PENDING_FOR_PROCEED", "Giao hàng không thành công"),
            Map.entry("PENDING_FOR_RETURN", "Đang chuyển hoàn"),
            Map.entry("RETURNED", "Đã chuyển hoàn cho người gửi"),
            Map.entry("LOST", "Thất lạc"),
            Map.entry("CANCEL", "Đã hủy"),
            Map.entry("CONFISCATED", "Bị cơ quan chức năng tịch thu"),
            Map.entry(UNDOCUMENTED_STATUS, "Lưu kho"));

    private static final List<PostOffice> ORIGINS = List.of(
            new PostOffice("HCM01", "Bưu cục Quận 1", "79", "Hồ Chí Minh"),
            new PostOffice("HCM07", "Bưu cục Quận 7", "79", "Hồ Chí Minh"),
            new PostOffice("HCMTB", "Bưu cục Tân Bình", "79", "Hồ Chí Minh"),
            new PostOffice("HN02", "Bưu cục Cầu Giấy", "01", "Hà Nội"));
    private static final List<PostOffice> DESTINATIONS = List.of(
            new PostOffice("HCM03", "Bưu cục Quận 3", "79", "Hồ Chí Minh"),
            new PostOffice("HCMBT", "Bưu cục Bình Thạnh", "79", "Hồ Chí Minh"),
            new PostOffice("HN05", "Bưu cục Hoàn Kiếm", "01", "Hà Nội"),
            new PostOffice("DN01", "Bưu cục Hải Châu", "48", "Đà Nẵng"),
            new PostOffice("CT01", "Bưu cục Ninh Kiều", "92", "Cần Thơ"),
            new PostOffice("BD01", "Bưu cục Thủ Dầu Một", "74", "Bình Dương"),
            new PostOffice("HP01", "Bưu cục Lê Chân", "31", "Hải Phòng"));
    private static final Map<String, PostOffice> HUBS = Map.of(
            "79", new PostOffice("HCMHUB", "Trung tâm khai thác Tân Phú", "79", "Hồ Chí Minh"),
            "74", new PostOffice("HCMHUB", "Trung tâm khai thác Tân Phú", "79", "Hồ Chí Minh"),
            "92", new PostOffice("HCMHUB", "Trung tâm khai thác Tân Phú", "79", "Hồ Chí Minh"),
            "01", new PostOffice("HNHUB", "Trung tâm khai thác Long Biên", "01", "Hà Nội"),
            "31", new PostOffice("HNHUB", "Trung tâm khai thác Long Biên", "01", "Hà Nội"),
            "48", new PostOffice("DNHUB", "Trung tâm khai thác Liên Chiểu", "48", "Đà Nẵng"));
    private static final List<String> RECEIVERS = List.of(
            "Nguyễn Văn An",
            "Trần Thị Bình",
            "Lê Hoàng Cường",
            "Phạm Thu Dung",
            "Hoàng Minh Đức",
            "Võ Thị Hạnh",
            "Đặng Quốc Huy",
            "Bùi Thanh Lan");

    private final SimConfig.Express247 config;

    public Express247Lifecycle(SimConfig config) {
        this.config = config.express247();
    }

    @Override
    public Carrier carrier() {
        return Carrier.EXPRESS247;
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
        return LOCAL.format(shipment.steps().get(step).at());
    }

    @Override
    public Shipment plan(PlanRequest request) {
        RandomGenerator random = request.random();
        String scenario = request.scenario().orElseGet(() -> Choice.weighted(random, SCENARIOS, SCENARIO_WEIGHTS));
        long index = request.manual() ? request.index() + MANUAL_OFFSET : request.index();
        String orderCode = "EX247-"
                + String.format("%07d", Choice.scramble(index, 10_000_000L, 7_654_321L, request.salt() * 11 + 5));
        PostOffice origin = Choice.any(random, ORIGINS);
        PostOffice destination = Choice.any(random, DESTINATIONS);
        PostOffice originHub = HUBS.get(origin.provinceId());
        PostOffice destinationHub = HUBS.get(destination.provinceId());

        Instant t = request.createdAt().truncatedTo(ChronoUnit.SECONDS);
        Express247Order order = order(orderCode, random, t);
        List<Step> steps = new ArrayList<>();
        steps.add(status(t, "ACCEPTED", null, ""));
        if (scenario.equals("cancelled")) {
            t = DayProfile.BUSINESS.next(t, Duration.ofHours(3), ZONE, random);
            steps.add(status(t, "CANCEL", null, "Người gửi hủy đơn"));
            return shipment(request, scenario, order, steps);
        }
        t = DayProfile.BUSINESS.next(t, Duration.ofHours(4), ZONE, random);
        steps.add(status(t, "PICKED_UP", origin, "Nhân viên đã lấy hàng"));
        t = DayProfile.LINEHAUL.next(t, Duration.ofHours(3), ZONE, random);
        steps.add(status(t, "IN_TRANSIT", originHub, "Xuất khỏi trung tâm khai thác"));
        PostOffice lastSeen = originHub;
        if (!destinationHub.id().equals(originHub.id())) {
            t = DayProfile.LINEHAUL.next(t, Duration.ofHours(8), ZONE, random);
            steps.add(scan(t, "IN_TRANSIT", destinationHub, "Đến trung tâm khai thác"));
            lastSeen = destinationHub;
        }
        if (scenario.equals("lost") || scenario.equals("confiscated")) {
            boolean lost = scenario.equals("lost");
            t = DayProfile.BUSINESS.next(t.plus(Duration.ofDays(lost ? 2 : 0)), Duration.ofHours(6), ZONE, random);
            steps.add(status(
                    t,
                    lost ? "LOST" : "CONFISCATED",
                    lastSeen,
                    lost ? "Không tìm thấy bưu gửi" : "Hàng hóa vi phạm danh mục cấm"));
            return shipment(request, scenario, order, steps);
        }
        int failures = switch (scenario) {
            case "failed_then_delivered" -> 1 + random.nextInt(2);
            case "returned" -> RETURN_AFTER_ATTEMPTS;
            default -> 0;
        };
        boolean undocumented = Choice.chance(random, request.noise().unknownCodeRate());
        if (undocumented && failures == 0) {
            t = DayProfile.LINEHAUL.next(t, Duration.ofHours(2), ZONE, random);
            steps.add(new Step(
                    t,
                    FIELD_STATUS,
                    UNDOCUMENTED_STATUS,
                    UNDOCUMENTED_STATUS,
                    true,
                    new Express247Scan(true, destination, TRACKING_NAMES.get(UNDOCUMENTED_STATUS), "")));
        }
        for (int attempt = 0; attempt <= failures; attempt++) {
            if (attempt == failures && scenario.equals("returned")) {
                break;
            }
            t = DayProfile.MORNING.next(t, Duration.ofHours(1), ZONE, random);
            steps.add(status(t, "DELIVERING", destination, "Nhân viên đang giao hàng"));
            t = DayProfile.DAYTIME.next(t, Duration.ofHours(3), ZONE, random);
            if (attempt == failures) {
                steps.add(status(t, "DELIVERED", destination, "Người nhận đã ký nhận"));
                break;
            }
            String delay =
                    undocumented && attempt == 0 ? UNDOCUMENTED_DELAY : Choice.weighted(random, DELAYS, DELAY_WEIGHTS);
            steps.add(status(t, "PENDING_FOR_PROCEED", destination, DELAY_NOTES.get(delay)));
            // The delay reason comes with the failed attempt, in the same second.
            steps.add(new Step(t, FIELD_DELAY, delay, DELAY_NOTES.get(delay), delay.equals(UNDOCUMENTED_DELAY), null));
            // The next attempt is the next day's round, not later the same morning.
            t = t.plus(Duration.ofHours(12));
        }
        if (scenario.equals("returned")) {
            t = DayProfile.BUSINESS.next(t, Duration.ofHours(8), ZONE, random);
            steps.add(status(t, "PENDING_FOR_RETURN", destination, "Chuyển hoàn sau " + failures + " lần giao"));
            t = DayProfile.LINEHAUL.next(t, Duration.ofHours(8), ZONE, random);
            steps.add(scan(t, "PENDING_FOR_RETURN", originHub, "Đang chuyển hoàn về bưu cục gốc"));
            t = DayProfile.BUSINESS.next(t, Duration.ofHours(12), ZONE, random);
            steps.add(status(t, "RETURNED", origin, "Đã trả hàng cho người gửi"));
        }
        return shipment(request, scenario, order, steps);
    }

    private static Express247Order order(String orderCode, RandomGenerator random, Instant created) {
        boolean document = random.nextDouble() < 0.15;
        int realWeight = document ? 50 + random.nextInt(200) : 200 + random.nextInt(4800);
        int length = 10 + random.nextInt(40);
        int width = 10 + random.nextInt(30);
        int height = document ? 1 : 5 + random.nextInt(30);
        int calWeight = length * width * height / 6;
        long price = 22_000 + 1_000L * random.nextInt(24);
        long far = random.nextDouble() < 0.2 ? 5_000 : 0;
        long fuel = Math.round(price * 0.1);
        long vat = Math.round((price + far + fuel) * 0.08);
        Instant estimate = created.atZone(ZONE)
                .toLocalDate()
                .plusDays(2)
                .atTime(LocalTime.of(17, 0))
                .atZone(ZONE)
                .toInstant();
        return new Express247Order(
                orderCode,
                Choice.any(random, RECEIVERS),
                document ? "TL" : "HH",
                length,
                width,
                height,
                realWeight,
                calWeight,
                1,
                price,
                far,
                fuel,
                vat,
                estimate);
    }

    private static Step status(Instant at, String code, PostOffice office, String notes) {
        return new Step(
                at, FIELD_STATUS, code, code, false, new Express247Scan(true, office, TRACKING_NAMES.get(code), notes));
    }

    /** A post-office scan that does not change the order's status. */
    private static Step scan(Instant at, String code, PostOffice office, String notes) {
        return new Step(
                at,
                FIELD_STATUS,
                code,
                code,
                false,
                new Express247Scan(false, office, TRACKING_NAMES.get(code), notes));
    }

    private static Shipment shipment(PlanRequest request, String scenario, Express247Order order, List<Step> steps) {
        return new Shipment(
                Carrier.EXPRESS247,
                request.account(),
                order.orderCode(),
                null,
                request.serial(),
                request.serial(),
                request.manual(),
                scenario,
                steps.get(0).at(),
                steps,
                order);
    }
}
