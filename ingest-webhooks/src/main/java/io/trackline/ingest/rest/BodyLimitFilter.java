package io.trackline.ingest.rest;

import io.trackline.ingest.service.MrSpeedyCallbackService;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers 413 from the {@code Content-Length} header alone, before a too-large body is read into memory. Bodies
 * without that header (chunked) are measured after reading, up to {@code quarkus.http.limits.max-body-size}.
 */
public class BodyLimitFilter {

    private static final String PATH_PREFIX = "/webhooks/mrspeedy/";

    private final MrSpeedyCallbackService service;

    public BodyLimitFilter(MrSpeedyCallbackService service) {
        this.service = service;
    }

    @ServerRequestFilter(preMatching = true)
    public void checkContentLength(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !path.startsWith(PATH_PREFIX) || !"POST".equals(request.getMethod())) {
            return;
        }
        long announced;
        try {
            announced = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return; // the HTTP layer rejects a malformed Content-Length itself
        }
        service.checkAnnouncedLength(path.substring(PATH_PREFIX.length()), announced);
    }
}
