package io.trackline.ingest.rest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.smallrye.mutiny.Uni;
import io.trackline.ingest.service.MrSpeedyCallbackService;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** MrSpeedy's callback URL: {@code POST /webhooks/mrspeedy/{account}}. */
@Path("/webhooks/mrspeedy/{account}")
public class MrSpeedyWebhookResource {

    static final String SIGNATURE_HEADER = "X-DV-Signature";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** Request headers worth keeping with the payload; none of them is a credential. */
    private static final List<String> KEPT_HEADERS = List.of(
            SIGNATURE_HEADER, REQUEST_ID_HEADER, "User-Agent", "X-Forwarded-For", "Content-Type", "Content-Length");

    private static final JsonStringEncoder JSON_TEXT = JsonStringEncoder.getInstance();

    private final MrSpeedyCallbackService service;

    public MrSpeedyWebhookResource(MrSpeedyCallbackService service) {
        this.service = service;
    }

    /**
     * Answers an accepted callback with {@code {"status":"accepted","requestId":...,"orderId":...,"contentDigest":...}},
     * written as bytes directly: the hottest path of the service has no use for an object mapper.
     */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<byte[]> receive(@PathParam("account") String account, HttpHeaders headers, byte[] body) {
        String given = headers.getHeaderString(REQUEST_ID_HEADER);
        String requestId = given != null && !given.isBlank() && given.length() <= 128 ? given : newRequestId();
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = headers.getHeaderString(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        return service.accept(
                        account,
                        Optional.ofNullable(headers.getHeaderString(HttpHeaders.CONTENT_TYPE)),
                        Optional.ofNullable(headers.getHeaderString(SIGNATURE_HEADER)),
                        requestId,
                        kept,
                        body == null ? new byte[0] : body)
                .map(MrSpeedyWebhookResource::accepted);
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

    static byte[] accepted(MrSpeedyCallbackService.Accepted a) {
        StringBuilder json = new StringBuilder(160).append("{\"status\":\"accepted\",\"requestId\":\"");
        JSON_TEXT.quoteAsString(a.requestId(), json); // from a request header: escaped
        json.append("\",\"orderId\":\"");
        JSON_TEXT.quoteAsString(a.shipmentRef(), json);
        json.append("\",\"contentDigest\":\"").append(a.contentDigest()).append("\"}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
