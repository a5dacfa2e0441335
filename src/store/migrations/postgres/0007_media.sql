-- Images with alt text (issue 13). `media_uploads` keeps the bytes of an image downloaded for
-- a proposal still being written (the alt-text form may come minutes later, possibly to another
-- process): keyed by SHA-256, pruned once old. `media` is one image of one revision, in posting
-- order, with the bytes copied in, so what reviewers approved is exactly what is posted, from
-- any process sharing the database.
CREATE TABLE media_uploads (
    sha256 TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE media (
    proposal_id BIGINT NOT NULL REFERENCES proposals(id),
    revision BIGINT NOT NULL,
    position BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    alt TEXT,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (proposal_id, revision, position)
);
CREATE INDEX media_sha256 ON media (sha256);
