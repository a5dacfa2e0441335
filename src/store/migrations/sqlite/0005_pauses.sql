-- A server whose posting is paused (/settings pause on): a row while paused. The publishing
-- worker's claim skips the outbox entries of a server found here, in the claim's own query, so
-- every process on the database stops at once and none posts until the row is gone.
CREATE TABLE guild_pauses (
    guild_id  INTEGER PRIMARY KEY,
    paused_by INTEGER NOT NULL,
    reason    TEXT,
    paused_at INTEGER NOT NULL
);

-- What happened to a server rather than to one proposal (a pause, its end), for the audit
-- export beside the proposals' own trails.
CREATE TABLE guild_audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    actor_id INTEGER,
    action   TEXT    NOT NULL,
    detail   TEXT
);
CREATE INDEX guild_audit_by_time ON guild_audit (at);
