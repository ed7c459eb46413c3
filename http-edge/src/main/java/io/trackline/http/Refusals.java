package io.trackline.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

/** Writes a {@link Refusal}: a client's mistake, logged at DEBUG only. */
final class Refusals {

    private static final Logger LOG = Logger.getLogger(Refusals.class);

    private Refusals() {}

    /** @param guard the connection's guard, or null when it has none (not HTTP/1) */
    static void send(HttpServerRequest request, Refusal refusal, ConnectionGuard guard) {
        LOG.debugf(
                "refused %s %s: %d %s (%s)",
                request.method(), request.path(), refusal.status(), refusal.code(), refusal.message());
        HttpServerResponse response = request.response();
        if (refusal.close() && guard != null) {
            guard.refuse(); // before end(): ending may start the next pipelined request at once
        }
        response.setStatusCode(refusal.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (refusal.close()) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(refusal.json()).onComplete(written -> {
            if (refusal.close()) {
                request.connection().close();
            }
        });
    }
}
