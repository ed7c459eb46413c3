-- The pollers' own schema (quarkus.flyway.schemas=pollers): its Flyway history never meets status-store's.

-- Subscriptions as the compacted topic trackline.subscriptions.v1 holds them, for the API to read (GET) and for
-- operators. The topic is the truth; a row reflects the record at (record_partition, record_offset) and is only
-- ever replaced by a record further on, so a consumer that re-reads the topic from the beginning (every
-- assignment does) never puts an older state back. A tombstone keeps its row, marked deleted_at, for the same
-- reason: the subscription record before it must not bring the subscription back when it is re-read.
CREATE TABLE pollers.subscription (
    shipment_id      TEXT        PRIMARY KEY,
    carrier          TEXT        NOT NULL,
    account          TEXT        NOT NULL,
    reference        TEXT        NOT NULL,
    customer_id      TEXT,
    subscribed_at    TIMESTAMPTZ NOT NULL,
    deleted_at       TIMESTAMPTZ,
    record_partition INTEGER     NOT NULL,
    record_offset    BIGINT      NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

-- GET /api/v1/subscriptions/{carrier}/{reference} without ?account=
CREATE INDEX subscription_by_reference ON pollers.subscription (carrier, reference) WHERE deleted_at IS NULL;

-- The latest canonical status of every shipment seen on trackline.events.v1, subscribed or not.
CREATE TABLE pollers.shipment_status (
    shipment_id      TEXT        PRIMARY KEY,
    carrier          TEXT        NOT NULL,
    account          TEXT        NOT NULL,
    reference        TEXT        NOT NULL,
    -- all24: the shipment id under the third party's tracking number, which a subscription with customer_id names
    -- (the events are keyed by all24's own number)
    alias_id         TEXT,
    status           TEXT        NOT NULL,
    is_final         BOOLEAN     NOT NULL,
    -- when the shipment entered status (the occurredAt of the event that moved it there)
    status_since     TIMESTAMPTZ NOT NULL,
    -- the newest event: the one that decides status
    last_occurred_at TIMESTAMPTZ NOT NULL,
    last_event_id    TEXT        NOT NULL,
    -- when the newest event reached the pollers
    last_event_at    TIMESTAMPTZ NOT NULL,
    eta              TIMESTAMPTZ
);

CREATE INDEX shipment_status_by_alias ON pollers.shipment_status (alias_id) WHERE alias_id IS NOT NULL;

-- ShipmentStatuses.notFinal: one account's open shipments, oldest news first.
CREATE INDEX shipment_status_open ON pollers.shipment_status (carrier, account, last_event_at) WHERE NOT is_final;
