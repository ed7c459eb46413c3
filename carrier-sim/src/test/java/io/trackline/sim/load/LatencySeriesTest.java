package io.trackline.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The load tool's report by intended send instant: per 10 s, the measured window, its steady part and the cold start
 * before it, on runs made up here at 10 callbacks/s (100 per interval), every callback watched unless said otherwise.
 */
class LatencySeriesTest {

    private static final long MS = 1_000_000L;
    private static final int RATE = 10;
    private static final Duration BELOW = Duration.ofSeconds(1);

    /** {@code seconds} of callbacks, all accepted, answered in {@code answerMs} and queryable in {@code queryMs}. */
    private static long[][] run(int seconds) {
        return new long[][] {new long[seconds * RATE], new long[seconds * RATE]};
    }

    private static void fill(long[][] run, int fromSecond, int toSecond, long answerMs, long queryMs) {
        for (int i = fromSecond * RATE; i < toSecond * RATE; i++) {
            run[0][i] = answerMs * MS;
            run[1][i] = queryMs * MS;
        }
    }

    private static boolean[] allAccepted(int n) {
        boolean[] accepted = new boolean[n];
        java.util.Arrays.fill(accepted, true);
        return accepted;
    }

    @Test
    void aColdStartIsCutFromTheSteadyStateButStaysInTheWholeWindow() {
        // 20 s warm-up, 60 s measured; the backlog lasts until 40 s: answers seconds late, then milliseconds.
        long[][] run = run(80);
        fill(run, 0, 40, 5_000, 6_000);
        fill(run, 40, 80, 3, 120);
        run[1][79 * RATE] = 240 * MS; // the last interval's slowest event
        LatencySeries series = new LatencySeries(run[0], allAccepted(800), run[1], RATE, 20 * RATE, 10, BELOW);

        assertThat(series.intervals()).hasSize(8);
        assertThat(series.intervals().get(3).p99Queryable()).isEqualTo(6_000 * MS);
        assertThat(series.intervals().get(4).p99Queryable()).isEqualTo(120 * MS);
        assertThat(series.intervals().get(4).queryable()).hasSize(100);
        assertThat(series.intervals().get(4).accepted()).isEqualTo(100);

        assertThat(series.whole().from()).isEqualTo(200);
        assertThat(series.whole().queryable()).hasSize(600);
        assertThat(series.whole().p99Queryable()).isEqualTo(6_000 * MS);

        assertThat(series.steady().from()).isEqualTo(400);
        assertThat(series.steady().to()).isEqualTo(800);
        assertThat(series.steady().accepted()).isEqualTo(400);
        assertThat(series.steady().p99Answer()).isEqualTo(3 * MS);
        assertThat(series.steady().p99Queryable()).isEqualTo(120 * MS);
        assertThat(series.steady().queryable()[399]).isEqualTo(240 * MS);

        assertThat(series.cold().from()).isZero();
        assertThat(series.cold().to()).isEqualTo(400);
        assertThat(series.cold().p99Queryable()).isEqualTo(6_000 * MS);

        String text = series.text();
        assertThat(text)
                .contains("  at 0 s (warm-up):")
                .contains("  at 10 s (warm-up):")
                .doesNotContain("  at 20 s (warm-up)")
                .contains("  at 40 s:           100 accepted, answers p50 3.0 ms, p95 3.0 ms, p99 3.0 ms, max 3.0 ms;"
                        + " queryable p50 120.0 ms, p95 120.0 ms, p99 120.0 ms, max 120.0 ms (100)")
                .contains("steady state:        from 40 s to 80 s (the first 10 s with answer and queryable p99"
                        + " below 1 s; measured window from 20 s): 10.0 callbacks/s accepted (400)")
                .contains("  queryable:         p50 120.0 ms, p95 120.0 ms, p99 120.0 ms, max 240.0 ms (400 events)")
                .contains("cold start:          0 s to 40 s (warm-up included)");
    }

    @Test
    void aWarmUpPastTheColdStartMakesTheSteadyStateTheWholeWindow() {
        long[][] run = run(60);
        fill(run, 0, 20, 4_000, 5_000);
        fill(run, 20, 60, 2, 90);
        LatencySeries series = new LatencySeries(run[0], allAccepted(600), run[1], RATE, 30 * RATE, 10, BELOW);

        assertThat(series.steady().from()).isEqualTo(series.whole().from()).isEqualTo(300);
        assertThat(series.steady().queryable()).isEqualTo(series.whole().queryable());
        // The cold start is still shown: the warm-up's first 20 s, and the 10 s of it after them.
        assertThat(series.cold().to()).isEqualTo(300);
        assertThat(series.cold().p99Queryable()).isEqualTo(5_000 * MS);
    }

    @Test
    void aSpikeAfterTheSteadyStateBeganCountsInIt() {
        long[][] run = run(60);
        fill(run, 0, 60, 2, 100);
        fill(run, 30, 40, 2_000, 3_000);
        LatencySeries series = new LatencySeries(run[0], allAccepted(600), run[1], RATE, 0, 10, BELOW);

        assertThat(series.steady().from()).isZero();
        assertThat(series.steady().p99Queryable()).isEqualTo(3_000 * MS);
        assertThat(series.cold().queryable()).isEmpty();
    }

    @Test
    void aRunThatNeverCatchesUpHasNoSteadyState() {
        long[][] run = run(30);
        fill(run, 0, 30, 1_500, 2_500);
        LatencySeries series = new LatencySeries(run[0], allAccepted(300), run[1], RATE, 10 * RATE, 10, BELOW);

        assertThat(series.steady()).isNull();
        assertThat(series.cold().to()).isEqualTo(300);
        assertThat(series.text())
                .contains("steady state:        none: no 10 s interval had answer and queryable p99" + " below 1 s");
    }

    @Test
    void theAnswersAloneDecideWhereNoEventWasWatchedAndTheQueryableAloneCanHoldItBack() {
        long[][] run = run(30);
        fill(run, 0, 30, 2, 0); // nothing watched
        run[1][5] = 4_000 * MS; // one watched event in the first interval, late
        LatencySeries series = new LatencySeries(run[0], allAccepted(300), run[1], RATE, 0, 10, BELOW);

        assertThat(series.intervals().get(0).queryable()).hasSize(1);
        assertThat(series.steady().from()).isEqualTo(100);
        assertThat(series.intervals().get(1).queryable()).isEmpty();
        assertThat(series.text()).contains("queryable none (0)");
    }

    @Test
    void unansweredAndRefusedCallbacksAreNotCounted() {
        long[][] run = run(10);
        fill(run, 0, 10, 5, 50);
        boolean[] accepted = allAccepted(100);
        for (int i = 0; i < 10; i++) {
            accepted[i] = false;
            run[1][i] = 0;
        }
        run[0][0] = 0; // never answered
        LatencySeries series = new LatencySeries(run[0], accepted, run[1], RATE, 0, 10, BELOW);

        assertThat(series.whole().accepted()).isEqualTo(90);
        assertThat(series.whole().answers()).hasSize(99);
        assertThat(series.whole().queryable()).hasSize(90);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * MS;
        }
        assertThat(LatencySeries.rank(sorted, 0.99)).isEqualTo(99 * MS);
        assertThat(LatencySeries.rank(sorted, 0.50)).isEqualTo(50 * MS);
        assertThat(LatencySeries.percentiles(sorted)).isEqualTo("p50 50.0 ms, p95 95.0 ms, p99 99.0 ms, max 100.0 ms");
        assertThat(LatencySeries.percentiles(new long[0])).isEqualTo("none");
    }
}
