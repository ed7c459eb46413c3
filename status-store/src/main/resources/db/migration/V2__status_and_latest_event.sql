-- V1's last_event_* columns describe the event the current status comes from; name them so, and keep the
-- latest event of the timeline (by event time) beside them. Both are needed: an event can be newer than the
-- status event yet not move the status (a final status holds), and a late event must be compared with the
-- latest one to know whether the status has to be decided again from the whole timeline (docs/status-rules.md).
ALTER TABLE shipment RENAME COLUMN last_event_id TO status_event_id;
ALTER TABLE shipment RENAME COLUMN last_event_at TO status_event_at;
ALTER TABLE shipment RENAME COLUMN last_event_rank TO status_event_rank;

ALTER TABLE shipment ADD COLUMN last_event_id TEXT;
ALTER TABLE shipment ADD COLUMN last_event_at TIMESTAMPTZ;
ALTER TABLE shipment ADD COLUMN last_event_rank SMALLINT;
UPDATE shipment SET last_event_id = status_event_id, last_event_at = status_event_at,
                    last_event_rank = status_event_rank;
ALTER TABLE shipment ALTER COLUMN last_event_id SET NOT NULL;
ALTER TABLE shipment ALTER COLUMN last_event_at SET NOT NULL;
ALTER TABLE shipment ALTER COLUMN last_event_rank SET NOT NULL;

-- Keyset pages of GET /api/v1/shipments walk (updated_at, id); one index per filter combination served.
CREATE INDEX shipment_carrier_updated_idx ON shipment (carrier, updated_at, id);
CREATE INDEX shipment_carrier_account_updated_idx ON shipment (carrier, account, updated_at, id);
