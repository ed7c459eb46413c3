package io.trackline.pollers.quota;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Keeps the quota gauges near the shared state: every instance reads it, so each one's /q/metrics is whole. */
@ApplicationScoped
class QuotaRefresh {

    private final BucketQuota quota;

    QuotaRefresh(BucketQuota quota) {
        this.quota = quota;
    }

    @Scheduled(
            identity = "trackline-pollers-quota-refresh",
            every = "${trackline.pollers.quota.refresh-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        quota.refresh();
    }
}
