-- The pollers' quota, shared by every poller instance and kept across restarts (io.trackline.pollers.quota).

-- Bucket4j's token buckets (PostgreSQLadvisoryLockBasedProxyManager): one row per bucket, the serialized state and
-- configuration in `state`. Ids: 'account:<carrier>:<account>' (per-minute and daily bandwidths of one account),
-- 'overall:<carrier>' (247Express's limit over all keys). Each change runs in a transaction under
-- pg_advisory_xact_lock of the id's hash, so instances never overdraw a bucket.
CREATE TABLE pollers.quota_bucket (
    id    VARCHAR(300) PRIMARY KEY,
    state BYTEA        NOT NULL
);

-- What the carriers said about an account: a cool-down (429 with Retry-After, 247Express APIKEY_LIMIT, MrSpeedy
-- requests_limit_exceeded) until a time on the pollers' clock, and a stop (401, unknown or revoked credential) that
-- holds while the account's credential is the one that was refused (stopped_credential: a fingerprint, never the
-- credential) or until an operator clears it.
CREATE TABLE pollers.quota_account (
    carrier            VARCHAR(32)  NOT NULL,
    account            VARCHAR(200) NOT NULL,
    cool_down_until    TIMESTAMPTZ,
    cool_down_reason   VARCHAR(200),
    stopped_at         TIMESTAMPTZ,
    stop_reason        VARCHAR(200),
    stopped_credential VARCHAR(64),
    updated_at         TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (carrier, account),
    CHECK ((stopped_at IS NULL) = (stop_reason IS NULL))
);
