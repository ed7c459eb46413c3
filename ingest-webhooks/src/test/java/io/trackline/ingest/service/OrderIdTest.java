package io.trackline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trackline.ingest.service.CallbackRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body read as a token stream: the whole of it must be JSON, and order.order_id must be usable. */
class OrderIdTest {

    static String orderId(String body) {
        return MrSpeedyCallbackService.orderId(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsTheOrderIdWhereverTheOrderIs() {
        assertThat(orderId("{\"order\":{\"order_id\":1250032}}")).isEqualTo("1250032");
        assertThat(orderId("{\"event_datetime\":\"x\",\"courier\":{\"order\":{\"order_id\":9}},"
                        + "\"order\":{\"points\":[{\"order_id\":7}],\"order_id\":\"A-17_b\",\"status\":\"new\"}}"))
                .isEqualTo("A-17_b");
        assertThat(orderId(" {\"order\" : { \"order_id\" : -5 } }\n")).isEqualTo("-5");
        assertThat(orderId("{\"order\":{\"order_id\":1},\"order\":{\"order_id\":2}}"))
                .as("the last one, as a tree")
                .isEqualTo("2");
    }

    @Test
    void refusesWhatIsNotJsonOrHasNoUsableOrderId() {
        Map<String, Reason> cases = Map.ofEntries(
                Map.entry("", Reason.INVALID_JSON),
                Map.entry("{\"order\":{\"order_id\":1}", Reason.INVALID_JSON),
                Map.entry("{\"order\":{\"order_id\":1}} {}", Reason.INVALID_JSON),
                Map.entry("{\"order\":{\"order_id\":1},\"x\":[1,}", Reason.INVALID_JSON),
                Map.entry("{'order':{'order_id':1}}", Reason.INVALID_JSON),
                Map.entry("[{\"order\":{\"order_id\":1}}]", Reason.MISSING_ORDER_ID),
                Map.entry("{\"order\":{\"order_id\":1.5}}", Reason.MISSING_ORDER_ID),
                Map.entry("{\"order\":{\"order_id\":null}}", Reason.MISSING_ORDER_ID),
                Map.entry("{\"order\":{\"order_id\":{\"id\":1}}}", Reason.MISSING_ORDER_ID),
                Map.entry("{\"order\":{\"order_id\":\"a b\"}}", Reason.MISSING_ORDER_ID),
                Map.entry("{\"order_id\":1}", Reason.MISSING_ORDER_ID));
        cases.forEach((body, reason) -> assertThatThrownBy(() -> orderId(body))
                .as(body)
                .isInstanceOfSatisfying(
                        CallbackRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason)));
    }
}
