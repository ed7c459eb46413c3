package io.trackline.pollers.carrier.express247;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.pollers.carrier.CarrierClientsProfile;
import io.trackline.pollers.carrier.CarrierStubs;
import io.trackline.pollers.carrier.FakeQuota;
import io.trackline.pollers.carrier.LogCapture;
import io.trackline.pollers.service.PollAnswer;
import io.trackline.pollers.service.PollAnswer.Outcome;
import io.trackline.samples.CarrierSample;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** 247Express tracking against a stub that answers as 247express-tracking-api.txt describes. */
@QuarkusTest
@TestProfile(CarrierClientsProfile.class)
class Express247ClientIT {

    static final String PATH = "/247express/api/Order/v1/Tracking";
    static final String CODE = "EX247-0000001";
    static final String KEY = CarrierClientsProfile.EXPRESS247_KEY;

    @Inject
    Express247Client client;

    @Inject
    FakeQuota quota;

    @Inject
    Clock clock;

    WireMockServer stub;

    @BeforeEach
    void reset() {
        stub = CarrierStubs.server();
        stub.resetAll();
        quota.reset();
        client.resetSpelling();
    }

    static Subscription subscription(String code) {
        return new Subscription(Carrier.EXPRESS247, "acme", code, null, OffsetDateTime.now(ZoneOffset.UTC));
    }

    static String error(String code) {
        return "{\"errorCode\":\"" + code + "\",\"errorMessage\":\"...\",\"orderCode\":\"" + CODE + "\"}";
    }

    void answer(int status, String body) {
        stub.stubFor(get(urlPathEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody(body)));
    }

    @Test
    void aTrackedAnswerIsTheBodyAsReceivedAskedWithTheExampleSpelling() {
        byte[] body = CarrierSample.EXPRESS247_TRACKING.bytes();
        stub.stubFor(get(urlPathEqualTo(PATH))
                .withQueryParam("ordercode", equalTo(CODE))
                .withQueryParam("apikey", equalTo(KEY))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody(body)));

        PollAnswer answer = client.track(subscription(CODE));

        assertThat(answer.outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(answer.payload()).isEqualTo(body);
        assertThat(answer.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(quota.taken()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "MISSING_APIKEY, UNAUTHORIZED",
        "APIKEY_NOT_FOUND, UNAUTHORIZED",
        "MISSING_ORDERCODE, INVALID_REQUEST",
        "ORDERCODE_MIN_LENGTH, INVALID_REQUEST",
        "ORDERCODE_MAX_LENGTH, INVALID_REQUEST",
        "ORDERCODE_FORMAT_EXCEPTION, INVALID_REQUEST",
        "ORDERCODE_NOT_FOUND, NOT_FOUND",
        "ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT, FOREIGN",
        "APIKEY_LIMIT, QUOTA_EXHAUSTED",
        "SOMETHING_NEW, CARRIER_ERROR"
    })
    void everyErrorCodeAsAnHttp200AndAsAn400(String code, Outcome outcome) {
        for (int status : new int[] {200, 400}) {
            stub.resetAll();
            answer(status, error(code));
            PollAnswer answer = client.track(subscription(CODE));
            assertThat(answer.outcome()).as(code + " as " + status).isEqualTo(outcome);
            assertThat(answer.payload()).isNull();
        }
    }

    @Test
    void apikeyLimitCoolsDownUntilMidnightInHoChiMinhCity() {
        answer(200, error("APIKEY_LIMIT"));

        PollAnswer answer = client.track(subscription(CODE));

        assertThat(answer.outcome()).isEqualTo(Outcome.QUOTA_EXHAUSTED);
        ZoneId zone = ZoneId.of("Asia/Ho_Chi_Minh");
        Duration expected = Duration.between(
                clock.instant(),
                LocalDate.now(clock.withZone(zone))
                        .plusDays(1)
                        .atStartOfDay(zone)
                        .toInstant());
        assertThat(answer.retryAfter())
                .hasValueSatisfying(d -> assertThat(d).isBetween(expected, expected.plusSeconds(5)));
        assertThat(quota.taken()).isEqualTo(1);
    }

    @Test
    void exceptionIsRetriedThenACarrierError() {
        answer(200, error("EXCEPTION"));

        PollAnswer answer = client.track(subscription(CODE));

        assertThat(answer.outcome()).isEqualTo(Outcome.CARRIER_ERROR);
        assertThat(answer.detail()).isEqualTo("EXCEPTION");
        assertThat(quota.taken()).isEqualTo(4);
        stub.verify(4, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void exceptionThenAnAnswerIsTracked() {
        stub.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withBody(error("EXCEPTION")))
                .willSetStateTo("ok"));
        stub.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("flaky")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(CarrierSample.EXPRESS247_TRACKING.bytes())));

        assertThat(client.track(subscription(CODE)).outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(quota.taken()).isEqualTo(2);
    }

    @Test
    void a5xxIsRetriedEachAttemptTakingAToken() {
        answer(500, "<html>oops</html>");

        assertThat(client.track(subscription(CODE)).outcome()).isEqualTo(Outcome.CARRIER_ERROR);
        assertThat(quota.taken()).isEqualTo(4);
    }

    @Test
    void http401And429WithoutACode() {
        answer(401, "");
        assertThat(client.track(subscription(CODE)).outcome()).isEqualTo(Outcome.UNAUTHORIZED);

        stub.resetAll();
        stub.stubFor(
                get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
        PollAnswer limited = client.track(subscription(CODE));
        assertThat(limited.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcd", "ABCDEFGHIJ0123456789X", "EX247 0001", "EX247/0001", "ĐƠN-12345"})
    void aMalformedOrderCodeIsRefusedBeforeAnyQuotaIsSpent(String code) {
        answer(200, CarrierSample.EXPRESS247_TRACKING.text());
        Subscription s = code.isEmpty() ? null : subscription(code);

        PollAnswer answer =
                s == null ? PollAnswer.refused(Outcome.INVALID_REQUEST, "ORDERCODE_FORMAT") : client.track(s);

        assertThat(answer.outcome()).isEqualTo(Outcome.INVALID_REQUEST);
        assertThat(quota.taken()).isZero();
        stub.verify(0, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void validOrderCodesAtTheBounds() {
        assertThat(Express247Client.isValidOrderCode("ab_-9")).isTrue();
        assertThat(Express247Client.isValidOrderCode("A".repeat(20))).isTrue();
        assertThat(Express247Client.isValidOrderCode("A".repeat(21))).isFalse();
        assertThat(Express247Client.isValidOrderCode("abcd")).isFalse();
    }

    @Test
    void missingApikeyIsAskedOnceMoreWithTheListSpellingWhichIsThenKept() {
        stub.stubFor(get(urlPathEqualTo(PATH))
                .withQueryParam("apiKey", absent())
                .willReturn(aResponse().withStatus(200).withBody(error("MISSING_APIKEY"))));
        stub.stubFor(get(urlPathEqualTo(PATH))
                .withQueryParam("apiKey", equalTo(KEY))
                .willReturn(aResponse().withStatus(200).withBody(CarrierSample.EXPRESS247_TRACKING.bytes())));

        assertThat(client.track(subscription(CODE)).outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(client.track(subscription(CODE)).outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(quota.taken()).isEqualTo(3);
        stub.verify(2, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("apiKey", equalTo(KEY)));
    }

    @Test
    void withoutATokenNothingIsSent() {
        answer(200, CarrierSample.EXPRESS247_TRACKING.text());
        quota.allow(0);

        assertThat(client.track(subscription(CODE)).outcome()).isEqualTo(Outcome.NO_TOKEN);
        stub.verify(0, getRequestedFor(urlPathEqualTo(PATH)));
    }

    /**
     * The key is in the query string. Everything that may write a URI is exercised — the REST client's request log
     * (on, at DEBUG, in this profile), I/O errors, read timeouts (Vert.x names the URI with its query in that
     * message), retries, error codes — and no log line, stack trace, answer detail or metric holds the key.
     */
    @Test
    void theKeyNeverAppearsInLogsTracesAnswersOrMetrics() {
        StringBuilder details = new StringBuilder();
        try (LogCapture logs = LogCapture.start()) {
            for (String body : new String[] {
                error("APIKEY_NOT_FOUND"), error("EXCEPTION"), error("ORDERCODE_NOT_FOUND"), error("WEIRD_CODE")
            }) {
                stub.resetAll();
                answer(200, body);
                details.append(client.track(subscription(CODE)).detail()).append('\n');
            }
            stub.resetAll();
            answer(200, CarrierSample.EXPRESS247_TRACKING.text());
            details.append(client.track(subscription(CODE))).append('\n');
            stub.resetAll();
            stub.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
            details.append(client.track(subscription(CODE)).detail()).append('\n');
            stub.resetAll();
            stub.stubFor(get(urlPathEqualTo(PATH))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(1500).withBody("{}")));
            PollAnswer timedOut = client.track(subscription(CODE));
            assertThat(timedOut.outcome()).isEqualTo(Outcome.CARRIER_ERROR);
            details.append(timedOut.detail()).append('\n');

            String metrics =
                    given().get("/q/metrics").then().statusCode(200).extract().asString();

            assertThat(logs.lines()).as("something was logged").isNotEmpty();
            assertThat(logs.all()).contains("apikey=****").doesNotContain(KEY);
            assertThat(details.toString()).doesNotContain(KEY);
            assertThat(metrics).contains("trackline_pollers_carrier_requests").doesNotContain(KEY);
        }
        stub.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("apikey", equalTo(KEY)));
    }
}
