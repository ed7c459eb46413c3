package io.trackline.testsupport;

import io.restassured.RestAssured;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A service's metrics as its {@code /q/metrics} shows them, read with {@link PrometheusText}: the one way Trackline's
 * tests read a metric of a running service. Paths go to the application under test (in a {@code @QuarkusTest},
 * Quarkus points RestAssured at it); a full URL goes to that service (the packaged services of system-tests).
 */
public final class MetricsEndpoint {

    /** Where every Trackline service exposes its metrics. */
    public static final String PATH = "/q/metrics";

    private MetricsEndpoint() {}

    /** The exposition of the application under test; fails the test unless it answers 200. */
    public static String scrape() {
        return scrape(PATH);
    }

    /** The exposition at {@code url}, a path of the application under test or a full URL; 200 or the test fails. */
    public static String scrape(String url) {
        return RestAssured.given().get(url).then().statusCode(200).extract().asString();
    }

    /** The sum of the metric's series of the application under test (any labels), 0 when it has none. */
    public static double metric(String name) {
        return metric(name, Map.of());
    }

    /**
     * The sum of the metric's series of the application under test that carry every given label with that value,
     * 0 when none does (a counter not counted yet).
     */
    public static double metric(String name, Map<String, String> labels) {
        return PrometheusText.valueOrZero(scrape(), name, labels);
    }

    /** Like {@link #metric(String, Map)}, empty when no series matches: for a series that must exist. */
    public static OptionalDouble series(String name, Map<String, String> labels) {
        return PrometheusText.value(scrape(), name, labels);
    }
}
