package io.trackline.ingest.rest;

import io.trackline.ingest.service.CallbackRejectedException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns failures into JSON answers {@code {"code", "message"}}; never a class name, a secret or the body. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response rejected(CallbackRejectedException e) {
        Response.ResponseBuilder answer = Response.status(e.reason().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(e.reason().code(), e.getMessage()));
        if (e.reason() == CallbackRejectedException.Reason.UNAVAILABLE) {
            answer.header("Retry-After", "5");
        }
        return answer.build();
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException e) {
        return json(405, "method_not_allowed", "use POST for callbacks");
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return json(415, "unsupported_media_type", "callbacks must be application/json");
    }

    @ServerExceptionMapper
    public Response other(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        return switch (status) {
            case 404 -> json(404, "not_found", "no such resource");
            case 413 -> json(413, "payload_too_large", "request body too large");
            default -> json(status, "http_" + status, "request failed");
        };
    }

    private static Response json(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(code, message))
                .build();
    }
}
