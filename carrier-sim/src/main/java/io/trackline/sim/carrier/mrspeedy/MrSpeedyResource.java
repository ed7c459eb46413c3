package io.trackline.sim.carrier.mrspeedy;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.trackline.sim.carrier.CarrierHttp;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MrSpeedy at {@code /mrspeedy}: a poller with base URL {@code http://localhost:8090/mrspeedy/api/business/1.0} calls
 * {@code /orders} and {@code /courier} as the document shows. Any other method gets {@code invalid_api_method}.
 */
@Path("/mrspeedy/api/business/1.0")
@Blocking
public class MrSpeedyResource {

    static final String TOKEN = "X-DV-Auth-Token";

    private final MrSpeedyService service;
    private final CarrierHttp http;

    public MrSpeedyResource(MrSpeedyService service, CarrierHttp http) {
        this.service = service;
        this.http = http;
    }

    @GET
    public Uni<Response> root(@HeaderParam(TOKEN) String token, @Context UriInfo uri) {
        return call("GET", "", token, uri);
    }

    @POST
    public Uni<Response> postRoot(@HeaderParam(TOKEN) String token, @Context UriInfo uri) {
        return call("POST", "", token, uri);
    }

    @GET
    @Path("{method: .+}")
    public Uni<Response> get(
            @PathParam("method") String method, @HeaderParam(TOKEN) String token, @Context UriInfo uri) {
        return call("GET", method, token, uri);
    }

    @POST
    @Path("{method: .+}")
    public Uni<Response> post(
            @PathParam("method") String method, @HeaderParam(TOKEN) String token, @Context UriInfo uri) {
        return call("POST", method, token, uri);
    }

    private Uni<Response> call(String verb, String method, String token, UriInfo uri) {
        Map<String, String> params = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                params.putIfAbsent(name, values.get(0));
            }
        });
        return http.respond(service.call(verb, method, token, params));
    }
}
