package io.trackline.pollers.quota;

import io.trackline.events.Carrier;
import java.util.Objects;

/** One carrier account, by Trackline's account name. */
record AccountId(Carrier carrier, String account) implements Comparable<AccountId> {

    AccountId {
        Objects.requireNonNull(carrier, "carrier");
        Objects.requireNonNull(account, "account");
    }

    /** The Bucket4j row of the account's own bucket. */
    String bucketKey() {
        return "account:" + carrier.id() + ':' + account;
    }

    static String overallBucketKey(Carrier carrier) {
        return "overall:" + carrier.id();
    }

    @Override
    public int compareTo(AccountId other) {
        int byCarrier = carrier.compareTo(other.carrier);
        return byCarrier != 0 ? byCarrier : account.compareTo(other.account);
    }

    @Override
    public String toString() {
        return carrier.id() + ':' + account;
    }
}
