-- Interaction ids already taken in hand, so each is processed once across every process on the
-- database: a replayed HTTP request (the same signed body again, or the same id re-signed) or
-- a gateway event delivered twice finds its id here and changes nothing. Rows are pruned once
-- older than the retention (at least 15 minutes: an interaction's token lives that long).
CREATE TABLE interactions (
    id      INTEGER PRIMARY KEY,
    seen_at INTEGER NOT NULL
);
CREATE INDEX interactions_by_time ON interactions (seen_at);
