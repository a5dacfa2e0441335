-- The account's posts per server and network: the ones the bot posted and the ones made
-- outside it, read from the networks by the timeline sync, each classified once by the review
-- engine (so the history rules cost nothing at review time), deduplicated by network and post
-- id, bounded per server and network by the sync. proposal_id: the proposal the bot posted it
-- for, when it did.
CREATE TABLE timeline_posts (
    guild_id       INTEGER NOT NULL,
    network        TEXT    NOT NULL,
    post_id        TEXT    NOT NULL,
    url            TEXT,
    text           TEXT    NOT NULL,
    posted_at      INTEGER NOT NULL,
    is_reply       INTEGER NOT NULL,
    is_broadcast   INTEGER NOT NULL,
    is_promotional INTEGER NOT NULL,
    is_relay       INTEGER NOT NULL,
    is_signed      INTEGER NOT NULL,
    proposal_id    INTEGER,
    first_seen     INTEGER NOT NULL,
    PRIMARY KEY (guild_id, network, post_id)
);
CREATE INDEX timeline_recent ON timeline_posts (guild_id, posted_at);

-- Return on influence: each post's counts at 1 hour, 1 day, 7 days, then weekly up to 30 days
-- (the checkpoint), recorded once each by the first sync after it.
CREATE TABLE engagement (
    guild_id    INTEGER NOT NULL,
    network     TEXT    NOT NULL,
    post_id     TEXT    NOT NULL,
    checkpoint  TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    replies     INTEGER NOT NULL,
    reposts     INTEGER NOT NULL,
    likes       INTEGER NOT NULL,
    quotes      INTEGER NOT NULL,
    impressions INTEGER,
    PRIMARY KEY (guild_id, network, post_id, checkpoint)
);
