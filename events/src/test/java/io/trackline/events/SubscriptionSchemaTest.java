package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The subscriptions topic's records, as {@link Subscription} writes them, against their JSON Schema. */
class SubscriptionSchemaTest {

    static JsonSchema schema() throws Exception {
        return CanonicalEventSchemaTest.schema("subscription-record.v1.schema.json");
    }

    static Subscription sample(String customerId) {
        return new Subscription(
                Carrier.ALL24, "demo", " TH0123456789 ", customerId, OffsetDateTime.parse("2026-12-01T09:30:00+07:00"));
    }

    @Test
    void aSubscriptionAsWrittenMatchesItsSchema() throws Exception {
        JsonNode json = TracklineJson.mapper().valueToTree(sample(null));
        assertThat(schema().validate(json)).isEmpty();
        assertThat(json.get("reference").asText()).isEqualTo("TH0123456789");
        assertThat(json.has("customerId")).isFalse();
        assertThat(json.has("shipmentId")).as("the key, not the value").isFalse();

        JsonNode thirdParty = TracklineJson.mapper().valueToTree(sample("12345"));
        assertThat(schema().validate(thirdParty)).isEmpty();
        assertThat(TracklineJson.mapper().treeToValue(thirdParty, Subscription.class))
                .isEqualTo(sample("12345"));
    }

    @Test
    void theSchemaRefusesWhatTheTypeRefuses() throws Exception {
        ObjectNode noOffset = TracklineJson.mapper().valueToTree(sample(null));
        noOffset.put("subscribedAt", "2026-12-01T09:30:00");
        assertThat(schema().validate(noOffset)).isNotEmpty();

        ObjectNode unknownCarrier = TracklineJson.mapper().valueToTree(sample(null));
        unknownCarrier.put("carrier", "pigeon");
        assertThat(schema().validate(unknownCarrier)).isNotEmpty();

        ObjectNode badAccount = TracklineJson.mapper().valueToTree(sample(null));
        badAccount.put("account", "two words");
        assertThat(schema().validate(badAccount)).isNotEmpty();

        ObjectNode blankReference = TracklineJson.mapper().valueToTree(sample(null));
        blankReference.put("reference", " ");
        assertThat(schema().validate(blankReference)).isNotEmpty();

        ObjectNode noTime = TracklineJson.mapper().valueToTree(sample(null));
        noTime.remove("subscribedAt");
        assertThat(schema().validate(noTime)).isNotEmpty();
    }
}
