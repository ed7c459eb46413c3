package io.trackline.store.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.trackline.store.ShipmentView;
import io.trackline.store.config.ApiConfig;
import io.trackline.store.service.ShipmentQuery;
import io.trackline.store.service.ShipmentService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Where is this shipment, and what happened to it. */
@Path("/api/v1/shipments")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = ApiConfig.HEADER)
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "No or unknown API key")
public class ShipmentResource {

    private final ShipmentService service;

    public ShipmentResource(ShipmentService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Shipments changed in order of change, a keyset page at a time",
            description = "Follow `next` until it is absent. Rows change while you page: a shipment that changes "
                    + "again moves to a later page.")
    @APIResponse(responseCode = "200", description = "A page")
    @APIResponse(responseCode = "400", description = "A filter, limit or cursor the API cannot use")
    public Uni<ShipmentView.Page> list(@QueryParam("status") String status, @QueryParam("carrier") String carrier,
            @QueryParam("account") String account,
            @Parameter(description = "ISO-8601 instant with offset; shipments changed at or after it")
            @QueryParam("updatedSince") OffsetDateTime updatedSince,
            @Parameter(description = "Page size, 1 to 500 (default 50)") @QueryParam("limit") Integer limit,
            @Parameter(description = "The `next` cursor of the previous page") @QueryParam("after") String after) {
        return service.list(new ShipmentQuery(status, carrier, account, updatedSince, limit, after));
    }

    @GET
    @Path("/{carrier}/{reference}")
    @Operation(summary = "A shipment's current status")
    @APIResponse(responseCode = "200", description = "The shipment")
    @APIResponse(responseCode = "404", description = "No such shipment")
    @APIResponse(responseCode = "409", description = "The reference exists in several accounts; add `account`")
    public Uni<ShipmentView> shipment(@PathParam("carrier") String carrier, @PathParam("reference") String reference,
            @QueryParam("account") String account) {
        return service.find(carrier, reference, Optional.ofNullable(account)).map(ShipmentView::of);
    }

    @GET
    @Path("/{carrier}/{reference}/timeline")
    @Operation(summary = "A shipment with every event, oldest first")
    @APIResponse(responseCode = "200", description = "The shipment and its timeline")
    @APIResponse(responseCode = "404", description = "No such shipment")
    @APIResponse(responseCode = "409", description = "The reference exists in several accounts; add `account`")
    public Uni<ShipmentView.WithTimeline> timeline(@PathParam("carrier") String carrier,
            @PathParam("reference") String reference, @QueryParam("account") String account) {
        return service.timeline(carrier, reference, Optional.ofNullable(account))
                .map(t -> new ShipmentView.WithTimeline(ShipmentView.of(t.shipment()),
                        t.events().stream().map(ShipmentView::event).toList()));
    }

    @GET
    @Path("/{carrier}/{reference}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-Sent Events: the shipment now, then each change as it is stored")
    @APIResponse(responseCode = "200", description = "An event stream; each `data:` is a shipment as JSON")
    @APIResponse(responseCode = "404", description = "No such shipment")
    public Multi<ShipmentView> stream(@PathParam("carrier") String carrier, @PathParam("reference") String reference,
            @QueryParam("account") String account) {
        return service.stream(carrier, reference, Optional.ofNullable(account));
    }
}
