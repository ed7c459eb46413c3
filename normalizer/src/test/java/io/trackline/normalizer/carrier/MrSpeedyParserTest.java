package io.trackline.normalizer.carrier;

import static io.trackline.normalizer.Samples.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.ReferenceKeys;
import io.trackline.events.Source;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.carrier.mrspeedy.MrSpeedyParser;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.Normalizer.Normalized;
import io.trackline.samples.CarrierSample;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MrSpeedyParserTest {

    final Normalizer normalizer = Samples.normalizer(Samples.metrics(new SimpleMeterRegistry()));

    List<Normalized> normalize(Source source, String ref, String payload) throws Exception {
        return normalizer.normalize(envelope(Carrier.MRSPEEDY, source, ref, payload));
    }

    @Test
    void callbackExampleIsOneStatusStateWithTheEventTime() throws Exception {
        List<Normalized> out = normalize(Source.WEBHOOK, "1250032", Samples.text(Samples.MRSPEEDY_CALLBACK));

        assertThat(out).singleElement().satisfies(n -> {
            CanonicalEvent e = n.event();
            assertThat(n.state()).isTrue();
            assertThat(e.status()).isEqualTo(CanonicalStatus.INFO_RECEIVED);
            assertThat(e.rawCode()).isEqualTo("available");
            assertThat(e.rawField()).isEqualTo("order.status");
            assertThat(e.occurredAt()).isEqualTo(OffsetDateTime.parse("2019-02-16T17:30:13+07:00"));
            assertThat(e.shipmentId()).isEqualTo("mrspeedy:demo:1250032");
            assertThat(e.references())
                    .containsEntry(ReferenceKeys.MRSPEEDY_ORDER_ID, "1250032")
                    .containsEntry(ReferenceKeys.MRSPEEDY_ORDER_NAME, "50032");
            assertThat(e.eta()).isEqualTo(OffsetDateTime.parse("2019-02-16T19:30:13+07:00"));
            assertThat(e.source().id()).isEqualTo("webhook");
        });
    }

    @Test
    void visitedPointsArePickupAndDeliveryWithTheSameIdsInCallbackAndOrderList() throws Exception {
        String callback = Samples.activeWithPickup(Samples.text(Samples.MRSPEEDY_CALLBACK))
                .replaceFirst("\"client_order_id\": null", "\"client_order_id\": \"SHOP-42\"")
                .replace(
                        "\"courier_visit_datetime\": null", "\"courier_visit_datetime\": \"2019-02-16T19:10:00+07:00\"")
                .replace("\"status\": \"active\"", "\"status\": \"completed\"");
        List<CanonicalEvent> hook = normalize(Source.WEBHOOK, "1250032", callback).stream()
                .map(Normalized::event)
                .toList();
        assertThat(hook)
                .extracting(e -> e.rawCode() + ":" + e.status())
                .containsExactly("pickup:PICKED_UP", "completed:DELIVERED", "dropoff:DELIVERED");
        assertThat(hook.get(0).references()).containsEntry(ReferenceKeys.MRSPEEDY_CLIENT_ORDER_ID, "SHOP-42");

        String list = "{\"is_successful\": true, \"orders\": ["
                + callback.substring(callback.indexOf("\"order\":") + 8, callback.lastIndexOf('}'))
                + "], \"orders_count\": 1}";
        List<CanonicalEvent> poll = normalize(Source.POLL, "1250032", list).stream()
                .map(Normalized::event)
                .toList();
        assertThat(poll).extracting(CanonicalEvent::rawCode).contains("pickup", "dropoff");
        assertThat(poll.stream()
                        .filter(e -> !e.rawField().equals("order.status"))
                        .map(CanonicalEvent::eventId))
                .containsExactlyInAnyOrderElementsOf(hook.stream()
                        .filter(e -> !e.rawField().equals("order.status"))
                        .map(CanonicalEvent::eventId)
                        .toList());
    }

    @Test
    void orderListKeepsOnlyTheEnvelopesOrder() throws Exception {
        List<Normalized> out = normalize(Source.POLL, "1250035", Samples.text(Samples.MRSPEEDY_ORDERS));
        assertThat(out)
                .isNotEmpty()
                .allSatisfy(n -> assertThat(n.event().reference()).isEqualTo("1250035"));
        assertThat(out.get(0).event().occurredAt()).isNotNull();
    }

    /** The order object of the document's order list as the reconciler publishes it: its bytes, cut unchanged. */
    static String firstListedOrder() {
        String list = Samples.text(Samples.MRSPEEDY_ORDERS);
        int start = list.indexOf('{', list.indexOf("\"orders\""));
        int depth = 0;
        for (int i = start; i < list.length(); i++) {
            char c = list.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (depth == 0) {
                return list.substring(start, i + 1);
            }
        }
        throw new IllegalStateException("unbalanced sample");
    }

    @Test
    void aPolledOrderAloneGivesTheFactsOfItsListEntry() throws Exception {
        String order = firstListedOrder();
        assertThat(order).startsWith("{").contains("\"order_id\": 1250032").endsWith("}");

        List<CanonicalEvent> alone = normalize(Source.POLL, "1250032", order).stream()
                .map(Normalized::event)
                .toList();
        List<CanonicalEvent> listed = normalize(Source.POLL, "1250032", Samples.text(Samples.MRSPEEDY_ORDERS)).stream()
                .map(Normalized::event)
                .toList();

        assertThat(alone).singleElement().satisfies(e -> {
            assertThat(e.rawField()).isEqualTo("order.status");
            assertThat(e.rawCode()).isEqualTo("available");
            assertThat(e.occurredAt()).isEqualTo(OffsetDateTime.parse("2019-02-16T17:30:13+07:00"));
            assertThat(e.shipmentId()).isEqualTo("mrspeedy:demo:1250032");
        });
        assertThat(alone)
                .extracting(CanonicalEvent::eventId)
                .isEqualTo(listed.stream().map(CanonicalEvent::eventId).toList());

        String visited = Samples.activeWithPickup(order)
                .replace(
                        "\"courier_visit_datetime\": null",
                        "\"courier_visit_datetime\": \"2019-02-16T19:10:00+07:00\"");
        assertThat(normalize(Source.POLL, "1250032", visited))
                .extracting(n -> n.event().rawCode())
                .contains("pickup", "dropoff");
    }

    @Test
    void aCourierAnswerIsTheCouriersLocationWhenItWasReceived() throws Exception {
        String answer = "{\"is_successful\": true, \"courier\": {\"courier_id\": 72384, \"name\": \"Name\","
                + " \"phone\": \"66902299000\", \"photo_url\": null, \"latitude\": \"13.6931036\","
                + " \"longitude\": \"100.6011547\"}}";

        List<Normalized> out = normalize(Source.POLL, "1250032", answer);

        assertThat(out).singleElement().satisfies(n -> {
            CanonicalEvent e = n.event();
            assertThat(e.rawField()).isEqualTo(MrSpeedyParser.FIELD_COURIER_LOCATION);
            assertThat(e.rawCode()).isEqualTo(MrSpeedyParser.COURIER_ON_THE_WAY);
            assertThat(e.status()).isEqualTo(CanonicalStatus.IN_TRANSIT);
            assertThat(e.occurredAt().toInstant()).isEqualTo(Samples.RECEIVED.toInstant());
            assertThat(e.location().latitude()).isEqualTo("13.6931036");
            assertThat(e.location().longitude()).isEqualTo("100.6011547");
            assertThat(e.location().name()).isNull();
            assertThat(e.shipmentId()).isEqualTo("mrspeedy:demo:1250032");
        });
        assertThat(normalize(Source.POLL, "1250032", "{\"is_successful\": true, \"courier\": null}"))
                .isEmpty();
        assertThat(normalize(
                        Source.POLL,
                        "1250032",
                        "{\"is_successful\": true, \"courier\": {\"courier_id\": 1, \"latitude\": null,"
                                + " \"longitude\": null}}"))
                .isEmpty();
    }

    @Test
    void withoutOrderOrEventTimeIsUnparseable() {
        assertThatThrownBy(() -> normalize(Source.WEBHOOK, "1", "{\"hello\": 1}"))
                .isInstanceOf(UnparseableException.class);
        assertThatThrownBy(() -> normalize(Source.WEBHOOK, "1", "{\"order\": {\"order_id\": 1, \"status\": \"new\"}}"))
                .isInstanceOf(UnparseableException.class);
    }
    /** The parser's facts, or its exception's class and message. */
    static Object parsed(MrSpeedyParser parser, RawEnvelope envelope, JsonNode tree) {
        try {
            return parser.parse(envelope, tree);
        } catch (Exception | Error e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /**
     * The shaped tree ({@link MrSpeedyParser#shape()}) gives the parser what the whole tree gives it: the same facts,
     * or the same failure, for every sample and for payloads of the wrong kinds at each level it reads.
     */
    @Test
    void theShapedTreeGivesTheSameFactsAsTheWholeTree() {
        MrSpeedyParser parser = new MrSpeedyParser();
        String callback = Samples.text(Samples.MRSPEEDY_CALLBACK);
        String visited = Samples.activeWithPickup(callback)
                .replaceFirst("\"client_order_id\": null", "\"client_order_id\": \"SHOP-42\"")
                .replace(
                        "\"arrival_finish_datetime\": null",
                        "\"arrival_finish_datetime\": \"2019-02-16T19:20:00+07:00\"")
                .replace(
                        "\"courier_visit_datetime\": null", "\"courier_visit_datetime\": \"2019-02-16T19:10:00+07:00\"")
                .replace("\"status\": \"active\"", "\"status\": \"completed\"");
        List<String> payloads = new ArrayList<>();
        for (CarrierSample sample : CarrierSample.values()) {
            if (sample.name().startsWith("MRSPEEDY")) {
                payloads.add(sample.text());
                payloads.add(Samples.activeWithPickup(sample.text()));
            }
        }
        payloads.addAll(List.of(
                visited,
                visited.replace("\"latitude\": \"13.7440632\"", "\"latitude\": 13.7440632e0")
                        .replace("\"order_id\": 1250032", "\"order_id\": 12500320000000000000000"),
                Samples.text(Samples.MRSPEEDY_ORDERS).replace("\"completed\"", "\"canceled\""),
                // repeated names: the last counts
                visited.replace("\"order\": {", "\"order\": {\"status\": \"new\", \"points\": 7, "),
                visited.replace("\"event_datetime\":", "\"event_datetime\": null, \"event_datetime\":"),
                // values of the wrong kinds where the parser reads
                "{\"event_datetime\": \"2019-02-16T17:30:13+07:00\", \"order\": [{\"order_id\": 1}]}",
                "{\"event_datetime\": \"2019-02-16T17:30:13+07:00\", \"order\": {\"order_id\": {\"a\": 1},"
                        + " \"status\": \"new\"}}",
                "{\"event_datetime\": \"2019-02-16T17:30:13+07:00\", \"order\": {\"order_id\": 5, \"status\":"
                        + " [\"new\"], \"points\": {\"a\": {\"courier_visit_datetime\": \"2019-02-16T18:00:00Z\"},"
                        + " \"b\": 3}}}",
                "{\"event_datetime\": \"2019-02-16T17:30:13+07:00\", \"order\": {\"order_id\": true, \"status\":"
                        + " \"new\", \"points\": [1, null, [2], {\"address\": \"x\", \"latitude\": {}}]}}",
                "{\"event_datetime\": \"2019-02-16T17:30:13+07:00\", \"order\": {\"order_id\": 5, \"status\":"
                        + " \"new\", \"points\": {}}}",
                firstListedOrder(),
                Samples.activeWithPickup(firstListedOrder()),
                "{\"order_id\": 9, \"status\": \"canceled\", \"finish_datetime\": \"2019-02-16T19:00:00+07:00\","
                        + " \"courier\": {\"latitude\": \"1\", \"longitude\": \"2\"}}",
                "{\"is_successful\": true, \"courier\": {\"courier_id\": 1, \"latitude\": \"13.6\","
                        + " \"longitude\": \"100.6\", \"phone\": \"669\"}}",
                "{\"is_successful\": true, \"courier\": {\"latitude\": {\"x\": 1}, \"longitude\": [2]}}",
                "{\"is_successful\": true, \"courier\": [\"13.6\", \"100.6\"]}",
                "{\"orders\": {\"order_id\": 1}}",
                "{\"orders\": [1, \"x\", {\"order_id\": \"7\", \"status\": \"completed\","
                        + " \"finish_datetime\": \"2019-02-16T19:00:00+07:00\"}]}",
                "[{\"order\": {}}]",
                "\"order\"",
                "{\"order\": {\"order_id\": 1}} {}",
                "{\"order\": {\"order_id\": 1, \"x\": [1, 2}}",
                "{\"event_datetime\": \"2019-02-16T17:30:13+07:00\", \"order\": {\"order_id\": 1,"
                        + " \"status\": \"new\"}, \"payment\": " + "[".repeat(2000) + "]".repeat(2000) + "}"));
        for (String payload : payloads) {
            for (String ref : new String[] {null, "1250032", "7"}) {
                RawEnvelope envelope = envelope(Carrier.MRSPEEDY, Source.POLL, ref, payload);
                byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                Object whole = parsed(parser, envelope, Json.tree(bytes));
                assertThat(parsed(parser, envelope, Json.tree(bytes, parser.shape())))
                        .as(payload)
                        .isEqualTo(whole);
            }
        }
        assertThat(parsed(
                        parser,
                        envelope(Carrier.MRSPEEDY, Source.WEBHOOK, "1250032", visited),
                        Json.tree(visited.getBytes(StandardCharsets.UTF_8), parser.shape())))
                .asList()
                .hasSize(3);
    }
}
