package io.trackline.normalizer.messaging;

import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.normalizer.Samples;
import io.trackline.testsupport.TestInfra;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Raw records for the poison tests: carrier payloads in the documents' shapes with one hostile value each, written as
 * the raw topic holds them. String arguments go into the JSON as string content, so JSON escapes such as
 * {@code \\u0000} or {@code \\ud800} are allowed.
 */
final class Poisons {

    /** A raw record: its key, its headers and its value, byte for byte. */
    record Raw(String key, List<Header> headers, byte[] value) {

        /** A record without headers: a JSON envelope as the raw topic held before binary mode, or no record at all. */
        Raw(String key, byte[] value) {
            this(key, List.of(), value);
        }
    }

    private Poisons() {}

    static String orderId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L));
    }

    /** A MrSpeedy order id, other than any poison's, whose raw key lands on {@code partition}. */
    static String orderIdOnPartition(int partition) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            String id = orderId();
            if (KafkaTestClients.partitionOf("mrspeedy:demo:" + id, TestInfra.PARTITIONS) == partition) {
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
                 {"point_id":2,"address":"3079/25 Sukhumvit","courier_visit_datetime":null}]""".formatted(address, visitTime));
    }

    static String callback(String orderId, String eventTime, String status, String orderName, String points) {
        return """
                {"event_datetime":"%s","order":{"order_id":%s,"order_name":"%s","status":"%s","points":%s}}""".formatted(eventTime, orderId, orderName, status, points);
    }

    /** A callback whose {@code count} points were all visited: {@code count + 1} facts. */
    static String amplification(String orderId, int count) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < count; i++) {
            points.append(i == 0 ? "" : ",")
                    .append("{\"point_id\":")
                    .append(i)
                    .append(",\"address\":\"stop ")
                    .append(i)
                    .append("\",\"courier_visit_datetime\":\"2019-02-16T18:00:13+07:00\"}");
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

    /** Written as the raw topic holds any payload ({@link RawRecords}: the bytes as the value, fields in headers). */
    static Raw of(Carrier carrier, Source source, String ref, byte[] payload) {
        return of(RawEnvelope.of(
                carrier, "demo", source, ref, Samples.RECEIVED, "req-" + ref, "application/json", Map.of(), payload));
    }

    static Raw of(RawEnvelope envelope) {
        ProducerRecord<String, byte[]> record = RawRecords.record(Topics.RAW, envelope);
        return new Raw(record.key(), List.of(record.headers().toArray()), record.value());
    }

    /** A callback in another encoding, as the raw topic keeps any payload: as it came. */
    static Raw encoded(String orderId, String payload, Charset charset) {
        return of(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, payload.getBytes(charset));
    }

    /**
     * A version 2 envelope (a JSON value, no headers) with a callback in another encoding embedded byte for byte, as
     * ingest-webhooks wrote it before it checked the encoding: the envelope itself is then no UTF-8 JSON.
     */
    static Raw embedded(String orderId, String payload, Charset charset) {
        byte[] head = ("{\"schemaVersion\":2,\"carrier\":\"mrspeedy\",\"account\":\"demo\",\"source\":\"webhook\","
                        + "\"shipmentRef\":\"" + orderId + "\",\"receivedAt\":\"2026-11-25T10:00:00Z\",\"headers\":{},"
                        + "\"payload\":")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = payload.getBytes(charset);
        byte[] value = Arrays.copyOf(head, head.length + body.length + 1);
        System.arraycopy(body, 0, value, head.length, body.length);
        value[value.length - 1] = '}';
        return new Raw("mrspeedy:demo:" + orderId, value);
    }

    /** A record whose account is not an identifier downstream can hold, on the partition of account demo. */
    static Raw withAccount(String account, String orderId, String payload) {
        RawEnvelope envelope = RawEnvelope.of(
                Carrier.MRSPEEDY,
                account,
                Source.WEBHOOK,
                orderId,
                Samples.RECEIVED,
                "req-" + orderId,
                "application/json",
                Map.of(),
                payload.getBytes(StandardCharsets.UTF_8));
        // not RawRecords.record: the key of such an account is no shipment id
        return new Raw(
                "mrspeedy:demo:" + orderId,
                List.of(RawRecords.headers(envelope).toArray()),
                RawRecords.value(envelope));
    }

    /** A callback whose header {@code name} is {@code value} (null: absent), the other headers as written. */
    static Raw withHeader(String orderId, String payload, String name, String value) {
        Raw raw = webhook(orderId, payload);
        List<Header> headers = new ArrayList<>(
                raw.headers().stream().filter(h -> !h.key().equals(name)).toList());
        if (value != null) {
            headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
        }
        return new Raw(raw.key(), List.copyOf(headers), raw.value());
    }
}
