package io.trackline.sim.carrier.express247;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.trackline.sim.carrier.CarrierHttp;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 247Express at {@code /247express}: a poller with base URL {@code http://localhost:8090/247express} calls
 * {@code /api/Order/v1/Tracking?ordercode=...&apikey=...} as the document shows.
 */
@Path("/247express/api/Order/v1/Tracking")
@Blocking
public class Express247Resource {

    private final Express247Service service;
    private final CarrierHttp http;

    public Express247Resource(Express247Service service, CarrierHttp http) {
        this.service = service;
        this.http = http;
    }

    @GET
    public Uni<Response> track(@Context UriInfo uri) {
        Map<String, String> params = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                params.putIfAbsent(name, values.get(0));
            }
        });
        return http.respond(service.track(params));
    }
}
