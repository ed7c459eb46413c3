package io.trackline.http.api;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST resource under {@code /api/} needs a configured API key ({@link ApiConfig#keys()}) in
 * {@value ApiConfig#HEADER}, unknown paths included, so that an unauthenticated caller learns nothing about what
 * exists. The filter sees only REST resources: /q/health, /q/metrics, /q/openapi and /q/swagger-ui are not, so they
 * stay open. A service opts in at build time with {@code trackline.http.api-keys=required}
 * ({@link ApiConfig#REQUIRED_PROPERTY}); the others have no such filter.
 */
@ApplicationScoped
@IfBuildProperty(name = ApiConfig.REQUIRED_PROPERTY, stringValue = "required")
public class ApiKeyFilter {

    /** Request property naming the consumer the key belongs to. */
    public static final String CONSUMER = "trackline.api.consumer";

    static final String UNAUTHORIZED_JSON =
            "{\"code\":\"unauthorized\",\"message\":\"send a valid API key in the " + ApiConfig.HEADER + " header\"}";

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);

    private final ApiConfig config;

    public ApiKeyFilter(ApiConfig config) {
        this.config = config;
    }

    void announce(@Observes StartupEvent event) {
        if (config.keys().isEmpty()) {
            LOG.warn("no API keys configured (trackline.api.keys.<consumer>): every /api request is refused");
        } else {
            LOG.infof("API keys configured for consumers %s", config.keys().keySet());
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.startsWith("/api/") || path.startsWith("api/"))) {
            return Uni.createFrom().nullItem();
        }
        Optional<String> consumer = consumerOf(config.keys(), request.getHeaderString(ApiConfig.HEADER));
        if (consumer.isEmpty()) {
            return Uni.createFrom()
                    .item(Response.status(401)
                            .type(MediaType.APPLICATION_JSON_TYPE)
                            .entity(UNAUTHORIZED_JSON)
                            .build());
        }
        request.setProperty(CONSUMER, consumer.get());
        return Uni.createFrom().nullItem();
    }

    /** The consumer whose key {@code key} is, if any. */
    static Optional<String> consumerOf(Map<String, String> keys, String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        String match = null;
        // Compare with every key, in constant time each, so the answer time does not tell how close a guess was.
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            if (MessageDigest.isEqual(given, entry.getValue().getBytes(StandardCharsets.UTF_8))) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }
}
