-- Conversations and threads. What a revision answers, quotes or reposts (JSON of
-- workflow::Conversation; NULL for a post of its own) is part of what reviewers approve, and
-- travels to the outbox with the text.
ALTER TABLE revisions ADD COLUMN conversation TEXT;
ALTER TABLE outbox ADD COLUMN conversation TEXT;

-- Threads: each part of a thread is a publication of its own on each network, fenced and keyed
-- like a whole tweet was, so a crash between two parts never sends one twice. A single tweet is
-- part 0. `remote_cid` is what Bluesky needs beside the post's URI to reply to it.
CREATE TABLE publications_new (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    network     TEXT    NOT NULL,
    part        INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'posted', 'failed', 'unknown')),
    key         TEXT    NOT NULL,
    remote_id   TEXT,
    remote_cid  TEXT,
    url         TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, network, part)
);
INSERT INTO publications_new (proposal_id, network, part, status, key, remote_id, url, attempts,
                              last_error, created_at, updated_at)
    SELECT proposal_id, network, 0, status, key, remote_id, url, attempts, last_error, created_at,
           updated_at FROM publications;
DROP TABLE publications;
ALTER TABLE publications_new RENAME TO publications;
