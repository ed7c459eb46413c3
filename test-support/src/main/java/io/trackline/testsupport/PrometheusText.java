package io.trackline.testsupport;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads samples out of a Prometheus text exposition ({@code /q/metrics}): the one way Trackline's tests read a
 * metric. A sample matches when its name is exactly {@code name} and it carries every given label with that value
 * (other labels may be present); values of all matching samples are summed.
 */
public final class PrometheusText {

    private PrometheusText() {}

    /** The sum of the matching samples, or empty when none matches. */
    public static OptionalDouble value(String exposition, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String sampleName = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            if (!sampleName.equals(name)) {
                continue;
            }
            String labelText = "," + (brace >= 0 ? line.substring(brace + 1, line.lastIndexOf('}')) : "");
            if (labels.entrySet().stream()
                    .allMatch(e -> labelText.contains("," + e.getKey() + "=\"" + e.getValue() + "\""))) {
                sum += Double.parseDouble(line.substring(space + 1).trim());
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** Like {@link #value}, 0 when no sample matches. */
    public static double valueOrZero(String exposition, String name, Map<String, String> labels) {
        return value(exposition, name, labels).orElse(0);
    }
}
