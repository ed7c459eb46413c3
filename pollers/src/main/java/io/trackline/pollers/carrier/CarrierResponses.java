package io.trackline.pollers.carrier;

import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.TracklineJson;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/** One carrier answer read off the wire: status, body bytes exactly as received, content type, kept headers. */
public record CarrierResponses(
        int status, byte[] body, String contentType, Map<String, String> headers, String retryAfter) {

    /**
     * Sends one request and reads its answer whatever the status. An I/O error or a timeout is a
     * {@link RetryableCarrierFailure} whose message names no URI (the REST client's own exception messages may hold
     * one, and 247Express's holds its key).
     */
    public static CarrierResponses send(Supplier<Response> request) {
        Response sent;
        try {
            sent = request.get();
        } catch (WebApplicationException e) {
            // only when the default exception mapper is on: the answer is still in it
            sent = e.getResponse();
        } catch (ProcessingException e) {
            throw new RetryableCarrierFailure("io_" + cause(e));
        }
        try (Response response = sent) {
            byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
            return new CarrierResponses(
                    response.getStatus(),
                    body == null ? new byte[0] : body,
                    ResponseHeaders.contentType(response),
                    ResponseHeaders.kept(response),
                    response.getHeaderString("Retry-After"));
        } catch (ProcessingException | IllegalStateException e) {
            throw new RetryableCarrierFailure("io_" + cause(e));
        }
    }

    /** The body as a JSON tree, or null when it is not JSON. */
    public JsonNode json() {
        if (body.length == 0) {
            return null;
        }
        try {
            return TracklineJson.mapper().readTree(body);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    public boolean isServerError() {
        return status >= 500 && status <= 599;
    }

    /** The simple name of the innermost cause: {@code ConnectException}, {@code TimeoutException}; never a message. */
    private static String cause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName();
    }
}
