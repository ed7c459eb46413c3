package io.trackline.store.rest;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.trackline.store.config.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every resource of the query API needs a configured API key in {@value ApiConfig#HEADER}. The filter sees only
 * REST resources: /q/health, /q/metrics, /q/openapi and /q/swagger-ui are not, so they stay open.
 */
@ApplicationScoped
public class ApiKeyFilter {

    /** Request property naming the consumer the key belongs to. */
    public static final String CONSUMER = "trackline.api.consumer";

    private final ApiConfig config;

    public ApiKeyFilter(ApiConfig config) {
        this.config = config;
    }

    void announce(@Observes StartupEvent event) {
        if (config.keys().isEmpty()) {
            Log.warn("no API keys configured (trackline.api.keys.<consumer>): every query is refused");
        } else {
            Log.infof("API keys configured for consumers %s", config.keys().keySet());
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.startsWith("/api/") || path.startsWith("api/"))) {
            return Uni.createFrom().nullItem();
        }
        Optional<String> consumer = consumerOf(request.getHeaderString(ApiConfig.HEADER));
        if (consumer.isEmpty()) {
            return Uni.createFrom()
                    .item(ErrorMappers.json(
                            401, "unauthorized", "send a valid API key in the " + ApiConfig.HEADER + " header"));
        }
        request.setProperty(CONSUMER, consumer.get());
        return Uni.createFrom().nullItem();
    }

    private Optional<String> consumerOf(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        String match = null;
        // Compare with every key, in constant time each, so the answer time does not tell how close a guess was.
        for (Map.Entry<String, String> entry : config.keys().entrySet()) {
            if (MessageDigest.isEqual(given, entry.getValue().getBytes(StandardCharsets.UTF_8))) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }
}
