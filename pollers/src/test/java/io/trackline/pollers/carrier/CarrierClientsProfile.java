package io.trackline.pollers.carrier;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.PostgresTestResource;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The carrier clients against {@link CarrierStubs}, with a {@link FakeQuota} (the clients' token per attempt is what
 * is tested, not the PostgreSQL buckets), {@link FakeRawTopic} and {@link FakeShipmentStatuses}; the REST clients'
 * request log on, at DEBUG, so that the masking tests see everything that could be logged.
 */
public class CarrierClientsProfile implements QuarkusTestProfile {

    public static final String ALL24_KEY = "all24-key-not-real-7Qw";
    public static final String EXPRESS247_KEY = "247-key-not-real-1111-2222-3333";
    public static final String MRSPEEDY_TOKEN = "mrspeedy-token-not-real-9Zx";

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeQuota.class, FakeRawTopic.class, FakeShipmentStatuses.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(CarrierStubs.class),
                new TestResourceEntry(PostgresTestResource.class),
                new TestResourceEntry(KafkaTestResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("trackline.pollers.all24.accounts.acme.api-key", ALL24_KEY),
                Map.entry("trackline.pollers.247express.accounts.acme.api-key", EXPRESS247_KEY),
                Map.entry("trackline.pollers.mrspeedy.accounts.acme.auth-token", MRSPEEDY_TOKEN),
                Map.entry("quarkus.rest-client.247express.read-timeout", "700"),
                Map.entry("quarkus.rest-client.logging.scope", "request-response"),
                Map.entry("quarkus.log.level", "DEBUG"),
                Map.entry("quarkus.log.category.\"io.trackline.pollers.carrier.http\".level", "DEBUG"),
                Map.entry("quarkus.log.category.\"org.jboss.resteasy.reactive.client\".level", "DEBUG"),
                Map.entry("quarkus.log.category.\"io.vertx\".level", "DEBUG"),
                Map.entry("quarkus.log.category.\"io.smallrye.faulttolerance\".level", "DEBUG"),
                Map.entry("quarkus.log.category.\"io.quarkus.rest.client\".level", "DEBUG"),
                Map.entry("quarkus.log.console.level", "INFO"),
                // The clients alone: no share of the subscriptions earlier test classes left on the topic, whose polls
                // would reach the stubs and the fake quota too.
                Map.entry("trackline.pollers.subscriptions.consume", "false"),
                Map.entry("trackline.pollers.mrspeedy.reconcile.enabled", "false"),
                Map.entry("trackline.pollers.mrspeedy.reconcile.every", "60s"),
                Map.entry("trackline.pollers.mrspeedy.reconcile.requests-per-hour", "600"),
                Map.entry("trackline.pollers.mrspeedy.reconcile.page-size", "2"));
    }
}
