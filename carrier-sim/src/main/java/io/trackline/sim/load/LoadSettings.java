package io.trackline.sim.load;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The load tool's settings, from {@code --name=value} arguments (docs/carrier-sim.md, "The load tool"). Every URL must
 * point at this machine: the tool sends nothing elsewhere.
 *
 * @param rate          callbacks per second, offered on a fixed schedule
 * @param warmup        sent at the rate before the measured window; audited, not in the latency and rate figures
 * @param duration      the measured window
 * @param window        orders per wave (default: the rate, so an order's steps come about a second apart)
 * @param sampleEvery   one order in this many is watched for the latency to queryable
 * @param pollInterval  how often a watched event's timeline is read
 * @param settle        how long after the last callback the events may take to be visible before they count as lost
 * @param withhold      check scenario: this many callbacks are counted as expected but never sent (must be lost)
 * @param resend        check scenario: this many callbacks are sent twice (must not be duplicated)
 * @param steadyBelow   the steady state begins with the first 10 s whose answer and queryable p99 are below this
 * @param metricsEvery  how often status-store's metrics are read during the run (batches, lag; 0: twice a run)
 */
public record LoadSettings(
        URI webhookUrl,
        String secret,
        URI storeUrl,
        String apiKey,
        String account,
        int rate,
        Duration warmup,
        Duration duration,
        int window,
        long firstOrderId,
        int sampleEvery,
        Duration pollInterval,
        Duration settle,
        int maxInFlight,
        int auditConcurrency,
        int withhold,
        int resend,
        Duration steadyBelow,
        Duration metricsEvery) {

    private static final Set<String> LOCAL = Set.of("127.0.0.1", "localhost");

    public LoadSettings {
        for (URI url : new URI[] {webhookUrl, storeUrl}) {
            if (!LOCAL.contains(url.getHost())) {
                throw new IllegalArgumentException("only 127.0.0.1 is loaded, not " + url);
            }
        }
        if (rate < 1
                || duration.isNegative()
                || duration.isZero()
                || warmup.isNegative()
                || steadyBelow.isNegative()
                || steadyBelow.isZero()
                || metricsEvery.isNegative()) {
            throw new IllegalArgumentException(
                    "rate, duration and steady-below must be positive, warm-up and metrics-every not negative");
        }
        if (sampleEvery < 1 || window < 1 || maxInFlight < 1 || auditConcurrency < 1) {
            throw new IllegalArgumentException(
                    "sample-every, window, max-in-flight and audit-concurrency must be >= 1");
        }
    }

    /** The settings without the secret and the API key. */
    @Override
    public String toString() {
        return "webhook-url=%s store-url=%s account=%s rate=%d warmup=%s duration=%s window=%d first-order=%d "
                        .formatted(webhookUrl, storeUrl, account, rate, warmup, duration, window, firstOrderId)
                + "sample-every=%d poll-interval=%s settle=%s max-in-flight=%d withhold=%d resend=%d "
                        .formatted(sampleEvery, pollInterval, settle, maxInFlight, withhold, resend)
                + "steady-below=%s metrics-every=%s".formatted(steadyBelow, metricsEvery);
    }

    /** Callbacks in the whole run, warm-up included. */
    public long callbacks() {
        return (long) Math.ceil(rate * (warmup.toNanos() + duration.toNanos()) / 1e9);
    }

    public static LoadSettings parse(String... args) {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, not " + arg);
            }
            a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        String account = a.getOrDefault("account", "demo");
        int rate = Integer.parseInt(a.getOrDefault("rate", "1000"));
        // Order ids from the clock, 1,000 per second of it: a run started a minute after another begins 60,000
        // orders later (360,000 callbacks), so consecutive runs against one store never share an order.
        long firstOrderId = Long.parseLong(a.getOrDefault(
                "first-order", Long.toString(200_000_000L + (System.currentTimeMillis() / 1000 % 1_000_000) * 1000)));
        LoadSettings settings = new LoadSettings(
                URI.create(a.getOrDefault("webhook-url", "http://127.0.0.1:8081/webhooks/mrspeedy/" + account)),
                a.getOrDefault(
                        "secret",
                        System.getenv()
                                .getOrDefault("TRACKLINE_DEMO_MRSPEEDY_SECRET", "demo-callback-secret-not-real")),
                URI.create(a.getOrDefault("store-url", "http://127.0.0.1:8084")),
                a.getOrDefault(
                        "api-key", System.getenv().getOrDefault("TRACKLINE_LOAD_API_KEY", "demo-api-key-not-real")),
                account,
                rate,
                duration(a.getOrDefault("warmup", "30s")),
                duration(a.getOrDefault("duration", "60s")),
                Integer.parseInt(a.getOrDefault("window", Integer.toString(rate))),
                firstOrderId,
                Integer.parseInt(a.getOrDefault("sample-every", "100")),
                duration(a.getOrDefault("poll-interval", "10ms")),
                duration(a.getOrDefault("settle", "120s")),
                Integer.parseInt(a.getOrDefault("max-in-flight", "64")),
                Integer.parseInt(a.getOrDefault("audit-concurrency", "8")),
                Integer.parseInt(a.getOrDefault("withhold", "0")),
                Integer.parseInt(a.getOrDefault("resend", "0")),
                duration(a.getOrDefault("steady-below", "1s")),
                duration(a.getOrDefault("metrics-every", "10s")));
        Set<String> known = Set.of(
                "account",
                "rate",
                "first-order",
                "webhook-url",
                "secret",
                "store-url",
                "api-key",
                "warmup",
                "duration",
                "window",
                "sample-every",
                "poll-interval",
                "settle",
                "max-in-flight",
                "audit-concurrency",
                "withhold",
                "resend",
                "steady-below",
                "metrics-every");
        a.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("unknown setting --" + k);
        });
        return settings;
    }

    /** {@code 300s}, {@code 5m}, {@code 10ms}, or ISO-8601 ({@code PT5M}). */
    static Duration duration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            return Duration.parse(text);
        }
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }
}
