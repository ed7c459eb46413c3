package io.trackline.normalizer.mapping;

import static io.trackline.normalizer.Samples.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.Source;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.Normalizer.Normalized;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of every mapping table, through the carrier's parser, as the carrier would send it. */
public class MappingRowsTest {

    static final MappingTables TABLES = new MappingTables(Optional.empty());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Normalizer normalizer = Samples.normalizer(Samples.metrics(registry));

    /** Codes as the three documents list them. */
    static final List<String> ALL24_CODES =
            List.of("050000", "100000", "200000", "300000", "500000", "401100", "401101");

    static final List<String> EXPRESS247_STATUSES = List.of(
            "ACCEPTED",
            "PICKED_UP",
            "IN_TRANSIT",
            "DELIVERING",
            "DELIVERED",
            "PENDING_FOR_PROCEED",
            "PENDING_FOR_RETURN",
            "RETURNED",
            "LOST",
            "CANCEL",
            "CONFISCATED");
    static final List<String> EXPRESS247_DELAYS = List.of(
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "19", "21", "22",
            "24", "26", "30", "31", "33", "35", "40", "41", "43", "46", "52", "53");
    static final List<String> MRSPEEDY_STATUSES =
            List.of("new", "available", "active", "completed", "reactivated", "draft", "canceled", "delayed");

    @Test
    void everyDocumentedCodeHasARowWithACanonicalStatus() {
        ALL24_CODES.forEach(c -> assertThat(TABLES.table(Carrier.ALL24).find("event_code", c))
                .as(c)
                .isPresent());
        EXPRESS247_STATUSES.forEach(
                c -> assertThat(TABLES.table(Carrier.EXPRESS247).find("status", c))
                        .as(c)
                        .isPresent());
        EXPRESS247_DELAYS.forEach(
                c -> assertThat(TABLES.table(Carrier.EXPRESS247).find("delayCode", c))
                        .as(c)
                        .hasValueSatisfying(m -> assertThat(m.reason()).isNotNull()));
        MRSPEEDY_STATUSES.forEach(c -> assertThat(TABLES.table(Carrier.MRSPEEDY).find("order.status", c))
                .as(c)
                .isPresent());
        List.of("pickup", "stop", "dropoff")
                .forEach(c -> assertThat(TABLES.table(Carrier.MRSPEEDY).find("point.courier_visit", c))
                        .as(c)
                        .isPresent());
        for (Carrier carrier : Carrier.values()) {
            assertThat(TABLES.table(carrier).mappings())
                    .allSatisfy(m -> assertThat(m.status()).isNotEqualTo(CanonicalStatus.UNKNOWN));
        }
        assertThat(TABLES.table(Carrier.EXPRESS247)
                        .find("status", "PENDING_FOR_RETURN")
                        .orElseThrow()
                        .reversal())
                .as("247Express returns after a final status")
                .isTrue();
        assertThat(TABLES.table(Carrier.MRSPEEDY)
                        .find("order.status", "reactivated")
                        .orElseThrow()
                        .reversal())
                .isTrue();
        assertThat(TABLES.table(Carrier.ALL24)
                        .find("event_code", "401100")
                        .orElseThrow()
                        .reason()
                        .name())
                .isEqualTo("CANCELLED_BY_CUSTOMER");
        assertThat(TABLES.table(Carrier.ALL24)
                        .find("event_code", "401101")
                        .orElseThrow()
                        .reason()
                        .name())
                .isEqualTo("CANCELLED_BY_CARRIER");
    }

    /** A MrSpeedy {@code GET /courier} answer with the courier's location (the pollers' reconciliation). */
    static final String MRSPEEDY_COURIER_ANSWER =
            "{\"is_successful\": true, \"courier\": {\"courier_id\": 7, \"latitude\": \"13.69\", \"longitude\":"
                    + " \"100.60\"}}";

    static Stream<Arguments> rows() {
        return Stream.of(Carrier.values())
                .flatMap(c -> TABLES.table(c).mappings().stream().map(m -> Arguments.of(c, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rows")
    void rowIsAppliedToWhatTheCarrierSends(Carrier carrier, Mapping row) throws Exception {
        CanonicalEvent event = normalizer.normalize(payloadFor(carrier, row)).stream()
                .map(Normalized::event)
                .filter(e -> e.rawField().equals(row.field()) && e.rawCode().equals(row.code()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event for " + row));

        assertThat(event.status()).isEqualTo(row.status());
        assertThat(event.reason()).isEqualTo(row.reason());
        assertThat(event.reversal()).as("reversal flag of the row").isEqualTo(row.reversal());
        assertThat(event.mappingVersion()).isEqualTo(TABLES.table(carrier).version());
        assertThat(registry.find("trackline.normalizer.codes.unmapped").counter())
                .isNull();
    }

    @Test
    void aDeploymentOverridesATableWithoutRebuilding(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("all24.json"), """
                {"carrier": "all24", "version": "all24-override-7", "mappings": [
                  {"field": "event_code", "code": "300000", "status": "DELIVERED", "names": ["Goods arrived"]}]}
                """);
        MappingTables tables = new MappingTables(Optional.of(dir));

        assertThat(tables.table(Carrier.ALL24).version()).isEqualTo("all24-override-7");
        assertThat(tables.table(Carrier.ALL24)
                        .find("event_code", "300000")
                        .orElseThrow()
                        .status())
                .isEqualTo(CanonicalStatus.DELIVERED);
        assertThat(tables.table(Carrier.MRSPEEDY).version()).isEqualTo("mrspeedy-1");
    }

    static RawEnvelope payloadFor(Carrier carrier, Mapping row) {
        return payloadFor(
                carrier,
                row,
                switch (carrier) {
                    case ALL24 -> "ROW" + row.code();
                    case EXPRESS247 -> "ROW-00001";
                    case MRSPEEDY -> "4242";
                });
    }

    /**
     * What the carrier sends for one mapping row, about the shipment {@code ref} (all24 tracking number, 247Express
     * order code, or a numeric MrSpeedy order id).
     */
    public static RawEnvelope payloadFor(Carrier carrier, Mapping row, String ref) {
        String name = row.names() == null || row.names().isEmpty()
                ? row.code()
                : row.names().get(0);
        if (carrier == Carrier.MRSPEEDY && row.field().equals("courier.location")) {
            return envelope(carrier, Source.POLL, ref, MRSPEEDY_COURIER_ANSWER);
        }
        return switch (carrier) {
            case ALL24 -> envelope(carrier, Source.POLL, ref, """
                    {"%s": {"hs_order_ref": "%s", "history": [
                      {"event_time": "2026-11-24 10:00:00", "event_name": "%s", "event_code": "%s"}]},
                     "response_code": 200, "error_codes": []}""".formatted(ref, ref, name, row.code()));
            case EXPRESS247 ->
                envelope(
                        carrier,
                        Source.POLL,
                        ref,
                        row.field().equals("delayCode")
                                ? """
                    {"orderCode": "%s", "status": "PENDING_FOR_PROCEED", "delayCode": "%s", "delayNote": "n",
                     "statuses": [{"time": "2026-11-24 10:00:00", "status": "PENDING_FOR_PROCEED"}]}""".formatted(ref, row.code())
                                : """
                    {"orderCode": "%s", "statuses": [{"time": "2026-11-24 10:00:00", "status": "%s",
                     "statusName": "%s"}]}""".formatted(ref, row.code(), row.code()));
            case MRSPEEDY ->
                envelope(carrier, Source.WEBHOOK, ref, """
                    {"event_datetime": "2026-11-24T10:00:00+07:00", "order": {"order_id": %s, "status": "%s",
                     "points": [
                       {"point_id": 1, "courier_visit_datetime": "2026-11-24T10:01:00+07:00"},
                       {"point_id": 2, "courier_visit_datetime": "2026-11-24T10:02:00+07:00"},
                       {"point_id": 3, "courier_visit_datetime": "2026-11-24T10:03:00+07:00"}]}}""".formatted(
                                ref, row.field().equals("order.status") ? row.code() : "active"));
        };
    }
}
