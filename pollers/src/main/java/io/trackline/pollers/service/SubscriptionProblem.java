package io.trackline.pollers.service;

/**
 * What is wrong with one item of a subscription request.
 *
 * @param index the item's position in the request's array, null when the request was one object
 * @param field the JSON field at fault ({@code carrier}, {@code account}, {@code reference}, {@code customer_id}),
 *              null when it is the item as a whole
 */
public record SubscriptionProblem(Integer index, String field, String message) {}
