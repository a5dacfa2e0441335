-- Times are microseconds since the Unix epoch (UTC); Discord ids are stored as signed 64-bit.

CREATE TABLE guild_settings (
    guild_id   BIGINT PRIMARY KEY,
    settings   TEXT    NOT NULL,            -- JSON: {"policy": {...}, ...}
    updated_at BIGINT NOT NULL
);

CREATE TABLE proposals (
    id               BIGSERIAL PRIMARY KEY,
    guild_id         BIGINT NOT NULL,
    author_id        BIGINT NOT NULL,
    status           TEXT    NOT NULL,
    version          BIGINT NOT NULL,      -- every write is conditioned on it
    current_revision BIGINT NOT NULL,
    remote_id        TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX proposals_by_guild_status ON proposals (guild_id, status, id);
CREATE INDEX proposals_by_author ON proposals (guild_id, author_id, id);

CREATE TABLE revisions (
    proposal_id     BIGINT NOT NULL REFERENCES proposals (id),
    number          BIGINT NOT NULL,
    text            TEXT    NOT NULL,
    hash            TEXT    NOT NULL,
    review          TEXT    NOT NULL,       -- JSON of review::Review
    created_at      BIGINT NOT NULL,
    override_by     BIGINT,
    override_reason TEXT,
    override_at     BIGINT,
    PRIMARY KEY (proposal_id, number)
);

-- One standing vote per member per revision: a changed vote updates the row.
CREATE TABLE votes (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    revision    BIGINT NOT NULL,
    member_id   BIGINT NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('approve', 'request_changes')),
    reason      TEXT,
    roles       TEXT    NOT NULL,           -- JSON array of role ids at vote time
    at          BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, revision, member_id)
);

-- seq is the proposal's version after the event: two writers from the same version collide.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    guild_id    BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    action      TEXT    NOT NULL,
    revision    BIGINT NOT NULL,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    detail      TEXT,
    UNIQUE (proposal_id, seq)
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- At most one post per proposal, ever.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    proposal_id BIGINT NOT NULL UNIQUE REFERENCES proposals (id),
    guild_id    BIGINT NOT NULL,
    revision    BIGINT NOT NULL,
    text        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    attempts    BIGINT NOT NULL DEFAULT 0,
    due_at      BIGINT NOT NULL,
    claimed_by  TEXT,
    claimed_at  BIGINT,
    last_error  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX outbox_by_due ON outbox (status, due_at);

CREATE TABLE signatures (
    guild_id   BIGINT NOT NULL,
    member_id  BIGINT NOT NULL,
    signature  TEXT    NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (guild_id, member_id)
);
