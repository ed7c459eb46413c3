package io.trackline.ingest.rest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.trackline.ingest.service.CallbackRejectedException;
import io.trackline.ingest.service.MrSpeedyCallbackService;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * MrSpeedy's callback URL, {@code POST /webhooks/mrspeedy/{account}}, as a Vert.x route on the event loop: it reads
 * the body, hands it to {@link MrSpeedyCallbackService} and writes the answer as bytes. A JAX-RS resource did the same
 * through Quarkus REST's request chain (routing, request scope, reader and writer lookups, context propagation), a
 * sixth of the receiver's CPU for work this one endpoint does not need (docs/benchmarks.md).
 *
 * <p>The answers are those the resource gave, byte for byte (docs/webhooks.md, "Answers"): the same status codes,
 * JSON bodies, headers and their order; {@code 405} for another method, {@code OPTIONS} answered with the methods,
 * {@code 406} for an {@code Accept} that rules JSON out, {@code 404 not_found} for any path no other route serves, the
 * early {@code 413} from {@code Content-Length} before the body is read, and Quarkus' own {@code 413} (closing the
 * connection) for a chunked body over {@code quarkus.http.limits.max-body-size}. The HTTP edge (http-edge) still runs
 * first.
 */
@ApplicationScoped
public class MrSpeedyWebhookRoute {

    static final String PATH_PREFIX = "/webhooks/mrspeedy/";
    /** Where Quarkus' HTTP server meters read a request's URI template (as Quarkus REST sets it). */
    static final String URL_TEMPLATE_KEY = "UrlPathTemplate";

    static final String URL_TEMPLATE = "/webhooks/mrspeedy/{account}";
    static final String SIGNATURE_HEADER = "X-DV-Signature";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** Request headers worth keeping with the payload; none of them is a credential. */
    private static final List<String> KEPT_HEADERS = List.of(
            SIGNATURE_HEADER, REQUEST_ID_HEADER, "User-Agent", "X-Forwarded-For", "Content-Type", "Content-Length");

    // Header names spelled as the answers have always spelled them (the JAX-RS resource's writer).
    private static final CharSequence CONTENT_LENGTH = HttpHeaders.createOptimized("content-length");
    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");
    private static final CharSequence ALLOW = HttpHeaders.createOptimized("Allow");
    private static final CharSequence ACCEPTED_TYPE = HttpHeaders.createOptimized("application/json;charset=UTF-8");
    private static final CharSequence ERROR_TYPE = HttpHeaders.createOptimized("application/json");
    private static final CharSequence ALLOWED = HttpHeaders.createOptimized("HEAD, POST, OPTIONS");

    private static final JsonStringEncoder JSON_TEXT =
            JsonStringEncoder.getInstance(); // before the answers built with it
    private static final byte[] METHOD_NOT_ALLOWED = error("method_not_allowed", "use POST for callbacks");
    private static final byte[] NOT_ACCEPTABLE = error("http_406", "request failed");
    private static final byte[] NOT_FOUND = error("not_found", "no such resource");
    private static final byte[] FAILED = error("http_500", "request failed");
    private static final Logger LOG = Logger.getLogger(MrSpeedyWebhookRoute.class);

    private final MrSpeedyCallbackService service;

    public MrSpeedyWebhookRoute(MrSpeedyCallbackService service) {
        this.service = service;
    }

    void install(@Observes Router router) {
        router.route(PATH_PREFIX + "*").handler(this::callback);
        // Last of all routes: what no other route serves is answered as the callback endpoint answers unknown paths.
        router.route().order(Integer.MAX_VALUE).handler(MrSpeedyWebhookRoute::notFound);
    }

    void callback(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String path = rc.normalizedPath();
        if (!path.startsWith(PATH_PREFIX)) {
            notFound(rc); // "/webhooks/mrspeedy" itself
            return;
        }
        int end = path.length() - (path.endsWith("/") ? 1 : 0);
        int slash = path.indexOf('/', PATH_PREFIX.length());
        if (end <= PATH_PREFIX.length() || (slash >= 0 && slash < end)) {
            // No account, or a deeper path. OPTIONS names the endpoint's methods on a deeper path, as JAX-RS did.
            if (request.method() == HttpMethod.OPTIONS && end > PATH_PREFIX.length()) {
                options(request.response());
            } else {
                announcedTooLarge(request, path.substring(PATH_PREFIX.length()))
                        .ifPresentOrElse(e -> rejected(request, e), () -> notFound(rc));
            }
            return;
        }
        String account = path.substring(PATH_PREFIX.length(), end);
        // The endpoint's template, not the path, tags http_server_requests: an account name cannot add series.
        Vertx.currentContext().putLocal(URL_TEMPLATE_KEY, URL_TEMPLATE);
        HttpMethod method = request.method();
        if (method == HttpMethod.POST) {
            Optional<CallbackRejectedException> early = announcedTooLarge(request, account);
            if (early.isPresent()) {
                rejected(request, early.get());
                return;
            }
            if (!acceptsJson(request.headers().getAll(HttpHeaders.ACCEPT))) {
                send(request, 406, ERROR_TYPE, NOT_ACCEPTABLE);
            } else {
                new Reception(rc, request, account).start();
            }
        } else if (method == HttpMethod.OPTIONS) {
            options(request.response());
        } else {
            send(request, 405, ERROR_TYPE, METHOD_NOT_ALLOWED);
        }
    }

    /** The {@code 413} a {@code POST} gets from its {@code Content-Length} alone, before its body is read. */
    private Optional<CallbackRejectedException> announcedTooLarge(HttpServerRequest request, String account) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || request.method() != HttpMethod.POST) {
            return Optional.empty();
        }
        try {
            service.checkAnnouncedLength(account, Long.parseLong(length.strip()));
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // the HTTP layer rejects a malformed Content-Length itself
        } catch (CallbackRejectedException e) {
            return Optional.of(e);
        }
    }

    /**
     * Whether an {@code Accept} header (all of them, read as one list) allows {@code application/json}: absent or empty,
     * or one media range of {@code *}/{@code *}, {@code application/*} or {@code application/json} in any case. As
     * JAX-RS matched it, a quality of 0 does not rule a range out, and a range that is not a media type matches nothing.
     */
    static boolean acceptsJson(List<String> accept) {
        boolean any = false;
        for (String header : accept) {
            for (String range : header.split(",")) {
                String type = range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (type.isEmpty()) {
                    continue;
                }
                any = true;
                if (type.equals("*/*") || type.equals("application/*") || type.equals("application/json")) {
                    return true;
                }
            }
        }
        return !any;
    }

    /** Reads a callback's body, bounded, then hands it to the service and answers. */
    private final class Reception {

        private final RoutingContext rc;
        private final HttpServerRequest request;
        private final String account;
        /** Quarkus' hard limit for a body without {@code Content-Length}; null when the length was announced. */
        private final Long hardLimit;

        private byte[] body;
        private int length;
        private boolean overflowed;

        Reception(RoutingContext rc, HttpServerRequest request, String account) {
            this.rc = rc;
            this.request = request;
            this.account = account;
            this.hardLimit = rc.get(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
        }

        void start() {
            String announced = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            body = new byte[announced == null ? 4096 : (int) Long.parseLong(announced.strip())];
            if (request.isEnded()) {
                received();
                return;
            }
            if (isContinueExpected(request)) {
                request.response().writeContinue();
            }
            request.handler(this::chunk);
            request.endHandler(v -> received());
            request.exceptionHandler(e -> LOG.debugf("callback body not received: %s", e.toString()));
            request.resume(); // in case a route before this one paused it
        }

        private void chunk(Buffer chunk) {
            if (overflowed) {
                return;
            }
            int size = chunk.length();
            if (hardLimit != null && (long) length + size > hardLimit) {
                overflowed = true; // as Quarkus answers a body over quarkus.http.limits.max-body-size
                HttpServerResponse response = request.response();
                response.setStatusCode(413).putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                response.end().onComplete(done -> request.connection().close());
                return;
            }
            if (length + size > body.length) {
                body = Arrays.copyOf(body, Math.max(body.length * 2, length + size));
            }
            chunk.getBytes(0, size, body, length);
            length += size;
        }

        private void received() {
            if (overflowed) {
                return;
            }
            byte[] bytes = length == body.length ? body : Arrays.copyOf(body, length);
            MultiMap headers = request.headers();
            String given = header(headers, REQUEST_ID_HEADER);
            String requestId = given != null && !given.isBlank() && given.length() <= 128 ? given : newRequestId();
            Map<String, String> kept = new LinkedHashMap<>();
            for (String name : KEPT_HEADERS) {
                String value = header(headers, name);
                if (value != null) {
                    kept.put(name, value);
                }
            }
            service.accept(
                            account,
                            Optional.ofNullable(header(headers, "Content-Type")),
                            Optional.ofNullable(header(headers, SIGNATURE_HEADER)),
                            requestId,
                            kept,
                            bytes)
                    .subscribe()
                    .with(accepted -> send(request, 200, ACCEPTED_TYPE, accepted(accepted)), failure -> {
                        if (failure instanceof CallbackRejectedException e) {
                            rejected(request, e);
                        } else {
                            LOG.errorf(failure, "callback %s not handled", requestId);
                            send(request, 500, ERROR_TYPE, FAILED);
                        }
                    });
        }
    }

    private static boolean isContinueExpected(HttpServerRequest request) {
        String expect = request.getHeader(HttpHeaders.EXPECT);
        return expect != null && expect.equalsIgnoreCase("100-continue");
    }

    /** A header's values as one string, comma-separated when it came more than once (as JAX-RS reads it). */
    static String header(MultiMap headers, String name) {
        List<String> values = headers.getAll(name);
        return switch (values.size()) {
            case 0 -> null;
            case 1 -> values.get(0);
            default -> String.join(",", values);
        };
    }

    /**
     * A random (version 4) UUID for a callback that came without {@code X-Request-Id}. A request id names a callback in
     * logs and on the record; it is no secret, so it is drawn from the thread's own generator rather than
     * {@link UUID#randomUUID()}'s shared {@code SecureRandom}, a synchronized read of the system's entropy per callback.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4: random
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }

    /** {@code {"status":"accepted","requestId":...,"orderId":...,"contentDigest":...}}, written as bytes directly. */
    static byte[] accepted(MrSpeedyCallbackService.Accepted a) {
        StringBuilder json = new StringBuilder(160).append("{\"status\":\"accepted\",\"requestId\":\"");
        JSON_TEXT.quoteAsString(a.requestId(), json); // from a request header: escaped
        json.append("\",\"orderId\":\"");
        JSON_TEXT.quoteAsString(a.shipmentRef(), json);
        json.append("\",\"contentDigest\":\"").append(a.contentDigest()).append("\"}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"code":...,"message":...}}: never a class name, a secret or the body. */
    static byte[] error(String code, String message) {
        StringBuilder json = new StringBuilder(96).append("{\"code\":\"");
        JSON_TEXT.quoteAsString(code, json);
        json.append("\",\"message\":\"");
        JSON_TEXT.quoteAsString(message, json);
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void rejected(HttpServerRequest request, CallbackRejectedException e) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        byte[] body = error(e.reason().code(), e.getMessage());
        response.setStatusCode(e.reason().status());
        closing(request, response);
        if (request.method() != HttpMethod.HEAD) {
            response.putHeader(CONTENT_LENGTH, Integer.toString(body.length));
        }
        response.putHeader(CONTENT_TYPE, ERROR_TYPE);
        if (e.reason() == CallbackRejectedException.Reason.UNAVAILABLE) {
            response.putHeader(RETRY_AFTER, "5");
        }
        response.end(Buffer.buffer(body));
    }

    /** {@code connection: close} first, where an HTTP/1.1 client asked to close, as the answers always had it. */
    private static void closing(HttpServerRequest request, HttpServerResponse response) {
        if (request.version() == HttpVersion.HTTP_1_1
                && HttpHeaders.CLOSE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.CONNECTION))) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
    }

    private static void notFound(RoutingContext rc) {
        send(rc.request(), 404, ERROR_TYPE, NOT_FOUND);
    }

    private static void options(HttpServerResponse response) {
        response.setStatusCode(200).putHeader(ALLOW, ALLOWED).putHeader(CONTENT_LENGTH, "0");
        response.end();
    }

    /** Status, {@code content-length} (not for HEAD: JAX-RS wrote none), {@code Content-Type}, body. */
    private static void send(HttpServerRequest request, int status, CharSequence type, byte[] body) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status);
        closing(request, response);
        if (request.method() != HttpMethod.HEAD) {
            response.putHeader(CONTENT_LENGTH, Integer.toString(body.length));
        }
        response.putHeader(CONTENT_TYPE, type).end(Buffer.buffer(body));
    }
}
