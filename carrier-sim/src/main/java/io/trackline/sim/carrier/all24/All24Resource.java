package io.trackline.sim.carrier.all24;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.trackline.sim.carrier.CarrierHttp;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * all24 at {@code /all24}: a poller with base URL {@code http://localhost:8090/all24} calls
 * {@code /v1/tracking/orders} as the document shows, by GET with a query or by the form POST of its curl example.
 */
@Path("/all24/v1/tracking/orders")
@Blocking
public class All24Resource {

    private final All24Service service;
    private final CarrierHttp http;

    public All24Resource(All24Service service, CarrierHttp http) {
        this.service = service;
        this.http = http;
    }

    @GET
    public Uni<Response> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        return http.respond(service.track(
                "GET /v1/tracking/orders", authorization, firstValues(uri.getQueryParameters(), Map.of())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> post(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo uri,
            MultivaluedMap<String, String> form) {
        return http.respond(
                service.track("POST /v1/tracking/orders", authorization, firstValues(uri.getQueryParameters(), form)));
    }

    /** Form values win over query values of the same name. */
    private static Map<String, String> firstValues(
            MultivaluedMap<String, String> query, Map<String, List<String>> form) {
        Map<String, String> params = new HashMap<>();
        query.forEach((name, values) -> {
            if (!values.isEmpty()) {
                params.put(name, values.get(0));
            }
        });
        form.forEach((name, values) -> {
            if (!values.isEmpty()) {
                params.put(name, values.get(0));
            }
        });
        return params;
    }
}
