-- Service accounts and their announcements, departments as last seen in people's tokens, and business
-- to-dos from integrated apps. Only additions (see V1).

CREATE TABLE service_account (
    id          uuid        PRIMARY KEY,
    handle      text        NOT NULL UNIQUE,
    name        text        NOT NULL,
    description text,
    -- who may publish: a person ('USER') or an integrated app ('APP'), by token subject
    owner_kind  text        NOT NULL CHECK (owner_kind IN ('USER', 'APP')),
    owner_id    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE service_account_follower (
    service_account_id uuid        NOT NULL REFERENCES service_account (id),
    user_id            text        NOT NULL,
    followed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_account_id, user_id)
);
CREATE INDEX service_account_follower_by_user ON service_account_follower (user_id);

-- Each person's departments as the identity service last stated them in a token (claim 'departments').
-- The service keeps it current as people use it; the identity service may also write it directly.
CREATE TABLE department_member (
    department text        NOT NULL,
    user_id    text        NOT NULL,
    seen_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (department, user_id)
);
CREATE INDEX department_member_by_user ON department_member (user_id);

CREATE TABLE announcement (
    id                     uuid        PRIMARY KEY,
    service_account_id     uuid        NOT NULL REFERENCES service_account (id),
    client_announcement_id text        NOT NULL,
    title                  text        NOT NULL,
    body                   text        NOT NULL,
    to_followers           boolean     NOT NULL,
    departments            text[]      NOT NULL DEFAULT '{}',
    published_by           text        NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (service_account_id, client_announcement_id)
);

-- who received which announcement (followers and department members at publishing time), and whether
-- they read it
CREATE TABLE announcement_delivery (
    user_id         text        NOT NULL,
    announcement_id uuid        NOT NULL REFERENCES announcement (id),
    delivered_at    timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz,
    PRIMARY KEY (user_id, announcement_id)
);
CREATE INDEX announcement_delivery_unread ON announcement_delivery (user_id) WHERE read_at IS NULL;

CREATE TABLE todo (
    id          uuid        PRIMARY KEY,
    -- the app (client id) that created it; only it may complete or cancel it
    app_id      text        NOT NULL,
    -- the app's own id for it: creating it again returns the stored to-do
    external_id text        NOT NULL,
    title       text        NOT NULL,
    deep_link   text        NOT NULL,
    due_at      timestamptz,
    status      text        NOT NULL CHECK (status IN ('OPEN', 'DONE', 'CANCELLED')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    UNIQUE (app_id, external_id)
);

CREATE TABLE todo_assignee (
    todo_id uuid NOT NULL REFERENCES todo (id),
    user_id text NOT NULL,
    PRIMARY KEY (todo_id, user_id)
);
CREATE INDEX todo_assignee_by_user ON todo_assignee (user_id);
