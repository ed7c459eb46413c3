package io.trackline.store.rest;

import io.smallrye.mutiny.Uni;
import io.trackline.store.service.ShipmentService;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Looks the shipment up before an {@link ExistingShipment} method runs. An SSE method answers 200 and starts its
 * stream before its first item, so a shipment that is not there (or a parameter that is wrong) would be an empty
 * 200 stream: here it is the same 404, 409 or 400 JSON error as the other endpoints give.
 */
public class ExistingShipmentFilter {

    private final ShipmentService service;

    public ExistingShipmentFilter(ShipmentService service) {
        this.service = service;
    }

    @ServerRequestFilter
    @ExistingShipment
    public Uni<Response> requireShipment(UriInfo uri) {
        MultivaluedMap<String, String> path = uri.getPathParameters();
        return service.find(path.getFirst("carrier"), path.getFirst("reference"), uri.getQueryParameters())
                .map(found -> (Response) null); // found: on to the method
    }
}
