import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trackline.infra.LocalPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pollers' simulated-day benchmark: drives carrier-sim and the pollers instances of one run, collects the
 * referee's truth, and computes the figures of docs/benchmarks.md ("pollers"). Run by bench/pollers/run.sh.
 *
 * <p>A <em>lane</em> is one scheduling policy: one carrier-sim (its own seeded traffic: every lane's simulator has the
 * same seed and settings, so the same shipments change at the same simulated instants), one pollers instance, and one
 * account name used at both polled carriers (all24 and 247Express). The lane's description is
 * {@code label,simUrl,pollersUrl,account,apiKey}; {@code pollersUrl} {@code -} means no pollers (the carrier-sim half
 * alone: traffic and truth, nothing subscribed).
 *
 * <pre>
 *   PollersBench anchor &lt;simUrl&gt;               prints the simulator's "wallNow simulatedNow timeFactor"
 *   PollersBench reset-db|drop-db &lt;host&gt; &lt;port&gt; &lt;user&gt; &lt;database&gt;...
 *   PollersBench drive &lt;dir&gt; &lt;start&gt; &lt;warm-up hours&gt; &lt;window hours&gt; &lt;lane&gt;...
 *                                 (start: the simulators' clock.start; the window follows the warm-up)
 *   PollersBench overrides &lt;quarkus-app dir&gt; &lt;suffix&gt;   -D options giving each consumer group a lane's own name
 *   PollersBench compacted-topics &lt;bootstrap&gt; &lt;topic&gt;...    each lane's subscriptions topic (6 partitions)
 *   PollersBench topic-counts &lt;bootstrap&gt; &lt;topic&gt;...        records on each topic (end less start offsets)
 *   PollersBench analyze &lt;dir&gt;
 *   PollersBench selftest                            the analysis on made-up truth with known answers
 * </pre>
 *
 * <p>{@code drive} subscribes every shipment a lane's simulator creates for the lane's account (GET /sim/shipments,
 * then POST /api/v1/subscriptions to the lane's pollers, in batches of up to 1,000) every 250 ms of real time, until
 * the lane's simulated clock reaches the end. When it reaches the window start it saves the referee's request counts;
 * at the end it saves the clock, every change of the account, the requests, the quotas, the summary and the pollers'
 * metrics into {@code dir/<label>/}. {@code analyze} reads them back.
 *
 * <p>The figures, per lane and carrier, over the changes that happened (simulated {@code at}) in [window start, end):
 * the change-weighted mean, p50 and p95 (nearest rank) of the detection delay, from the moment the carrier began to
 * show the change ({@code visibleAt}) to the first answer that carried it ({@code firstServedAt}), in simulated time (the
 * wall delay times the simulator's time factor); a change not served by the end counts until the end. Polls per
 * detected change: the account's requests in the window (end counts less window-start counts), over the window's
 * changes detected by the end. Quota overruns: the referee's, over the whole run. 247Express delay reasons never
 * served: the {@code delayCode} changes of the window that no answer ever carried.
 */
public final class PollersBench {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final List<String> CARRIERS = List.of("all24", "247express");
    static final Duration SUBSCRIBE_EVERY = Duration.ofMillis(250);
    static final int BATCH = 1000;
    static final String BASELINE = "round-robin";
    static final String CANDIDATE = "adaptive";
    static final double MEAN_TARGET = 0.7;
    static final double P95_TARGET = 0.8;

    static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "anchor" -> {
                JsonNode clock = get(args[1] + "/sim/clock");
                System.out.println(clock.get("wallNow").asText() + " "
                        + clock.get("simulatedNow").asText() + " "
                        + clock.get("timeFactor").asDouble());
            }
            case "reset-db", "drop-db" -> {
                for (int i = 4; i < args.length; i++) {
                    LocalPostgres.dropDatabase(args[1], Integer.parseInt(args[2]), args[3], "", args[i]);
                    if (args[0].equals("reset-db")) {
                        LocalPostgres.ensureDatabase(args[1], Integer.parseInt(args[2]), args[3], "", args[i]);
                    }
                }
            }
            case "drive" -> {
                Instant start = java.time.OffsetDateTime.parse(args[2]).toInstant();
                Instant windowStart = start.plus(Duration.ofMinutes(Math.round(Double.parseDouble(args[3]) * 60)));
                Instant end = windowStart.plus(Duration.ofMinutes(Math.round(Double.parseDouble(args[4]) * 60)));
                drive(
                        Path.of(args[1]),
                        windowStart,
                        end,
                        Arrays.stream(args, 5, args.length).map(Lane::parse).toList());
            }
            case "overrides" -> overrides(Path.of(args[1]), args[2]).forEach(System.out::println);
            case "compacted-topics" ->
                compactedTopics(args[1], Arrays.asList(args).subList(2, args.length));
            case "topic-counts" -> topicCounts(args[1], Arrays.asList(args).subList(2, args.length));
            case "analyze" -> System.out.print(analyze(Path.of(args[1])));
            case "selftest" -> selftest();
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println(
                "usage: PollersBench anchor|reset-db|drop-db|drive|analyze|selftest ... (see the class comment)");
        System.exit(2);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // drive

    record Lane(String label, String sim, String pollers, String account, String apiKey) {
        static Lane parse(String spec) {
            String[] p = spec.split(",", -1);
            if (p.length != 5) {
                throw new IllegalArgumentException("lane: label,simUrl,pollersUrl|-,account,apiKey: " + spec);
            }
            return new Lane(p[0], p[1], p[2].equals("-") ? null : p[2], p[3], p[4]);
        }
    }

    /** The simulator's clock as one reading gives it: simulated = sim + (wall now - wall) x factor. */
    record SimClock(Instant wall, Instant sim, double factor) {
        static SimClock of(JsonNode view) {
            return new SimClock(
                    Instant.parse(view.get("wallNow").asText()),
                    Instant.parse(view.get("simulatedNow").asText()),
                    view.get("timeFactor").asDouble());
        }

        Instant wallAt(Instant simulated) {
            return wall.plusNanos((long) (Duration.between(sim, simulated).toNanos() / factor));
        }

        Instant simAt(Instant wallInstant) {
            return sim.plusNanos((long) (Duration.between(wall, wallInstant).toNanos() * factor));
        }
    }

    static void drive(Path dir, Instant windowStart, Instant end, List<Lane> lanes) throws Exception {
        if (!windowStart.isBefore(end)) {
            throw new IllegalArgumentException("the window starts before the end");
        }
        Files.createDirectories(dir);
        ObjectNode run = JSON.createObjectNode();
        run.put("windowStart", windowStart.toString());
        run.put("end", end.toString());
        ArrayNode laneList = run.putArray("lanes");
        for (Lane lane : lanes) {
            laneList.addObject()
                    .put("label", lane.label())
                    .put("sim", lane.sim())
                    .put("pollers", lane.pollers())
                    .put("account", lane.account());
        }
        JSON.writeValue(dir.resolve("run.json").toFile(), run);
        ExecutorService threads = Executors.newFixedThreadPool(lanes.size());
        List<Future<String>> done = new ArrayList<>();
        for (Lane lane : lanes) {
            done.add(threads.submit(() -> driveLane(dir.resolve(lane.label()), windowStart, end, lane)));
        }
        threads.shutdown();
        for (Future<String> f : done) {
            System.out.println(f.get());
        }
    }

    /** One lane: subscribe until the end, save the request counts at the window start and everything at the end. */
    static String driveLane(Path dir, Instant windowStart, Instant end, Lane lane) throws Exception {
        Files.createDirectories(dir);
        SimClock clock = SimClock.of(get(lane.sim() + "/sim/clock"));
        if (!clock.sim().isBefore(windowStart)) {
            throw new IllegalStateException(lane.label() + ": the simulator is already past the window start");
        }
        Subscriber subscriber = new Subscriber(lane, dir.resolve("subscribed.tsv"));
        Thread subscribing = new Thread(subscriber, "subscribe-" + lane.label());
        subscribing.setDaemon(true);
        if (lane.pollers() != null) {
            subscribing.start();
        }
        sleepUntil(clock.wallAt(windowStart));
        save(dir.resolve("start-clock.json"), processedUntil(lane, windowStart));
        save(dir.resolve("start-requests.json"), get(lane.sim() + "/sim/truth/requests"));
        System.out.printf(
                "%s: window start %s reached (%d subscribed so far)%n", lane.label(), windowStart, subscriber.total());
        // Where the budget goes: the account's requests at every simulated hour of the window.
        ArrayNode hourly = JSON.createArrayNode();
        for (Instant hour = windowStart.plus(Duration.ofHours(1));
                hour.isBefore(end);
                hour = hour.plus(Duration.ofHours(1))) {
            sleepUntil(clock.wallAt(hour));
            hourly.addObject().put("at", hour.toString()).set("requests", get(lane.sim() + "/sim/truth/requests"));
        }
        save(dir.resolve("hourly-requests.json"), hourly);
        sleepUntil(clock.wallAt(end));
        // Once the engine has made every change up to the end happen (it ticks every 100 ms of real time), the truth.
        save(dir.resolve("end-clock.json"), processedUntil(lane, end));
        save(dir.resolve("requests.json"), get(lane.sim() + "/sim/truth/requests"));
        save(dir.resolve("quota.json"), get(lane.sim() + "/sim/truth/quota"));
        save(dir.resolve("changes.json"), changes(lane));
        save(dir.resolve("summary.json"), get(lane.sim() + "/sim/truth/summary"));
        subscriber.stop();
        if (lane.pollers() != null) {
            subscribing.join(10_000);
            try {
                Files.writeString(dir.resolve("pollers-metrics.txt"), text(lane.pollers() + "/q/metrics"));
            } catch (IOException e) {
                Files.writeString(dir.resolve("pollers-metrics.txt"), "# not read: " + e + "\n");
            }
        }
        return String.format(
                "%s: end %s reached; %d shipments subscribed, %d subscription requests failed",
                lane.label(), end, subscriber.total(), subscriber.failures());
    }

    /** The simulator's clock once its engine has processed everything up to {@code until} (simulated). */
    static JsonNode processedUntil(Lane lane, Instant until) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode clock = get(lane.sim() + "/sim/clock");
            if (!Instant.parse(clock.get("processedUntil").asText()).isBefore(until)) {
                return clock;
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException(lane.label() + ": the simulator's engine did not reach " + until + " in 5 s");
    }

    /** Every change of the lane's account, oldest first, page by page. */
    static ArrayNode changes(Lane lane) throws IOException, InterruptedException {
        ArrayNode all = JSON.createArrayNode();
        long since = 0;
        while (true) {
            JsonNode page = get(
                    lane.sim() + "/sim/truth/changes?account=" + lane.account() + "&since=" + since + "&limit=10000");
            if (page.get("dropped").asLong() > 0) {
                throw new IllegalStateException(
                        lane.label() + ": the referee dropped changes; raise engine.max-changes");
            }
            JsonNode list = page.get("changes");
            if (list.isEmpty()) {
                return all;
            }
            all.addAll((ArrayNode) list);
            since = page.get("next").asLong();
        }
    }

    /** Subscribes the account's new shipments at the lane's pollers, as they appear, until stopped. */
    static final class Subscriber implements Runnable {
        private final Lane lane;
        private final Path log;
        private final Map<String, Long> since = new HashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();

        Subscriber(Lane lane, Path log) {
            this.lane = lane;
            this.log = log;
        }

        long total() {
            return total.get();
        }

        long failures() {
            return failures.get();
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            try {
                Files.writeString(log, "carrier\treference\tcreatedAt\tsubscribedAt\n");
                while (running.get()) {
                    long started = System.nanoTime();
                    for (String carrier : CARRIERS) {
                        subscribeNew(carrier);
                    }
                    long left = SUBSCRIBE_EVERY.toNanos() - (System.nanoTime() - started);
                    if (left > 0) {
                        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void subscribeNew(String carrier) throws InterruptedException, IOException {
            long from = since.getOrDefault(carrier, 0L);
            JsonNode page;
            try {
                page = get(lane.sim() + "/sim/shipments?carrier=" + carrier + "&account=" + lane.account() + "&since="
                        + from + "&limit=" + BATCH);
            } catch (IOException e) {
                failures.incrementAndGet();
                return;
            }
            JsonNode shipments = page.get("shipments");
            if (shipments.isEmpty()) {
                return;
            }
            ArrayNode batch = JSON.createArrayNode();
            for (JsonNode s : shipments) {
                batch.addObject()
                        .put("carrier", carrier)
                        .put("account", lane.account())
                        .put("reference", s.get("reference").asText());
            }
            HttpRequest post = HttpRequest.newBuilder(URI.create(lane.pollers() + "/api/v1/subscriptions"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", lane.apiKey())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(batch)))
                    .build();
            HttpResponse<String> answer;
            try {
                answer = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.incrementAndGet();
                return; // the pollers not up yet, or busy: the same shipments again next round
            }
            if (answer.statusCode() / 100 != 2) {
                if (failures.incrementAndGet() <= 5) {
                    System.err.printf(
                            "%s: POST /api/v1/subscriptions answered %d: %s%n",
                            lane.label(), answer.statusCode(), abbreviate(answer.body()));
                }
                return;
            }
            Instant now = Instant.now();
            StringBuilder lines = new StringBuilder();
            for (JsonNode s : shipments) {
                lines.append(carrier)
                        .append('\t')
                        .append(s.get("reference").asText())
                        .append('\t')
                        .append(s.get("createdAt").asText())
                        .append('\t')
                        .append(now)
                        .append('\n');
            }
            Files.writeString(log, lines, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            total.addAndGet(shipments.size());
            since.put(carrier, page.get("next").asLong());
        }
    }

    /**
     * The lanes share one broker, so each pollers instance needs consumer groups of its own, or the three would split
     * the topics' partitions between them: for every consumer group the packaged application.properties names (a key
     * ending in {@code group.id} or {@code group-id}, of no profile or {@code %prod}), a {@code -D} option with the
     * lane's suffix appended.
     */
    static List<String> overrides(Path quarkusApp, String suffix) throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var apps = Files.list(quarkusApp.resolve("app"))) {
            for (Path jar : apps.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                    java.util.zip.ZipEntry entry = zip.getEntry("application.properties");
                    if (entry != null) {
                        try (var in = zip.getInputStream(entry)) {
                            properties.load(in);
                        }
                    }
                }
            }
        }
        List<String> options = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            String name = key.startsWith("%prod.") ? key.substring("%prod.".length()) : key;
            if (name.startsWith("%") || !(name.endsWith("group.id") || name.endsWith("group-id"))) {
                continue;
            }
            String value = properties.getProperty(key).trim();
            java.util.regex.Matcher expression =
                    java.util.regex.Pattern.compile("^\\$\\{[^:}]*:([^}]*)}$").matcher(value);
            if (expression.matches()) {
                value = expression.group(1); // ${SOME_ENV:default}: the default
            }
            options.add("-D" + name + "=" + value + "-" + suffix);
        }
        return options;
    }

    /** Creates compacted topics of 6 partitions, as local-infra creates trackline.subscriptions.v1. */
    static void compactedTopics(String bootstrap, List<String> topics) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics.stream()
                            .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, 6, (short) 1)
                                    .configs(Map.of("cleanup.policy", "compact")))
                            .toList())
                    .all()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Prints each topic's record count: the sum over its partitions of end offset less start offset. */
    static void topicCounts(String bootstrap, List<String> topics) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var described = admin.describeTopics(topics).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (String topic : topics) {
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> earliest =
                        new HashMap<>();
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                        new HashMap<>();
                for (var partition : described.get(topic).partitions()) {
                    var tp = new org.apache.kafka.common.TopicPartition(topic, partition.partition());
                    earliest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest());
                    latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
                long count = 0;
                for (var e : admin.listOffsets(latest)
                        .all()
                        .get(30, java.util.concurrent.TimeUnit.SECONDS)
                        .entrySet()) {
                    count += e.getValue().offset();
                }
                for (var e : admin.listOffsets(earliest)
                        .all()
                        .get(30, java.util.concurrent.TimeUnit.SECONDS)
                        .entrySet()) {
                    count -= e.getValue().offset();
                }
                System.out.printf("%s %d%n", topic, count);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // analyze

    /** One change as the referee gave it, reduced to what the figures need. */
    record Change(
            String carrier,
            String reference,
            String field,
            String code,
            Instant at,
            Instant visibleAt,
            Instant firstServedAt) {

        static Change of(JsonNode c) {
            return new Change(
                    c.get("carrier").asText(),
                    c.get("reference").asText(),
                    c.get("field").asText(),
                    c.get("code").asText(),
                    Instant.parse(c.get("at").asText()),
                    Instant.parse(c.get("visibleAt").asText()),
                    c.hasNonNull("firstServedAt")
                            ? Instant.parse(c.get("firstServedAt").asText())
                            : null);
        }

        /** Simulated milliseconds from visible to first served, or to the end if not served by then. */
        long delayMs(Instant endWall, double factor) {
            Instant until = firstServedAt != null && firstServedAt.isBefore(endWall) ? firstServedAt : endWall;
            long wallMs = Math.max(0, Duration.between(visibleAt, until).toMillis());
            return Math.round(wallMs * factor);
        }

        boolean detectedBy(Instant endWall) {
            return firstServedAt != null && !firstServedAt.isAfter(endWall);
        }

        String identity() {
            return carrier + '|' + reference + '|' + field + '|' + code + '|' + at;
        }
    }

    /** The figures of one lane at one carrier (or both). */
    record Figures(
            int changes,
            int detected,
            double meanMin,
            double p50Min,
            double p95Min,
            double maxMin,
            long polls,
            long overruns,
            long refusedDuringCooldown,
            int delayReasons,
            int delayReasonsMissed) {

        double pollsPerDetected() {
            return detected == 0 ? Double.NaN : (double) polls / detected;
        }
    }

    /** Delay figures over the changes, in simulated minutes; the counts of requests and quotas come from the caller. */
    static Figures figures(
            List<Change> changes, Instant endWall, double factor, long polls, long overruns, long cooldown) {
        long[] delays = changes.stream()
                .mapToLong(c -> c.delayMs(endWall, factor))
                .sorted()
                .toArray();
        int detected = (int) changes.stream().filter(c -> c.detectedBy(endWall)).count();
        double mean = delays.length == 0
                ? Double.NaN
                : Arrays.stream(delays).average().orElseThrow();
        int reasons = 0;
        int missed = 0;
        for (Change c : changes) {
            if (c.carrier().equals("247express") && c.field().equals("delayCode")) {
                reasons++;
                if (c.firstServedAt() == null) {
                    missed++;
                }
            }
        }
        return new Figures(
                changes.size(),
                detected,
                minutes(mean),
                minutes(percentile(delays, 0.50)),
                minutes(percentile(delays, 0.95)),
                minutes(percentile(delays, 1.0)),
                polls,
                overruns,
                cooldown,
                reasons,
                missed);
    }

    /** Nearest rank: the smallest value with at least p of the values at or below it. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static double minutes(double ms) {
        return ms / 60_000.0;
    }

    /** What one lane's directory holds, read back. */
    record LaneTruth(
            String label,
            String account,
            SimClock endClock,
            List<Change> changes,
            JsonNode startRequests,
            JsonNode requests,
            JsonNode quota,
            JsonNode hourly,
            long subscribed) {

        static LaneTruth read(Path dir, String label, String account) throws IOException {
            List<Change> changes = new ArrayList<>();
            for (JsonNode c : JSON.readTree(dir.resolve("changes.json").toFile())) {
                changes.add(Change.of(c));
            }
            Path subscribed = dir.resolve("subscribed.tsv");
            long count = Files.exists(subscribed)
                    ? Math.max(0, Files.readAllLines(subscribed).size() - 1)
                    : 0;
            return new LaneTruth(
                    label,
                    account,
                    SimClock.of(JSON.readTree(dir.resolve("end-clock.json").toFile())),
                    changes,
                    JSON.readTree(dir.resolve("start-requests.json").toFile()),
                    JSON.readTree(dir.resolve("requests.json").toFile()),
                    JSON.readTree(dir.resolve("quota.json").toFile()),
                    Files.exists(dir.resolve("hourly-requests.json"))
                            ? JSON.readTree(dir.resolve("hourly-requests.json").toFile())
                            : JSON.createArrayNode(),
                    count);
        }

        /**
         * The account's requests at both carriers between two whole hours of the window (the window's start and end
         * counts, or the hourly samples); -1 where no sample was taken.
         */
        long pollsBetween(Instant from, Instant to, Instant windowStart, Instant end) {
            long a = countAt(from, windowStart, end);
            long b = countAt(to, windowStart, end);
            return a < 0 || b < 0 ? -1 : b - a;
        }

        private long countAt(Instant at, Instant windowStart, Instant end) {
            JsonNode view = at.equals(windowStart) ? startRequests : at.equals(end) ? requests : null;
            for (JsonNode sample : hourly) {
                if (Instant.parse(sample.get("at").asText()).equals(at)) {
                    view = sample.get("requests");
                }
            }
            if (view == null) {
                return -1;
            }
            long n = 0;
            for (String carrier : CARRIERS) {
                n += requests(view, carrier, account);
            }
            return n;
        }

        /** The account's requests at a carrier (every endpoint and outcome: each spends quota). */
        static long requests(JsonNode view, String carrier, String account) {
            long n = 0;
            for (JsonNode r : view.get("requests")) {
                if (r.get("carrier").asText().equals(carrier)
                        && r.get("account").asText().equals(account)) {
                    n += r.get("count").asLong();
                }
            }
            return n;
        }

        /** Overruns (and those during a cool-down) of the account's quotas at a carrier, and the carrier's overall one. */
        long[] overruns(String carrier) {
            long over = 0;
            long cooldown = 0;
            for (JsonNode q : quota.get("quotas")) {
                String owner = q.get("account").asText();
                if (q.get("carrier").asText().equals(carrier) && (owner.equals(account) || owner.equals("*"))) {
                    over += q.get("overruns").asLong();
                    cooldown += q.get("refusedDuringCooldown").asLong();
                }
            }
            return new long[] {over, cooldown};
        }

        Figures figures(String carrier, Instant windowStart, Instant end) {
            Instant endWall = endClock.wallAt(end);
            List<Change> window = inWindow(carrier, windowStart, end);
            long polls = 0;
            long over = 0;
            long cooldown = 0;
            for (String c : carrier == null ? CARRIERS : List.of(carrier)) {
                polls += requests(requests, c, account) - requests(startRequests, c, account);
                long[] o = overruns(c);
                over += o[0];
                cooldown += o[1];
            }
            return PollersBench.figures(window, endWall, endClock.factor(), polls, over, cooldown);
        }

        List<Change> inWindow(String carrier, Instant windowStart, Instant end) {
            return changes.stream()
                    .filter(c -> carrier == null
                            ? CARRIERS.contains(c.carrier())
                            : c.carrier().equals(carrier))
                    .filter(c -> !c.at().isBefore(windowStart) && c.at().isBefore(end))
                    .toList();
        }
    }

    static String analyze(Path dir) throws IOException {
        JsonNode run = JSON.readTree(dir.resolve("run.json").toFile());
        Instant windowStart = Instant.parse(run.get("windowStart").asText());
        Instant end = Instant.parse(run.get("end").asText());
        List<LaneTruth> lanes = new ArrayList<>();
        for (JsonNode lane : run.get("lanes")) {
            String label = lane.get("label").asText();
            lanes.add(LaneTruth.read(
                    dir.resolve(label), label, lane.get("account").asText()));
        }
        StringBuilder out = new StringBuilder();
        double factor = lanes.get(0).endClock().factor();
        out.append(String.format(
                Locale.ROOT,
                "Window: changes that happened from %s to %s (simulated, %.1f h); time factor %.0f (1 s real = %.1f"
                        + " simulated minutes); delays in simulated minutes.%n",
                windowStart,
                end,
                Duration.between(windowStart, end).toMinutes() / 60.0,
                factor,
                factor / 60));
        // The lanes must have seen the same traffic: the same changes at the same simulated instants.
        List<String> reference = null;
        for (LaneTruth lane : lanes) {
            List<String> ids = lane.inWindow(null, windowStart, end).stream()
                    .map(Change::identity)
                    .sorted()
                    .toList();
            if (reference == null) {
                reference = ids;
                out.append(String.format(
                        Locale.ROOT, "Traffic: %d changes in the window in lane %s", ids.size(), lane.label()));
            } else {
                out.append(String.format(
                        Locale.ROOT,
                        reference.equals(ids) ? "; the same in lane %s" : "; DIFFERENT in lane %s (%d changes)",
                        lane.label(),
                        ids.size()));
            }
        }
        out.append(String.format(".%n%n"));
        out.append(
                "| policy | carrier | changes | detected | mean min | p50 min | p95 min | max min | polls in window |"
                        + " polls per detected change | quota overruns | 247Express delay reasons never served |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Figures> both = new LinkedHashMap<>();
        for (LaneTruth lane : lanes) {
            for (String carrier : new String[] {"all24", "247express", null}) {
                Figures f = lane.figures(carrier, windowStart, end);
                if (carrier == null) {
                    both.put(lane.label(), f);
                }
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %,d | %,d | %.1f | %.1f | %.1f | %.1f | %,d | %.2f | %d | %s |%n",
                        lane.label(),
                        carrier == null ? "**both**" : carrier,
                        f.changes(),
                        f.detected(),
                        f.meanMin(),
                        f.p50Min(),
                        f.p95Min(),
                        f.maxMin(),
                        f.polls(),
                        f.pollsPerDetected(),
                        f.overruns(),
                        "all24".equals(carrier) ? "" : f.delayReasonsMissed() + " of " + f.delayReasons()));
            }
        }
        out.append('\n');
        for (LaneTruth lane : lanes) {
            out.append(String.format(
                    Locale.ROOT,
                    "%s: %d shipments subscribed; quota overruns over the whole run %d (during a cool-down %d).%n",
                    lane.label(),
                    lane.subscribed(),
                    lane.quota().get("overruns").asLong(),
                    both.get(lane.label()).refusedDuringCooldown()));
        }
        out.append('\n').append(byHour(lanes, windowStart, end));
        out.append('\n').append(byCode(lanes, windowStart, end));
        Figures candidate = both.get(CANDIDATE);
        Figures baseline = both.get(BASELINE);
        if (candidate != null && baseline != null) {
            double mean = candidate.meanMin() / baseline.meanMin();
            double p95 = candidate.p95Min() / baseline.p95Min();
            long overruns = lanes.stream()
                    .mapToLong(l -> l.quota().get("overruns").asLong())
                    .sum();
            out.append(String.format(
                    Locale.ROOT,
                    "RESULT adaptive/round-robin mean %.2f (target <= %.1f: %s), p95 %.2f (target <= %.1f: %s),"
                            + " quota overruns %d (target 0: %s)%n",
                    mean,
                    MEAN_TARGET,
                    mean <= MEAN_TARGET ? "met" : "missed",
                    p95,
                    P95_TARGET,
                    p95 <= P95_TARGET ? "met" : "missed",
                    overruns,
                    overruns == 0 ? "met" : "missed"));
        }
        return out.toString();
    }

    /** Local hour (+07:00, both carriers' zones) by local hour: the window's changes, and per lane polls and delay. */
    static String byHour(List<LaneTruth> lanes, Instant windowStart, Instant end) {
        java.time.ZoneOffset local = java.time.ZoneOffset.ofHours(7);
        StringBuilder out = new StringBuilder(
                "By local hour (+07:00) of the change: changes, and per policy the polls made in that hour and the mean"
                        + " delay (simulated minutes) of the hour's changes\n\n| hour | changes |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (LaneTruth lane : lanes) {
            out.append(' ')
                    .append(lane.label())
                    .append(" polls | ")
                    .append(lane.label())
                    .append(" mean |");
            rule.append("---|---|");
        }
        out.append('\n').append(rule).append('\n');
        for (Instant hour = windowStart; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            Instant from = hour;
            Instant to = hour.plus(Duration.ofHours(1)).isAfter(end) ? end : hour.plus(Duration.ofHours(1));
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d |",
                    from.atOffset(local).toLocalDateTime().toString().replace('T', ' '),
                    lanes.get(0).inWindow(null, from, to).size()));
            for (LaneTruth lane : lanes) {
                List<Change> changes = lane.inWindow(null, from, to);
                Instant endWall = lane.endClock().wallAt(end);
                double mean = changes.stream()
                        .mapToLong(c -> c.delayMs(endWall, lane.endClock().factor()))
                        .average()
                        .orElse(Double.NaN);
                long polls = lane.pollsBetween(from, to, windowStart, end);
                out.append(String.format(
                        Locale.ROOT, " %s | %.0f |", polls < 0 ? "?" : String.valueOf(polls), minutes(mean)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Mean and p95 delay per carrier code, per lane. */
    static String byCode(List<LaneTruth> lanes, Instant windowStart, Instant end) {
        StringBuilder out = new StringBuilder(
                "By carrier and code: changes, and per policy the mean / p95 delay (simulated minutes)\n\n"
                        + "| carrier | field | code | changes |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|");
        for (LaneTruth lane : lanes) {
            out.append(' ').append(lane.label()).append(" |");
            rule.append("---|");
        }
        out.append('\n').append(rule).append('\n');
        Map<String, List<Change>> codes = new java.util.TreeMap<>();
        for (Change c : lanes.get(0).inWindow(null, windowStart, end)) {
            codes.computeIfAbsent(c.carrier() + "|" + c.field() + "|" + c.code(), k -> new ArrayList<>())
                    .add(c);
        }
        for (Map.Entry<String, List<Change>> code : codes.entrySet()) {
            String[] key = code.getKey().split("\\|");
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %d |",
                    key[0],
                    key[1],
                    key[2],
                    code.getValue().size()));
            for (LaneTruth lane : lanes) {
                Instant endWall = lane.endClock().wallAt(end);
                List<Change> mine = lane.inWindow(key[0], windowStart, end).stream()
                        .filter(c -> c.field().equals(key[1]) && c.code().equals(key[2]))
                        .toList();
                Figures f = PollersBench.figures(mine, endWall, lane.endClock().factor(), 0, 0, 0);
                out.append(String.format(Locale.ROOT, " %.0f / %.0f |", f.meanMin(), f.p95Min()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // selftest: the figures on made-up truth with known answers

    static void selftest() throws IOException {
        Instant wall0 = Instant.parse("2026-12-01T10:00:00Z");
        Instant sim0 = Instant.parse("2026-11-30T00:00:00Z");
        double factor = 240; // 1 s real = 4 simulated minutes
        SimClock clock = new SimClock(wall0, sim0, factor);
        check(clock.wallAt(sim0.plus(Duration.ofHours(4))).equals(wall0.plusSeconds(60)), "wallAt");
        check(clock.simAt(wall0.plusSeconds(60)).equals(sim0.plus(Duration.ofHours(4))), "simAt");
        Instant end = sim0.plus(Duration.ofHours(24));
        Instant endWall = clock.wallAt(end); // wall0 + 360 s
        // Four changes: served after 1 s and 3 s real (4 and 12 simulated minutes), never served (visible 60 s real
        // before the end: counts 240 simulated minutes), and served only after the end (counts until the end: 30 s
        // real, 120 minutes).
        List<Change> changes = List.of(
                change(
                        "all24",
                        "HS1",
                        "event_code",
                        "100000",
                        wall0.plusSeconds(10),
                        wall0.plusSeconds(11),
                        factor,
                        clock),
                change(
                        "all24",
                        "HS2",
                        "event_code",
                        "200000",
                        wall0.plusSeconds(20),
                        wall0.plusSeconds(23),
                        factor,
                        clock),
                change("247express", "EX1", "delayCode", "12", endWall.minusSeconds(60), null, factor, clock),
                change(
                        "247express",
                        "EX2",
                        "status",
                        "DELIVERED",
                        endWall.minusSeconds(30),
                        endWall.plusSeconds(5),
                        factor,
                        clock));
        Figures f = figures(changes, endWall, factor, 10, 0, 0);
        check(f.changes() == 4 && f.detected() == 2, "counts " + f);
        check(close(f.meanMin(), (4 + 12 + 240 + 120) / 4.0), "mean " + f.meanMin());
        check(close(f.p50Min(), 12), "p50 " + f.p50Min()); // nearest rank: 2nd of 4
        check(close(f.p95Min(), 240), "p95 " + f.p95Min()); // 4th of 4
        check(close(f.pollsPerDetected(), 5), "polls per detected " + f.pollsPerDetected());
        check(f.delayReasons() == 1 && f.delayReasonsMissed() == 1, "delay reasons " + f);
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        check(percentile(hundred, 0.95) == 95 && percentile(hundred, 0.5) == 50, "percentile");

        // The whole path through files: two lanes with the same traffic, one better than the other.
        Path dir = Files.createTempDirectory("pollers-bench-selftest");
        ObjectNode run = JSON.createObjectNode();
        run.put("windowStart", sim0.plus(Duration.ofHours(12)).toString());
        run.put("end", end.toString());
        ArrayNode lanes = run.putArray("lanes");
        Map<String, Long> servedAfter = Map.of(CANDIDATE, 2L, BASELINE, 4L);
        for (String label : List.of(CANDIDATE, BASELINE)) {
            lanes.addObject().put("label", label).put("account", "bench-" + label);
            Path lane = Files.createDirectories(dir.resolve(label));
            ArrayNode list = JSON.createArrayNode();
            for (int i = 0; i < 10; i++) {
                Instant at = sim0.plus(Duration.ofHours(11 + i)); // the first is before the window
                Instant visible = clock.wallAt(at);
                ObjectNode c = list.addObject()
                        .put("carrier", i % 2 == 0 ? "all24" : "247express")
                        .put("account", "bench-" + label)
                        .put("reference", "R" + i)
                        .put("field", "status")
                        .put("code", "C" + i)
                        .put("at", at.toString())
                        .put("visibleAt", visible.toString());
                c.put(
                        "firstServedAt",
                        visible.plusSeconds(servedAfter.get(label)).toString());
            }
            save(lane.resolve("changes.json"), list);
            save(lane.resolve("end-clock.json"), clockView(endWall, end, factor));
            save(lane.resolve("start-requests.json"), requestsView("bench-" + label, 5, 5));
            save(lane.resolve("requests.json"), requestsView("bench-" + label, 23, 23));
            ObjectNode quota = JSON.createObjectNode().put("overruns", 0);
            quota.putArray("quotas");
            save(lane.resolve("quota.json"), quota);
        }
        JSON.writeValue(dir.resolve("run.json").toFile(), run);
        String report = analyze(dir);
        // 9 changes in the window, detected after 2 s (8 min) and 4 s (16 min) real; polls 36 over 9 detected.
        check(
                report.contains("Traffic: 9 changes in the window in lane adaptive; the same in lane round-robin"),
                report);
        check(report.contains("| adaptive | **both** | 9 | 9 | 8.0 | 8.0 | 8.0 | 8.0 | 36 | 4.00 | 0 |"), report);
        check(report.contains("| round-robin | **both** | 9 | 9 | 16.0 |"), report);
        check(report.contains("RESULT adaptive/round-robin mean 0.50 (target <= 0.7: met), p95 0.50"), report);
        check(report.contains("| 247express | status | C1 | 1 | 8 / 8 | 16 / 16 |"), report);
        check(report.contains("| 2026-11-30 19:00 | 1 | ? | 8 | ? | 16 |"), report);
        System.out.println("selftest passed");
    }

    private static Change change(
            String carrier,
            String reference,
            String field,
            String code,
            Instant visible,
            Instant served,
            double factor,
            SimClock clock) {
        return new Change(carrier, reference, field, code, clock.simAt(visible), visible, served);
    }

    private static ObjectNode clockView(Instant wall, Instant sim, double factor) {
        return JSON.createObjectNode()
                .put("wallNow", wall.toString())
                .put("simulatedNow", sim.toString())
                .put("timeFactor", factor);
    }

    private static ObjectNode requestsView(String account, long all24, long express) {
        ObjectNode view = JSON.createObjectNode();
        ArrayNode list = view.putArray("requests");
        list.addObject()
                .put("carrier", "all24")
                .put("account", account)
                .put("endpoint", "tracking")
                .put("outcome", "ok")
                .put("count", all24);
        list.addObject()
                .put("carrier", "247express")
                .put("account", account)
                .put("endpoint", "tracking")
                .put("outcome", "ok")
                .put("count", express);
        list.addObject()
                .put("carrier", "all24")
                .put("account", "demo")
                .put("endpoint", "tracking")
                .put("outcome", "ok")
                .put("count", 1000);
        return view;
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) < 1e-6;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("selftest failed: " + what);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // plumbing

    static JsonNode get(String url) throws IOException, InterruptedException {
        return JSON.readTree(text(url));
    }

    static String text(String url) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + answer.statusCode() + ": " + abbreviate(answer.body()));
        }
        return answer.body();
    }

    static void save(Path file, JsonNode json) throws IOException {
        JSON.writeValue(file.toFile(), Objects.requireNonNull(json));
    }

    static void sleepUntil(Instant wall) throws InterruptedException {
        long ms = Duration.between(Instant.now(), wall).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
