package io.trackline.normalizer.carrier;

/**
 * A carrier value as it may appear in a dead-letter reason or a log line: at most {@value #MAX} characters, in
 * quotes, with control characters, surrogates and the quote escaped as {@code \\uXXXX}. A payload of one megabyte
 * must not become a header of one megabyte (the dead letter would no longer fit in a Kafka record), and a header
 * must stay readable text.
 */
public final class Quoted {

    static final int MAX = 64;

    private Quoted() {}

    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 8).append('\'');
        int n = Math.min(value.length(), MAX);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (value.length() > MAX) {
            out.append("... (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
