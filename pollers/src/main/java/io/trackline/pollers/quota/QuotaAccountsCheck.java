package io.trackline.pollers.quota;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Names the stopped accounts (a 401, a revoked key) and those cooling down, in {@code /q/health} and
 * {@code /q/health/well}. DOWN while an account is stopped: someone must replace its credential. A wellness check,
 * not readiness: every instance shares the stop, so readiness DOWN would take all of them out of service while the
 * other accounts, and the subscriptions API, work; a restart does not mend a revoked key either, so it is no liveness
 * check. Cool-downs are the quota working as meant: listed, still UP.
 */
@Wellness
@ApplicationScoped
public class QuotaAccountsCheck implements HealthCheck {

    public static final String NAME = "trackline-pollers-quota";

    private final BucketQuota quota;

    public QuotaAccountsCheck(BucketQuota quota) {
        this.quota = quota;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named(NAME);
        Map<String, List<AccountState>> held;
        try {
            held = quota.heldAccounts();
        } catch (RuntimeException e) {
            return answer.down()
                    .withData("error", "PostgreSQL did not answer: " + e.getMessage())
                    .build();
        }
        List<AccountState> stopped = held.get("stopped");
        List<AccountState> cooling = held.get("cooling-down");
        answer.withData("stopped", names(stopped)).withData("cooling-down", names(cooling));
        for (AccountState s : stopped) {
            answer.withData(s.id() + " stopped", s.stopReason() + " since " + s.stoppedAt());
        }
        for (AccountState s : cooling) {
            answer.withData(s.id() + " cools down", s.coolDownReason() + " until " + s.coolDownUntil());
        }
        return answer.status(stopped.isEmpty()).build();
    }

    private static String names(List<AccountState> states) {
        return states.stream().map(s -> s.id().toString()).collect(Collectors.joining(","));
    }
}
