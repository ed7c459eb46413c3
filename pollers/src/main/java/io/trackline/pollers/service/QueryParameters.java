package io.trackline.pollers.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The query parameters of one request, checked against the names its endpoint takes: an unknown name (a typo of a
 * filter would otherwise list everything), a name given twice, an empty value or text PostgreSQL cannot hold is a
 * 400 naming the parameter, as status-store's query API answers.
 */
final class QueryParameters {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    static QueryParameters of(Map<String, List<String>> given, List<String> accepted) {
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : given.entrySet()) {
            String name = parameter.getKey();
            if (!accepted.contains(name)) {
                throw new InvalidRequestException((PLAIN_NAME.matcher(name).matches()
                                ? "unknown query parameter '" + name + "'"
                                : "unknown query parameter")
                        + "; this endpoint takes " + accepted);
            }
            List<String> sent = parameter.getValue();
            if (sent.size() > 1) {
                throw new InvalidRequestException("'" + name + "' may be given only once");
            }
            String value = sent.isEmpty() || sent.get(0) == null ? "" : sent.get(0);
            if (value.isBlank()) {
                throw new InvalidRequestException("'" + name + "' is empty: give it a value or leave it out");
            }
            requireText(name, value);
            values.put(name, value);
        }
        return new QueryParameters(values);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** No control character (PostgreSQL holds no NUL) and no unpaired surrogate. */
    static void requireText(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidRequestException("'" + name + "' contains a control character");
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException("'" + name + "' is not valid Unicode text");
            }
        }
    }
}
