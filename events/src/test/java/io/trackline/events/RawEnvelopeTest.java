package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawEnvelopeTest {

    @Test
    void wellFormedUtf8IsKeptAsText() {
        String thai = "{\"address\":\"ถนนสุขุมวิท กรุงเทพมหานคร\"}";
        assertThat(RawEnvelope.isWellFormedUtf8(thai.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[0])).isTrue();
    }

    @Test
    void malformedUtf8IsRefused() {
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[] {'{', (byte) 0xff, '}'})).isFalse();
        // truncated three-byte sequence, overlong encoding of '/', UTF-8-encoded surrogate
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[] {(byte) 0xe0, (byte) 0xb8})).isFalse();
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[] {(byte) 0xc0, (byte) 0xaf})).isFalse();
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).isFalse();
    }

    @Test
    void theValidatorAgreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String alphabet = "aZ{}\"ก-ฮ๐é€😀\u0000";
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = new byte[random.nextInt(12)];
                random.nextBytes(bytes);
            } else {
                StringBuilder text = new StringBuilder();
                for (int k = random.nextInt(8); k > 0; k--) {
                    text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                            random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
                }
                bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                if (bytes.length > 0 && random.nextBoolean()) {
                    bytes = Arrays.copyOf(bytes, bytes.length - 1); // may cut a sequence
                }
            }
            boolean jdk;
            try {
                strict.decode(ByteBuffer.wrap(bytes));
                jdk = true;
            } catch (CharacterCodingException e) {
                jdk = false;
            }
            assertThat(RawEnvelope.isWellFormedUtf8(bytes)).as(HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdk);
        }
    }

    @Test
    void jsonPayloadIsEmbeddedByteForByteAndReadBackWithItsTree() throws Exception {
        byte[] body = " {\"order\" : {\"order_id\": 1,\n \"address\": \"ถนน สุขุมวิท \\\"A\\\"\"} }\r\n"
                .getBytes(StandardCharsets.UTF_8);
        RawEnvelope envelope = envelope(body);
        byte[] wire = RawEnvelopes.encode(envelope);
        assertThat(new String(wire, StandardCharsets.UTF_8)).endsWith(",\"payload\":" + new String(body,
                StandardCharsets.UTF_8) + "}");
        RawEnvelopes.Decoded back = RawEnvelopes.decode(wire);
        assertThat(back.envelope()).isEqualTo(envelope);
        assertThat(back.envelope().payload()).isEqualTo(body);
        assertThat(back.json().path("order").path("order_id").asInt()).isEqualTo(1);
        assertThat(TracklineJson.mapper().readTree(wire).path("payload").path("order").path("address").asText())
                .isEqualTo("ถนน สุขุมวิท \"A\"");
    }

    @Test
    void textAndBinaryPayloadsKeepTheirBytes() throws Exception {
        byte[] html = "<html>502 Bad Gateway</html>\n".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "{\"name\":\"S\u00e3o Paulo\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] bom = "\ufeff{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        for (byte[] body : List.of(html, latin1, bom, new byte[0])) {
            byte[] wire = RawEnvelopes.encode(envelope(body));
            RawEnvelopes.Decoded back = RawEnvelopes.decode(wire);
            assertThat(back.envelope().payload()).isEqualTo(body);
            assertThat(back.json()).isNull();
            assertThat(TracklineJson.mapper().readTree(wire).has("payload")).isFalse();
        }
        assertThat(TracklineJson.mapper().readTree(RawEnvelopes.encode(envelope(html))).path("payloadText").asText())
                .startsWith("<html>");
        // A caller's "this is JSON" does not embed a byte order mark either.
        RawEnvelopes.Decoded withMark = RawEnvelopes.decode(RawEnvelopes.encode(envelope(bom), true));
        assertThat(withMark.envelope().payload()).isEqualTo(bom);
        assertThat(withMark.json()).isNull();
        assertThat(TracklineJson.mapper().readTree(RawEnvelopes.encode(envelope(latin1))).has("payloadBase64"))
                .isTrue();
    }

    @Test
    void aJsonStringPayloadIsAJsonValueInVersionTwo() throws Exception {
        byte[] body = "\"just a string\"".getBytes(StandardCharsets.UTF_8);
        RawEnvelopes.Decoded back = RawEnvelopes.decode(RawEnvelopes.encode(envelope(body)));
        assertThat(back.envelope().payload()).isEqualTo(body);
        assertThat(back.json().asText()).isEqualTo("just a string");
    }

    @Test
    void versionOneEnvelopesAreStillRead() throws Exception {
        String v1 = "{\"schemaVersion\":1,\"carrier\":\"mrspeedy\",\"account\":\"demo\",\"source\":\"webhook\","
                + "\"shipmentRef\":\"1\",\"receivedAt\":\"2026-11-25T10:00:00+07:00\",\"headers\":{\"User-Agent\":\"x\"},"
                + "\"payload\":\"{\\\"order\\\":{\\\"order_id\\\":1}}\",\"contentDigest\":\"sha-256:00\"}";
        RawEnvelopes.Decoded back = RawEnvelopes.decode(v1.getBytes(StandardCharsets.UTF_8));
        assertThat(back.envelope().schemaVersion()).isEqualTo(1);
        assertThat(back.envelope().payloadText()).isEqualTo("{\"order\":{\"order_id\":1}}");
        assertThat(back.json()).isNull();
        assertThat(back.envelope().key()).isEqualTo("mrspeedy:demo:1");
        assertThat(back.envelope().headers()).containsEntry("User-Agent", "x");
        assertThat(back.envelope().contentDigest()).isEqualTo("sha-256:00");
    }

    @Test
    void aPayloadBeforeOtherFieldsIsStillExact() throws Exception {
        String body = "{ \"a\" : [1, 2] }";
        String wire = "{\"schemaVersion\":2,\"payload\":" + body + " ,\"carrier\":\"all24\",\"account\":\"x\"}";
        RawEnvelopes.Decoded back = RawEnvelopes.decode(wire.getBytes(StandardCharsets.UTF_8));
        assertThat(back.envelope().payloadText()).isEqualTo(body + " ");
        assertThat(back.envelope().carrier()).isEqualTo(Carrier.ALL24);
        assertThat(back.json().path("a").size()).isEqualTo(2);
    }

    @Test
    void whatIsNotAnEnvelopeIsAnError() {
        for (String bad : List.of("", "[]", "not json", "{\"payload\":{}", "{\"a\":1} trailing")) {
            assertThatThrownBy(() -> RawEnvelopes.decode(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    private static RawEnvelope envelope(byte[] body) {
        return RawEnvelope.of(Carrier.MRSPEEDY, "demo", Source.WEBHOOK, "1",
                OffsetDateTime.parse("2026-11-25T10:00:00+07:00"), "r1", "application/json",
                Map.of("User-Agent", "test"), body);
    }
}
