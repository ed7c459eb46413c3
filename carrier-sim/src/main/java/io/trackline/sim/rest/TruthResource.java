package io.trackline.sim.rest;

import io.trackline.sim.service.TruthService;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The referee: ground truth of changes, requests, quotas and callbacks, for tests and benchmarks. */
@Path("/sim/truth")
@Produces(MediaType.APPLICATION_JSON)
public class TruthResource {

    private final TruthService truth;

    public TruthResource(TruthService truth) {
        this.truth = truth;
    }

    @GET
    @Path("changes")
    public TruthService.ChangesView changes(
            @QueryParam("carrier") String carrier,
            @QueryParam("account") String account,
            @QueryParam("reference") String reference,
            @QueryParam("since") @DefaultValue("0") long since,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        return truth.changes(carrier, account, reference, since, limit);
    }

    @GET
    @Path("requests")
    public TruthService.RequestsView requests(@QueryParam("carrier") String carrier) {
        return truth.requests(carrier);
    }

    @GET
    @Path("quota")
    public TruthService.QuotasView quota(@QueryParam("carrier") String carrier) {
        return truth.quotas(carrier);
    }

    @GET
    @Path("callbacks")
    public TruthService.CallbacksView callbacks(
            @QueryParam("account") String account,
            @QueryParam("since") @DefaultValue("0") long since,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        return truth.callbacks(account, since, limit);
    }

    @GET
    @Path("summary")
    public TruthService.SummaryView summary() {
        return truth.summary();
    }
}
