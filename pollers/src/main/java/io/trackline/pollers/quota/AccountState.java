package io.trackline.pollers.quota;

import java.time.Instant;
import java.util.Optional;

/**
 * What the carrier said about an account, as stored in {@code pollers.quota_account}.
 *
 * @param stoppedCredential the fingerprint of the credential that was refused ({@link AccountCredentials})
 */
record AccountState(
        AccountId id,
        Instant coolDownUntil,
        String coolDownReason,
        Instant stoppedAt,
        String stopReason,
        String stoppedCredential) {

    boolean coolingDownAt(Instant now) {
        return coolDownUntil != null && now.isBefore(coolDownUntil);
    }

    boolean stopped() {
        return stoppedAt != null;
    }

    /** Stopped for the credential the account has now; a stop of an earlier credential no longer holds. */
    boolean stoppedFor(String credentialFingerprint) {
        return stopped() && credentialFingerprint.equals(stoppedCredential);
    }

    Optional<Instant> coolDownEnd(Instant now) {
        return coolingDownAt(now) ? Optional.of(coolDownUntil) : Optional.empty();
    }
}
