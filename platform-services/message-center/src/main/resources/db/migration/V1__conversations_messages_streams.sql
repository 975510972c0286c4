-- Conversations, their members and messages, and each user's delivery stream.
--
-- Rules for every migration (rolling upgrades run the previous release beside this one, against this
-- schema; MigrationRulesTest enforces them): only add. New tables, new nullable columns or columns with a
-- default, new indexes (CONCURRENTLY is not needed at this size but allowed). Never drop, rename or retype
-- in the same release that stops using something: that is a later "contract" migration, once no running
-- release reads it.

CREATE TABLE conversation (
    id          uuid        PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('DIRECT', 'GROUP')),
    title       text,
    -- the two members of a 1:1 conversation, sorted and joined: at most one 1:1 conversation per pair
    direct_key  text        UNIQUE,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- the sequence number of the newest message; sends take it under this row's lock, so numbers are
    -- gapless and committed in order
    last_seq    bigint      NOT NULL DEFAULT 0
);

CREATE TABLE conversation_member (
    conversation_id uuid        NOT NULL REFERENCES conversation (id),
    user_id         text        NOT NULL,
    joined_at       timestamptz NOT NULL DEFAULT now(),
    -- read receipt: the newest message this member has read; unread = conversation.last_seq - this
    last_read_seq   bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_member_by_user ON conversation_member (user_id, conversation_id);

-- append-only: never updated, never deleted by the service
CREATE TABLE message (
    id                uuid        PRIMARY KEY,
    conversation_id   uuid        NOT NULL REFERENCES conversation (id),
    seq               bigint      NOT NULL,
    sender_id         text        NOT NULL,
    -- the sender's own id for the message: sending it again returns the stored message
    client_message_id text        NOT NULL,
    body              text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, sender_id, client_message_id)
);

-- Each user's delivery stream: everything the user's sessions must be pushed, numbered per user without
-- gaps. A reconnecting client passes the last number it saw and is sent everything after it.
CREATE TABLE user_stream (
    user_id  text   PRIMARY KEY,
    last_seq bigint NOT NULL DEFAULT 0
);

CREATE TABLE user_event (
    user_id    text        NOT NULL,
    seq        bigint      NOT NULL,
    -- what the event refers to: 'message' (ref_id is message.id); later kinds add their own tables
    kind       text        NOT NULL,
    ref_id     uuid        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, seq)
);
