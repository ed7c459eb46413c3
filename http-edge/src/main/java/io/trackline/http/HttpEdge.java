package io.trackline.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * The HTTP edge of every Trackline service: {@link EdgeRules} run before any other route (body handling, REST,
 * {@code /q/health}, {@code /q/metrics}), and client errors that Vert.x Web raises before any route runs (no Host,
 * an unroutable path) get Trackline's JSON instead of Quarkus' error page and its ERROR log line.
 */
@ApplicationScoped
public class HttpEdge {

    void install(@Observes Router router) {
        // Integer.MIN_VALUE: ahead of Quarkus' body handler (MIN_VALUE + 1), so a refused body is never read.
        router.route().order(Integer.MIN_VALUE).handler(this::screen).failureHandler(this::clientError);
    }

    void screen(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        ConnectionGuard guard = ConnectionGuard.of(request);
        if (guard != null) {
            if (guard.track(request)) {
                Refusals.send(request, ConnectionGuard.MALFORMED_CHUNKS, guard);
                return;
            }
            if (guard.refused()) {
                request.connection().close(); // a request that followed a refusal on its connection: no answer
                return;
            }
        }
        Optional<Refusal> refusal =
                EdgeRules.check(request.version(), request.headers(), request.path(), request.query());
        if (refusal.isPresent()) {
            Refusals.send(request, refusal.get(), guard);
        } else {
            rc.next();
        }
    }

    /**
     * A 4xx failure is the client's: answered as JSON, never logged as an error. Anything else (a 5xx, an
     * exception without a status) goes on to Quarkus' error handler, which logs it.
     */
    void clientError(RoutingContext rc) {
        int status = rc.statusCode();
        if (status < 400 || status > 499 || rc.response().headWritten()) {
            rc.next();
            return;
        }
        HttpServerRequest request = rc.request();
        ConnectionGuard guard = ConnectionGuard.of(request);
        if (guard != null) {
            guard.track(request); // Vert.x Web may fail a request before screen() saw it
        }
        // Vert.x Web refuses an HTTP/2.0 request line without Host before screen() could say it is the version.
        Refusals.send(
                request, EdgeRules.version(request.version()).orElseGet(() -> clientError(status, request)), guard);
    }

    static Refusal clientError(int status, HttpServerRequest request) {
        return switch (status) {
            case 400 ->
                Refusal.invalid(
                        request.headers().contains("Host")
                                ? "the request could not be read"
                                : "the Host header is required");
            case 404 -> new Refusal(404, "not_found", "no such resource", false);
            case 405 -> new Refusal(405, "method_not_allowed", "method not allowed here", false);
            case 413 -> new Refusal(413, "payload_too_large", "request body too large", true);
            case 414 -> new Refusal(414, "uri_too_long", "request line too long", true);
            case 415 -> new Refusal(415, "unsupported_media_type", "unsupported Content-Type", false);
            case 431 -> new Refusal(431, "header_fields_too_large", "request headers too large", true);
            default -> new Refusal(status, "http_" + status, "request refused", false);
        };
    }
}
