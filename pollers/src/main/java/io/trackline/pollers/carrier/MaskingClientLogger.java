package io.trackline.pollers.carrier;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.ClientLogger;

/**
 * The REST clients' request and response log ({@code quarkus.rest-client.logging.scope=request-response}), with
 * credentials masked: Quarkus' default logger writes the absolute URI, which carries 247Express's {@code apikey},
 * and every header but {@code Authorization}, which lets MrSpeedy's {@code X-DV-Auth-Token} through. Quarkus uses a
 * {@link ClientLogger} bean, when there is one, for every REST client. Bodies are not logged: carrier answers hold
 * names, phone numbers and addresses.
 */
@ApplicationScoped
public class MaskingClientLogger implements ClientLogger {

    private static final Logger LOG = Logger.getLogger("io.trackline.pollers.carrier.http");
    private static final Set<String> SECRET_HEADERS =
            Set.of("authorization", "proxy-authorization", "x-dv-auth-token", "cookie", "set-cookie", "x-api-key");

    @Override
    public void setBodySize(int bodySize) {
        // bodies are never logged
    }

    @Override
    public void logRequest(HttpClientRequest request, Buffer body, boolean omitBody) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf(
                    "Request: %s %s Headers[%s]",
                    request.getMethod(), Masking.mask(request.absoluteURI()), headers(request.headers()));
        }
    }

    @Override
    public void logResponse(HttpClientResponse response, boolean redirect) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf(
                    "Response: %s %s, Status[%d %s], Headers[%s]",
                    response.request().getMethod(),
                    Masking.mask(response.request().absoluteURI()),
                    response.statusCode(),
                    response.statusMessage(),
                    headers(response.headers()));
        }
    }

    static String headers(MultiMap headers) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> h : headers) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            String name = h.getKey();
            boolean secret = SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT));
            out.append(name).append('=').append(secret ? Masking.MASK : Masking.mask(h.getValue()));
        }
        return out.toString();
    }
}
