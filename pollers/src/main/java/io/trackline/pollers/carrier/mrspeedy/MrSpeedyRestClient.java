package io.trackline.pollers.carrier.mrspeedy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * MrSpeedy Business API 1.0, the two read methods Trackline uses: "List of orders" ({@code GET /orders}) and "Courier
 * info and courier location" ({@code GET /courier?order_id=}), authenticated by {@code X-DV-Auth-Token}. The base URL
 * ends in {@code /api/business/1.0}. A parameter given as null is not sent. Answers are read as {@link Response}s
 * whatever their status (errors are HTTP 400). Package private: the rest of the pollers use {@link MrSpeedyClient}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = "mrspeedy")
interface MrSpeedyRestClient {

    String AUTH_TOKEN = "X-DV-Auth-Token";

    /**
     * The document's example is {@code ?status=available}; its section lists no parameters. {@code offset},
     * {@code count} and {@code order_id} are not in the document (they are in MrSpeedy's Business API family):
     * {@link MrSpeedyClient} sends them only when needed and copes with a refusal.
     */
    @GET
    @Path("orders")
    Response orders(
            @HeaderParam(AUTH_TOKEN) String authToken,
            @QueryParam("status") String status,
            @QueryParam("order_id") String orderId,
            @QueryParam("offset") Integer offset,
            @QueryParam("count") Integer count);

    @GET
    @Path("courier")
    Response courier(@HeaderParam(AUTH_TOKEN) String authToken, @QueryParam("order_id") String orderId);
}
