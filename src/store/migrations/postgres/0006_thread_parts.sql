-- Conversations and threads. What a revision answers, quotes or reposts (JSON of
-- workflow::Conversation; NULL for a post of its own) is part of what reviewers approve, and
-- travels to the outbox with the text.
ALTER TABLE revisions ADD COLUMN conversation TEXT;
ALTER TABLE outbox ADD COLUMN conversation TEXT;

-- Threads: each part of a thread is a publication of its own on each network, fenced and keyed
-- like a whole tweet was, so a crash between two parts never sends one twice. A single tweet is
-- part 0. `remote_cid` is what Bluesky needs beside the post's URI to reply to it.
ALTER TABLE publications ADD COLUMN part BIGINT NOT NULL DEFAULT 0;
ALTER TABLE publications ADD COLUMN remote_cid TEXT;
ALTER TABLE publications DROP CONSTRAINT publications_pkey;
ALTER TABLE publications ADD PRIMARY KEY (proposal_id, network, part);
