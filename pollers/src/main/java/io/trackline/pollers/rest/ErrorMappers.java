package io.trackline.pollers.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trackline.http.api.InvalidRequestException;
import io.trackline.pollers.service.AmbiguousReferenceException;
import io.trackline.pollers.service.InvalidSubscriptionsException;
import io.trackline.pollers.service.StorageUnavailableException;
import io.trackline.pollers.service.SubscriptionNotFoundException;
import io.trackline.pollers.service.SubscriptionsUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** JSON error answers {@code {"code", "message"}}, one mapper per exception type. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalidSubscriptions(InvalidSubscriptionsException e) {
        return json(
                400,
                new ErrorBody(
                        e.code(),
                        e.getMessage(),
                        e.problems().isEmpty()
                                ? null
                                : e.problems().stream()
                                        .map(ErrorBody.Problem::of)
                                        .toList()));
    }

    @ServerExceptionMapper
    public Response notFound(SubscriptionNotFoundException e) {
        return json(404, "subscription_not_found", e.getMessage());
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
    public Response unavailable(SubscriptionsUnavailableException e) {
        LOG.warnf(
                "subscriptions not acknowledged: %s",
                e.getCause() == null ? e.getMessage() : e.getCause().toString());
        return json(503, "unavailable", e.getMessage());
    }

    @ServerExceptionMapper
    public Response storageUnavailable(StorageUnavailableException e) {
        LOG.warnf("PostgreSQL unavailable: %s", e.getMessage());
        return json(503, "unavailable", "the subscriptions store is not available; try again");
    }

    /** A request body that is not one JSON value. */
    static Response malformed(JsonProcessingException e) {
        return json(400, "invalid_json", "the body is not one JSON value" + where(e));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        return switch (status) {
            case 400 -> json(400, "invalid_request", "the request could not be read");
            case 404 -> json(404, "not_found", "no such resource");
            case 405 -> json(405, "method_not_allowed", "method not allowed here");
            case 406 -> json(406, "not_acceptable", "this resource serves application/json");
            case 415 -> json(415, "unsupported_media_type", "send the subscriptions as application/json");
            default -> json(status, "http_" + status, "request failed");
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("request failed", e);
        return json(500, "internal_error", "the request could not be served; see the service log");
    }

    static Response json(int status, String code, String message) {
        return json(status, new ErrorBody(code, message));
    }

    private static Response json(int status, ErrorBody body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }
}
