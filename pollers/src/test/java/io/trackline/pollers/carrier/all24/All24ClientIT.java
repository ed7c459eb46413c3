package io.trackline.pollers.carrier.all24;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.pollers.carrier.CarrierClientsProfile;
import io.trackline.pollers.carrier.CarrierStubs;
import io.trackline.pollers.carrier.FakeQuota;
import io.trackline.pollers.service.PollAnswer;
import io.trackline.pollers.service.PollAnswer.Outcome;
import io.trackline.samples.CarrierSample;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** all24 tracking against a stub that answers as all24-api.md describes: every outcome, retries and tokens. */
@QuarkusTest
@TestProfile(CarrierClientsProfile.class)
class All24ClientIT {

    static final String PATH = "/all24/v1/tracking/orders";
    static final String NUMBER = "HSBY37H7";

    @Inject
    All24Client client;

    @Inject
    FakeQuota quota;

    WireMockServer stub;

    @BeforeEach
    void reset() {
        stub = CarrierStubs.server();
        stub.resetAll();
        quota.reset();
        client.resetSpelling();
    }

    static Subscription subscription(String reference, String customerId) {
        return new Subscription(Carrier.ALL24, "acme", reference, customerId, OffsetDateTime.now(ZoneOffset.UTC));
    }

    MappingBuilder byNumber(String parameter) {
        return get(urlPathEqualTo(PATH))
                .withQueryParam(parameter, equalTo(NUMBER))
                .withBasicAuth(CarrierClientsProfile.ALL24_KEY, "");
    }

    static String error(int code) {
        return "{\"response_code\":400,\"error_codes\":[" + code + "]}";
    }

    @Test
    void aTrackedAnswerIsTheBodyAsReceivedWithItsContentTypeAndSomeHeaders() {
        byte[] body = CarrierSample.ALL24_TRACKING.bytes();
        stub.stubFor(byNumber("all24_tracking_number")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withHeader("ETag", "\"v1\"")
                        .withHeader("Set-Cookie", "session=not-kept")
                        .withBody(body)));

        PollAnswer answer = client.track(subscription(NUMBER, null));

        assertThat(answer.outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(answer.payload()).isEqualTo(body);
        assertThat(answer.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(answer.headers()).containsEntry("etag", "\"v1\"").doesNotContainKey("set-cookie");
        assertThat(quota.taken()).isEqualTo(1);
        String basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((CarrierClientsProfile.ALL24_KEY + ":").getBytes(StandardCharsets.UTF_8));
        stub.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo(basic)));
    }

    @Test
    void aThirdPartyNumberIsAskedWithTrackingNumberAndCustomerId() {
        stub.stubFor(get(urlPathEqualTo(PATH))
                .withQueryParam("tracking_number", equalTo("TP12345678"))
                .withQueryParam("customer_id", equalTo("12345"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"TP12345678\":{\"history\":[]},\"response_code\":200,\"error_codes\":[]}")));

        PollAnswer answer = client.track(subscription("TP12345678", "12345"));

        assertThat(answer.outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(quota.taken()).isEqualTo(1);
    }

    @Test
    void error1350IsNotFoundAsHttp400AndAsA200ThatSays400() {
        stub.stubFor(byNumber("all24_tracking_number")
                .willReturn(aResponse().withStatus(400).withBody(error(1350))));
        assertThat(client.track(subscription(NUMBER, null)).outcome()).isEqualTo(Outcome.NOT_FOUND);

        stub.resetAll();
        stub.stubFor(byNumber("all24_tracking_number")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"response_code\":\"400\",\"error_codes\":[\"1350\"]}")));
        PollAnswer answer = client.track(subscription(NUMBER, null));
        assertThat(answer.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(answer.detail()).isEqualTo("1350");
    }

    @Test
    void a200WhoseBodySays400IsAnError() {
        stub.stubFor(byNumber("all24_tracking_number")
                .willReturn(aResponse().withStatus(200).withBody("{\"response_code\":400,\"error_codes\":[]}")));

        PollAnswer answer = client.track(subscription(NUMBER, null));

        assertThat(answer.outcome()).isEqualTo(Outcome.INVALID_REQUEST);
        assertThat(answer.payload()).isNull();
    }

    @Test
    void error1000IsAskedOnceMoreWithTheTableSpellingWhichIsThenKept() {
        stub.stubFor(byNumber("all24_tracking_number")
                .willReturn(aResponse().withStatus(400).withBody(error(1000))));
        stub.stubFor(byNumber("all_24_tracking_number")
                .willReturn(aResponse().withStatus(200).withBody(CarrierSample.ALL24_TRACKING.bytes())));

        assertThat(client.track(subscription(NUMBER, null)).outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(quota.taken()).isEqualTo(2);

        // the next look-up goes straight to the spelling that was understood
        assertThat(client.track(subscription(NUMBER, null)).outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(quota.taken()).isEqualTo(3);
        stub.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("all24_tracking_number", equalTo(NUMBER)));
        stub.verify(2, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("all_24_tracking_number", equalTo(NUMBER)));
    }

    @Test
    void error1000ToBothSpellingsIsAnInvalidRequest() {
        stub.stubFor(
                get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(400).withBody(error(1000))));

        PollAnswer answer = client.track(subscription(NUMBER, null));

        assertThat(answer.outcome()).isEqualTo(Outcome.INVALID_REQUEST);
        assertThat(answer.detail()).isEqualTo("1000");
        assertThat(quota.taken()).isEqualTo(2);
    }

    @Test
    void error1000ToTheThirdPartyFormIsAnInvalidRequestAtOnce() {
        stub.stubFor(
                get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(400).withBody(error(1000))));

        assertThat(client.track(subscription("TP12345678", "12345")).outcome()).isEqualTo(Outcome.INVALID_REQUEST);
        assertThat(quota.taken()).isEqualTo(1);
    }

    @Test
    void http401IsUnauthorized() {
        stub.stubFor(get(urlPathEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("WWW-Authenticate", "Basic realm=\"all24\"")
                        .withBody("{\"response_code\":401,\"error_codes\":[]}")));

        assertThat(client.track(subscription(NUMBER, null)).outcome()).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(quota.taken()).isEqualTo(1);
    }

    @Test
    void http429IsRateLimitedWithRetryAfterInSecondsOrAsAnHttpDate() {
        stub.stubFor(get(urlPathEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "7")
                        .withBody("{\"response_code\":429,\"error_codes\":[]}")));
        PollAnswer seconds = client.track(subscription(NUMBER, null));
        assertThat(seconds.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(quota.taken()).isEqualTo(1); // a 429 is not retried

        stub.resetAll();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
        stub.stubFor(
                get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", date)));
        PollAnswer dated = client.track(subscription(NUMBER, null));
        assertThat(dated.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(dated.retryAfter())
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121)));

        stub.resetAll();
        stub.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(429)));
        PollAnswer none = client.track(subscription(NUMBER, null));
        assertThat(none.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(none.retryAfter()).isEmpty();
    }

    @Test
    void a5xxIsRetriedEachAttemptTakingAToken() {
        stub.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"response_code\":503,\"error_codes\":[]}"))
                .willSetStateTo("recovered"));
        stub.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody(CarrierSample.ALL24_TRACKING.bytes())));

        assertThat(client.track(subscription(NUMBER, null)).outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(quota.taken()).isEqualTo(2);
        stub.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void a5xxThatStaysIsACarrierErrorAfterTheRetries() {
        stub.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(502)));

        PollAnswer answer = client.track(subscription(NUMBER, null));

        assertThat(answer.outcome()).isEqualTo(Outcome.CARRIER_ERROR);
        assertThat(answer.detail()).isEqualTo("http_502");
        assertThat(quota.taken()).isEqualTo(4); // the first attempt and 3 retries
        stub.verify(4, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void anIoErrorIsRetriedThenACarrierError() {
        stub.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        PollAnswer answer = client.track(subscription(NUMBER, null));

        assertThat(answer.outcome()).isEqualTo(Outcome.CARRIER_ERROR);
        assertThat(answer.detail()).startsWith("io_");
        assertThat(quota.taken()).isEqualTo(4);
    }

    @Test
    void withoutATokenNothingIsSent() {
        stub.stubFor(
                get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("{}")));
        quota.allow(0);

        assertThat(client.track(subscription(NUMBER, null)).outcome()).isEqualTo(Outcome.NO_TOKEN);
        stub.verify(0, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void aRetryWithoutATokenEndsTheRetries() {
        stub.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
        quota.allow(2);

        PollAnswer answer = client.track(subscription(NUMBER, null));

        assertThat(answer.outcome()).isEqualTo(Outcome.NO_TOKEN);
        stub.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(quota.refused()).isEqualTo(1);
    }

    @Test
    void anAccountWithoutAKeyIsUnauthorizedWithoutARequest() {
        PollAnswer answer = client.track(
                new Subscription(Carrier.ALL24, "nobody", NUMBER, null, OffsetDateTime.now(ZoneOffset.UTC)));

        assertThat(answer.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(quota.taken()).isZero();
    }
}
