package io.trackline.store;

import static io.trackline.events.CanonicalStatus.IN_TRANSIT;
import static io.trackline.store.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trackline.events.Carrier;
import io.trackline.testsupport.MetricsEndpoint;
import io.trackline.testsupport.PostgresTestResource;
import io.trackline.testsupport.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operating gauges on /q/metrics with the real broker and PostgreSQL: the group's lag in records and seconds
 * (kafka-support's GroupLagMetrics, registered by configuration) and the freshness of each carrier.
 */
@QuarkusTest
@WithTestResource(StoreKafkaResource.class)
@WithTestResource(PostgresTestResource.class)
class OperatingMetricsIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Map<String, String> GROUP = Map.of("group", "trackline-status-store", "topic", "trackline.events.v1");

    @Test
    void theGroupsLagIsMeasuredInRecordsAndSecondsAndReturnsToZeroOnceTheEventsAreStored() {
        String ref = StatusStoreIT.unique("LAG");
        Events.send(List.of(event(Carrier.MRSPEEDY, "acme", ref, 1, IN_TRANSIT)));
        StatusStoreIT.awaitTimeline(Carrier.MRSPEEDY, ref, 1);

        await().atMost(WAIT).untilAsserted(() -> {
            String body = MetricsEndpoint.scrape();
            assertThat(PrometheusText.value(body, "trackline_store_group_lag_records", GROUP))
                    .hasValue(0.0);
            assertThat(PrometheusText.value(body, "trackline_store_group_lag_seconds", GROUP))
                    .hasValue(0.0);
        });
    }

    @Test
    void everyCarrierHasAFreshnessAndACarriersEventMakesItFresh() {
        for (Carrier carrier : Carrier.values()) {
            assertThat(MetricsEndpoint.series(
                            "trackline_store_carrier_freshness_seconds", Map.of("carrier", carrier.id())))
                    .isPresent();
        }
        String ref = StatusStoreIT.unique("FRESH");
        Events.send(List.of(event(Carrier.EXPRESS247, "acme", ref, 1, IN_TRANSIT)));
        StatusStoreIT.awaitTimeline(Carrier.EXPRESS247, ref, 1);

        assertThat(MetricsEndpoint.series("trackline_store_carrier_freshness_seconds", Map.of("carrier", "247express"))
                        .getAsDouble())
                .isLessThan(5.0);
    }
}
