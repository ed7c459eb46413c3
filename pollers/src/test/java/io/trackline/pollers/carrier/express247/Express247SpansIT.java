package io.trackline.pollers.carrier.express247;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.pollers.carrier.CarrierStubs;
import io.trackline.pollers.carrier.FakeQuota;
import io.trackline.pollers.carrier.TracingProfile;
import io.trackline.pollers.service.PollAnswer.Outcome;
import io.trackline.samples.CarrierSample;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, every 247Express look-up is a REST Client span whose URL keeps the order code and masks the API
 * key (a query parameter): no span name, attribute or event of any span carries the key, answered or failed.
 */
@QuarkusTest
@TestProfile(TracingProfile.class)
class Express247SpansIT {

    static final String PATH = "/247express/api/Order/v1/Tracking";
    static final String CODE = "EX247-0000002";
    static final String KEY = TracingProfile.EXPRESS247_KEY;
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");

    @Inject
    Express247Client client;

    @Inject
    FakeQuota quota;

    @Inject
    InMemorySpanExporter spans;

    WireMockServer stub;

    @BeforeEach
    void reset() {
        stub = CarrierStubs.server();
        stub.resetAll();
        quota.reset();
        client.resetSpelling();
        spans.reset();
    }

    static Subscription subscription() {
        return new Subscription(Carrier.EXPRESS247, "acme", CODE, null, OffsetDateTime.now(ZoneOffset.UTC));
    }

    List<SpanData> clientSpans(int atLeast) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(s -> s.getKind() == SpanKind.CLIENT)
                                .toList(),
                        l -> l.size() >= atLeast);
    }

    static void noKeyIn(List<SpanData> all) {
        for (SpanData s : all) {
            assertThat(s.getName()).doesNotContain(KEY);
            s.getAttributes()
                    .forEach((k, v) -> assertThat(String.valueOf(v))
                            .as(s.getName() + " " + k)
                            .doesNotContain(KEY));
            for (EventData e : s.getEvents()) {
                assertThat(e.getName()).doesNotContain(KEY);
                e.getAttributes()
                        .forEach((k, v) -> assertThat(String.valueOf(v))
                                .as(s.getName() + " event " + e.getName() + " " + k)
                                .doesNotContain(KEY));
            }
            assertThat(s.getStatus().getDescription()).doesNotContain(KEY);
        }
    }

    @Test
    void theUrlOfATrackedLookUpIsMasked() {
        stub.stubFor(get(urlPathEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody(CarrierSample.EXPRESS247_TRACKING.bytes())));

        assertThat(client.track(subscription()).outcome()).isEqualTo(Outcome.TRACKED);

        List<SpanData> lookups = clientSpans(1);
        SpanData lookup = lookups.get(0);
        assertThat(lookup.getAttributes().get(URL_FULL))
                .as("the URL is kept, with the key masked")
                .contains(PATH)
                .contains("ordercode=" + CODE)
                .contains("apikey=****");
        noKeyIn(spans.getFinishedSpanItems());
    }

    @Test
    void aFailedLookUpCarriesNoKeyEither() {
        stub.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(client.track(subscription()).outcome()).isEqualTo(Outcome.CARRIER_ERROR);

        List<SpanData> attempts = clientSpans(2); // retried
        assertThat(attempts)
                .allSatisfy(s -> assertThat(s.getAttributes().get(URL_FULL)).contains("apikey=****"));
        noKeyIn(spans.getFinishedSpanItems());
    }
}
