package io.trackline.normalizer.messaging;

import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawEnvelopes;
import io.trackline.events.Source;
import io.trackline.normalizer.Samples;
import io.trackline.testsupport.TestInfra;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Raw records for the poison tests: carrier payloads in the documents' shapes with one hostile value each, written as
 * the raw topic holds them. String arguments go into the JSON as string content, so JSON escapes such as
 * {@code \\u0000} or {@code \\ud800} are allowed.
 */
final class Poisons {

    /** A raw record: its key and its value, byte for byte. */
    record Raw(String key, byte[] value) {
    }

    private Poisons() {
    }

    static String orderId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L));
    }

    /** A MrSpeedy order id, other than any poison's, whose raw key lands on {@code partition}. */
    static String orderIdOnPartition(int partition) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            String id = orderId();
            if (Topics.partitionOf("mrspeedy:demo:" + id, TestInfra.PARTITIONS) == partition) {
                return id;
            }
        }
        throw new IllegalStateException("no order id found for partition " + partition);
    }

    /** The callback example of MrSpeedy's document for another order: one event, available:INFO_RECEIVED. */
    static Raw validCallback(String orderId) {
        return webhook(orderId, Samples.text(Samples.MRSPEEDY_CALLBACK).replace("1250032", orderId));
    }

    static String callback(String orderId, String eventTime, String status, String orderName) {
        return callback(orderId, eventTime, status, orderName, """
                [{"point_id":1,"address":"33/5 Sukhumvit","courier_visit_datetime":null},
                 {"point_id":2,"address":"3079/25 Sukhumvit","courier_visit_datetime":null,
                  "required_finish_datetime":"2019-02-16T19:30:13+07:00"}]""");
    }

    /** An active order whose first point (the pickup) was visited at {@code visitTime}. */
    static String callbackWithVisit(String orderId, String visitTime, String address) {
        return callback(orderId, "2019-02-16T18:10:00+07:00", "active", "50032", """
                [{"point_id":1,"address":"%s","courier_visit_datetime":"%s"},
                 {"point_id":2,"address":"3079/25 Sukhumvit","courier_visit_datetime":null}]"""
                .formatted(address, visitTime));
    }

    static String callback(String orderId, String eventTime, String status, String orderName, String points) {
        return """
                {"event_datetime":"%s","order":{"order_id":%s,"order_name":"%s","status":"%s","points":%s}}"""
                .formatted(eventTime, orderId, orderName, status, points);
    }

    /** A callback whose {@code count} points were all visited: {@code count + 1} facts. */
    static String amplification(String orderId, int count) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < count; i++) {
            points.append(i == 0 ? "" : ",").append("{\"point_id\":").append(i).append(",\"address\":\"stop ")
                    .append(i).append("\",\"courier_visit_datetime\":\"2019-02-16T18:00:13+07:00\"}");
        }
        return callback(orderId, "2019-02-16T17:30:13+07:00", "active", "50032", "[" + points + "]");
    }

    static String all24(String number, String eventTime, String eventName) {
        return """
                {"%s":{"hs_order_ref":"%s","history":[{"event_time":"%s","event_name":"%s","event_code":"050000",
                "location":{"location_name":"Fashion F200","service_area":"Chatuchak","postcode":"10900"}}]},
                "response_code":200,"error_codes":[]}""".formatted(number, number, eventTime, eventName);
    }

    static String express247(String orderCode, String time, String delayNote) {
        return """
                {"errorCode":null,"orderCode":"%s","status":"PENDING_FOR_PROCEED","statusName":"PENDING_FOR_PROCEED",
                "delayCode":2,"delayNote":"%s","statuses":[{"time":"%s","status":"PENDING_FOR_PROCEED",
                "statusName":"PENDING_FOR_PROCEED"}]}""".formatted(orderCode, delayNote, time);
    }

    static Raw webhook(String orderId, String payload) {
        return of(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, payload.getBytes(StandardCharsets.UTF_8));
    }

    static Raw poll(Carrier carrier, String ref, String payload) {
        return of(carrier, Source.POLL, ref, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Written as {@link RawEnvelopes#encode(RawEnvelope)} writes any payload (a poller's way). */
    static Raw of(Carrier carrier, Source source, String ref, byte[] payload) {
        RawEnvelope envelope = RawEnvelope.of(carrier, "demo", source, ref, Samples.RECEIVED, "req-" + ref,
                "application/json", Map.of(), payload);
        return new Raw(envelope.key(), RawEnvelopes.encode(envelope));
    }

    /** A callback in another encoding, as {@link RawEnvelopes#encode(RawEnvelope)} keeps it (text or base64). */
    static Raw encoded(String orderId, String payload, Charset charset) {
        return of(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, payload.getBytes(charset));
    }

    /** A callback in another encoding embedded byte for byte, as ingest-webhooks wrote it before it checked. */
    static Raw embedded(String orderId, String payload, Charset charset) {
        RawEnvelope envelope = RawEnvelope.of(Carrier.MRSPEEDY, "demo", Source.WEBHOOK, orderId, Samples.RECEIVED,
                "req-" + orderId, "application/json", Map.of(), payload.getBytes(charset));
        return new Raw(envelope.key(), RawEnvelopes.encode(envelope, true));
    }

    /** An envelope whose account is not an identifier downstream can hold. */
    static Raw withAccount(String account, String orderId, String payload) {
        String value = new String(webhook(orderId, payload).value(), StandardCharsets.UTF_8)
                .replace("\"account\":\"demo\"", "\"account\":\"" + account + "\"");
        return new Raw("mrspeedy:demo:" + orderId, value.getBytes(StandardCharsets.UTF_8));
    }
}
