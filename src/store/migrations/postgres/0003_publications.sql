-- Where each approved proposal stands on each network it goes to. The key (Bluesky's record
-- key, Mastodon's Idempotency-Key) is chosen and committed here BEFORE the request is sent, and
-- the row is marked 'sending' before the request too: after a crash, 'sending' means "maybe
-- posted", and the worker looks the post up by that key instead of sending again.
CREATE TABLE publications (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    network     TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'posted', 'failed', 'unknown')),
    key         TEXT    NOT NULL,
    remote_id   TEXT,
    url         TEXT,
    attempts    BIGINT NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, network)
);

-- When a proposal is to be posted (/submit ... when:): not before, and not late.
CREATE TABLE schedules (
    proposal_id  BIGINT PRIMARY KEY REFERENCES proposals (id),
    scheduled_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX schedules_by_time ON schedules (scheduled_at);
