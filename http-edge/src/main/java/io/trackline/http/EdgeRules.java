package io.trackline.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What every Trackline service refuses before a route sees the request, decided from the request line and headers
 * alone (no body is read). Pure functions, so each rule is tested without a server.
 *
 * <p>The rules, in order: the HTTP version; the framing of the body (RFC 9112 section 6: Transfer-Encoding and
 * Content-Length); the Host header; the path; the query string; the Content-Type. The first that fails decides the
 * answer.
 */
public final class EdgeRules {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    private EdgeRules() {}

    public static Optional<Refusal> check(HttpVersion version, MultiMap headers, String path, String query) {
        Optional<Refusal> refusal = version(version);
        if (refusal.isEmpty()) {
            refusal = framing(version, headers);
        }
        if (refusal.isEmpty()) {
            refusal = host(version, headers);
        }
        if (refusal.isEmpty()) {
            refusal = path(path);
        }
        if (refusal.isEmpty()) {
            refusal = query(query);
        }
        if (refusal.isEmpty()) {
            refusal = contentType(headers);
        }
        return refusal;
    }

    /** Vert.x reports any version but HTTP/1.0, HTTP/1.1 (and HTTP/2 on an HTTP/2 connection) as null. */
    static Optional<Refusal> version(HttpVersion version) {
        if (version == null) {
            return Optional.of(
                    new Refusal(505, "http_version_not_supported", "HTTP version not supported; send HTTP/1.1", true));
        }
        return Optional.empty();
    }

    /**
     * Only {@code chunked} is a transfer coding Trackline reads, once and last; never together with a
     * Content-Length, never in HTTP/1.0. Anything else leaves the body's length in doubt, so the connection is
     * closed after the answer and nothing after the headers is read as another request.
     */
    static Optional<Refusal> framing(HttpVersion version, MultiMap headers) {
        List<String> lengths = headers.getAll("Content-Length");
        List<String> encodings = headers.getAll("Transfer-Encoding");
        if (!lengths.isEmpty() && !oneLength(lengths)) {
            return Optional.of(Refusal.badFraming("Content-Length must be one decimal number"));
        }
        if (encodings.isEmpty()) {
            return Optional.empty();
        }
        if (version == HttpVersion.HTTP_1_0) {
            return Optional.of(Refusal.badFraming("Transfer-Encoding is not allowed in an HTTP/1.0 request"));
        }
        if (!lengths.isEmpty()) {
            return Optional.of(Refusal.badFraming("send either Transfer-Encoding or Content-Length, not both"));
        }
        int codings = 0;
        int chunked = 0;
        String last = null;
        for (String header : encodings) {
            for (String coding : header.split(",", -1)) {
                String name = coding.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue; // an empty list element, allowed by the list syntax
                }
                codings++;
                if (name.equals("chunked")) {
                    chunked++;
                }
                last = name;
            }
        }
        if (codings == 0 || !"chunked".equals(last)) {
            return Optional.of(Refusal.badFraming("the last Transfer-Encoding must be chunked"));
        }
        if (chunked > 1) {
            return Optional.of(Refusal.badFraming("chunked may be applied only once"));
        }
        if (codings > 1) {
            return Optional.of(
                    new Refusal(501, "not_implemented", "chunked is the only Transfer-Encoding supported", true));
        }
        return Optional.empty();
    }

    private static boolean oneLength(List<String> lengths) {
        String first = null;
        for (String header : lengths) {
            for (String value : header.split(",", -1)) {
                String length = value.strip();
                if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return false;
                }
                if (first != null && !first.equals(length)) {
                    return false;
                }
                first = length;
            }
        }
        return true;
    }

    /** RFC 9112 section 3.2: an HTTP/1.1 request has exactly one Host header. */
    static Optional<Refusal> host(HttpVersion version, MultiMap headers) {
        List<String> hosts = headers.getAll("Host");
        if (hosts.size() > 1) {
            return Optional.of(Refusal.invalid("send one Host header"));
        }
        if (hosts.isEmpty() && version == HttpVersion.HTTP_1_1) {
            return Optional.of(Refusal.invalid("the Host header is required"));
        }
        return Optional.empty();
    }

    /**
     * The raw path (as sent, before any decoding) must address one resource unambiguously: ASCII, well-formed
     * percent-encoding of UTF-8, no control character, no '/' or '\' hidden in an escape, and no dot-segment in any
     * spelling ({@code ..}, {@code %2e%2e}, {@code .%2E}, {@code ..;x}). Routers and proxies disagree on how to
     * resolve these, which is how {@code /webhooks/mrspeedy/../../q/health} reached the health check.
     */
    static Optional<Refusal> path(String path) {
        if (path == null) {
            return Optional.empty(); // Vert.x Web refuses an empty path itself
        }
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            Optional<String> problem = segmentProblem(path, start, end);
            if (problem.isPresent()) {
                return Optional.of(Refusal.invalid("the path " + problem.get()));
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    private static Optional<String> segmentProblem(String path, int start, int end) {
        boolean escaped = false;
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return Optional.of("must be ASCII without spaces or control characters; percent-encode the rest");
            }
            if (c == '\\') {
                return Optional.of("must not contain '\\'");
            }
            if (c == '%') {
                escaped = true;
            }
        }
        String segment;
        if (escaped) {
            byte[] decoded = percentDecode(path, start, end, false);
            if (decoded == null) {
                return Optional.of("has a malformed percent-escape");
            }
            for (byte b : decoded) {
                if (b == '/' || b == '\\') {
                    return Optional.of("must not contain an encoded '/' or '\\'");
                }
            }
            segment = utf8(decoded);
            if (segment == null) {
                return Optional.of("is not percent-encoded UTF-8");
            }
            if (hasControl(segment)) {
                return Optional.of("contains a control character");
            }
        } else {
            segment = path.substring(start, end);
        }
        int semicolon = segment.indexOf(';'); // a matrix parameter does not hide a dot-segment
        String name = semicolon < 0 ? segment : segment.substring(0, semicolon);
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("must not contain a dot-segment ('.' or '..')");
        }
        return Optional.empty();
    }

    /**
     * Each query parameter, name and value, must be percent-encoded UTF-8 without control characters: no API of
     * Trackline takes one, and PostgreSQL text cannot hold a NUL.
     */
    static Optional<Refusal> query(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            if (end > start) {
                int equals = query.indexOf('=', start);
                int nameEnd = equals < 0 || equals > end ? end : equals;
                String name = decodeParameter(query, start, nameEnd);
                String value = nameEnd == end ? "" : decodeParameter(query, nameEnd + 1, end);
                if (name == null || value == null) {
                    // Named only when the name itself is plain: the message never echoes what the caller hid in it.
                    String which = name != null && PLAIN_NAME.matcher(name).matches() ? "'" + name + "' " : "";
                    return Optional.of(Refusal.invalid(
                            "query parameter " + which + "is not percent-encoded UTF-8 without control characters"));
                }
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    /** The decoded text, or null when it is malformed, not UTF-8, or has a control character. */
    private static String decodeParameter(String query, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = query.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return null;
            }
        }
        byte[] decoded = percentDecode(query, start, end, true);
        String text = decoded == null ? null : utf8(decoded);
        return text == null || hasControl(text) ? null : text;
    }

    /**
     * A Content-Type must be a media type, {@code type "/" subtype *( ";" parameter )} (RFC 9110 section 8.3.1);
     * otherwise the answer is the same 415 a well-formed type the service does not take gets.
     */
    static Optional<Refusal> contentType(MultiMap headers) {
        List<String> types = headers.getAll("Content-Type");
        if (types.size() > 1) {
            return Optional.of(Refusal.invalid("send one Content-Type header"));
        }
        if (types.size() == 1 && !MediaTypes.isMediaType(types.get(0))) {
            return Optional.of(new Refusal(
                    415,
                    "unsupported_media_type",
                    "Content-Type is not a media type (type/subtype, e.g. application/json)",
                    false));
        }
        return Optional.empty();
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of {@code text[start, end)} with %XX decoded (and '+' as space in a query), or null if malformed. */
    private static byte[] percentDecode(String text, int start, int end, boolean plusIsSpace) {
        byte[] out = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= end) {
                    return null;
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                out[n++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                out[n++] = (byte) (plusIsSpace && c == '+' ? ' ' : c);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Strict UTF-8 (no replacement characters, no encoded surrogates), or null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
