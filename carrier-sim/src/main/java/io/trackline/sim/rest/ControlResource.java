package io.trackline.sim.rest;

import io.trackline.sim.service.SimException;
import io.trackline.sim.service.TruthService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Shipments on demand, the simulated clock and the noise. */
@Path("/sim")
@Produces(MediaType.APPLICATION_JSON)
public class ControlResource {

    private final TruthService truth;

    public ControlResource(TruthService truth) {
        this.truth = truth;
    }

    /** {@code {"carrier": "all24", "account": "demo", "scenario": "delivered"}}; account and scenario optional. */
    public record NewShipment(String carrier, String account, String scenario) {}

    @POST
    @Path("shipments")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewShipment request) {
        if (request == null) {
            throw new SimException(
                    400, "invalid_shipment", "send {\"carrier\": ..., \"account\": ..., \"scenario\": ...}");
        }
        TruthService.ShipmentView shipment = truth.create(request.carrier(), request.account(), request.scenario());
        return Response.created(URI.create("/sim/shipments/" + shipment.carrier() + "/" + shipment.reference()))
                .entity(shipment)
                .build();
    }

    @GET
    @Path("shipments")
    public TruthService.ShipmentsView shipments(
            @QueryParam("carrier") String carrier,
            @QueryParam("account") String account,
            @QueryParam("since") @DefaultValue("0") long since,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        return truth.shipments(carrier, account, since, limit);
    }

    @GET
    @Path("shipments/{carrier}/{reference}")
    public TruthService.ShipmentView shipment(
            @PathParam("carrier") String carrier, @PathParam("reference") String reference) {
        return truth.shipment(carrier, reference);
    }

    @GET
    @Path("clock")
    public TruthService.ClockView clock() {
        return truth.clock();
    }

    @POST
    @Path("clock/advance")
    public TruthService.ClockView advance(@QueryParam("by") String by) {
        Duration duration;
        try {
            duration = by == null ? null : Duration.parse(by);
        } catch (DateTimeParseException e) {
            duration = null;
        }
        return truth.advance(duration);
    }

    @GET
    @Path("noise")
    public TruthService.NoiseView noise() {
        return truth.noise();
    }

    @PUT
    @Path("noise")
    @Consumes(MediaType.APPLICATION_JSON)
    public TruthService.NoiseView noise(TruthService.NoiseView update) {
        if (update == null) {
            throw new SimException(400, "invalid_noise", "send the noise settings as GET /sim/noise shows them");
        }
        return truth.noise(update);
    }
}
