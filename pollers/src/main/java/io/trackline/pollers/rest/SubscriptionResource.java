package io.trackline.pollers.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trackline.http.api.ApiConfig;
import io.trackline.pollers.service.Subscribed;
import io.trackline.pollers.service.SubscriptionPage;
import io.trackline.pollers.service.SubscriptionService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.util.List;
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

/**
 * Which shipments the pollers ask their carriers about. HTTP only: the body is read as JSON here, and everything
 * else (validation, the topic, the rows) is {@link SubscriptionService}'s. Blocking methods: they run on worker
 * threads.
 */
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(
        securitySchemeName = "apiKey",
        type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER,
        apiKeyName = ApiConfig.HEADER)
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "No or unknown API key")
public class SubscriptionResource {

    private static final String ACCOUNT = "The account, when the reference is subscribed in several";

    private final SubscriptionService service;
    private final ObjectMapper json;

    public SubscriptionResource(SubscriptionService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Subscribe one shipment (a JSON object) or up to 1,000 (a JSON array)",
            description = "Fields: carrier (all24, 247express, mrspeedy), account (a configured account of that "
                    + "carrier), reference (all24 tracking number, 247Express order code, MrSpeedy order id), "
                    + "customer_id (all24 third-party tracking numbers only). The request is checked whole "
                    + "before anything is stored: any invalid item refuses all, listing each problem with its "
                    + "index. Subscribing again is harmless and keeps the first subscribed_at.")
    @APIResponse(responseCode = "201", description = "One object, newly subscribed")
    @APIResponse(
            responseCode = "200",
            description = "One object already subscribed, or an array: each item with its outcome")
    @APIResponse(responseCode = "400", description = "Invalid items (each listed), malformed JSON, over 1,000")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge in time; send again")
    public Response subscribe(byte[] body) throws IOException {
        JsonNode request;
        try {
            request = json.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
        } catch (JsonProcessingException e) { // malformed, or anything after the value
            return ErrorMappers.malformed(e);
        }
        List<Subscribed> made = service.subscribe(request);
        List<SubscriptionView> views = made.stream().map(SubscriptionView::of).toList();
        if (request.isArray()) {
            return Response.ok(new SubscriptionView.Batch(views)).build();
        }
        SubscriptionView one = views.get(0);
        return Response.status(made.get(0).outcome() == Subscribed.Outcome.CREATED ? 201 : 200)
                .entity(one)
                .build();
    }

    @GET
    @Operation(summary = "Subscriptions in shipment-id order, a page at a time; follow `next` until it is absent")
    @APIResponse(responseCode = "200", description = "A page")
    @APIResponse(responseCode = "400", description = "A parameter the API cannot use (the message names it)")
    @Parameter(name = "carrier", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "account", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.STRING))
    @Parameter(
            name = "limit",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.INTEGER),
            description = "Page size, 1 to 500 (default 50)")
    @Parameter(
            name = "cursor",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "The `next` of the previous page")
    public SubscriptionView.Page list(@Context UriInfo uri) {
        SubscriptionPage page = service.list(uri.getQueryParameters());
        return new SubscriptionView.Page(
                page.subscriptions().stream().map(SubscriptionView::of).toList(), page.next());
    }

    @GET
    @Path("/{carrier}/{reference}")
    @Operation(summary = "One subscription, with the latest status the pollers know")
    @APIResponse(responseCode = "200", description = "The subscription")
    @APIResponse(responseCode = "404", description = "Not subscribed")
    @APIResponse(responseCode = "409", description = "Subscribed in several accounts; add `account`")
    @Parameter(
            name = "account",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = ACCOUNT)
    public SubscriptionView find(
            @PathParam("carrier") String carrier, @PathParam("reference") String reference, @Context UriInfo uri) {
        return SubscriptionView.of(service.find(carrier, reference, uri.getQueryParameters()));
    }

    @DELETE
    @Path("/{carrier}/{reference}")
    @Operation(summary = "End a subscription: a tombstone on trackline.subscriptions.v1; polling stops")
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "404", description = "Not subscribed")
    @APIResponse(responseCode = "409", description = "Subscribed in several accounts; add `account`")
    @Parameter(
            name = "account",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = ACCOUNT)
    public Response unsubscribe(
            @PathParam("carrier") String carrier, @PathParam("reference") String reference, @Context UriInfo uri) {
        service.unsubscribe(carrier, reference, uri.getQueryParameters());
        return Response.noContent().build();
    }
}
