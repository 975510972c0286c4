-- Federation across tenants: the outbox of messages to peer platforms, what peers delivered here (for
-- de-duplication) and the federation tokens already used (against replay). Only additions (see V1).

-- Written in the same transaction as the send, so a message to a remote person is either stored and queued
-- or neither. The relay delivers each peer's rows in id order and marks them delivered; a peer outage leaves
-- them here until it answers again.
CREATE TABLE federation_outbox (
    id              bigserial   PRIMARY KEY,
    -- the peer platform (trust-list name) the row goes to
    peer            text        NOT NULL,
    message_id      uuid        NOT NULL REFERENCES message (id),
    -- the JSON body sent to the peer's federation endpoint
    payload         text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    delivered_at    timestamptz,
    -- the peer refused the payload itself (4xx other than authentication): kept, never retried
    dead_at         timestamptz
);
CREATE INDEX federation_outbox_pending ON federation_outbox (peer, id) WHERE delivered_at IS NULL AND dead_at IS NULL;

-- Messages received from peers: one row per (origin platform, the origin's message id), so a delivery the
-- relay repeats (its acknowledgement was lost) stores nothing the second time.
CREATE TABLE federated_message (
    origin            text        NOT NULL,
    origin_message_id uuid        NOT NULL,
    message_id        uuid        NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (origin, origin_message_id)
);

-- Token ids (jti) of federation requests already accepted, until they expire: the same signed request sent
-- twice is refused.
CREATE TABLE federation_token (
    jti        text        PRIMARY KEY,
    origin     text        NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX federation_token_expiry ON federation_token (expires_at);
