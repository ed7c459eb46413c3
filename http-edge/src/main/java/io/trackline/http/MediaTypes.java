package io.trackline.http;

/** The media-type grammar of RFC 9110 section 8.3.1, as a recognizer: no allocation, one pass. */
final class MediaTypes {

    private MediaTypes() {}

    /** {@code type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )}. */
    static boolean isMediaType(String value) {
        int n = value.length();
        int i = token(value, 0);
        if (i == 0 || i >= n || value.charAt(i) != '/') {
            return false;
        }
        int subtypeEnd = token(value, i + 1);
        if (subtypeEnd == i + 1) {
            return false;
        }
        i = subtypeEnd;
        while (true) {
            i = whitespace(value, i);
            if (i == n) {
                return true;
            }
            if (value.charAt(i) != ';') {
                return false;
            }
            i = whitespace(value, i + 1);
            if (i == n || value.charAt(i) == ';') {
                continue; // an empty parameter
            }
            int nameEnd = token(value, i);
            if (nameEnd == i || nameEnd >= n || value.charAt(nameEnd) != '=') {
                return false;
            }
            i = nameEnd + 1;
            if (i < n && value.charAt(i) == '"') {
                i = quotedString(value, i);
                if (i < 0) {
                    return false;
                }
            } else {
                int valueEnd = token(value, i);
                if (valueEnd == i) {
                    return false;
                }
                i = valueEnd;
            }
        }
    }

    /** The end of the token starting at {@code from} ({@code from} itself when there is none). */
    private static int token(String value, int from) {
        int i = from;
        while (i < value.length() && isTokenChar(value.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int whitespace(String value, int from) {
        int i = from;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** The index after the closing quote of the quoted-string at {@code from}, or -1 if it is malformed. */
    private static int quotedString(String value, int from) {
        int i = from + 1;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i == value.length() || !isQuotable(value.charAt(i))) {
                    return -1;
                }
            } else if (!isQuotable(c)) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    private static boolean isQuotable(char c) {
        return c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF);
    }

    /** tchar: VCHAR except the delimiters {@code "(),/:;<=>?@[\]{}}. */
    static boolean isTokenChar(char c) {
        if (c <= 0x20 || c >= 0x7F) {
            return false;
        }
        return "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
