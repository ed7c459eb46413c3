package io.trackline.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EdgeRulesTest {

    static MultiMap headers(String... nameValues) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    static Optional<Refusal> check(MultiMap headers, String path, String query) {
        return EdgeRules.check(HttpVersion.HTTP_1_1, headers, path, query);
    }

    static MultiMap host(String... more) {
        MultiMap headers = headers(more);
        headers.add("Host", "localhost");
        return headers;
    }

    @Test
    void anOrdinaryRequestPasses() {
        assertThat(check(
                        host("Content-Type", "application/json; charset=UTF-8", "Content-Length", "12"),
                        "/webhooks/mrspeedy/demo",
                        null))
                .isEmpty();
        assertThat(check(host(), "/api/v1/shipments", "carrier=all24&status=IN_TRANSIT&limit=20&after=abc-_"))
                .isEmpty();
        assertThat(check(host("Transfer-Encoding", "Chunked"), "/webhooks/mrspeedy/demo", null))
                .isEmpty();
        assertThat(check(host(), "/q/health/ready", "")).isEmpty();
        assertThat(check(host(), "/api/v1/shipments/all24/%E0%B8%81%20x", "updatedSince=2026-01-01T00:00:00%2B07:00"))
                .isEmpty();
        assertThat(EdgeRules.check(HttpVersion.HTTP_1_0, headers(), "/q/health", null))
                .isEmpty();
    }

    @Test
    void anUnknownVersionGets505AndTheConnectionCloses() {
        Refusal refusal = EdgeRules.check(null, host(), "/q/health", null).orElseThrow();
        assertThat(refusal.status()).isEqualTo(505);
        assertThat(refusal.code()).isEqualTo("http_version_not_supported");
        assertThat(refusal.close()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gzip",
                "chunked, gzip",
                "identity",
                "xchunked",
                "chunked;q=1",
                " , ",
                "chunked,chunked",
                "deflate, chunked, chunked"
            })
    void aTransferEncodingWhoseLengthIsInDoubtGets400AndClose(String encoding) {
        Refusal refusal = check(host("Transfer-Encoding", encoding), "/x", null).orElseThrow();
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.close()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "deflate,chunked", "compress ,  CHUNKED"})
    void anUnknownCodingBeforeChunkedGets501AndClose(String encoding) {
        Refusal refusal = check(host("Transfer-Encoding", encoding), "/x", null).orElseThrow();
        assertThat(refusal.status()).isEqualTo(501);
        assertThat(refusal.code()).isEqualTo("not_implemented");
        assertThat(refusal.close()).isTrue();
    }

    @Test
    void framingThatCanBeReadTwoWaysIsRefused() {
        assertThat(check(host("Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"), "/x", null))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
        assertThat(check(host("Transfer-Encoding", "chunked", "Content-Length", "5"), "/x", null))
                .hasValueSatisfying(r -> assertThat(r.close()).isTrue());
        assertThat(EdgeRules.check(HttpVersion.HTTP_1_0, headers("Transfer-Encoding", "chunked"), "/x", null))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
        for (String length : new String[] {"-1", "1a", "", "5, 6", "+5", "99999999999999999999"}) {
            assertThat(check(host("Content-Length", length), "/x", null))
                    .as(length)
                    .hasValueSatisfying(r -> assertThat(r.close()).isTrue());
        }
        assertThat(check(host("Content-Length", "5, 5"), "/x", null)).isEmpty();
    }

    @Test
    void hostIsRequiredOnceInHttp11() {
        assertThat(check(headers(), "/x", null))
                .hasValueSatisfying(r -> assertThat(r.message()).contains("Host"));
        assertThat(check(host("Host", "other"), "/x", null))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/webhooks/mrspeedy/../../q/health",
                "/webhooks/mrspeedy/%2e%2e/%2E%2E/q/health",
                "/q/health/.%2e/metrics",
                "/q/./health",
                "/a/%2e",
                "/a/..;x/q/health",
                "/a/..",
                "/webhooks/mrspeedy/..%2F..%2Fq",
                "/a%2fb",
                "/a%5Cb",
                "/a\\b",
                "/a/%00",
                "/a/%1f",
                "/a/%7F",
                "/a/%C2%85",
                "/a/%zz",
                "/a/%4",
                "/a/%",
                "/a/%C3%28",
                "/a/%ED%A0%80",
                "/a/%FF",
                "/a/\u0001",
                "/a/\u00e9",
                "/a b"
            })
    void aPathThatIsNotOneUnambiguousResourceGets400(String path) {
        Refusal refusal = check(host(), path, null).orElseThrow();
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.code()).isEqualTo("invalid_request");
        assertThat(refusal.message()).startsWith("the path");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "after=%00",
                "after=a%01b",
                "status=%7F",
                "x=%zz",
                "x=%C3%28",
                "x=%ED%B0%80",
                "%00=1",
                "carrier=all24&account=%1B[31m",
                "x=\u0007",
                "updatedSince=%C2%9B"
            })
    void aQueryParameterWithControlCharactersOrBrokenEncodingGets400(String query) {
        Refusal refusal = check(host(), "/api/v1/shipments", query).orElseThrow();
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.message()).startsWith("query parameter");
    }

    @Test
    void theQueryRefusalNamesAPlainParameter() {
        assertThat(check(host(), "/api/v1/shipments", "limit=5&after=%00")
                        .orElseThrow()
                        .message())
                .contains("'after'");
        assertThat(check(host(), "/api/v1/shipments", "zq%00zq=1").orElseThrow().message())
                .doesNotContain("zq");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "json",
                "application",
                "/",
                "application/",
                "/json",
                "application/json; charset",
                "application/json; =x",
                "application/json;charset=\"utf-8",
                "text/plain; a=b c",
                "application /json",
                "appli(cation/json",
                "",
                "application/json/x"
            })
    void aContentTypeThatIsNotAMediaTypeGets415(String type) {
        Refusal refusal = check(host("Content-Type", type), "/webhooks/mrspeedy/demo", null)
                .orElseThrow();
        assertThat(refusal.status()).isEqualTo(415);
        assertThat(refusal.code()).isEqualTo("unsupported_media_type");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/json",
                "text/plain",
                "application/json;charset=utf-8",
                "application/json ; charset=\"utf-8\"",
                "application/vnd.trackline+json;;",
                "text/plain; a=\"x\\\"y\"; b=c",
                "*/*"
            })
    void aMediaTypeIsLeftToTheService(String type) {
        assertThat(check(host("Content-Type", type), "/webhooks/mrspeedy/demo", null))
                .isEmpty();
    }

    @Test
    void theBodyIsJsonWithCodeAndMessage() {
        assertThat(new Refusal(400, "invalid_request", "say \"why\"", false).json())
                .isEqualTo("{\"code\":\"invalid_request\",\"message\":\"say \\\"why\\\"\"}");
    }
}
