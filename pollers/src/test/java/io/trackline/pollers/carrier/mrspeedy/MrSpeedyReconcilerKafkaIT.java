package io.trackline.pollers.carrier.mrspeedy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import io.trackline.pollers.carrier.CarrierClientsProfile;
import io.trackline.pollers.carrier.CarrierStubs;
import io.trackline.pollers.carrier.FakeQuota;
import io.trackline.pollers.carrier.FakeShipmentStatuses;
import io.trackline.testsupport.TopicContents;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's records on the real broker, through the pollers' raw producer: a changed order is one record of
 * the raw topic in CloudEvents binary mode, keyed by its shipment id, its value the order's bytes; reconciling the
 * same answer again adds nothing.
 */
@QuarkusTest
@TestProfile(MrSpeedyReconcilerKafkaIT.RealRawTopic.class)
class MrSpeedyReconcilerKafkaIT {

    static final String TOPIC = "test.reconciler.raw.v1";

    /** The carrier clients' profile with the real raw producer, on a topic of this test's own. */
    public static class RealRawTopic extends CarrierClientsProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FakeQuota.class, FakeShipmentStatuses.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("trackline.kafka.raw-topic", TOPIC);
            config.put("trackline.pollers.mrspeedy.reconcile.courier-location", "false");
            return config;
        }
    }

    @Inject
    MrSpeedyReconciler reconciler;

    @Test
    void aChangedOrderIsOneRawRecordAndAnUnchangedOneNoMore() throws Exception {
        WireMockServer stub = CarrierStubs.server();
        stub.resetAll();
        reconciler.reset();
        String order = MrSpeedyReconcilerIT.order(1300042, "active");
        stub.stubFor(get(urlPathEqualTo("/mrspeedy/api/business/1.0/orders"))
                .atPriority(10)
                .willReturn(aResponse().withStatus(200).withBody(MrSpeedyReconcilerIT.EMPTY)));
        stub.stubFor(get(urlPathEqualTo("/mrspeedy/api/business/1.0/orders"))
                .withQueryParam("status", equalTo("active"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody(MrSpeedyReconcilerIT.list(1, order))));

        assertThat(reconciler.reconcile("acme").ordersPublished()).isEqualTo(1);
        assertThat(reconciler.reconcile("acme").ordersPublished()).isZero();

        List<ConsumerRecord<String, byte[]>> records = TopicContents.read(TOPIC, new StringDeserializer());
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("mrspeedy:acme:1300042");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(order);
            RawEnvelope e = RawRecords.read(r.headers(), r.value()).envelope();
            assertThat(e.carrier()).isEqualTo(Carrier.MRSPEEDY);
            assertThat(e.account()).isEqualTo("acme");
            assertThat(e.source()).isEqualTo(Source.POLL);
            assertThat(e.shipmentRef()).isEqualTo("1300042");
            assertThat(e.contentType()).isEqualTo("application/json; charset=utf-8");
        });
        Set<String> headers = java.util.stream.StreamSupport.stream(
                        records.get(0).headers().spliterator(), false)
                .map(h -> h.key())
                .collect(Collectors.toSet());
        assertThat(headers).contains("ce_specversion", "ce_id", "ce_sourcekind", "ce_contentdigest");
    }
}
