package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Raw records in CloudEvents binary mode, and the JSON envelopes of versions 1 and 2 that the raw topic held before:
 * {@code src/test/resources/raw-envelopes/} holds values as the version 2 encoder wrote them (and a version 1 value
 * in the shape of that version), recorded before the encoder was removed.
 */
class RawRecordsTest {

    static final byte[] CALLBACK = (" {\"event_datetime\": \"2026-11-25T10:00:00+07:00\",\n  \"order\" : {\"order_id\":"
                    + " 1250032, \"status\": \"courier_assigned\",\n \"address\": \"ถนน สุขุมวิท \\\"A\\\"\"} }\r\n")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void theValueIsThePayloadByteForByteAndTheFieldsAreCloudEventsHeaders() throws Exception {
        Map<String, String> http = new LinkedHashMap<>();
        http.put("X-DV-Signature", "3f1c");
        http.put("User-Agent", "MrSpeedy \"Webhook\"/1.0");
        RawEnvelope envelope = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "demo",
                Source.WEBHOOK,
                "1250032",
                OffsetDateTime.parse("2026-11-25T03:00:00.123456Z"),
                "req-1",
                "application/json; charset=utf-8",
                http,
                CALLBACK);

        ProducerRecord<String, byte[]> record = RawRecords.record(Topics.RAW, envelope);
        assertThat(record.topic()).isEqualTo(Topics.RAW);
        assertThat(record.key()).isEqualTo("mrspeedy:demo:1250032").isEqualTo(envelope.key());
        assertThat(record.partition())
                .as("the default partitioner places it by key, as always")
                .isNull();
        assertThat(record.value()).isEqualTo(CALLBACK);
        assertThat(header(record.headers(), "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record.headers(), "ce_id")).isEqualTo(RawRecords.id(envelope));
        assertThat(header(record.headers(), "ce_source")).isEqualTo("/trackline/ingest-webhooks");
        assertThat(header(record.headers(), "ce_type")).isEqualTo("io.trackline.carrier.payload.v1");
        assertThat(header(record.headers(), "ce_time")).isEqualTo("2026-11-25T03:00:00.123456Z");
        assertThat(header(record.headers(), "ce_subject")).isEqualTo("1250032");
        assertThat(header(record.headers(), "content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(header(record.headers(), "ce_carrier")).isEqualTo("mrspeedy");
        assertThat(header(record.headers(), "ce_account")).isEqualTo("demo");
        assertThat(header(record.headers(), "ce_sourcekind")).isEqualTo("webhook");
        assertThat(header(record.headers(), "ce_requestid")).isEqualTo("req-1");
        assertThat(header(record.headers(), "ce_contentdigest")).isEqualTo(ContentDigest.of(CALLBACK));
        assertThat(TracklineJson.mapper().readTree(header(record.headers(), "ce_httpheaders")))
                .isEqualTo(TracklineJson.mapper().valueToTree(http));
        for (Header h : record.headers()) {
            assertThat(h.key())
                    .as("CloudEvents attribute names are lower-case letters and digits")
                    .matches("ce_[a-z0-9]{1,20}|content-type");
        }

        RawRecords.Decoded back = RawRecords.read(record.headers(), record.value());
        assertThat(back.envelope()).isEqualTo(envelope);
        assertThat(back.envelope().schemaVersion())
                .isEqualTo(RawEnvelope.SCHEMA_VERSION)
                .isEqualTo(3);
        assertThat(back.envelope().payload()).isEqualTo(CALLBACK);
        assertThat(back.json())
                .as("the payload's bytes are read by whoever needs its tree")
                .isNull();
    }

    @Test
    void anyBytesAreTheValueAsTheyCame() throws Exception {
        byte[] html = "<html>502 Bad Gateway</html>\n".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "{\"name\":\"S\u00e3o Paulo\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] bom = "\ufeff{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] utf16 = "{\"a\":\"ถนน\"}".getBytes(StandardCharsets.UTF_16LE);
        for (byte[] body : List.of(html, latin1, bom, utf16, new byte[0])) {
            RawEnvelope envelope = RawEnvelope.of(
                    Carrier.ALL24,
                    "th-main",
                    Source.POLL,
                    "TH1",
                    OffsetDateTime.parse("2026-11-25T10:00:00+07:00"),
                    "poll-1",
                    "text/html",
                    Map.of(),
                    body);
            ProducerRecord<String, byte[]> record = RawRecords.record(Topics.RAW, envelope);
            assertThat(record.value()).isEqualTo(body);
            assertThat(header(record.headers(), "ce_source")).isEqualTo("/trackline/pollers");
            assertThat(header(record.headers(), "ce_time")).isEqualTo("2026-11-25T10:00:00+07:00");
            assertThat(record.headers().lastHeader("ce_httpheaders"))
                    .as("no headers kept, none written")
                    .isNull();
            RawRecords.Decoded back = RawRecords.read(record.headers(), record.value());
            assertThat(back.envelope()).isEqualTo(envelope);
            assertThat(back.json()).isNull();
        }
    }

    @Test
    void theIdIsTheSameForTheSameEnvelopeAndAnotherForAnotherReceipt() {
        OffsetDateTime at = OffsetDateTime.parse("2026-11-25T10:00:00.000001+07:00");
        RawEnvelope one = RawEnvelope.of(
                Carrier.MRSPEEDY, "demo", Source.WEBHOOK, "1", at, "r", "application/json", Map.of(), CALLBACK);
        RawEnvelope again = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "demo",
                Source.WEBHOOK,
                "1",
                at.withOffsetSameInstant(java.time.ZoneOffset.UTC),
                "r",
                "application/json",
                Map.of(),
                CALLBACK);
        RawEnvelope later = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "demo",
                Source.WEBHOOK,
                "1",
                at.plusNanos(1000),
                "r",
                "application/json",
                Map.of(),
                CALLBACK);
        assertThat(RawRecords.id(one)).isEqualTo(RawRecords.id(again)).isNotEqualTo(RawRecords.id(later));
        assertThat(UUID.fromString(RawRecords.id(one)).version()).isEqualTo(8);
        RawEnvelope otherRequest = RawEnvelope.of(
                Carrier.MRSPEEDY, "demo", Source.WEBHOOK, "1", at, "s", "application/json", Map.of(), CALLBACK);
        RawEnvelope otherAccount = RawEnvelope.of(
                Carrier.MRSPEEDY, "demx", Source.WEBHOOK, "1", at, "r", "application/json", Map.of(), CALLBACK);
        RawEnvelope otherPayload = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "demo",
                Source.WEBHOOK,
                "1",
                at,
                "r",
                "application/json",
                Map.of(),
                "{\"order\":{\"order_id\":1}} ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(java.util.Set.of(
                        RawRecords.id(one),
                        RawRecords.id(later),
                        RawRecords.id(otherRequest),
                        RawRecords.id(otherAccount),
                        RawRecords.id(otherPayload)))
                .as("each field of the envelope changes the id")
                .hasSize(5);
    }

    @Test
    void theAttributesMatchTheirSchema() throws Exception {
        JsonSchema schema = schema("raw-record.v1.schema.json");
        RawEnvelope callback = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "demo",
                Source.WEBHOOK,
                "1250032",
                OffsetDateTime.parse("2026-11-25T03:00:00.123Z"),
                "req-1",
                "application/json",
                Map.of("User-Agent", "x"),
                CALLBACK);
        RawEnvelope page = RawEnvelope.of(
                Carrier.EXPRESS247,
                "vn",
                Source.POLL,
                "VN1",
                OffsetDateTime.parse("2026-11-25T10:00:00+07:00"),
                "poll-1",
                "text/html",
                Map.of(),
                "<html>busy</html>".getBytes(StandardCharsets.UTF_8));
        for (RawEnvelope envelope : List.of(callback, page)) {
            ObjectNode attributes = attributes(RawRecords.headers(envelope));
            assertThat(schema.validate(attributes)).as(attributes.toString()).isEmpty();
        }
        ObjectNode wrong = attributes(RawRecords.headers(callback));
        wrong.put("specversion", "0.3");
        wrong.put("contentdigest", "md5:00");
        assertThat(schema.validate(wrong)).hasSize(2);
    }

    @Test
    void recordedVersionTwoEnvelopesAreReadWithTheirExactPayload() throws Exception {
        RawRecords.Decoded json = RawRecords.read(new RecordHeaders(), fixture("v2-json.json"));
        RawEnvelope e = json.envelope();
        assertThat(e.schemaVersion()).isEqualTo(2);
        assertThat(e.carrier()).isEqualTo(Carrier.MRSPEEDY);
        assertThat(e.account()).isEqualTo("demo");
        assertThat(e.source()).isEqualTo(Source.WEBHOOK);
        assertThat(e.shipmentRef()).isEqualTo("1250032");
        assertThat(e.receivedAt()).isEqualTo(OffsetDateTime.parse("2026-11-25T03:00:00.123456Z"));
        assertThat(e.requestId()).isEqualTo("req-1250032");
        assertThat(e.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(e.headers())
                .containsEntry("X-DV-Signature", "3f1c0c4bd1e0e2a9a3b1f0d9c8e7f6a5")
                .containsEntry("User-Agent", "MrSpeedy-Webhook/1.0")
                .hasSize(4);
        assertThat(e.payload()).isEqualTo(CALLBACK);
        assertThat(e.contentDigest()).isEqualTo(ContentDigest.of(CALLBACK));
        assertThat(json.json().path("order").path("address").asText()).isEqualTo("ถนน สุขุมวิท \"A\"");

        RawEnvelope text = RawRecords.read(null, fixture("v2-text.json")).envelope();
        assertThat(text.payload())
                .isEqualTo("<html><body>502 Bad Gateway</body></html>\n".getBytes(StandardCharsets.UTF_8));
        assertThat(text.contentDigest()).isEqualTo(ContentDigest.of(text.payload()));
        assertThat(text.key()).isEqualTo("all24:th-main:TH0123456789");
        assertThat(text.source()).isEqualTo(Source.POLL);

        RawEnvelope binary =
                RawRecords.read(new RecordHeaders(), fixture("v2-base64.json")).envelope();
        assertThat(binary.payload()).isEqualTo("{\"name\":\"S\u00e3o Paulo\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(binary.contentDigest()).isEqualTo(ContentDigest.of(binary.payload()));
        assertThat(binary.carrier()).isEqualTo(Carrier.EXPRESS247);

        // Written again, an old record becomes a binary-mode record with the same key and payload.
        ProducerRecord<String, byte[]> now = RawRecords.record(Topics.RAW, e);
        assertThat(now.key()).isEqualTo("mrspeedy:demo:1250032");
        assertThat(now.value()).isEqualTo(CALLBACK);
        assertThat(RawRecords.read(now.headers(), now.value()).envelope().headers())
                .isEqualTo(e.headers());
    }

    @Test
    void aRecordedVersionOneEnvelopeIsRead() throws Exception {
        RawRecords.Decoded back = RawRecords.read(new RecordHeaders(), fixture("v1-json.json"));
        String payload = "{\"event_datetime\":\"2026-11-20T09:15:00+07:00\",\"order\":{\"order_id\":1250031,"
                + "\"status\":\"completed\",\"address\":\"ถนน สีลม\"}}";
        assertThat(back.envelope().schemaVersion()).isEqualTo(1);
        assertThat(back.envelope().payloadText()).isEqualTo(payload);
        assertThat(back.envelope().contentDigest())
                .isEqualTo(ContentDigest.of(back.envelope().payload()));
        assertThat(back.json())
                .as("a version 1 payload is a string: the reader parses its bytes")
                .isNull();
        assertThat(back.envelope().key()).isEqualTo("mrspeedy:demo:1250031");
        assertThat(back.envelope().headers()).containsEntry("User-Agent", "MrSpeedy-Webhook/1.0");
        assertThat(back.envelope().receivedAt()).isEqualTo(OffsetDateTime.parse("2026-11-20T02:15:01.5Z"));
    }

    @Test
    void aVersionTwoPayloadBeforeOtherFieldsIsStillExact() throws Exception {
        String body = "{ \"a\" : [1, 2] }";
        String wire = "{\"schemaVersion\":2,\"payload\":" + body + " ,\"carrier\":\"all24\",\"account\":\"x\"}";
        RawRecords.Decoded back = RawRecords.read(new RecordHeaders(), wire.getBytes(StandardCharsets.UTF_8));
        assertThat(back.envelope().payloadText()).isEqualTo(body + " ");
        assertThat(back.envelope().carrier()).isEqualTo(Carrier.ALL24);
        assertThat(back.json().path("a").size()).isEqualTo(2);
    }

    @Test
    void aValueWithoutCloudEventsHeadersThatIsNoEnvelopeIsInvalid() {
        byte[] utf16 = new String(CALLBACK, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE);
        for (byte[] bad : List.of(
                "".getBytes(),
                "[]".getBytes(),
                "not json".getBytes(),
                "{\"payload\":{}".getBytes(),
                "{\"a\":1} trailing".getBytes(),
                CALLBACK,
                utf16,
                "{\"schemaVersion\":2,\"carrier\":\"dhl\",\"payload\":{}}".getBytes())) {
            assertThatThrownBy(() -> RawRecords.read(new RecordHeaders(), bad))
                    .as(new String(bad))
                    .isInstanceOf(InvalidRawRecordException.class);
        }
        assertThatThrownBy(() -> RawRecords.read(new RecordHeaders(), utf16)).hasMessageContaining("not UTF-8 JSON");
        assertThatThrownBy(() -> RawRecords.read(new RecordHeaders(), null)).hasMessageContaining("no value");
    }

    @Test
    void missingOrForeignAttributesMakeABinaryRecordInvalid() {
        RawEnvelope envelope = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "demo",
                Source.WEBHOOK,
                "1",
                OffsetDateTime.parse("2026-11-25T10:00:00Z"),
                "r",
                "application/json",
                Map.of("A", "b"),
                CALLBACK);
        Map<String, Consumer<Headers>> damage = new LinkedHashMap<>();
        damage.put("ce_specversion '0.3'", h -> set(h, "ce_specversion", "0.3".getBytes()));
        damage.put("ce_type 'com.example.other'", h -> set(h, "ce_type", "com.example.other".getBytes()));
        damage.put("ce_type ''", h -> h.remove("ce_type"));
        damage.put("no ce_id", h -> h.remove("ce_id"));
        damage.put("no ce_id or ce_source", h -> set(h, "ce_source", new byte[0]));
        damage.put("no known ce_carrier: 'dhl'", h -> set(h, "ce_carrier", "dhl".getBytes()));
        damage.put("no known ce_carrier: ''", h -> h.remove("ce_carrier"));
        damage.put("ce_sourcekind 'email'", h -> set(h, "ce_sourcekind", "email".getBytes()));
        damage.put("ce_time 'yesterday'", h -> set(h, "ce_time", "yesterday".getBytes()));
        damage.put("ce_httpheaders is not a JSON object", h -> set(h, "ce_httpheaders", "[]".getBytes()));
        damage.put(
                "ce_httpheaders holds a value that is no string",
                h -> set(h, "ce_httpheaders", "{\"a\":1}".getBytes()));
        damage.put("ce_httpheaders is not JSON", h -> set(h, "ce_httpheaders", "{\"a\"".getBytes()));
        damage.put("header ce_account is not UTF-8", h -> set(h, "ce_account", new byte[] {'d', (byte) 0xff}));
        for (Map.Entry<String, Consumer<Headers>> d : damage.entrySet()) {
            Headers headers = RawRecords.headers(envelope);
            d.getValue().accept(headers);
            assertThatThrownBy(() -> RawRecords.read(headers, CALLBACK))
                    .as(d.getKey())
                    .isInstanceOf(InvalidRawRecordException.class)
                    .hasMessageContaining(d.getKey());
        }
        assertThatThrownBy(() -> RawRecords.read(RawRecords.headers(envelope), null))
                .isInstanceOf(InvalidRawRecordException.class)
                .hasMessageContaining("no value");
    }

    @Test
    void otherHeadersAreIgnoredAndTheLastOfANameCounts() throws Exception {
        RawEnvelope envelope = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "demo",
                Source.WEBHOOK,
                "1",
                OffsetDateTime.parse("2026-11-25T10:00:00Z"),
                "r",
                "application/json",
                Map.of(),
                CALLBACK);
        Headers headers = RawRecords.headers(envelope);
        headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes());
        headers.add("ce_account", "other".getBytes());
        assertThat(RawRecords.read(headers, CALLBACK).envelope().account()).isEqualTo("other");
    }

    private static void set(Headers headers, String name, byte[] value) {
        headers.remove(name);
        headers.add(name, value);
    }

    /** The headers as CloudEvents attributes, as the schema describes them. */
    private static ObjectNode attributes(Headers headers) {
        ObjectNode attributes = TracklineJson.mapper().createObjectNode();
        for (Header h : headers) {
            String name =
                    h.key().equals("content-type") ? "datacontenttype" : h.key().substring("ce_".length());
            attributes.put(name, new String(h.value(), StandardCharsets.UTF_8));
        }
        return attributes;
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = RawRecordsTest.class.getResourceAsStream("/raw-envelopes/" + name)) {
            return in.readAllBytes();
        }
    }

    private static JsonSchema schema(String name) throws Exception {
        try (InputStream in = RawRecordsTest.class.getResourceAsStream("/schemas/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }
}
