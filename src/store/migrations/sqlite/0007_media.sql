-- Images with alt text (issue 13). `media_uploads` keeps the bytes of an image downloaded for
-- a proposal still being written (the alt-text form may come minutes later, possibly to another
-- process): keyed by SHA-256, pruned once old. `media` is one image of one revision, in posting
-- order, with the bytes copied in, so what reviewers approved is exactly what is posted, from
-- any process sharing the database.
CREATE TABLE media_uploads (
    sha256 TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE media (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    revision INTEGER NOT NULL,
    position INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    alt TEXT,
    bytes BLOB NOT NULL,
    PRIMARY KEY (proposal_id, revision, position)
);
CREATE INDEX media_sha256 ON media (sha256);
