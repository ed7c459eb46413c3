package io.trackline.sim.rest;

import io.trackline.sim.carrier.CarrierHttp;
import io.trackline.sim.service.SimException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Error bodies are JSON with a stable code: the simulator's own {@code {"code", "message"}} under {@code /sim}, and
 * under a carrier's prefix the carrier's own error shape (all24: {@code response_code}/{@code error_codes}, 247Express:
 * {@code errorCode}/{@code errorMessage}, MrSpeedy: {@code is_successful}/{@code errors}).
 */
public class ErrorMappers {

    public record ErrorBody(String code, String message) {}

    @ServerExceptionMapper
    public Response simException(SimException e) {
        return Response.status(e.status())
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(e.code(), e.getMessage()))
                .build();
    }

    /** Unknown paths, wrong methods, bad bodies: answered in the shape of whoever owns the path. */
    @ServerExceptionMapper
    public Response webApplicationException(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String path = uri.getPath();
        if (path.startsWith("/all24/")) {
            return Response.status(status)
                    .type(CarrierHttp.JSON)
                    .entity("{\"response_code\":" + status + ",\"error_codes\":[]}")
                    .build();
        }
        if (path.startsWith("/247express/")) {
            return Response.status(status)
                    .type(CarrierHttp.JSON)
                    .entity("{\"errorCode\":\"EXCEPTION\",\"errorMessage\":\"Unknown error, please contact 247.\"}")
                    .build();
        }
        if (path.startsWith("/mrspeedy/")) {
            String code =
                    status == 405 ? "required_method_get" : status == 404 ? "invalid_api_method" : "unexpected_error";
            return Response.status(400)
                    .type(CarrierHttp.JSON)
                    .entity("{\"is_successful\":false,\"errors\":[\"" + code + "\"],\"parameter_errors\":null}")
                    .build();
        }
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 415 -> "unsupported_media_type";
            default -> status < 500 ? "bad_request" : "internal_error";
        };
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(code, e.getMessage() == null ? "HTTP " + status : e.getMessage()))
                .build();
    }
}
