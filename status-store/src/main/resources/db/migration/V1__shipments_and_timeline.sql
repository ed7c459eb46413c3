-- Each shipment's current state, decided by event time (see docs/status-rules.md).
CREATE TABLE shipment (
    id               TEXT PRIMARY KEY,            -- carrier:account:reference
    carrier          TEXT        NOT NULL,
    account          TEXT        NOT NULL,
    reference        TEXT        NOT NULL,
    references_json  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    status           TEXT        NOT NULL,
    reason           TEXT,
    last_event_id    TEXT        NOT NULL,
    last_event_at    TIMESTAMPTZ NOT NULL,
    last_event_rank  SMALLINT    NOT NULL,         -- breaks ties between events of the same instant
    eta              TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX shipment_carrier_reference_idx ON shipment (carrier, reference);
CREATE INDEX shipment_updated_idx ON shipment (updated_at, id);
CREATE INDEX shipment_status_updated_idx ON shipment (status, updated_at, id);

-- Every canonical event once (event_id is the CloudEvent id); the full event is kept as sent.
CREATE TABLE timeline_event (
    event_id     TEXT PRIMARY KEY,
    shipment_id  TEXT        NOT NULL,            -- written in the same transaction as its shipment row
    status       TEXT        NOT NULL,
    reason       TEXT,
    occurred_at  TIMESTAMPTZ NOT NULL,
    raw_code     TEXT,
    source       TEXT        NOT NULL,
    event_json   JSONB       NOT NULL,
    stored_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX timeline_event_shipment_idx ON timeline_event (shipment_id, occurred_at, event_id);
