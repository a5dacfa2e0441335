-- Times are microseconds since the Unix epoch (UTC); Discord ids are stored as signed 64-bit.

CREATE TABLE guild_settings (
    guild_id   INTEGER PRIMARY KEY,
    settings   TEXT    NOT NULL,            -- JSON: {"policy": {...}, ...}
    updated_at INTEGER NOT NULL
);

CREATE TABLE proposals (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    author_id        INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    version          INTEGER NOT NULL,      -- every write is conditioned on it
    current_revision INTEGER NOT NULL,
    remote_id        TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX proposals_by_guild_status ON proposals (guild_id, status, id);
CREATE INDEX proposals_by_author ON proposals (guild_id, author_id, id);

CREATE TABLE revisions (
    proposal_id     INTEGER NOT NULL REFERENCES proposals (id),
    number          INTEGER NOT NULL,
    text            TEXT    NOT NULL,
    hash            TEXT    NOT NULL,
    review          TEXT    NOT NULL,       -- JSON of review::Review
    created_at      INTEGER NOT NULL,
    override_by     INTEGER,
    override_reason TEXT,
    override_at     INTEGER,
    PRIMARY KEY (proposal_id, number)
);

-- One standing vote per member per revision: a changed vote updates the row.
CREATE TABLE votes (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    revision    INTEGER NOT NULL,
    member_id   INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('approve', 'request_changes')),
    reason      TEXT,
    roles       TEXT    NOT NULL,           -- JSON array of role ids at vote time
    at          INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, revision, member_id)
);

-- seq is the proposal's version after the event: two writers from the same version collide.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    guild_id    INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    INTEGER,
    action      TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    detail      TEXT,
    UNIQUE (proposal_id, seq)
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- At most one post per proposal, ever.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL UNIQUE REFERENCES proposals (id),
    guild_id    INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    due_at      INTEGER NOT NULL,
    claimed_by  TEXT,
    claimed_at  INTEGER,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX outbox_by_due ON outbox (status, due_at);

CREATE TABLE signatures (
    guild_id   INTEGER NOT NULL,
    member_id  INTEGER NOT NULL,
    signature  TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, member_id)
);
