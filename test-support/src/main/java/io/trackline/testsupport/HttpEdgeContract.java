package io.trackline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP edge every Trackline service keeps (docs/architecture.md, "The HTTP edge"; module http-edge), checked
 * with raw sockets: exact bytes in; the status, the JSON error code and whether the server closed the connection
 * out. A service's IT extends it:
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;TestProfile(HttpEdgeContract.ShortIdleTimeout.class)
 * class IngestHttpEdgeIT extends HttpEdgeContract { ... }
 * </pre>
 *
 * <p>Requests the HTTP decoder itself cannot parse (a request line without a version, Transfer-Encoding together
 * with Content-Length) are answered by Vert.x before any Trackline code runs: a 400 with an empty body, and the
 * connection closed. Those cases assert the status and the close, not a JSON body.
 */
public abstract class HttpEdgeContract {

    /** The idle timeout of {@link ShortIdleTimeout}. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

    /** Long enough for a server that closes after answering; returned from early when it does. */
    private static final Duration CLOSES = Duration.ofSeconds(3);

    /** The HTTP settings of the edge tests: a short idle timeout, so a stalled connection is seen closed soon. */
    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", IDLE_TIMEOUT.toMillis() + "ms");
        }
    }

    @TestHTTPResource("/")
    protected URI root;

    /** A path where this service reads a request body on POST, if it has one. */
    protected abstract Optional<String> bodyPath();

    /** Header lines (each ending in CRLF) every request carries, e.g. an API key. */
    protected String headers() {
        return "";
    }

    /** Paths answered 2xx to a plain GET: the edge applies to each. */
    protected List<String> paths() {
        return List.of("/q/health/live", "/q/metrics");
    }

    protected final int port() {
        return root.getPort();
    }

    protected RawHttp.Answer send(String request, Duration closeWithin) {
        return RawHttp.exchange(port(), request, closeWithin);
    }

    private String get(String path, String version) {
        return "GET " + path + " " + version + "\r\nHost: localhost\r\n" + headers() + "\r\n";
    }

    private String post(String head, String body) {
        return "POST " + bodyPath().orElse("/q/health/live") + " HTTP/1.1\r\nHost: localhost\r\n" + headers() + head
                + "\r\n" + body;
    }

    private static void assertRefused(RawHttp.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.code()).as(answer.toString()).isEqualTo(code);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/json");
        assertThat(answer.body()).as(answer.toString()).doesNotContain("stack", "Exception", "\tat ");
    }

    @Test
    void anOrdinaryRequestIsServed() {
        for (String path : paths()) {
            for (String version : List.of("HTTP/1.1", "HTTP/1.0")) {
                RawHttp.Answer answer = send(get(path, version), Duration.ZERO);
                assertThat(answer.status()).as(path + " " + answer).isBetween(200, 299);
            }
        }
    }

    static Stream<String> unsupportedVersions() {
        return Stream.of(
                "HTTP/0.9", "HTTP/2.0", "HTTP/9.9", "HTTP/1.2", "HTTP/3.0", "HTTP/11.1", "FOO/1.1", "http/1.1");
    }

    @ParameterizedTest
    @MethodSource("unsupportedVersions")
    void anHttpVersionOtherThan10Or11IsRefusedOnEveryPath(String version) {
        for (String path : paths()) {
            RawHttp.Answer answer = send(get(path, version), CLOSES);
            assertRefused(answer, 505, "http_version_not_supported");
            assertThat(answer.closed()).as(answer.toString()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1", "HTTP/1.1.1", "HTTP/x.y", "HTTP/", "HTTP /1.1", "\u0001"})
    void aVersionTheDecoderCannotReadIsRefused(String version) {
        RawHttp.Answer answer = send(get(paths().get(0), version), CLOSES);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.closed()).as(answer.toString()).isTrue();
    }

    @Test
    void http2PriorKnowledgeOnThePlainPortIsRefused() {
        RawHttp.Answer answer = send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", CLOSES);
        assertThat(answer.status()).as(answer.toString()).isIn(400, 505);
        assertThat(answer.closed()).as(answer.toString()).isTrue();
    }

    /** Transfer-Encoding headers, the status, and whether the answer is Trackline's JSON (else the decoder's). */
    static Stream<Arguments> transferEncodings() {
        return Stream.of(
                Arguments.of("Transfer-Encoding: gzip\r\n", 400, true),
                Arguments.of("Transfer-Encoding: identity\r\n", 400, true),
                Arguments.of("Transfer-Encoding: gzip, chunked\r\n", 501, true),
                Arguments.of("Transfer-Encoding: deflate,chunked\r\n", 501, true),
                Arguments.of("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400, true),
                Arguments.of("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", 501, true),
                Arguments.of("Transfer-Encoding: chunked, chunked\r\n", 400, true),
                Arguments.of("Transfer-Encoding: xchunked\r\n", 400, true),
                Arguments.of("Transfer-Encoding: chunked, gzip\r\n", 400, false),
                Arguments.of("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400, false),
                Arguments.of("Content-Length: 5\r\nTransfer-Encoding: gzip\r\n", 400, false));
    }

    @ParameterizedTest
    @MethodSource("transferEncodings")
    void aTransferEncodingOtherThanChunkedIsRefusedAndItsBodyIsNeverReadAsARequest(
            String encoding, int status, boolean json) {
        // The body, if read as the framing "ends" after the headers, is a second request: it must get no answer.
        String smuggled = "GET " + paths().get(0) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
        RawHttp.Answer answer = send(post("Content-Type: application/json\r\n" + encoding, smuggled), CLOSES);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        if (json) {
            assertThat(answer.code())
                    .as(answer.toString())
                    .isEqualTo(status == 501 ? "not_implemented" : "invalid_request");
        }
        assertThat(answer.closed()).as(answer.toString()).isTrue();
        assertThat(answer.afterward()).as(answer.toString()).doesNotContain("HTTP/1.1");
    }

    @Test
    void aTransferEncodingInHttp10IsRefused() {
        String request = "POST " + bodyPath().orElse("/q/health/live") + " HTTP/1.0\r\nHost: localhost\r\n"
                + headers() + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n";
        RawHttp.Answer answer = send(request, CLOSES);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400); // the decoder's, or the edge's
        assertThat(answer.closed()).as(answer.toString()).isTrue();
    }

    @ParameterizedTest
    // Netty reads " 2" and "2" followed by a control character as 2: lenient, but one length either way.
    @ValueSource(
            strings = {"-2", "zz", "FFFFFFFFFFFFFFFFFF", "80000000000000000", "0x2", "", "+2", "1_0", "g", "-0", "2.0"})
    void aMalformedChunkSizeGets400NotASilentClose(String size) {
        RawHttp.Answer answer = send(
                post("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", size + "\r\n{}\r\n0\r\n\r\n"),
                CLOSES);
        if (bodyPath().isPresent()) {
            assertRefused(answer, 400, "invalid_request");
        } else {
            // Without a body endpoint the service may answer before the body arrives; never silently, never 5xx.
            assertThat(answer.status()).as(answer.toString()).isBetween(400, 499);
        }
        assertThat(answer.closed()).as(answer.toString()).isTrue();
    }

    @Test
    void aMalformedChunkAfterAGoodOneGets400() {
        RawHttp.Answer answer = send(
                post("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", "2\r\n{}\r\nzz\r\n"), CLOSES);
        assertThat(answer.status()).as(answer.toString()).isBetween(400, 499);
        assertThat(answer.closed()).as(answer.toString()).isTrue();
    }

    @Test
    void aRequestAfterAPipelinedOneWithAMalformedBodyIsNotAnswered() {
        String request = get(paths().get(0), "HTTP/1.1")
                + post("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", "zz\r\n{}\r\n0\r\n\r\n")
                + get(paths().get(0), "HTTP/1.1");
        RawHttp.Answer answer = send(request, CLOSES);
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 299);
        assertThat(answer.closed()).as(answer.toString()).isTrue();
        assertThat(answer.afterward()).as(answer.toString()).containsOnlyOnce("HTTP/1.1 4");
    }

    @Test
    void aRequestWithoutHostOrWithTwoGetsTracklinesJson400() {
        for (String path : paths()) {
            assertRefused(
                    send("GET " + path + " HTTP/1.1\r\n" + headers() + "\r\n", Duration.ZERO), 400, "invalid_request");
            assertRefused(
                    send("GET " + path + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + headers() + "\r\n", Duration.ZERO),
                    400,
                    "invalid_request");
        }
        bodyPath()
                .ifPresent(path -> assertRefused(
                        send(
                                "POST " + path + " HTTP/1.1\r\n" + headers()
                                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                                Duration.ZERO),
                        400,
                        "invalid_request"));
    }

    static Stream<String> dotSegments() {
        return Stream.of(
                "/../../q/health",
                "/%2e%2e/%2e%2e/q/health",
                "/%2E%2E/%2E%2E/q/metrics",
                "/.%2e/.%2E/q/health",
                "/..%2F..%2Fq%2Fhealth",
                "/..%2f..%2fq%2fmetrics",
                "/..;/..;/q/health",
                "/./../q/health",
                "/%2e/q/health",
                "/..%5C..%5Cq%5Chealth",
                "/x/..",
                "/.");
    }

    @ParameterizedTest
    @MethodSource("dotSegments")
    void aDotSegmentNeverReachesAnotherEndpoint(String segments) {
        List<String> prefixes = new ArrayList<>(paths());
        bodyPath().ifPresent(prefixes::add);
        for (String prefix : prefixes) {
            for (String method : List.of("GET", "POST")) {
                String request = method + " " + prefix + segments + " HTTP/1.1\r\nHost: localhost\r\n" + headers()
                        + "Content-Length: 0\r\n\r\n";
                assertRefused(send(request, Duration.ZERO), 400, "invalid_request");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"%00", "%01", "%09", "%0A", "%0d", "%1F", "%7F", "%C2%80", "%C2%9F", "%ED%A0%80", "%C3%28", "%FF"
            })
    void aControlCharacterOrBrokenUtf8InThePathOrQueryGets400(String escape) {
        for (String path : paths()) {
            assertRefused(send(get(path + "/a" + escape + "b", "HTTP/1.1"), Duration.ZERO), 400, "invalid_request");
            assertRefused(send(get(path + "?x=a" + escape + "b", "HTTP/1.1"), Duration.ZERO), 400, "invalid_request");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "json",
                "application",
                "/",
                "/json",
                "application/",
                "text",
                "application/json/x",
                "application/json; charset",
                "application /json",
                "\"application/json\""
            })
    void aContentTypeThatIsNotAMediaTypeGets415(String type) {
        RawHttp.Answer answer = send(post("Content-Type: " + type + "\r\nContent-Length: 2\r\n", "{}"), Duration.ZERO);
        assertRefused(answer, 415, "unsupported_media_type");
    }

    @Test
    void aConnectionStalledMidHeadersIsClosedAfterTheIdleTimeout() {
        assertClosedAfterIdleTimeout("GET " + paths().get(0) + " HTTP/1.1\r\nHost: localhost\r\nX-Stalled: ");
    }

    @Test
    void aConnectionStalledMidBodyIsClosedAfterTheIdleTimeout() {
        assertClosedAfterIdleTimeout(post("Content-Type: application/json\r\nContent-Length: 100\r\n", "{\"a\":"));
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() {
        // A whole request, answered; then nothing more from the client.
        RawHttp.Answer answer = send(get(paths().get(0), "HTTP/1.1"), IDLE_TIMEOUT.plus(CLOSES));
        assertThat(answer.status()).isBetween(200, 299);
        assertThat(answer.closed())
                .as("closed within " + IDLE_TIMEOUT.plus(CLOSES))
                .isTrue();
    }

    private void assertClosedAfterIdleTimeout(String partial) {
        Duration open = RawHttp.timeUntilClosed(
                port(), partial.getBytes(StandardCharsets.ISO_8859_1), IDLE_TIMEOUT.plus(CLOSES));
        assertThat(open).as("closed within " + IDLE_TIMEOUT.plus(CLOSES)).isNotNull();
        assertThat(open).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(500));
    }
}
