-- Lifecycle events (EVENTS_WEBHOOK_URL), an outbox: each row is written in the same
-- transaction as the change it describes, then POSTed by a deliverer of any process, at least
-- once. `body` is the exact JSON sent (and signed), the same on every retry; `id` is the
-- event's id in it, which receivers use to drop repeats. A deliverer claims a row until
-- `claimed_until` (a crashed one's claim expires); events of one `subject` (a proposal, a
-- server's posting) go out in `seq` order.
CREATE TABLE events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    guild_id      INTEGER NOT NULL,
    subject       TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    due_at        INTEGER NOT NULL,
    claimed_by    TEXT,
    claimed_until INTEGER,
    delivered_at  INTEGER,
    last_error    TEXT
);
CREATE INDEX events_undelivered ON events (due_at) WHERE delivered_at IS NULL;
CREATE INDEX events_by_subject ON events (subject, seq);
CREATE INDEX events_delivered ON events (delivered_at) WHERE delivered_at IS NOT NULL;
