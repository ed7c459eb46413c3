package io.trackline.store.rest;

import io.quarkus.logging.Log;
import io.trackline.http.api.InvalidRequestException;
import io.trackline.store.service.AmbiguousReferenceException;
import io.trackline.store.service.ShipmentNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** JSON error answers {@code {"code", "message"}}. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response notFound(ShipmentNotFoundException e) {
        return json(404, "shipment_not_found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response ambiguous(AmbiguousReferenceException e) {
        return json(409, "ambiguous_reference", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return json(400, "invalid_request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        return switch (status) {
            case 400 -> json(400, "invalid_request", "a parameter could not be read; see the OpenAPI document");
            case 404 -> json(404, "not_found", "no such resource");
            case 405 -> json(405, "method_not_allowed", "method not allowed here");
            case 406 ->
                json(406, "not_acceptable", "this resource serves application/json (text/event-stream for /stream)");
            default -> json(status, "http_" + status, "request failed");
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        Log.error("request failed", e);
        return json(500, "internal_error", "the request could not be served; see the service log");
    }

    static Response json(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(code, message))
                .build();
    }
}
