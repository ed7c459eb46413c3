package io.trackline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.trackline.events.RawEnvelope;
import io.trackline.events.TracklineJson;
import io.trackline.samples.CarrierSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link CallbackJson} gives the answer Jackson's token pass gives (the way the receiver read callbacks before it),
 * on the MrSpeedy samples, on edge cases of the grammar and Jackson's limits, and on thousands of bodies mutated at
 * random (fixed seed), each compared as the receiver sees it: only bodies that pass the UTF-8 check reach it.
 */
class CallbackJsonTest {

    private static final JsonFactory JACKSON = TracklineJson.mapper().getFactory();
    private static final Pattern TEXT_ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The outcome as the caller sees it: the order id, or the reason and message of the refusal. */
    static String outcome(byte[] body) {
        try {
            return "order " + CallbackJson.orderId(body);
        } catch (CallbackRejectedException e) {
            return e.reason() + " " + e.getMessage();
        }
    }

    /** The token pass over Jackson's parser that {@link CallbackJson} replaces, as the oracle. */
    static String jackson(byte[] body) {
        String orderId = null;
        try (JsonParser p = JACKSON.createParser(body)) {
            JsonToken token = p.nextToken();
            if (token == null) {
                return "INVALID_JSON body is empty";
            }
            if (token == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (p.nextToken() == JsonToken.START_OBJECT && "order".equals(name)) {
                        orderId = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String field = p.currentName();
                            JsonToken value = p.nextToken();
                            if ("order_id".equals(field)) {
                                boolean usable = value == JsonToken.VALUE_NUMBER_INT
                                        || (value == JsonToken.VALUE_STRING
                                                && TEXT_ORDER_ID
                                                        .matcher(p.getText())
                                                        .matches());
                                orderId = usable ? p.getText() : null;
                            }
                            p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                return "INVALID_JSON body is not valid JSON";
            }
        } catch (JsonProcessingException e) {
            return "INVALID_JSON body is not valid JSON";
        } catch (IOException e) {
            return "INVALID_JSON body could not be read as JSON";
        }
        return orderId == null ? "MISSING_ORDER_ID body has no order.order_id" : "order " + orderId;
    }

    private static void assertSame(byte[] body) {
        if (!RawEnvelope.isUtf8JsonText(body)) {
            return; // refused before the JSON is read
        }
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(outcome(body))
                .as("%s", text.length() > 300 ? text.substring(0, 300) + "... (" + body.length + " bytes)" : text)
                .isEqualTo(jackson(body));
    }

    private static void assertSame(String body) {
        assertSame(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSamplesGiveTheirOrderIds() {
        for (CarrierSample sample : List.of(
                CarrierSample.MRSPEEDY_CALLBACK_THAI,
                CarrierSample.MRSPEEDY_CALLBACK_THAI_COMPACT,
                CarrierSample.MRSPEEDY_CALLBACK_UNKNOWN_FIELDS)) {
            byte[] body = sample.bytes();
            assertThat(outcome(body)).startsWith("order ").isEqualTo(jackson(body));
        }
    }

    @Test
    void edgeCasesOfTheGrammarAreReadAsJacksonReadsThem() {
        List<String> bodies = List.of(
                "",
                " \n\t\r ",
                "\uFEFF",
                "\uFEFF ",
                "\uFEFF{\"order\":{\"order_id\":1}}",
                " \uFEFF{\"order\":{\"order_id\":1}}",
                "{}",
                "[]",
                "1",
                "-0",
                "01",
                "1.",
                ".5",
                "-",
                "+1",
                "1e5",
                "1E+5",
                "1e",
                "1x",
                "true",
                "truex",
                "nul",
                "null null",
                "\"text\"",
                "\"a\\qb\"",
                "\"a\\u00zz\"",
                "\"a\tb\"",
                "{\"order\":{\"order_id\":1}}",
                "{\"order\":{\"order_id\":-0}}",
                "{\"order\":{\"order_id\":12.0}}",
                "{\"order\":{\"order_id\":1e3}}",
                "{\"order\":{\"order_id\":\"A\\u002D1\"}}",
                "{\"ord\\u0065r\":{\"order\\u005fid\":\"x\\/y\"}}",
                "{\"ord\\u0065r\":{\"order\\u005fid\":\"xy\"}}",
                "{\"\\ud83d\":1}",
                "{\"\\ud83dx\":1}",
                "{\"\\ude00\":1}",
                "{\"\\ud83d\\u0041\":1}",
                "{\"\\ud83d\\ude00\":1,\"order\":{\"order_id\":1}}",
                "{\"a\":\"\\ud83d\",\"order\":{\"order_id\":\"\\ude00\"}}",
                "{\"order\":{\"order_id\":1},\"order\":5}",
                "{\"order\":{\"order_id\":1},\"order\":{}}",
                "{\"order\":{\"order_id\":1,\"order_id\":null}}",
                "{\"order\":{\"order_id\":true}}",
                "{\"order\":{\"order_id\":[1]}}",
                "{\"order\":{\"order_id\":1,}}",
                "{\"order\":{\"order_id\":1}",
                "{\"order\":{\"order_id\" 1}}",
                "{\"order\" {\"order_id\":1}}",
                "{\"order\":{\"order_id\":1}}x",
                "{\"order\":{\"order_id\":1}} 1",
                "{\"order\":{\"order_id\":1}}]",
                "{,}",
                "{\"a\"}",
                "{\"a\":}",
                "{\"a\":1 \"b\":2}",
                "[1,]",
                "[,1]",
                "[1 2]",
                "[\"a\":1]",
                "{\"a\":[1,{\"b\":null}],\"order\":{\"order_id\":\"ABC_def-123\"}}",
                "{\"order\":{\"order_id\":\"" + "a".repeat(64) + "\"}}",
                "{\"order\":{\"order_id\":\"" + "a".repeat(65) + "\"}}",
                "{\"order\":{\"order_id\":\"ไทย\"}}",
                "{\"order\":{\"order_id\":7,\"points\":[{\"address\":\"ถนน \\\"สุขุมวิท\\\"\"}]}}");
        bodies.forEach(CallbackJsonTest::assertSame);
    }

    @Test
    void jacksonsLimitsAreKept() {
        for (int depth : new int[] {999, 1000, 1001}) {
            assertSame("[".repeat(depth) + "]".repeat(depth));
            assertSame("{\"order\":{\"order_id\":1,\"x\":" + "[".repeat(depth - 2) + "]".repeat(depth - 2) + "}}");
        }
        for (int digits : new int[] {999, 1000, 1001}) {
            assertSame("{\"order\":{\"order_id\":" + "9".repeat(digits) + "}}");
            assertSame("{\"order\":{\"order_id\":-" + "9".repeat(digits) + "}}");
            assertSame("[1." + "5".repeat(digits - 1) + "]");
            assertSame("[1." + "5".repeat(digits - 3) + "e10]");
        }
        // Jackson measures a name in UTF-8 bytes once decoded: at most 50,000.
        for (int bytes : new int[] {49_998, 49_999, 50_000, 50_001, 50_002, 50_003}) {
            for (Map.Entry<String, Integer> unit : Map.of(
                            "n",
                            1,
                            "é",
                            2,
                            "ก",
                            3,
                            "😀",
                            4,
                            "\\u0041",
                            1,
                            "\\u00e9",
                            2,
                            "\\u0e01",
                            3,
                            "\\ud83d\\ude00",
                            4,
                            "\\ud83d",
                            3,
                            "\\n",
                            1)
                    .entrySet()) {
                String name = unit.getKey().repeat(bytes / unit.getValue()) + "x".repeat(bytes % unit.getValue());
                assertSame("{\"" + name + "\":1,\"order\":{\"order_id\":1}}");
            }
        }
    }

    @Test
    void mutatedBodiesAreReadAsJacksonReadsThem() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(CarrierSample.MRSPEEDY_CALLBACK_THAI_COMPACT.bytes());
        seeds.add(CarrierSample.MRSPEEDY_CALLBACK_UNKNOWN_FIELDS.bytes());
        seeds.add(("{\"event\":\"order_changed\",\"order\":{\"order_id\":\"A-1\",\"n\":[-1.5e3,0,true,false,null,"
                        + "\"\\u0041\\n\"],\"o\":{}},\"z\":[[],{}]}")
                .getBytes(StandardCharsets.UTF_8));
        byte[] alphabet = "{}[]:,\" \n\\u0123456789-+.eEtrufalsn/x\u00e0".getBytes(StandardCharsets.UTF_8);
        Random random = new Random(20261201L);
        int compared = 0;
        for (int round = 0; round < 6000; round++) {
            byte[] body = seeds.get(round % seeds.size());
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                body = mutate(body, random, alphabet);
            }
            if (RawEnvelope.isUtf8JsonText(body)) {
                compared++;
            }
            assertSame(body);
        }
        assertThat(compared).as("bodies compared").isGreaterThan(3000);
    }

    private static byte[] mutate(byte[] body, Random random, byte[] alphabet) {
        if (body.length == 0) {
            return new byte[] {alphabet[random.nextInt(alphabet.length)]};
        }
        int at = random.nextInt(body.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 8);
        switch (random.nextInt(5)) {
            case 0 -> { // delete a byte
                out.write(body, 0, at);
                out.write(body, at + 1, body.length - at - 1);
            }
            case 1 -> { // insert one
                out.write(body, 0, at);
                out.write(alphabet[random.nextInt(alphabet.length)]);
                out.write(body, at, body.length - at);
            }
            case 2 -> { // replace one
                out.write(body, 0, at);
                out.write(alphabet[random.nextInt(alphabet.length)]);
                out.write(body, at + 1, body.length - at - 1);
            }
            case 3 -> out.write(body, 0, at); // cut the end off
            default -> { // repeat a span
                int length = Math.min(body.length - at, 1 + random.nextInt(12));
                out.write(body, 0, at + length);
                out.write(body, at, body.length - at);
            }
        }
        return out.toByteArray();
    }
}
