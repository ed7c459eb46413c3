package io.trackline.store;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.EventIds;
import io.trackline.events.ShipmentIds;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Canonical events as the normalizer publishes them: CloudEvents binary mode on trackline.events.v1. */
final class Events {

    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T08:00:00+07:00");
    private static KafkaProducer<String, String> producer;

    private Events() {}

    static CanonicalEvent event(Carrier carrier, String account, String reference, int minute, CanonicalStatus status) {
        return event(
                carrier, account, reference, minute, status, null, status.name().toLowerCase());
    }

    static CanonicalEvent event(
            Carrier carrier,
            String account,
            String reference,
            int minute,
            CanonicalStatus status,
            CanonicalReason reason,
            String rawCode) {
        String shipment = ShipmentIds.of(carrier, account, reference);
        OffsetDateTime at = T0.plusMinutes(minute);
        // without reversal, as events were written before they carried it: the store decides from the status
        return CanonicalEvent.builder()
                .eventId(EventIds.of(shipment, "status=" + rawCode, at))
                .shipmentId(shipment)
                .carrier(carrier)
                .account(account)
                .reference(reference)
                .references(Map.of("trackingNumber", reference))
                .status(status)
                .reason(reason)
                .occurredAt(at)
                .rawCode(rawCode)
                .rawText(rawCode + " text")
                .rawTime(at.toLocalDateTime().toString())
                .source(Source.POLL)
                .mappingVersion(carrier.id() + "-1")
                .build();
    }

    static synchronized void send(List<CanonicalEvent> events) {
        send(events, Map.of());
    }

    /** {@link #send(List)} with {@code extra} headers on every record (a {@code traceparent}, say). */
    static synchronized void send(List<CanonicalEvent> events, Map<String, String> extra) {
        if (producer == null) {
            Properties props = new Properties();
            // the broker the application under test was given
            props.put(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props);
        }
        for (CanonicalEvent e : events) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EVENTS, e.shipmentId(), json(e));
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", e.eventId());
            header(record, "ce_type", CanonicalEvent.CLOUD_EVENT_TYPE);
            header(record, "ce_source", "/trackline/normalizer");
            header(record, "ce_subject", e.shipmentId());
            header(record, "ce_time", e.occurredAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            header(record, "content-type", "application/json");
            extra.forEach((name, value) -> header(record, name, value));
            producer.send(record);
        }
        producer.flush();
    }

    static void sendRaw(String key, String value) {
        send(List.of());
        producer.send(new ProducerRecord<>(Topics.EVENTS, key, value));
        producer.flush();
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static String json(Object value) {
        try {
            return TracklineJson.mapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
