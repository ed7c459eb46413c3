package io.trackline.store.service;

import java.time.OffsetDateTime;

/**
 * Filters and position of one page of GET /api/v1/shipments; every filter is optional.
 *
 * @param after cursor of the previous page ({@code next}), absent for the first page
 */
public record ShipmentQuery(String status, String carrier, String account, OffsetDateTime updatedSince,
        Integer limit, String after) {
}
