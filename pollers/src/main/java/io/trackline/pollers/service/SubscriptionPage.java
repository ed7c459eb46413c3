package io.trackline.pollers.service;

import java.util.List;

/** One page of subscriptions in shipment-id order; {@code next} is the cursor of the next page, null at the end. */
public record SubscriptionPage(List<Subscribed> subscriptions, String next) {}
