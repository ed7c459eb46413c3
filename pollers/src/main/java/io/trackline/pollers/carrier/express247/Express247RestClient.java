package io.trackline.pollers.carrier.express247;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * 247Express "Order Tracking" ({@code GET /api/Order/v1/Tracking}). The API key travels in the query string, so every
 * URI of this client is a secret: nothing may log one unmasked ({@code MaskingClientLogger}, {@link Express247Client}).
 * Answers are read as {@link Response}s whatever their status. Package private: the rest of the pollers use
 * {@link Express247Client}.
 */
@Path("/api/Order/v1/Tracking")
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = "247express")
interface Express247RestClient {

    /** The document's example URL: {@code ?ordercode=12345&apikey=...}. */
    @GET
    Response track(@QueryParam("ordercode") String orderCode, @QueryParam("apikey") String apiKey);

    /** The spelling of the document's parameter list: {@code apiKey}. */
    @GET
    Response trackListSpelling(@QueryParam("ordercode") String orderCode, @QueryParam("apiKey") String apiKey);
}
