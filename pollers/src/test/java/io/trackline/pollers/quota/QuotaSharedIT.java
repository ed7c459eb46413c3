package io.trackline.pollers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.events.Carrier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two poller instances (two quotas, each with its own Bucket4j proxy manager and connection pool) and 8 threads
 * take from one 247Express account as fast as they can, second after second of a test clock. Every grant is counted
 * at the clock time it was made; no 60 s window and no calendar day may hold more than the budgets.
 */
class QuotaSharedIT {

    static final int THREADS = 8;
    static final Instant TEN_AM_HO_CHI_MINH = Instant.parse("2026-12-01T03:00:00Z");

    @Test
    void twoInstancesAndEightThreadsNeverOverdrawAnyBucket() throws Exception {
        String account = Quotas.uniqueAccount("hammer");
        // per minute 600 -> 540; per key per day 800 -> 720; overall 700 -> 630, so the overall bucket refuses first
        // and every refusal after a per-key take gives that token back.
        Map<Carrier, QuotaPlan.CarrierLimits> limits = Quotas.with(
                Quotas.defaults(),
                Carrier.EXPRESS247,
                Quotas.limits(600, OptionalLong.of(800), OptionalLong.of(700), 0.10, Map.of()));
        TestClock clock = new TestClock(TEN_AM_HO_CHI_MINH);
        BucketQuota first = Quotas.instance(account, clock, limits, Quotas.noCredentials());
        BucketQuota second = Quotas.instance(account, clock, limits, Quotas.noCredentials());

        List<Instant> granted = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            for (int second0 = 0; second0 < 180; second0++) {
                Instant now = clock.instant();
                List<Future<Integer>> phase = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    BucketQuota quota = t % 2 == 0 ? first : second;
                    phase.add(threads.submit(() -> hammer(quota, account)));
                }
                for (Future<Integer> f : phase) {
                    int n = f.get(30, TimeUnit.SECONDS);
                    for (int i = 0; i < n; i++) {
                        granted.add(now);
                    }
                }
                clock.advance(Duration.ofSeconds(1));
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(maxInWindow(granted, Duration.ofSeconds(60)))
                .as("grants in any 60 s, both ends included")
                .isLessThanOrEqualTo(540)
                // near it: a second's refill (8.85) that finds the bucket full (9) loses its fraction
                .isGreaterThanOrEqualTo(500);
        assertThat(granted).as("grants in the calendar day: the overall budget").hasSize(630);
        // the per-key bucket got back every token the overall one refused: 720 - 630 left, none lost
        assertThat(first.accountTokens(Carrier.EXPRESS247, account)).containsEntry(QuotaPlan.DAILY, 90L);
        assertThat(second.remainingToday(Carrier.EXPRESS247, account)).isZero();
    }

    /** Takes until refused three times in a row (the bucket is empty for this second), at most 200 times. */
    static int hammer(BucketQuota quota, String account) {
        int granted = 0;
        int refusedInARow = 0;
        for (int attempt = 0; attempt < 200 && refusedInARow < 3; attempt++) {
            if (quota.tryTake(Carrier.EXPRESS247, account)) {
                granted++;
                refusedInARow = 0;
            } else {
                refusedInARow++;
            }
        }
        return granted;
    }

    /** The most grants in any closed interval of the given length ({@code grants} sorted by time). */
    static int maxInWindow(List<Instant> grants, Duration window) {
        int max = 0;
        int start = 0;
        for (int end = 0; end < grants.size(); end++) {
            while (grants.get(start).plus(window).isBefore(grants.get(end))) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }
}
