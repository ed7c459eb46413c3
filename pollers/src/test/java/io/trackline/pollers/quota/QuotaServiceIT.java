package io.trackline.pollers.quota;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trackline.events.Carrier;
import io.trackline.pollers.service.Quota;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.MetricsEndpoint;
import io.trackline.testsupport.PostgresTestResource;
import io.trackline.testsupport.PrometheusText;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The quota as the service runs it: Flyway's V2 on the service's datasource, the configured defaults, the
 * {@link Quota} every client gets, its meters on /q/metrics and the stopped accounts on /q/health.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class QuotaServiceIT {

    @Inject
    Quota quota;

    @Inject
    BucketQuota buckets;

    @Inject
    DataSource dataSource;

    @Test
    void theServicesQuotaHasTheDocumentedBudgets() {
        String account = Quotas.uniqueAccount("service");
        assertThat(buckets.budget(Carrier.EXPRESS247, account).daily()).hasValue(180_000);
        assertThat(buckets.overallBudget(Carrier.EXPRESS247)).hasValue(2_700_000);
        assertThat(buckets.budget(Carrier.MRSPEEDY, account).perMinute()).isEqualTo(90);
        assertThat(buckets.budget(Carrier.MRSPEEDY, account).daily()).hasValue(4_500);
        assertThat(buckets.budget(Carrier.ALL24, account).perMinute()).isEqualTo(540);
        assertThat(buckets.budget(Carrier.ALL24, account).daily()).isEmpty();

        assertThat(quota.tryTake(Carrier.MRSPEEDY, account)).isTrue();
        assertThat(quota.remainingToday(Carrier.MRSPEEDY, account)).isPositive().isLessThan(4_500);
    }

    @Test
    void aStoppedAccountShowsInMetricsAndHealthWithoutMakingTheServiceUnready() throws Exception {
        String stopped = Quotas.uniqueAccount("svc-stopped");
        String cooling = Quotas.uniqueAccount("svc-cooling");
        assertThat(quota.tryTake(Carrier.ALL24, stopped)).isTrue();
        quota.stop(Carrier.ALL24, stopped, "401");
        quota.coolDown(Carrier.ALL24, cooling, Duration.ofMinutes(10), "429");
        assertThat(quota.tryTake(Carrier.ALL24, stopped)).isFalse();
        assertThat(quota.tryTake(Carrier.ALL24, cooling)).isFalse();
        try {
            buckets.refresh();
            String metrics = MetricsEndpoint.scrape();
            Map<String, String> of = Map.of("carrier", "all24", "account", stopped);
            assertThat(PrometheusText.value(
                            metrics, "trackline_pollers_quota_stopped", with(of, "reason", "unauthorized")))
                    .hasValue(1.0);
            assertThat(PrometheusText.value(
                            metrics, "trackline_pollers_quota_refused_total", with(of, "reason", "stopped")))
                    .hasValue(1.0);
            assertThat(PrometheusText.value(metrics, "trackline_pollers_quota_taken_total", of))
                    .hasValue(1.0);
            assertThat(PrometheusText.value(metrics, "trackline_pollers_quota_left", of))
                    .hasValue(0.0);
            assertThat(PrometheusText.value(
                            metrics,
                            "trackline_pollers_quota_cooling_down",
                            Map.of("carrier", "all24", "account", cooling, "reason", "rate_limited")))
                    .hasValue(1.0);

            JsonPath well = given().get("/q/health/well")
                    .then()
                    .statusCode(503)
                    .extract()
                    .jsonPath();
            assertThat(well.getString("checks.find { it.name == 'trackline-pollers-quota' }.status"))
                    .isEqualTo("DOWN");
            assertThat(well.getString("checks.find { it.name == 'trackline-pollers-quota' }.data.stopped"))
                    .contains("all24:" + stopped);
            assertThat(well.getString("checks.find { it.name == 'trackline-pollers-quota' }.data.cooling-down"))
                    .contains("all24:" + cooling);
            given().get("/q/health").then().statusCode(503);
            JsonPath ready = given().get("/q/health/ready").jsonPath();
            assertThat(ready.getList("checks.name")).doesNotContain(QuotaAccountsCheck.NAME);
        } finally {
            clear(stopped);
        }
        given().get("/q/health/well").then().statusCode(200);
        assertThat(quota.tryTake(Carrier.ALL24, stopped)).isTrue();
    }

    /** What an operator does (docs/pollers.md, "Quota"), so that later tests see a healthy service. */
    private void clear(String account) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement clear = c.prepareStatement("UPDATE pollers.quota_account SET stopped_at = NULL,"
                        + " stop_reason = NULL, stopped_credential = NULL, updated_at = now()"
                        + " WHERE carrier = 'all24' AND account = ?")) {
            clear.setString(1, account);
            assertThat(clear.executeUpdate()).isEqualTo(1);
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new HashMap<>(labels);
        more.put(key, value);
        return more;
    }
}
