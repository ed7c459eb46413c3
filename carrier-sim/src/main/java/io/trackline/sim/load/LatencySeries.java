package io.trackline.sim.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The load tool's latencies by the intended send instant of each callback: per interval (10 s), for the measured
 * window, for its steady part, and for the cold start before it (docs/carrier-sim.md, "The load tool").
 * <ul>
 * <li><b>Whole window</b>: every callback after the warm-up.</li>
 * <li><b>Steady state</b>: from the first interval (warm-up included) in which both the callback answers and the
 * watched events' latency to queryable had their p99 below {@code steadyBelow} — the backlog of the cold start is
 * gone — to the end of the run; it never begins before the measured window. Every later interval counts, however
 * late: a spike after the start of the steady state is in it. When no interval gets below, there is no steady
 * state.</li>
 * <li><b>Cold start</b>: everything before the steady state, warm-up included.</li>
 * </ul>
 * A latency of 0 (or less) means none: not answered, not watched, or not visible.
 */
public final class LatencySeries {

    /** The figures of one part of the run: callbacks accepted, answer times and latencies to queryable (sorted). */
    public record Part(long from, long to, long accepted, long[] answers, long[] queryable) {

        public long p99Answer() {
            return answers.length == 0 ? 0 : rank(answers, 0.99);
        }

        public long p99Queryable() {
            return queryable.length == 0 ? 0 : rank(queryable, 0.99);
        }
    }

    private final int rate;
    private final long measuredFrom;
    private final long interval;
    private final Duration steadyBelow;
    private final List<Part> intervals = new ArrayList<>();
    private final Part whole;
    private final Part steady;
    private final Part cold;

    /**
     * @param answered     answer time of callback {@code i} from its intended send instant, in nanoseconds
     * @param accepted     whether callback {@code i} was answered 200
     * @param queryable    latency of callback {@code i}'s event to queryable, in nanoseconds (watched ones only)
     * @param rate         callbacks per second (callback {@code i} is due at {@code i / rate} s)
     * @param measuredFrom the first callback of the measured window (after the warm-up)
     * @param interval     seconds per interval of the series
     * @param steadyBelow  the p99 both answers and latencies to queryable must get below for the steady state
     */
    public LatencySeries(
            long[] answered,
            boolean[] accepted,
            long[] queryable,
            int rate,
            long measuredFrom,
            int interval,
            Duration steadyBelow) {
        if (answered.length != accepted.length || answered.length != queryable.length) {
            throw new IllegalArgumentException("one answer, acceptance and latency per callback");
        }
        this.rate = rate;
        this.measuredFrom = measuredFrom;
        this.interval = (long) interval * rate;
        this.steadyBelow = steadyBelow;
        long total = answered.length;
        long steadyFrom = -1;
        for (long from = 0; from < total; from += this.interval) {
            Part part = part(answered, accepted, queryable, from, Math.min(total, from + this.interval));
            intervals.add(part);
            if (steadyFrom < 0
                    && part.answers.length > 0
                    && part.p99Answer() < steadyBelow.toNanos()
                    && (part.queryable.length == 0 || part.p99Queryable() < steadyBelow.toNanos())) {
                steadyFrom = Math.max(from, measuredFrom);
            }
        }
        long start = Math.min(measuredFrom, total);
        this.whole = part(answered, accepted, queryable, start, total);
        this.steady =
                steadyFrom < 0 || steadyFrom >= total ? null : part(answered, accepted, queryable, steadyFrom, total);
        this.cold = part(answered, accepted, queryable, 0, steady == null ? total : steadyFrom);
    }

    private static Part part(long[] answered, boolean[] accepted, long[] queryable, long from, long to) {
        long ok = 0;
        long[] answers = new long[(int) (to - from)];
        long[] latencies = new long[(int) (to - from)];
        int a = 0;
        int q = 0;
        for (int i = (int) from; i < to; i++) {
            if (answered[i] > 0) {
                answers[a++] = answered[i];
            }
            if (queryable[i] > 0) {
                latencies[q++] = queryable[i];
            }
            ok += accepted[i] ? 1 : 0;
        }
        answers = Arrays.copyOf(answers, a);
        latencies = Arrays.copyOf(latencies, q);
        Arrays.sort(answers);
        Arrays.sort(latencies);
        return new Part(from, to, ok, answers, latencies);
    }

    public List<Part> intervals() {
        return intervals;
    }

    /** The measured window: every callback after the warm-up. */
    public Part whole() {
        return whole;
    }

    /** The steady part of the measured window, or null when the run never got below {@code steadyBelow}. */
    public Part steady() {
        return steady;
    }

    /** Everything before the steady state, warm-up included (the whole run when there is no steady state). */
    public Part cold() {
        return cold;
    }

    /** Seconds from the first callback's due instant to callback {@code index}'s. */
    public double second(long index) {
        return (double) index / rate;
    }

    /** The report's lines: the series, then the steady state and the cold start. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Part part : intervals) {
            line(
                    out,
                    "  at %s s%s".formatted(seconds(part.from), part.to <= measuredFrom ? " (warm-up)" : ""),
                    "%d accepted, answers %s; queryable %s (%d)",
                    part.accepted,
                    percentiles(part.answers),
                    percentiles(part.queryable),
                    part.queryable.length);
        }
        if (steady == null) {
            line(
                    out,
                    "steady state",
                    "none: no %d s interval had answer and queryable p99 below %s",
                    interval / rate,
                    text(steadyBelow));
        } else {
            double seconds = (steady.to - steady.from) / (double) rate;
            line(
                    out,
                    "steady state",
                    "from %s s to %s s (the first %d s with answer and queryable p99 below %s; measured window from"
                            + " %s s): %.1f callbacks/s accepted (%d)",
                    seconds(steady.from),
                    seconds(steady.to),
                    interval / rate,
                    text(steadyBelow),
                    seconds(Math.min(measuredFrom, steady.to)),
                    steady.accepted / seconds,
                    steady.accepted);
            line(out, "  answer", "%s (%d callbacks)", percentiles(steady.answers), steady.answers.length);
            line(out, "  queryable", "%s (%d events)", percentiles(steady.queryable), steady.queryable.length);
        }
        line(
                out,
                "cold start",
                "0 s to %s s (warm-up included): answers %s; queryable %s (%d events)",
                seconds(cold.to),
                percentiles(cold.answers),
                percentiles(cold.queryable),
                cold.queryable.length);
        return out.toString();
    }

    private String seconds(long index) {
        double s = second(index);
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.1f", s);
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static void line(StringBuilder out, String label, String format, Object... args) {
        out.append(String.format(Locale.ROOT, "%-20s ", label + ":"))
                .append(String.format(Locale.ROOT, format, args))
                .append('\n');
    }

    /** p50, p95, p99 and max in milliseconds, nearest rank, of sorted nanoseconds. */
    static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "none";
        }
        return String.format(
                Locale.ROOT,
                "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
                rank(sorted, 0.50) / 1e6,
                rank(sorted, 0.95) / 1e6,
                rank(sorted, 0.99) / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
