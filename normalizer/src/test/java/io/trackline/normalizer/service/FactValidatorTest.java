package io.trackline.normalizer.service;

import static io.trackline.normalizer.Samples.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import io.trackline.events.Source;
import io.trackline.normalizer.DeadLetterCode;
import io.trackline.normalizer.carrier.UnparseableException;
import io.trackline.normalizer.carrier.all24.All24Parser;
import io.trackline.normalizer.carrier.express247.Express247Parser;
import io.trackline.normalizer.carrier.mrspeedy.MrSpeedyParser;
import io.trackline.normalizer.mapping.MappingTables;
import io.trackline.normalizer.service.Normalizer.Normalized;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What downstream cannot hold is refused with a code, or cleaned and counted; the rest passes untouched. */
class FactValidatorTest {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final NormalizerMetrics metrics = new NormalizerMetrics(registry);
    final Normalizer normalizer = new Normalizer(
            List.of(new All24Parser(), new Express247Parser(), new MrSpeedyParser()),
            new MappingTables(Optional.empty()),
            metrics,
            new FactValidator(FactValidator.Limits.DEFAULTS, metrics, Clock.fixed(NOW, ZoneOffset.UTC)));

    List<CanonicalEvent> normalize(String payload) throws UnparseableException {
        return normalizer.normalize(envelope(Carrier.MRSPEEDY, Source.WEBHOOK, "1250032", payload)).stream()
                .map(Normalized::event)
                .toList();
    }

    /** A callback of the document's shape; the arguments are JSON string content (escapes allowed). */
    static String callback(String eventTime, String status, String orderName, String address, String visited) {
        return """
                {"event_datetime":"%s","order":{"order_id":1250032,"order_name":"%s","status":"%s","points":[
                 {"point_id":1,"address":"%s","courier_visit_datetime":%s},
                 {"point_id":2,"address":"3079/25 Sukhumvit","courier_visit_datetime":null,
                  "required_finish_datetime":"2019-02-16T19:30:13+07:00"}]}}""".formatted(eventTime, orderName, status, address, visited == null ? "null" : '"' + visited + '"');
    }

    static String callback(String eventTime) {
        return callback(eventTime, "available", "50032", "33/5 Sukhumvit", null);
    }

    void refused(String payload, DeadLetterCode code, String... reasonParts) {
        assertThatThrownBy(() -> normalize(payload))
                .as(payload)
                .isInstanceOfSatisfying(UnparseableException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).hasSizeLessThan(400);
                    for (String part : reasonParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
    }

    double count(String name, String... tags) {
        return registry.get("trackline.normalizer." + name).tags(tags).counter().count();
    }

    @Test
    void eventTimesOutsideTheWindowAreRefusedNamingTheFieldAndValue() {
        for (String time : List.of(
                "+294277-01-01T00:00:00Z",
                "-4713-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "1970-01-01T00:00:00+07:00",
                "1999-12-31T23:59:59Z",
                "2027-12-02T00:00:00Z",
                "+9999999-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "9999-12-31T23:59:60Z",
                "2019-02-16T17:30:13+25:00")) {
            refused(callback(time), DeadLetterCode.EVENT_TIME_OUT_OF_RANGE, "'" + time + "'");
        }
        refused(
                callback("+294277-01-01T00:00:00Z"),
                DeadLetterCode.EVENT_TIME_OUT_OF_RANGE,
                "order.status",
                "2000-01-01T00:00:00Z",
                "2027-12-01T00:00:00Z");
        refused(
                callback("2019-02-16T18:00:00+07:00", "active", "50032", "a", "+294277-01-01T00:00:00Z"),
                DeadLetterCode.EVENT_TIME_OUT_OF_RANGE,
                "point.courier_visit");
        refused(callback("soon"), DeadLetterCode.INVALID_TIME, "'soon'");
    }

    @Test
    void theWindowsEdgesAreInside() throws Exception {
        assertThat(normalize(callback("2000-01-01T00:00:00Z"))).hasSize(1);
        assertThat(normalize(callback("2027-12-01T00:00:00Z"))).hasSize(1);
        assertThat(normalize(callback("2000-01-01T07:00:00+07:00"))).hasSize(1);
        refused(callback("2000-01-01T06:59:59+07:00"), DeadLetterCode.EVENT_TIME_OUT_OF_RANGE);
    }

    @Test
    void anEtaOutsideTheWindowIsDroppedAndCountedTheFactsStand() throws Exception {
        String payload =
                callback("2019-02-16T17:30:13+07:00").replace("2019-02-16T19:30:13+07:00", "+294277-01-01T00:00:00Z");
        CanonicalEvent event = normalize(payload).get(0);
        assertThat(event.eta()).isNull();
        assertThat(event.rawCode()).isEqualTo("available");
        assertThat(count("eta.dropped", "carrier", "mrspeedy")).isEqualTo(1.0);
    }

    @Test
    void identifiersThatDownstreamCannotHoldAreRefused() {
        refused(
                callback("2019-02-16T17:30:13+07:00", "available", "50\\u00000", "a", null),
                DeadLetterCode.INVALID_TEXT,
                "references.mrspeedyOrderName",
                "U+0000");
        refused(
                callback("2019-02-16T17:30:13+07:00", "avail\\ud800able", "50032", "a", null),
                DeadLetterCode.INVALID_TEXT,
                "rawCode",
                "unpaired surrogate",
                "U+D800");
        refused(
                callback("2019-02-16T17:30:13+07:00", "available\\udc00", "50032", "a", null),
                DeadLetterCode.INVALID_TEXT,
                "U+DC00");
        refused(
                callback("2019-02-16T17:30:13+07:00", "avail\\u001fable", "50032", "a", null),
                DeadLetterCode.INVALID_TEXT,
                "U+001F");
        refused(
                callback("2019-02-16T17:30:13+07:00", "avail\\u0085able", "50032", "a", null),
                DeadLetterCode.INVALID_TEXT,
                "U+0085");
        refused(
                callback("2019-02-16T17:30:13+07:00", "a".repeat(257), "50032", "a", null),
                DeadLetterCode.INVALID_TEXT,
                "257 characters");
        refused(
                callback("2019-02-16T17:30:13+07:00").replace("\"order_id\":1250032", "\"order_id\":\"12\\u00002\""),
                DeadLetterCode.INVALID_TEXT,
                "reference");
        // a pair is a character, not a surrogate problem
        assertThat(normalizeQuietly(callback("2019-02-16T17:30:13+07:00", "available", "50\\ud83d\\udce6", "a", null)))
                .isTrue();
    }

    boolean normalizeQuietly(String payload) {
        try {
            return !normalize(payload).isEmpty();
        } catch (UnparseableException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void freeTextIsCleanedAndCountedNeverRefused() throws Exception {
        List<CanonicalEvent> events = normalize(callback(
                "2019-02-16T18:10:00+07:00",
                "active",
                "50032",
                "33/5 \\u0000Sukhumvit\\tSoi\\n4 \\udc00 \\ud800x \\ud83d\\udce6 \\u0007end",
                "2019-02-16T18:04:10+07:00"));
        CanonicalEvent pickup = events.stream()
                .filter(e -> e.rawCode().equals("pickup"))
                .findFirst()
                .orElseThrow();
        assertThat(pickup.location().address()).isEqualTo("33/5 Sukhumvit\tSoi\n4 \uFFFD \uFFFDx \ud83d\udce6 end");
        assertThat(count("text.sanitized", "carrier", "mrspeedy", "field", "location.address"))
                .isEqualTo(1.0);

        List<CanonicalEvent> onlyControls = normalize(callback(
                "2019-02-16T18:10:00+07:00", "active", "50032", "\\u0000\\u0001", "2019-02-16T18:04:10+07:00"));
        assertThat(onlyControls).allSatisfy(e -> assertThat(e.location()).isNull());
    }

    @Test
    void longFreeTextIsCutNeverInsideASurrogatePair() {
        String cut = FactValidator.sanitize("x".repeat(998) + "\ud83d\udce6" + "y".repeat(1_000_000), 1000);
        assertThat(cut).hasSize(999).endsWith("x…");
        assertThat(FactValidator.sanitize("x".repeat(1000), 1000)).isEqualTo("x".repeat(1000));
        assertThat(FactValidator.sanitize("x".repeat(1001), 1000)).hasSize(1000).endsWith("x…");
        assertThat(FactValidator.sanitize("x".repeat(999) + "\u0000\u0000", 1000))
                .isEqualTo("x".repeat(999));
    }

    @Test
    void moreFactsThanTheCapRefuseTheWholeRecord() throws Exception {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            points.append(i == 0 ? "" : ",")
                    .append("{\"point_id\":")
                    .append(i)
                    .append(",\"courier_visit_datetime\":\"2019-02-16T18:00:13+07:00\"}");
        }
        String amplified = "{\"event_datetime\":\"2019-02-16T17:30:13+07:00\",\"order\":{\"order_id\":1250032,"
                + "\"status\":\"active\",\"points\":[" + points + "]}}";
        refused(amplified, DeadLetterCode.TOO_MANY_FACTS, "2001 facts", "200");
        // 99 points, MrSpeedy's maximum, all visited: 100 facts
        String most = amplified.replace(points.toString(), points.substring(0, nthPoint(points.toString(), 99)));
        assertThat(normalize(most)).hasSize(100);
    }

    static int nthPoint(String points, int n) {
        int at = 0;
        for (int i = 0; i < n; i++) {
            at = points.indexOf("},{", at) + 1;
        }
        return at;
    }

    @Test
    void deadLetterCountersAreRegisteredAtZeroForEveryCode() {
        for (DeadLetterCode code : DeadLetterCode.values()) {
            assertThat(count("raw.dead_lettered", "carrier", "mrspeedy", "reason", code.code()))
                    .isZero();
        }
        assertThat(count("raw.dead_lettered", "carrier", "unknown", "reason", "invalid_envelope"))
                .isZero();
    }

    @Test
    void anAccountIsAnIdentifier() {
        FactValidator validator = new FactValidator(FactValidator.Limits.DEFAULTS, metrics, Clock.systemUTC());
        assertThatThrownBy(() -> validator.identifier("account", "de\u0000mo"))
                .isInstanceOfSatisfying(
                        UnparseableException.class, e -> assertThat(e.code()).isEqualTo(DeadLetterCode.INVALID_TEXT));
    }
}
