package io.trackline.store;

import static io.restassured.RestAssured.given;
import static io.trackline.events.CanonicalStatus.IN_TRANSIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.trackline.events.Carrier;
import io.trackline.testsupport.PostgresTestResource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every malformed request to the query API is a 4xx with its JSON error, naming what is wrong, never a 500: query
 * parameters, cursors, times and path segments. Sent with URL encoding off, so each byte goes as written here.
 */
@QuarkusTest
@WithTestResource(StoreKafkaResource.class)
@WithTestResource(PostgresTestResource.class)
class ShipmentQueryIT {

    static final String LIST = "/api/v1/shipments";
    static String known;

    /** Once per class; in @BeforeEach because RestAssured knows the test port only from then on. */
    @BeforeEach
    void twoShipmentsExist() {
        if (known != null) {
            return;
        }
        String first = StatusStoreIT.unique("Q");
        String other = StatusStoreIT.unique("Q");
        Events.send(List.of(
                Events.event(Carrier.ALL24, "acme", first, 1, IN_TRANSIT),
                Events.event(Carrier.ALL24, "acme", other, 1, IN_TRANSIT)));
        StatusStoreIT.awaitTimeline(Carrier.ALL24, first, 1);
        StatusStoreIT.awaitTimeline(Carrier.ALL24, other, 1);
        known = first;
    }

    static Response get(String rawPathAndQuery) {
        return given().urlEncodingEnabled(false)
                .header("X-API-Key", StatusStoreIT.KEY)
                .get(rawPathAndQuery);
    }

    static void assertInvalid(String rawPathAndQuery, String naming) {
        Response answer = get(rawPathAndQuery);
        assertThat(answer.statusCode())
                .as(rawPathAndQuery + " -> " + answer.asString())
                .isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.jsonPath().getString("code")).isEqualTo("invalid_request");
        assertThat(answer.jsonPath().getString("message")).as(rawPathAndQuery).contains(naming);
    }

    static String cursor(String raw) {
        return cursor(raw.getBytes(StandardCharsets.UTF_8));
    }

    static String cursor(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                // limit: an integer from 1 to trackline.store.pages.max-size (500 here)
                Arguments.of("limit=abc", "limit"),
                Arguments.of("limit=0", "limit"),
                Arguments.of("limit=501", "limit"),
                Arguments.of("limit=-1", "limit"),
                Arguments.of("limit=1.5", "limit"),
                Arguments.of("limit=99999999999", "limit"),
                Arguments.of("limit=%2B5", "limit"),
                Arguments.of("limit=1e3", "limit"),
                Arguments.of("limit=0x10", "limit"),
                Arguments.of("limit=%205", "limit"),
                Arguments.of("limit=", "limit"),
                Arguments.of("limit=%00", "limit"),
                // updatedSince: ISO-8601 with offset, years 0001 to 9999
                Arguments.of("updatedSince=yesterday", "updatedSince"),
                Arguments.of("updatedSince=2026-01-01T00:00:00", "updatedSince"),
                Arguments.of("updatedSince=2026-01-01", "updatedSince"),
                Arguments.of("updatedSince=%2B294277-01-01T00:00:00Z", "updatedSince"),
                Arguments.of("updatedSince=-999999999-01-01T00:00:00Z", "updatedSince"),
                Arguments.of("updatedSince=10000-01-01T00:00:00Z", "updatedSince"),
                Arguments.of("updatedSince=0000-12-31T23:59:59Z", "updatedSince"),
                Arguments.of("updatedSince=2026-13-01T00:00:00Z", "updatedSince"),
                Arguments.of("updatedSince=2026-01-01T00:00:00+07:00", "updatedSince"), // '+' read as a space
                Arguments.of("updatedSince=2026-01-01T00:00:00%2B25:00", "updatedSince"),
                Arguments.of("updatedSince=", "updatedSince"),
                Arguments.of("updatedSince=%00", "updatedSince"),
                Arguments.of("updatedSince=2026-01-01T00:00:00Z%00", "updatedSince"),
                // after: only a cursor this API wrote
                Arguments.of("after=not-a-cursor", "after"),
                Arguments.of("after=AA", "after"),
                Arguments.of("after=====", "after"),
                Arguments.of("after=%00", "after"),
                Arguments.of("after=" + cursor("no separator"), "after"),
                Arguments.of("after=" + cursor("+294277-01-01T00:00:00Z|all24:acme:X"), "after"),
                Arguments.of("after=" + cursor("-1000000-01-01T00:00:00Z|all24:acme:X"), "after"),
                Arguments.of("after=" + cursor("2026-01-01T00:00:00Z|all24:acme:a\u0000b"), "after"),
                Arguments.of("after=" + cursor("2026-01-01T00:00:00Z|all24:acme:a\u0007b"), "after"),
                Arguments.of("after=" + cursor("2026-01-01T00:00:00Z|"), "after"),
                Arguments.of("after=" + cursor("yesterday|all24:acme:X"), "after"),
                Arguments.of("after=" + cursor(new byte[] {'2', '|', (byte) 0xED, (byte) 0xA0, (byte) 0x80}), "after"),
                Arguments.of("after=" + cursor(new byte[] {(byte) 0xFF, (byte) 0xFE}), "after"),
                Arguments.of("after=" + "A".repeat(2000), "after"),
                Arguments.of("after=", "after"),
                // the filters: known values, not empty, once
                Arguments.of("status=", "status"),
                Arguments.of("status=TELEPORTED", "status"),
                Arguments.of("status=in%20transit", "status"),
                Arguments.of("status=%00", "status"),
                Arguments.of("status=%20", "status"),
                Arguments.of("status=IN_TRANSIT&status=DELIVERED", "status"),
                Arguments.of("carrier=", "carrier"),
                Arguments.of("carrier=fedex", "carrier"),
                Arguments.of("carrier=%01", "carrier"),
                Arguments.of("carrier=all24&carrier=all24", "carrier"),
                Arguments.of("account=", "account"),
                Arguments.of("account=%00", "account"),
                Arguments.of("account=a%ED%A0%80", "account"),
                Arguments.of("account=%1B%5B31m", "account"),
                Arguments.of("account=a%C2%85", "account"),
                Arguments.of("stauts=DELIVERED", "stauts"),
                Arguments.of("limit=5&foo=bar", "foo"));
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    void aBadQueryParameterIs400NamingIt(String query, String naming) {
        assertInvalid(LIST + "?" + query, naming);
    }

    static Stream<String> shipmentPaths() {
        return Stream.of("", "/timeline", "/stream");
    }

    @ParameterizedTest
    @MethodSource("shipmentPaths")
    void aPathSegmentThatCannotBeAnIdentifierIs400(String suffix) {
        for (String bad : List.of("%00", "a%01b", "%7F", "%C2%85", "%ED%A0%80", "%FF", "a%0Ab", "%E2%80%8B%00")) {
            assertInvalid(LIST + "/all24/" + bad + suffix, "path");
            assertInvalid(LIST + "/" + bad + "/" + known + suffix, "path");
        }
    }

    @ParameterizedTest
    @MethodSource("shipmentPaths")
    void theAccountOfAShipmentPathIsCheckedToo(String suffix) {
        String path = LIST + "/all24/" + known + suffix;
        assertInvalid(path + "?account=", "account");
        assertInvalid(path + "?account=%00", "account");
        assertInvalid(path + "?account=acme&account=acme", "account");
        assertInvalid(path + "?acount=acme", "acount");
    }

    @ParameterizedTest
    @MethodSource("shipmentPaths")
    void anUnknownShipmentIs404BeforeAnyStreamStarts(String suffix) {
        for (String path : List.of(
                LIST + "/all24/" + StatusStoreIT.unique("NONE") + suffix,
                LIST + "/fedex/" + known + suffix,
                LIST + "/all24/" + known + suffix + "?account=nobody")) {
            Response answer = get(path);
            assertThat(answer.statusCode())
                    .as(path + " -> " + answer.asString())
                    .isEqualTo(404);
            assertThat(answer.contentType()).startsWith("application/json");
            assertThat(answer.jsonPath().getString("code")).isEqualTo("shipment_not_found");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "?limit=500",
                "?limit=1",
                "?status=in_transit",
                "?carrier=ALL24",
                "?updatedSince=2026-01-01T00:00:00%2B07:00",
                "?updatedSince=0001-01-01T00:00:00Z",
                "?updatedSince=9999-12-31T23:59:59.999999Z",
                "?account=acme&status=IN_TRANSIT&carrier=all24&limit=10&updatedSince=2026-11-01T00:00:00Z"
            })
    void wellFormedQueriesStillWork(String query) {
        Response answer = get(LIST + query);
        assertThat(answer.statusCode()).as(query + " -> " + answer.asString()).isEqualTo(200);
    }

    @Test
    void aCursorThisApiWroteIsTakenBack() {
        String next = get(LIST + "?limit=1").jsonPath().getString("next");
        assertThat(next).isNotNull();
        Response page = get(LIST + "?limit=1&after=" + next);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.jsonPath().getList("items")).hasSize(1);
        assertThat(get(LIST + "/all24/" + known + "?account=acme").statusCode()).isEqualTo(200);
    }
}
