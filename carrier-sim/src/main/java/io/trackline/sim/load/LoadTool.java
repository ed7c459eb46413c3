package io.trackline.sim.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end load: signed MrSpeedy callbacks at a fixed rate into ingest-webhooks, through
 * {@code trackline.raw.v1}, the normalizer, {@code trackline.events.v1} and status-store, read back through the
 * timeline API. Reports accepted callbacks/s, events/s, the answer time of the callbacks, the latency from a
 * callback's send to its event being queryable, and every event lost or duplicated (docs/carrier-sim.md, "The load
 * tool"; docs/benchmarks.md, "pipeline (end to end)").
 * <ul>
 * <li><b>Open loop</b>: callback {@code i} is due at {@code start + i / rate}; every time is measured from that
 * intended instant, so a stalled receiver or a late sender shows as latency rather than as fewer requests
 * (no coordinated omission).</li>
 * <li><b>Latency to queryable</b>: every callback of one order in {@code sample-every} is watched: its timeline is
 * read every {@code poll-interval} (or a tenth of the time waited so far, if longer, at most a second) from the
 * callback's 200 until the event of that callback is in it; the latency is the arrival of that answer minus the
 * callback's intended send instant (an upper bound, by at most one poll delay and one read).</li>
 * <li><b>Per 10 s, steady state, cold start</b> ({@link LatencySeries}): answers and latencies to queryable by the
 * intended send instant, warm-up included; the steady state from the first 10 s in which both had their p99 below
 * {@code steady-below}; and status-store's batches and the consumer lags every {@code metrics-every}.</li>
 * <li><b>Lost and duplicated</b>: after the last callback, every order's timeline is read and compared with the facts
 * its accepted callbacks carried ({@link TimelineAudit}), again until nothing is missing or {@code settle} has
 * passed.</li>
 * </ul>
 */
public final class LoadTool {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC = Pattern.compile("^([a-z_]+)(\\{[^}]*})? ([0-9.eE+-]+|NaN)$");
    private static final List<String> STORE_METRICS = List.of(
            "trackline_store_events_stored_total",
            "trackline_store_events_duplicate_total",
            "trackline_store_batch_size_events_count",
            "trackline_store_batch_size_events_sum",
            "trackline_store_batch_write_seconds_count",
            "trackline_store_batch_write_seconds_sum",
            "trackline_store_consumer_lag_records",
            "trackline_normalizer_consumer_lag_records");

    private final LoadSettings settings;
    private final CallbackPlan plan;
    /** Callbacks and timeline reads: Vert.x on one event loop, cheap per request on a machine the pipeline needs. */
    private final Vertx vertx;

    private final io.vertx.core.http.HttpClient client;
    /** The store's metrics, twice a run. */
    private final HttpClient http;

    private final ScheduledExecutorService timer;
    private final long total;
    private final long[] answered;
    private final boolean[] accepted;
    /** Latency to queryable of each watched callback (0: not watched or not visible). */
    private final long[] queryable;
    /** status-store's metrics (and the normalizer's lag) every {@code metrics-every} while sending: seconds, values. */
    private final List<Map.Entry<Double, Map<String, Double>>> metricsSeries = new ArrayList<>();

    private final Map<Long, Set<Fact>> expected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicLong notVisible = new AtomicLong();
    private final AtomicLong watching = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final Semaphore inFlight;
    private long start;
    private long measuredFrom;
    private long maxSendLagNanos;
    /** How far behind its schedule the sender was at each callback, in microseconds. */
    private final int[] sendLagMicros;

    public LoadTool(LoadSettings settings) {
        this.settings = settings;
        OffsetDateTime created =
                OffsetDateTime.now(ZoneOffset.ofHours(7)).minusHours(1).truncatedTo(ChronoUnit.SECONDS);
        this.plan = new CallbackPlan(settings.firstOrderId(), settings.window(), settings.secret(), created);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
                new PoolOptions()
                        .setHttp1MaxSize(settings.maxInFlight() + settings.auditConcurrency() + 64)
                        .setMaxWaitQueueSize(-1));
        this.timer = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "load-poll");
            t.setDaemon(true);
            return t;
        });
        this.total = settings.callbacks();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many callbacks for one run: " + total);
        }
        this.answered = new long[(int) total];
        this.accepted = new boolean[(int) total];
        this.queryable = new long[(int) total];
        this.sendLagMicros = new int[(int) total];
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    public static void main(String[] args) throws Exception {
        LoadSettings settings = LoadSettings.parse(args);
        Report report = new LoadTool(settings).run();
        System.out.println(report.text());
        System.exit(report.passed() ? 0 : 1);
    }

    /** What a run measured. */
    public record Report(String text, boolean passed, TimelineAudit.Count audit) {}

    public Report run() throws InterruptedException {
        Map<String, Double> storeBefore = storeMetrics();
        Instant startedAt = Instant.now();
        start = System.nanoTime() + 100_000_000L;
        measuredFrom = start + settings.warmup().toNanos();
        Thread sampler = sampler();
        send();
        Instant sentAt = Instant.now();
        sampler.interrupt();
        sampler.join(15_000);
        if (!inFlight.tryAcquire(settings.maxInFlight(), 60, TimeUnit.SECONDS)) {
            answers.computeIfAbsent("unanswered after 60 s", k -> new AtomicLong())
                    .addAndGet(settings.maxInFlight() - inFlight.availablePermits());
        }
        long watchDeadline = System.nanoTime() + settings.settle().toNanos();
        while (watching.get() > 0 && System.nanoTime() < watchDeadline) {
            Thread.sleep(100);
        }
        TimelineAudit.Count audit = audit(System.nanoTime() + settings.settle().toNanos());
        Map<String, Double> storeAfter = storeMetrics();
        timer.shutdownNow();
        vertx.close();
        return report(startedAt, sentAt, audit, storeBefore, storeAfter);
    }

    /**
     * Reads status-store's metrics (batches, lag) and the normalizer's lag every {@code metrics-every} from the first
     * callback's due instant until the last is sent: the batch shape under live load, per interval.
     */
    private Thread sampler() {
        Thread t = new Thread(
                () -> {
                    long every = settings.metricsEvery().toNanos();
                    if (every == 0) {
                        return;
                    }
                    try {
                        for (long k = 0; ; k++) {
                            long due = start + k * every;
                            long now;
                            while ((now = System.nanoTime()) < due) {
                                TimeUnit.NANOSECONDS.sleep(due - now);
                            }
                            Map<String, Double> values = storeMetrics();
                            values.putAll(metrics(normalizerMetricsUrl()));
                            synchronized (metricsSeries) {
                                metricsSeries.add(Map.entry((System.nanoTime() - start) / 1e9, values));
                            }
                        }
                    } catch (InterruptedException e) {
                        // The last callback is sent: the last interval ends here.
                        Map<String, Double> values = storeMetrics();
                        values.putAll(metrics(normalizerMetricsUrl()));
                        synchronized (metricsSeries) {
                            metricsSeries.add(Map.entry((System.nanoTime() - start) / 1e9, values));
                        }
                    }
                },
                "load-metrics");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The normalizer's metrics: its port (8083) on the store URL's host. */
    private java.net.URI normalizerMetricsUrl() {
        return java.net.URI.create("http://" + settings.storeUrl().getHost() + ":8083/q/metrics");
    }

    private void send() throws InterruptedException {
        double period = 1e9 / settings.rate();
        Set<Long> withheld = spread(settings.withhold(), 1);
        Set<Long> resent = spread(settings.resend(), 3);
        for (long i = 0; i < total; i++) {
            long intended = start + (long) (i * period);
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            maxSendLagNanos = Math.max(maxSendLagNanos, now - intended);
            sendLagMicros[(int) i] = (int) Math.min(Integer.MAX_VALUE, (now - intended) / 1000);
            CallbackPlan.Callback callback = plan.callback(i);
            if (withheld.contains(i)) {
                expect(callback);
                answers.computeIfAbsent("withheld (check)", k -> new AtomicLong())
                        .incrementAndGet();
                continue;
            }
            send(callback, intended, true);
            if (resent.contains(i)) {
                send(callback, intended, false);
            }
        }
    }

    /** {@code n} callback positions of step {@code step} spread over the run (the check scenario). */
    private Set<Long> spread(int n, int step) {
        Set<Long> positions = new LinkedHashSet<>();
        long waves = total / ((long) CallbackPlan.steps() * settings.window());
        for (int k = 0; k < n && waves > 0; k++) {
            long wave = k % waves;
            long slot = (k / waves) % settings.window();
            positions.add(wave * CallbackPlan.steps() * settings.window() + (long) step * settings.window() + slot);
        }
        return positions;
    }

    private void send(CallbackPlan.Callback callback, long intended, boolean first) throws InterruptedException {
        inFlight.acquire();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(settings.webhookUrl().toString())
                .setIdleTimeout(30_000)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("X-DV-Signature", callback.signature());
        client.request(request)
                .compose(r -> r.send(Buffer.buffer(callback.body())))
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(result -> {
                    long done = System.nanoTime();
                    inFlight.release();
                    String answer = result.failed()
                            ? "error " + result.cause().getClass().getSimpleName()
                            : Integer.toString(result.result());
                    answers.computeIfAbsent(first ? answer : answer + " (resent)", k -> new AtomicLong())
                            .incrementAndGet();
                    if (!first) {
                        return;
                    }
                    int i = (int) callback.index();
                    answered[i] = done - intended;
                    if ("200".equals(answer)) {
                        accepted[i] = true;
                        expect(callback);
                        if ((callback.orderId() - settings.firstOrderId()) % settings.sampleEvery() == 0) {
                            watching.incrementAndGet();
                            watch(callback, intended, done + settings.settle().toNanos());
                        }
                    }
                });
    }

    private void expect(CallbackPlan.Callback callback) {
        expected.computeIfAbsent(callback.orderId(), k -> ConcurrentHashMap.newKeySet())
                .add(callback.fact());
    }

    /** Reads the callback's timeline until its event is there, then records the latency. */
    private void watch(CallbackPlan.Callback callback, long intended, long deadline) {
        polls.incrementAndGet();
        timeline(callback.orderId()).whenComplete((events, failure) -> {
            long now = System.nanoTime();
            if (failure == null && TimelineAudit.shows(events, callback.fact())) {
                queryable[(int) callback.index()] = now - intended;
                watching.decrementAndGet();
            } else if (now > deadline) {
                notVisible.incrementAndGet();
                watching.decrementAndGet();
            } else {
                // Every poll interval, or a tenth of the time waited so far if longer (at most a second): an event
                // seconds late is not read hundreds of times a second, and its latency is still known to 10 %.
                long delay =
                        Math.min(Math.max(settings.pollInterval().toNanos(), (now - intended) / 10), 1_000_000_000L);
                timer.schedule(() -> watch(callback, intended, deadline), delay, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** The events of an order's timeline; an empty array while the store does not know the shipment (404). */
    private CompletableFuture<JsonNode> timeline(long orderId) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(settings.storeUrl()
                        .resolve("/api/v1/shipments/mrspeedy/" + orderId + "/timeline?account=" + settings.account())
                        .toString())
                .setIdleTimeout(30_000)
                .putHeader("X-API-Key", settings.apiKey());
        return client.request(request)
                .compose(HttpClientRequest::send)
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() == 404) {
                        return (JsonNode) JSON.createArrayNode();
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(
                                "timeline of " + orderId + " answered " + response.statusCode());
                    }
                    try {
                        return JSON.readTree(body.getBytes()).path("events");
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("timeline of " + orderId + " is no JSON", e);
                    }
                }))
                .toCompletionStage()
                .toCompletableFuture();
    }

    /** Reads every order's timeline until none misses a fact or the deadline passed; the last reading counts. */
    private TimelineAudit.Count audit(long deadline) throws InterruptedException {
        Map<Long, TimelineAudit.Count> counts = new ConcurrentHashMap<>();
        List<Long> pending = new ArrayList<>(new TreeMap<>(expected).keySet());
        while (true) {
            Semaphore slots = new Semaphore(settings.auditConcurrency());
            for (long order : pending) {
                slots.acquire();
                timeline(order).whenComplete((events, failure) -> {
                    Set<Fact> facts = expected.get(order);
                    counts.put(
                            order,
                            failure == null
                                    ? TimelineAudit.of(facts, events)
                                    : TimelineAudit.Count.unread(facts.size()));
                    slots.release();
                });
            }
            slots.acquire(settings.auditConcurrency());
            pending = pending.stream().filter(o -> !counts.get(o).complete()).toList();
            if (pending.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        return counts.values().stream().reduce(TimelineAudit.Count.ZERO, TimelineAudit.Count::plus);
    }

    private Map<String, Double> storeMetrics() {
        return metrics(settings.storeUrl().resolve("/q/metrics"));
    }

    private Map<String, Double> metrics(java.net.URI url) {
        Map<String, Double> values = new LinkedHashMap<>();
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                Matcher m = METRIC.matcher(line);
                if (m.matches() && STORE_METRICS.contains(m.group(1)) && !"NaN".equals(m.group(3))) {
                    values.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
                }
            }
        } catch (Exception e) {
            values.put("unreadable", 1.0);
        }
        return values;
    }

    private Report report(
            Instant startedAt,
            Instant sentAt,
            TimelineAudit.Count audit,
            Map<String, Double> before,
            Map<String, Double> after) {
        long windowFrom = (long) Math.ceil((measuredFrom - start) * settings.rate() / 1e9);
        LatencySeries series = new LatencySeries(
                answered, accepted, queryable, settings.rate(), windowFrom, 10, settings.steadyBelow());
        long acceptedInWindow = series.whole().accepted();
        double window = settings.duration().toNanos() / 1e9;
        long failed = answers.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("200") && !e.getKey().startsWith("withheld"))
                .mapToLong(e -> e.getValue().get())
                .sum();
        StringBuilder out = new StringBuilder();
        line(out, "run", "%s .. %s (sending), %s settings", startedAt, sentAt, settings);
        line(
                out,
                "callbacks",
                "%d planned (%d orders from %d, window %d, created %s), answers %s",
                total,
                expected.size(),
                settings.firstOrderId(),
                settings.window(),
                plan.created(),
                new TreeMap<>(answers));
        line(
                out,
                "offered",
                "%d callbacks/s, warm-up %s, measured %s; sender at most %.1f ms behind schedule",
                settings.rate(),
                settings.warmup(),
                settings.duration(),
                maxSendLagNanos / 1e6);
        line(
                out,
                "accepted",
                "%.1f callbacks/s = %.1f events/s in the measured window (%d callbacks, one new event each)",
                acceptedInWindow / window,
                acceptedInWindow / window,
                acceptedInWindow);
        line(
                out,
                "callback answer",
                "%s (from the intended send, %d callbacks)",
                LatencySeries.percentiles(series.whole().answers()),
                series.whole().answers().length);
        long[] latencies = series.whole().queryable();
        line(
                out,
                "event to queryable",
                "%s (%d events of 1 order in %d, polled every %s; %d not visible within %s; %d reads)",
                LatencySeries.percentiles(latencies),
                latencies.length,
                settings.sampleEvery(),
                settings.pollInterval(),
                notVisible.get(),
                settings.settle(),
                polls.get());
        out.append("per 10 s of intended send time (warm-up included; queryable: the watched events, their count):\n");
        out.append(series.text());
        if (series.steady() != null) {
            int lag = 0;
            for (long i = series.steady().from(); i < total; i++) {
                lag = Math.max(lag, sendLagMicros[(int) i]);
            }
            line(out, "  sender", "at most %.1f ms behind schedule in the steady state", lag / 1e3);
        }
        line(
                out,
                "audit",
                "%d events expected, %d found, lost %d, duplicated %d (withheld on purpose %d)",
                audit.expected(),
                audit.found(),
                audit.lost(),
                audit.duplicated(),
                settings.withhold());
        line(out, "unexpected", "%d events of no callback's fact %s", audit.unexpected(), audit.unexpectedCodes());
        double batches = delta(before, after, "trackline_store_batch_size_events_count");
        line(
                out,
                "status-store",
                "stored %.0f, duplicates ignored %.0f, %.0f batches of %.1f events on average, "
                        + "%.1f ms per batch write on average",
                delta(before, after, "trackline_store_events_stored_total"),
                delta(before, after, "trackline_store_events_duplicate_total"),
                batches,
                batches == 0 ? 0 : delta(before, after, "trackline_store_batch_size_events_sum") / batches,
                delta(before, after, "trackline_store_batch_write_seconds_count") == 0
                        ? 0
                        : 1000
                                * delta(before, after, "trackline_store_batch_write_seconds_sum")
                                / delta(before, after, "trackline_store_batch_write_seconds_count"));
        out.append(metricsSeries());
        boolean passed =
                failed == 0 && notVisible.get() == 0 && audit.lost() == settings.withhold() && audit.duplicated() == 0;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            line(out, "tool", "%.1f CPU seconds (this JVM, sending and reading)", os.getProcessCpuTime() / 1e9);
        }
        line(out, "result", passed ? "PASS" : "FAIL", new Object[0]);
        return new Report(out.toString(), passed, audit);
    }

    /**
     * status-store's batches (count, mean size, mean write time) and the consumer lag of status-store and the
     * normalizer (records, summed over partitions, at the end of each interval), per {@code metrics-every} of the run.
     */
    private String metricsSeries() {
        List<Map.Entry<Double, Map<String, Double>>> samples;
        synchronized (metricsSeries) {
            samples = new ArrayList<>(metricsSeries);
        }
        if (samples.size() < 2) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("status-store per %s (batches stored in the interval; lag at its end, records):\n"
                .formatted(settings.metricsEvery()));
        for (int k = 1; k < samples.size(); k++) {
            Map<String, Double> b = samples.get(k - 1).getValue();
            Map<String, Double> a = samples.get(k).getValue();
            double n = delta(b, a, "trackline_store_batch_size_events_count");
            double writes = delta(b, a, "trackline_store_batch_write_seconds_count");
            line(
                    out,
                    String.format(Locale.ROOT, "  at %.0f s", samples.get(k - 1).getKey()),
                    "%.0f batches of %.1f events, %.1f ms per write; lag store %.0f, normalizer %.0f%s",
                    n,
                    n == 0 ? 0 : delta(b, a, "trackline_store_batch_size_events_sum") / n,
                    writes == 0 ? 0 : 1000 * delta(b, a, "trackline_store_batch_write_seconds_sum") / writes,
                    a.getOrDefault("trackline_store_consumer_lag_records", Double.NaN),
                    a.getOrDefault("trackline_normalizer_consumer_lag_records", Double.NaN),
                    a.containsKey("unreadable") ? " (some metrics unreadable)" : "");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String format, Object... args) {
        out.append(String.format(Locale.ROOT, "%-20s ", label + ":"))
                .append(String.format(Locale.ROOT, format, args))
                .append('\n');
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }
}
