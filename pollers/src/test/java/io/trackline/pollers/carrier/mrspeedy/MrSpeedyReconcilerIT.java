package io.trackline.pollers.carrier.mrspeedy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.ShipmentIds;
import io.trackline.events.Source;
import io.trackline.pollers.carrier.CarrierClientsProfile;
import io.trackline.pollers.carrier.CarrierStubs;
import io.trackline.pollers.carrier.FakeQuota;
import io.trackline.pollers.carrier.FakeRawTopic;
import io.trackline.pollers.carrier.FakeShipmentStatuses;
import io.trackline.pollers.config.CarrierAccounts;
import io.trackline.pollers.repository.ReconcileLeases;
import io.trackline.pollers.service.ShipmentStatus;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against a MrSpeedy stub, with a raw topic and shipment statuses of the test's own (the profile sets
 * 600 requests an hour, a page size of 2): what it asks, what it publishes and what it does not.
 */
@QuarkusTest
@TestProfile(CarrierClientsProfile.class)
class MrSpeedyReconcilerIT {

    static final String ORDERS = "/mrspeedy/api/business/1.0/orders";
    static final String COURIER = "/mrspeedy/api/business/1.0/courier";
    static final String EMPTY = "{\"is_successful\":true,\"orders\":[],\"orders_count\":0}";

    @Inject
    MrSpeedyReconciler reconciler;

    @Inject
    FakeQuota quota;

    @Inject
    FakeRawTopic raw;

    @Inject
    FakeShipmentStatuses statuses;

    @Inject
    MrSpeedyClient client;

    @Inject
    CarrierAccounts accounts;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    ReconcileLeases leases;

    @Inject
    DataSource dataSource;

    WireMockServer stub;

    @BeforeEach
    void reset() {
        stub = CarrierStubs.server();
        stub.resetAll();
        quota.reset();
        raw.published.clear();
        statuses.known.clear();
        reconciler.reset();
        stub.stubFor(get(urlPathEqualTo(ORDERS))
                .atPriority(10)
                .willReturn(aResponse().withStatus(200).withBody(EMPTY)));
        stub.stubFor(get(urlPathEqualTo(COURIER))
                .atPriority(10)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"is_successful\":true,\"courier\":{\"courier_id\":7,\"latitude\":\"13.69\","
                                + "\"longitude\":\"100.60\"}}")));
    }

    /** An order object as MrSpeedy lists it (indented, Thai text), with the given id and status. */
    static String order(long id, String status) {
        return "{\n    \"order_id\": " + id + ",\n    \"order_name\": \"" + (id % 100000) + "\",\n    \"status\": \""
                + status
                + "\",\n    \"created_datetime\": \"2026-11-24T08:00:00+07:00\",\n    \"finish_datetime\": null,"
                + "\n    \"matter\": \"ดอกไม้\",\n    \"points\": [{\"point_id\": 1, \"address\": \"33/5 ถนน สุขุมวิท\","
                + " \"courier_visit_datetime\": null}, {\"point_id\": 2, \"address\": \"3079/25\","
                + " \"courier_visit_datetime\": null}],\n    \"courier\": null\n  }";
    }

    static String list(int count, String... orders) {
        return "{\n  \"is_successful\": true,\n  \"orders\": [" + String.join(", ", orders) + "],\n  \"orders_count\": "
                + count + "\n}";
    }

    void listing(String status, String body) {
        stub.stubFor(get(urlPathEqualTo(ORDERS))
                .withQueryParam("status", equalTo(status))
                .withQueryParam("offset", absent())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody(body)));
    }

    List<RawEnvelope> ordersPublished() {
        return raw.published.stream()
                .filter(e -> !e.payloadText().contains("\"courier\":{"))
                .toList();
    }

    @Test
    void aChangedOrderIsPublishedOnceAsTheBytesTheListCarriedAndAnUnchangedOneNever() {
        String active = order(1300001, "active");
        listing("active", list(1, active));

        MrSpeedyReconciler.Result first = reconciler.reconcile("acme");

        assertThat(first.requests()).isEqualTo(6); // five open statuses and the active order's courier
        assertThat(ordersPublished()).singleElement().satisfies(e -> {
            assertThat(e.payload()).isEqualTo(active.getBytes(StandardCharsets.UTF_8));
            assertThat(e.carrier()).isEqualTo(Carrier.MRSPEEDY);
            assertThat(e.account()).isEqualTo("acme");
            assertThat(e.source()).isEqualTo(Source.POLL);
            assertThat(e.shipmentRef()).isEqualTo("1300001");
            assertThat(e.contentType()).isEqualTo("application/json; charset=utf-8");
        });
        assertThat(quota.taken()).isEqualTo(6);

        reconciler.reconcile("acme");
        assertThat(ordersPublished()).hasSize(1); // unchanged: not again

        String completedNow = order(1300001, "delayed");
        stub.resetMappings();
        reset404Defaults();
        listing("active", list(0));
        listing("delayed", list(1, completedNow));
        reconciler.reconcile("acme");
        assertThat(ordersPublished()).hasSize(2);
        assertThat(ordersPublished().get(1).payloadText()).isEqualTo(completedNow);

        reconciler.reconcile("acme");
        assertThat(ordersPublished()).hasSize(2);
    }

    private void reset404Defaults() {
        stub.stubFor(get(urlPathEqualTo(ORDERS))
                .atPriority(10)
                .willReturn(aResponse().withStatus(200).withBody(EMPTY)));
    }

    /** Another poller instance in this JVM: its own holder id, the same carrier, quota and tables. */
    MrSpeedyReconciler anotherInstance() {
        return new MrSpeedyReconciler(client, quota, raw, statuses, accounts, clock, registry, leases);
    }

    @Test
    void twoInstancesReconcileAnAccountAsOneWouldAndTheOtherTakesOverWhenTheHolderStops() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM pollers.reconcile_lease");
        }
        listing("active", list(1, order(1300001, "active")));
        MrSpeedyReconciler first = anotherInstance();
        MrSpeedyReconciler second = anotherInstance();

        first.tick();
        int afterFirst = quota.taken();
        assertThat(afterFirst).isPositive(); // every configured account's first cycle
        assertThat(leases.holder("acme")).isEqualTo(first.holder());

        second.tick(); // the lease is the first instance's: nothing sent
        assertThat(quota.taken()).isEqualTo(afterFirst);
        assertThat(leases.holder("acme")).isEqualTo(first.holder());

        first.tick(); // the holder renews and goes on with its cycle (nothing changed: nothing published)
        assertThat(leases.holder("acme")).isEqualTo(first.holder());
        int published = ordersPublished().size();

        first.releaseLeases(); // the holder stops
        assertThat(leases.holder("acme")).isNull();
        second.tick();
        assertThat(leases.holder("acme")).isEqualTo(second.holder());
        assertThat(quota.taken()).isGreaterThan(afterFirst);
        // the new holder knows nothing of what the first published: the order once more (the same event id)
        assertThat(ordersPublished().subList(published, ordersPublished().size()))
                .filteredOn(e -> e.account().equals("acme"))
                .singleElement()
                .satisfies(e -> assertThat(e.shipmentRef()).isEqualTo("1300001"));
        second.releaseLeases();
    }

    /**
     * The application's own reconciler holds a lease when the test application stops: it gives it back on the
     * shutdown event, while the datasource is still open (before, in a {@code @PreDestroy}, the pool was closed by
     * then and the shutdown log said so). The release itself is checked here; the log at the end of the run shows
     * the shutdown.
     */
    @Test
    void theApplicationsReconcilerGivesItsLeasesBackOnShutdownAndTicksNoMore() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM pollers.reconcile_lease");
        }
        listing("active", list(1, order(1300002, "active")));
        MrSpeedyReconciler stopping = anotherInstance();
        stopping.tick();
        assertThat(leases.holder("acme")).isEqualTo(stopping.holder());

        stopping.stop(new io.quarkus.runtime.ShutdownEvent());
        assertThat(leases.holder("acme")).isNull();
        int taken = quota.taken();
        stopping.tick(); // a tick the scheduler still ran after the shutdown event takes nothing back
        assertThat(leases.holder("acme")).isNull();
        assertThat(quota.taken()).isEqualTo(taken);

        // the application's reconciler keeps a lease until the test application stops (see the shutdown log)
        reconciler.tick();
        assertThat(leases.holder("acme")).isEqualTo(reconciler.holder());
    }

    @Test
    void theRequestCountersOfEveryAccountExistFromTheStartAtZero() {
        assertThat(accounts.mrspeedy().accounts()).isNotEmpty();
        for (String account : accounts.mrspeedy().accounts().keySet()) {
            for (String step : List.of("list_open", "list_final", "courier")) {
                // an outcome no test here provokes: the counter exists because it was registered at startup
                assertThat(registry.find("trackline.pollers.mrspeedy.reconcile.requests")
                                .tags("account", account, "step", step, "outcome", "unauthorized")
                                .counter())
                        .as("%s %s", account, step)
                        .isNotNull();
            }
        }
    }

    @Test
    void anExpiredLeaseIsTakenAndALiveOneIsNot() {
        String account = "lease-test-" + System.nanoTime();
        assertThat(leases.hold(account, "a", Duration.ofMinutes(1))).isTrue();
        assertThat(leases.hold(account, "b", Duration.ofMinutes(1))).isFalse();
        assertThat(leases.hold(account, "a", Duration.ofMillis(1))).isTrue(); // renewed, nearly expired
        await().atMost(Duration.ofSeconds(5)).until(() -> leases.holder(account) == null);
        assertThat(leases.hold(account, "b", Duration.ofMinutes(1))).isTrue();
        assertThat(leases.holder(account)).isEqualTo("b");
        assertThat(leases.release("b")).isEqualTo(1);
    }

    @Test
    void theCourierOfAnActiveOrderIsPublishedWhenItMoved() {
        listing("active", list(1, order(1300001, "active")));

        reconciler.reconcile("acme");

        assertThat(raw.published)
                .filteredOn(e -> e.payloadText().contains("\"courier\":{"))
                .singleElement()
                .satisfies(e -> assertThat(e.shipmentRef()).isEqualTo("1300001"));
        stub.verify(1, getRequestedFor(urlPathEqualTo(COURIER)).withQueryParam("order_id", equalTo("1300001")));
    }

    @Test
    void anOrderTracklineWaitsForThatNoOpenListShowsIsLookedForInTheFinalLists() {
        statuses.known.add(known("1300007", CanonicalStatus.IN_TRANSIT));
        String done = order(1300007, "completed");
        listing("completed", list(40, order(1300009, "completed"), done));

        reconciler.reconcile("acme");

        assertThat(ordersPublished()).singleElement().satisfies(e -> {
            assertThat(e.shipmentRef()).isEqualTo("1300007");
            assertThat(e.payloadText()).isEqualTo(done);
        });
        stub.verify(getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("status", equalTo("completed")));
        stub.verify(getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("status", equalTo("canceled")));
    }

    @Test
    void aLongListIsPagedWithOffsetAndCount() {
        listing("available", list(3, order(1300003, "available"), order(1300002, "available")));
        stub.stubFor(get(urlPathEqualTo(ORDERS))
                .withQueryParam("status", equalTo("available"))
                .withQueryParam("offset", equalTo("2"))
                .withQueryParam("count", equalTo("2"))
                .willReturn(aResponse().withStatus(200).withBody(list(3, order(1300001, "available")))));

        reconciler.reconcile("acme");

        assertThat(ordersPublished())
                .extracting(RawEnvelope::shipmentRef)
                .containsExactly("1300003", "1300002", "1300001");
    }

    @Test
    void aCarrierThatRefusesPagingIsReadByFirstPagesOnly() {
        listing("available", list(3, order(1300003, "available"), order(1300002, "available")));
        stub.stubFor(get(urlPathEqualTo(ORDERS))
                .withQueryParam("offset", equalTo("2"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"is_successful\":false,\"errors\":[\"invalid_parameters\"],"
                                + "\"parameter_errors\":{\"offset\":[\"unknown\"],\"count\":[\"unknown\"]}}")));

        reconciler.reconcile("acme");
        reconciler.reconcile("acme");

        assertThat(ordersPublished()).extracting(RawEnvelope::shipmentRef).containsExactly("1300003", "1300002");
        stub.verify(1, getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("offset", equalTo("2")));
    }

    @Test
    void theRequestsLimitCoolsTheAccountDownAndEndsTheTick() {
        stub.stubFor(get(urlPathEqualTo(ORDERS))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"is_successful\":false,\"errors\":[\"requests_limit_exceeded\"],"
                                + "\"parameter_errors\":null}")));

        MrSpeedyReconciler.Result result = reconciler.reconcile("acme");

        assertThat(result.requests()).isEqualTo(1);
        assertThat(quota.coolDowns).containsExactly("mrspeedy:acme:PT1M:requests_limit_exceeded");
    }

    @Test
    void withoutQuotaTokensTheCycleWaitsAndGoesOnWhereItStopped() {
        listing("active", list(1, order(1300001, "active")));
        quota.allow(2); // new and available

        assertThat(reconciler.reconcile("acme").requests()).isEqualTo(2);
        assertThat(raw.published).isEmpty();

        quota.allow(100);
        reconciler.reconcile("acme");
        assertThat(ordersPublished()).hasSize(1);
        stub.verify(1, getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("status", equalTo("new")));
    }

    @Test
    void theRequestsPerHourShareBoundsATick() {
        // 600 an hour, a tick a minute: 10 requests a tick, up to 20 saved
        for (int i = 0; i < 30; i++) {
            listing("active", list(1, order(1300001 + i, "active")));
        }
        int sent = 0;
        for (int tick = 0; tick < 6; tick++) {
            sent += reconciler.reconcile("acme").requests();
        }
        assertThat(sent).isLessThanOrEqualTo(60);
    }

    static ShipmentStatus known(String orderId, CanonicalStatus status) {
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
        return new ShipmentStatus(
                ShipmentIds.of(Carrier.MRSPEEDY, "acme", orderId),
                Carrier.MRSPEEDY,
                "acme",
                orderId,
                status,
                t,
                t,
                null);
    }
}
