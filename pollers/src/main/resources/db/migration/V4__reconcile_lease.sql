-- Which poller instance reconciles a MrSpeedy account (io.trackline.pollers.repository.ReconcileLeases). Every
-- instance runs the reconciler's tick; only the holder of an account's lease sends that account's requests, so N
-- instances reconcile an account as often as one would. A lease is taken when it is free or has expired, renewed by
-- its holder every tick, and given back when the instance stops; an instance that died loses it at expires_at.
CREATE TABLE pollers.reconcile_lease (
    account    TEXT        PRIMARY KEY,
    -- the instance holding it: a random id per start, with the host name for people reading the table
    holder     TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    taken_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
