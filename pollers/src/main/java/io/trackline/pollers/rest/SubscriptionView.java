package io.trackline.pollers.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.trackline.events.Subscription;
import io.trackline.pollers.service.ShipmentStatus;
import io.trackline.pollers.service.Subscribed;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * A subscription as the API shows it, with the latest status the pollers know of its shipment (absent while no
 * canonical event of it has arrived) and, in a POST's answer, what the request did ({@code created},
 * {@code existing}, {@code updated}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionView(
        @JsonProperty("shipment_id") String shipmentId,
        String carrier,
        String account,
        String reference,
        @JsonProperty("customer_id") String customerId,
        @JsonProperty("subscribed_at") OffsetDateTime subscribedAt,
        String status,
        @JsonProperty("status_since") OffsetDateTime statusSince,
        @JsonProperty("last_event_at") OffsetDateTime lastEventAt,
        OffsetDateTime eta,
        String outcome) {

    static SubscriptionView of(Subscribed subscribed) {
        Subscription s = subscribed.subscription();
        ShipmentStatus status = subscribed.status();
        return new SubscriptionView(
                s.shipmentId(),
                s.carrier().id(),
                s.account(),
                s.reference(),
                s.customerId(),
                s.subscribedAt(),
                status == null ? null : status.status().name(),
                status == null ? null : status.statusSince(),
                status == null ? null : status.lastEventAt(),
                status == null ? null : status.eta(),
                subscribed.outcome() == null
                        ? null
                        : subscribed.outcome().name().toLowerCase(Locale.ROOT));
    }

    /** A page of {@code GET /api/v1/subscriptions}; {@code next} is absent on the last page. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page(List<SubscriptionView> subscriptions, String next) {}

    /** The answer to a POST of an array: one view per item, in the request's order. */
    public record Batch(List<SubscriptionView> subscriptions) {}
}
