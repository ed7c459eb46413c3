package io.trackline.ingest.service;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.trackline.ingest.service.CallbackRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One pass over a callback's bytes that checks they are one JSON value (RFC 8259) and finds its
 * {@code order.order_id}, without building tokens, names or a tree. It accepts exactly what Jackson's parser with
 * Trackline's settings accepts, the same limits included ({@link StreamReadConstraints}' defaults: nesting depth,
 * number and name lengths), and finds the order id a token pass would (the last {@code order} object's last
 * {@code order_id}); {@code CallbackJsonTest} checks both against Jackson on thousands of bodies. The body must already
 * be UTF-8 JSON text ({@code RawEnvelope.isUtf8JsonText}): the bytes of a string are not decoded but skipped.
 *
 * <p>Why not Jackson's token pass: its name decoding and symbol table lookups for every field of the payload, which
 * the callback never needs, made it a fifth of the receiver's CPU, more than the HMAC (docs/benchmarks.md).
 */
final class CallbackJson {

    /** A textual order id becomes part of the Kafka key: keep it short and plain. */
    private static final Pattern TEXT_ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final byte[] ORDER = "order".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORDER_ID = "order_id".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH;
    private static final int MAX_NUMBER_LENGTH = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;
    private static final int MAX_NAME_LENGTH = StreamReadConstraints.DEFAULT_MAX_NAME_LEN;

    private final byte[] b;
    private int i;
    private int depth;
    /** Where the last string or name read began (after its quote) and ended (at its closing quote). */
    private int start;

    private int end;
    /** Whether the last string or name read had an escape sequence. */
    private boolean escaped;

    private CallbackJson(byte[] body) {
        this.b = body;
    }

    /**
     * The body's {@code order.order_id}: an integer as written, or a string of letters, digits, {@code -} and
     * {@code _} (at most 64).
     *
     * @throws CallbackRejectedException {@code invalid_json} when the body is not one JSON value, {@code
     *     missing_order_id} when it has no usable order id
     */
    static String orderId(byte[] body) {
        CallbackJson json = new CallbackJson(body);
        String orderId;
        try {
            orderId = json.document();
        } catch (Invalid e) {
            throw new CallbackRejectedException(Reason.INVALID_JSON, e.getMessage());
        }
        if (orderId == null) {
            throw new CallbackRejectedException(Reason.MISSING_ORDER_ID, "body has no order.order_id");
        }
        return orderId;
    }

    /** Not JSON; the message is the answer's. */
    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final Invalid NOT_JSON = new Invalid("body is not valid JSON");
    private static final Invalid EMPTY = new Invalid("body is empty");

    private String document() throws Invalid {
        if (b.length >= 4 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            i = 3; // a UTF-8 byte order mark, skipped as Jackson skips it: only with more after it
        }
        if (skipSpace() == -1) {
            throw EMPTY;
        }
        String orderId = null;
        if (b[i] == '{') {
            i++;
            enter();
            int c = skipSpace();
            if (c == '}') {
                i++;
            } else {
                while (true) {
                    name();
                    boolean order = isName(ORDER);
                    colon();
                    if (order && skipSpace() == '{') {
                        orderId = order();
                    } else {
                        value();
                    }
                    if (!next('}')) {
                        break;
                    }
                }
            }
            depth--;
        } else {
            value();
        }
        if (skipSpace() != -1) {
            throw NOT_JSON; // a second value, or anything else after the first
        }
        return orderId;
    }

    /** The order object the position is at: its last usable {@code order_id}, or null. */
    private String order() throws Invalid {
        i++; // '{'
        enter();
        String orderId = null;
        if (skipSpace() == '}') {
            i++;
        } else {
            while (true) {
                name();
                boolean isOrderId = isName(ORDER_ID);
                colon();
                if (isOrderId) {
                    orderId = orderIdValue();
                } else {
                    value();
                }
                if (!next('}')) {
                    break;
                }
            }
        }
        depth--;
        return orderId;
    }

    /** The value of an {@code order_id}: its text if usable, else null. */
    private String orderIdValue() throws Invalid {
        int c = skipSpace();
        if (c == '"') {
            string();
            String text = escaped ? decode(start, end) : new String(b, start, end - start, StandardCharsets.UTF_8);
            return TEXT_ORDER_ID.matcher(text).matches() ? text : null;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            int from = i;
            return number() ? new String(b, from, i - from, StandardCharsets.US_ASCII) : null;
        }
        value();
        return null;
    }

    /** After a member or element: true at {@code ,} (moved past it), false at {@code close} (moved past it). */
    private boolean next(char close) throws Invalid {
        int c = skipSpace();
        i++;
        if (c == ',') {
            skipSpace();
            return true;
        }
        if (c == close) {
            return false;
        }
        throw NOT_JSON;
    }

    private void colon() throws Invalid {
        if (skipSpace() != ':') {
            throw NOT_JSON;
        }
        i++;
    }

    private void name() throws Invalid {
        if (skipSpace() != '"') {
            throw NOT_JSON;
        }
        string();
        if ((escaped ? decodedLength(start, end) : end - start) > MAX_NAME_LENGTH) {
            throw NOT_JSON;
        }
    }

    private boolean isName(byte[] name) {
        if (escaped) {
            return decode(start, end).equals(new String(name, StandardCharsets.US_ASCII));
        }
        if (end - start != name.length) {
            return false;
        }
        for (int k = 0; k < name.length; k++) {
            if (b[start + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    private void value() throws Invalid {
        int c = skipSpace();
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            case -1 -> throw NOT_JSON;
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw NOT_JSON;
                }
            }
        }
    }

    private void object() throws Invalid {
        i++;
        enter();
        if (skipSpace() == '}') {
            i++;
        } else {
            do {
                name();
                colon();
                value();
            } while (next('}'));
        }
        depth--;
    }

    private void array() throws Invalid {
        i++;
        enter();
        if (skipSpace() == ']') {
            i++;
        } else {
            do {
                value();
            } while (next(']'));
        }
        depth--;
    }

    private void enter() throws Invalid {
        if (++depth > MAX_DEPTH) {
            throw NOT_JSON;
        }
    }

    /** A string at the position (its quote): moves past it, recording its content's bounds. */
    private void string() throws Invalid {
        int k = i + 1;
        start = k;
        escaped = false;
        byte[] bytes = b;
        int n = bytes.length;
        while (k < n) {
            byte c = bytes[k];
            if (c == '"') {
                end = k;
                i = k + 1;
                return;
            }
            if (c == '\\') {
                escaped = true;
                if (k + 1 >= n) {
                    throw NOT_JSON;
                }
                switch (bytes[k + 1]) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> k += 2;
                    case 'u' -> {
                        if (k + 5 >= n) {
                            throw NOT_JSON;
                        }
                        for (int h = k + 2; h < k + 6; h++) {
                            if (Character.digit(bytes[h], 16) < 0) {
                                throw NOT_JSON;
                            }
                        }
                        k += 6;
                    }
                    default -> throw NOT_JSON;
                }
            } else if (c >= 0 && c < 0x20) {
                throw NOT_JSON; // a raw control character; JSON escapes them
            } else {
                k++;
            }
        }
        throw NOT_JSON;
    }

    /**
     * A number at the position: moves past it. Jackson's grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}
     * with at most {@value StreamReadConstraints#DEFAULT_MAX_NUM_LEN} digits, followed by a delimiter.
     *
     * @return whether it is an integer
     */
    private boolean number() throws Invalid {
        byte[] bytes = b;
        int n = bytes.length;
        int k = i;
        if (bytes[k] == '-') {
            k++;
        }
        int intStart = k;
        if (k >= n || !isDigit(bytes[k])) {
            throw NOT_JSON;
        }
        if (bytes[k] == '0') {
            k++;
            if (k < n && isDigit(bytes[k])) {
                throw NOT_JSON; // a leading zero
            }
        } else {
            while (k < n && isDigit(bytes[k])) {
                k++;
            }
        }
        int intLength = k - intStart;
        int fractionLength = 0;
        int exponentLength = 0;
        boolean integer = true;
        if (k < n && bytes[k] == '.') {
            integer = false;
            int from = ++k;
            while (k < n && isDigit(bytes[k])) {
                k++;
            }
            fractionLength = k - from;
            if (fractionLength == 0) {
                throw NOT_JSON;
            }
        }
        if (k < n && (bytes[k] == 'e' || bytes[k] == 'E')) {
            integer = false;
            k++;
            if (k < n && (bytes[k] == '+' || bytes[k] == '-')) {
                k++;
            }
            int from = k;
            while (k < n && isDigit(bytes[k])) {
                k++;
            }
            exponentLength = k - from;
            if (exponentLength == 0) {
                throw NOT_JSON;
            }
        }
        if ((integer ? intLength : intLength + fractionLength + exponentLength) > MAX_NUMBER_LENGTH) {
            throw NOT_JSON;
        }
        if (k < n && !isDelimiter(bytes[k])) {
            throw NOT_JSON; // "1x", "1true": one token in Jackson, and not a number
        }
        i = k;
        return integer;
    }

    private void literal(String word) throws Invalid {
        int n = word.length();
        if (i + n > b.length) {
            throw NOT_JSON;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw NOT_JSON;
            }
        }
        i += n;
        if (i < b.length && !isDelimiter(b[i])) {
            throw NOT_JSON; // "truex"
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDelimiter(byte c) {
        return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Skips JSON whitespace: the byte now at the position, or -1 at the end. */
    private int skipSpace() {
        byte[] bytes = b;
        int n = bytes.length;
        int k = i;
        while (k < n) {
            byte c = bytes[k];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                i = k;
                return c;
            }
            k++;
        }
        i = k;
        return -1;
    }

    /** The text of string content with escapes, decoded. */
    private String decode(int from, int to) {
        StringBuilder text = new StringBuilder(to - from);
        int k = from;
        while (k < to) {
            int run = k;
            while (k < to && b[k] != '\\') {
                k++;
            }
            text.append(new String(b, run, k - run, StandardCharsets.UTF_8));
            if (k >= to) {
                break;
            }
            char e = (char) b[k + 1];
            switch (e) {
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    text.append((char) hex(k + 2));
                    k += 4;
                }
                default -> text.append(e); // '"', '\\', '/'
            }
            k += 2;
        }
        return text.toString();
    }

    /**
     * The length in UTF-8 bytes of a name's content once its escapes are decoded, as Jackson measures a name against
     * its limit ({@code \\uXXXX} one to three bytes, an escaped surrogate pair four).
     *
     * @throws Invalid for an escaped surrogate that is not half of a pair, which Jackson refuses in a name (not in a
     *     value)
     */
    private int decodedLength(int from, int to) throws Invalid {
        int length = 0;
        int k = from;
        while (k < to) {
            if (b[k] != '\\') {
                length++;
                k++;
            } else if (b[k + 1] != 'u') {
                length++;
                k += 2;
            } else {
                char unit = (char) hex(k + 2);
                if (Character.isHighSurrogate(unit)) {
                    if (k + 12 > to
                            || b[k + 6] != '\\'
                            || b[k + 7] != 'u'
                            || !Character.isLowSurrogate((char) hex(k + 8))) {
                        throw NOT_JSON;
                    }
                    length += 4; // one code point beyond U+FFFF
                    k += 12;
                } else if (Character.isLowSurrogate(unit)) {
                    throw NOT_JSON;
                } else {
                    length += unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
                    k += 6;
                }
            }
        }
        return length;
    }

    private int hex(int at) {
        return Integer.parseInt(new String(b, at, 4, StandardCharsets.US_ASCII), 16);
    }
}
