package io.trackline.store.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.trackline.http.api.ApiConfig;
import io.trackline.store.ShipmentView;
import io.trackline.store.config.StoreConfig;
import io.trackline.store.service.ShipmentService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Where is this shipment, and what happened to it. Query parameters are read as the text that was sent and checked
 * by the service, so a malformed one is a 400 naming it rather than a conversion failure.
 */
@Path("/api/v1/shipments")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(
        securitySchemeName = "apiKey",
        type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER,
        apiKeyName = ApiConfig.HEADER)
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "No or unknown API key")
@APIResponse(
        responseCode = "400",
        description = "A parameter the API cannot use (the message names it): unknown, "
                + "given twice, empty, or not of its type")
public class ShipmentResource {

    private static final String ACCOUNT = "The account, when the reference exists in several";

    private final ShipmentService service;
    private final StoreConfig config;

    public ShipmentResource(ShipmentService service, StoreConfig config) {
        this.service = service;
        this.config = config;
    }

    @GET
    @Operation(
            summary = "Shipments changed in order of change, a keyset page at a time",
            description = "Follow `next` until it is absent. Rows change while you page: a shipment that changes "
                    + "again moves to a later page. A filter that is given must not be empty.")
    @APIResponse(responseCode = "200", description = "A page")
    @Parameter(
            name = "status",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "A canonical status, e.g. IN_TRANSIT")
    @Parameter(
            name = "carrier",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "mrspeedy, all24 or 247express")
    @Parameter(
            name = "account",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "An account name")
    @Parameter(
            name = "updatedSince",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "ISO-8601 instant with offset, years 0001 to 9999; shipments changed at or after it")
    @Parameter(
            name = "limit",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.INTEGER),
            description = "Page size, 1 to 500 (default 50)")
    @Parameter(
            name = "after",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "The `next` cursor of the previous page")
    public Uni<ShipmentView.Page> list(@Context UriInfo uri) {
        return service.list(uri.getQueryParameters());
    }

    @GET
    @Path("/{carrier}/{reference}")
    @Operation(summary = "A shipment's current status")
    @APIResponse(responseCode = "200", description = "The shipment")
    @APIResponse(responseCode = "404", description = "No such shipment")
    @APIResponse(responseCode = "409", description = "The reference exists in several accounts; add `account`")
    @Parameter(
            name = "account",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = ACCOUNT)
    public Uni<ShipmentView> shipment(
            @PathParam("carrier") String carrier, @PathParam("reference") String reference, @Context UriInfo uri) {
        return service.find(carrier, reference, uri.getQueryParameters()).map(ShipmentView::of);
    }

    @GET
    @Path("/{carrier}/{reference}/timeline")
    @Operation(summary = "A shipment with every event, oldest first")
    @APIResponse(responseCode = "200", description = "The shipment and its timeline")
    @APIResponse(responseCode = "404", description = "No such shipment")
    @APIResponse(responseCode = "409", description = "The reference exists in several accounts; add `account`")
    @Parameter(
            name = "account",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = ACCOUNT)
    public Uni<ShipmentView.WithTimeline> timeline(
            @PathParam("carrier") String carrier, @PathParam("reference") String reference, @Context UriInfo uri) {
        return service.timeline(carrier, reference, uri.getQueryParameters())
                .map(t -> new ShipmentView.WithTimeline(
                        ShipmentView.of(t.shipment()),
                        t.events().stream().map(ShipmentView::event).toList()));
    }

    /**
     * The shipment, then its changes, with a comment line every {@code trackline.store.stream.heartbeat} so a
     * quiet stream is not closed as an idle connection. {@link ExistingShipment} answers an unknown shipment 404
     * before the stream (and its 200) starts.
     */
    @GET
    @Path("/{carrier}/{reference}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @ExistingShipment
    @Operation(summary = "Server-Sent Events: the shipment now, then each change as it is stored")
    @APIResponse(
            responseCode = "200",
            description = "An event stream; each `data:` is a shipment as JSON, and a "
                    + "comment line (`: keep-alive`) comes every 10 s without changes")
    @APIResponse(responseCode = "404", description = "No such shipment")
    @APIResponse(responseCode = "409", description = "The reference exists in several accounts; add `account`")
    @Parameter(
            name = "account",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = ACCOUNT)
    public Multi<OutboundSseEvent> stream(
            @PathParam("carrier") String carrier,
            @PathParam("reference") String reference,
            @Context UriInfo uri,
            @Context Sse sse) {
        Multi<OutboundSseEvent> changes = service.stream(carrier, reference, uri.getQueryParameters())
                .map(view ->
                        sse.newEventBuilder().data(ShipmentView.class, view).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom()
                .ticks()
                .startingAfter(config.stream().heartbeat())
                .every(config.stream().heartbeat())
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(changes, heartbeats);
    }
}
