-- What the pollers remember of each subscription between look-ups (io.trackline.pollers.service.PollState), so that
-- the next owner of its partition of trackline.subscriptions.v1 (after a rebalance or a restart) goes on where the
-- previous one stopped. Every write is a compare-and-set on version: a look-up is made only after its row was
-- claimed that way, so two instances never poll one subscription for the same turn.
CREATE TABLE pollers.poll_state (
    shipment_id        TEXT        PRIMARY KEY,
    -- the subscription's subscribedAt as this row knew it: a later one is a new subscription and ends a retirement
    subscribed_at      TIMESTAMPTZ NOT NULL,
    -- the last look-up the carrier answered (tracking, not found, refused); null before the first
    last_polled_at     TIMESTAMPTZ,
    -- its outcome: tracked, not_found, foreign, invalid_request, carrier_error, publish_failed
    last_outcome       TEXT,
    -- ContentDigest (sha-256:<hex>) of the last answer published to trackline.raw.v1
    last_digest        TEXT,
    -- when a look-up last found the answer changed (and published it)
    last_changed_at    TIMESTAMPTZ,
    -- not polled before this: backing off after misses or errors
    next_due           TIMESTAMPTZ,
    -- not-found or refused answers in a row, and when the first of them came
    consecutive_misses INTEGER     NOT NULL DEFAULT 0 CHECK (consecutive_misses >= 0),
    first_miss_at      TIMESTAMPTZ,
    consecutive_errors INTEGER     NOT NULL DEFAULT 0 CHECK (consecutive_errors >= 0),
    -- why it is no longer polled (null while it is)
    retired_reason     TEXT        CHECK (retired_reason IN ('final_status', 'max_age', 'not_found', 'rejected')),
    retired_at         TIMESTAMPTZ,
    version            BIGINT      NOT NULL DEFAULT 0,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((retired_reason IS NULL) = (retired_at IS NULL))
);

-- Operators: what was retired and why.
CREATE INDEX poll_state_retired ON pollers.poll_state (retired_reason, retired_at) WHERE retired_reason IS NOT NULL;
