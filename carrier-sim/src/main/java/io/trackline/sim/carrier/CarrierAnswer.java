package io.trackline.sim.carrier;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a simulated carrier answers: status, headers and the exact body bytes, with the outcome the referee counts.
 */
public record CarrierAnswer(int status, Map<String, String> headers, byte[] body, String outcome) {

    public CarrierAnswer {
        headers = Map.copyOf(headers);
    }

    public CarrierAnswer(int status, byte[] body, String outcome) {
        this(status, Map.of(), body, outcome);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
