-- Where each proposal's review card is, so the bot can edit it when something happens that is
-- not a click on it (a post, a failure, an expiry, a /settings change) and link to it.
CREATE TABLE cards (
    proposal_id BIGINT PRIMARY KEY REFERENCES proposals (id),
    channel_id  BIGINT NOT NULL,
    message_id  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
