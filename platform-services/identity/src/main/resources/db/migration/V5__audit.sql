-- What people and admins did that matters: who, what, when, from where, and how it ended. Never a password,
-- a token or a secret.
CREATE TABLE audit_events (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text        NOT NULL,
    action     text        NOT NULL,
    target     text,
    outcome    text        NOT NULL,
    source_ip  text,
    user_agent text,
    detail     jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_actor ON audit_events (actor, at);
CREATE INDEX audit_events_target ON audit_events (target, at);
