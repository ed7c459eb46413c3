package io.trackline.pollers.carrier.mrspeedy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MrSpeedy's order list and courier against a stub that answers as mrspeedy-business-api.txt describes. */
@QuarkusTest
@TestProfile(CarrierClientsProfile.class)
class MrSpeedyClientIT {

    static final String BASE = "/mrspeedy/api/business/1.0";
    static final String TOKEN = CarrierClientsProfile.MRSPEEDY_TOKEN;

    @Inject
    MrSpeedyClient client;

    @Inject
    FakeQuota quota;

    WireMockServer stub;

    @BeforeEach
    void reset() {
        stub = CarrierStubs.server();
        stub.resetAll();
        quota.reset();
    }

    static String error(String code) {
        return "{\"is_successful\":false,\"errors\":[\"" + code + "\"],\"parameter_errors\":null}";
    }

    void answer(String path, int status, String body) {
        stub.stubFor(get(urlPathEqualTo(BASE + path))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody(body)));
    }

    @Test
    void theOrderListIsAskedByStatusWithTheTokenHeaderAndNothingElse() {
        byte[] body = CarrierSample.MRSPEEDY_ORDERS.bytes();
        stub.stubFor(get(urlPathEqualTo(BASE + "/orders"))
                .withHeader("X-DV-Auth-Token", equalTo(TOKEN))
                .withQueryParam("status", equalTo("available"))
                .withQueryParam("offset", absent())
                .withQueryParam("count", absent())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody(body)));

        PollAnswer answer = client.listOrders("acme", "available", null, null);

        assertThat(answer.outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(answer.payload()).isEqualTo(body);
        assertThat(answer.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(quota.taken()).isEqualTo(1);
    }

    @Test
    void theCourierOfAnOrder() {
        String body =
                "{\"is_successful\":true,\"courier\":{\"courier_id\":72384,\"name\":\"Name\",\"phone\":\"66902299000\","
                        + "\"photo_url\":null,\"latitude\":\"13.6931036\",\"longitude\":\"100.6011547\"}}";
        stub.stubFor(get(urlPathEqualTo(BASE + "/courier"))
                .withHeader("X-DV-Auth-Token", equalTo(TOKEN))
                .withQueryParam("order_id", equalTo("1250032"))
                .willReturn(aResponse().withStatus(200).withBody(body)));

        PollAnswer answer = client.courier("acme", "1250032");

        assertThat(answer.outcome()).isEqualTo(Outcome.TRACKED);
        assertThat(new String(answer.payload(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(body);
    }

    @Test
    void aSubscriptionAsksForItsOrder() {
        stub.stubFor(get(urlPathEqualTo(BASE + "/orders"))
                .withQueryParam("order_id", equalTo("1250032"))
                .willReturn(aResponse().withStatus(200).withBody(CarrierSample.MRSPEEDY_ORDERS.bytes())));

        PollAnswer answer = client.track(
                new Subscription(Carrier.MRSPEEDY, "acme", "1250032", null, OffsetDateTime.now(ZoneOffset.UTC)));

        assertThat(answer.outcome()).isEqualTo(Outcome.TRACKED);
    }

    @ParameterizedTest
    @CsvSource({
        "required_auth_token, UNAUTHORIZED",
        "invalid_auth_token, UNAUTHORIZED",
        "unapproved_contract, UNAUTHORIZED",
        "invalid_api_method, INVALID_REQUEST",
        "required_method_get, INVALID_REQUEST",
        "invalid_api_version, INVALID_REQUEST",
        "insufficient_balance, CARRIER_ERROR",
        "something_new, CARRIER_ERROR"
    })
    void errorsAreHttp400WithErrorCodes(String code, Outcome outcome) {
        answer("/orders", 400, error(code));

        PollAnswer answer = client.listOrders("acme", "active", null, null);

        assertThat(answer.outcome()).isEqualTo(outcome);
        assertThat(quota.taken()).isEqualTo(1);
    }

    @Test
    void theRequestsLimitIsARateLimitOfAMinute() {
        answer("/orders", 400, error("requests_limit_exceeded"));

        PollAnswer answer = client.listOrders("acme", "active", null, null);

        assertThat(answer.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(answer.retryAfter()).contains(Duration.ofMinutes(1));
        assertThat(quota.taken()).isEqualTo(1);
    }

    @Test
    void serviceUnavailableAndUnexpectedErrorAreRetried() {
        answer("/orders", 400, error("service_unavailable"));
        assertThat(client.listOrders("acme", "active", null, null).outcome()).isEqualTo(Outcome.CARRIER_ERROR);
        assertThat(quota.taken()).isEqualTo(4);

        stub.resetAll();
        quota.reset();
        answer("/courier", 400, error("unexpected_error"));
        assertThat(client.courier("acme", "1").outcome()).isEqualTo(Outcome.CARRIER_ERROR);
        assertThat(quota.taken()).isEqualTo(4);
        stub.verify(4, getRequestedFor(urlPathEqualTo(BASE + "/courier")));
    }

    @Test
    void anUnknownOrderIsNotFoundOtherParameterErrorsAreInvalidRequests() {
        answer(
                "/courier",
                400,
                "{\"is_successful\":false,\"errors\":[\"invalid_parameters\"],"
                        + "\"parameter_errors\":{\"order_id\":[\"invalid_order\"]}}");
        assertThat(client.courier("acme", "99").outcome()).isEqualTo(Outcome.NOT_FOUND);

        stub.resetAll();
        answer(
                "/orders",
                400,
                "{\"is_successful\":false,\"errors\":[\"invalid_parameters\"],"
                        + "\"parameter_errors\":{\"offset\":[\"unknown\"],\"count\":[\"unknown\"]}}");
        PollAnswer paged = client.listOrders("acme", "active", 10, 50);
        assertThat(paged.outcome()).isEqualTo(Outcome.INVALID_REQUEST);
        assertThat(paged.detail()).isEqualTo("invalid_parameters:offset=unknown,count=unknown");
        stub.verify(getRequestedFor(urlPathEqualTo(BASE + "/orders"))
                .withQueryParam("offset", equalTo("10"))
                .withQueryParam("count", equalTo("50")));
    }

    @Test
    void a5xxIsRetriedAndWithoutATokenNothingIsSent() {
        answer("/orders", 503, "");
        quota.allow(2);

        assertThat(client.listOrders("acme", "active", null, null).outcome()).isEqualTo(Outcome.NO_TOKEN);
        stub.verify(2, getRequestedFor(urlPathEqualTo(BASE + "/orders")));
    }

    @Test
    void anAccountWithoutATokenSendsNothing() {
        assertThat(client.listOrders("nobody", "active", null, null).outcome()).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(quota.taken()).isZero();
    }
}
