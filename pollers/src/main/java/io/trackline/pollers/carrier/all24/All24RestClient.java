package io.trackline.pollers.carrier.all24;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * all24's "Order Tracking" ({@code GET /v1/tracking/orders}), as its document's "HTTP Request" lines give it. Answers
 * are read as {@link Response}s whatever their status (the default exception mapper is off for this client, see
 * application.properties), so {@link All24Client} maps each one and keeps the body's bytes as they came. Package
 * private: the rest of the pollers use {@link All24Client}.
 */
@Path("/v1/tracking/orders")
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = "all24")
interface All24RestClient {

    /** The document's example: {@code ?all24_tracking_number=HSBY37H7}. */
    @GET
    Response byTrackingNumber(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("all24_tracking_number") String trackingNumber);

    /** The spelling of the document's parameter table: {@code all_24_tracking_number}. */
    @GET
    Response byTrackingNumberTableSpelling(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("all_24_tracking_number") String trackingNumber);

    /** "Third Party Tracking Number": {@code ?tracking_number=...&customer_id=...}. */
    @GET
    Response byThirdPartyNumber(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("tracking_number") String trackingNumber,
            @QueryParam("customer_id") String customerId);
}
