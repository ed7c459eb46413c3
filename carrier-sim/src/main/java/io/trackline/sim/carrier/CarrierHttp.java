package io.trackline.sim.carrier;

import io.smallrye.mutiny.Uni;
import io.trackline.sim.service.NoiseService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/** Turns a carrier's answer into the HTTP response, held back when the noise makes this answer slow. */
@ApplicationScoped
public class CarrierHttp {

    public static final String JSON = "application/json; charset=utf-8";

    private final NoiseService noise;

    public CarrierHttp(NoiseService noise) {
        this.noise = noise;
    }

    public Uni<Response> respond(CarrierAnswer answer) {
        Response.ResponseBuilder response =
                Response.status(answer.status()).entity(answer.body()).type(JSON);
        answer.headers().forEach(response::header);
        Uni<Response> now = Uni.createFrom().item(response.build());
        Duration delay = noise.delay();
        return delay.isZero() ? now : now.onItem().delayIt().by(delay);
    }
}
