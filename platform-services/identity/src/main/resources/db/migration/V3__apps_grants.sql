-- Apps: every app is an OAuth client (oauth2_registered_client); this is what identity knows beyond the
-- protocol. 'platform' apps are the platform's own services, kept in line with the spec at every start;
-- 'tenant' apps are registered through the admin API (the webos app market).
CREATE TABLE apps (
    client_id   varchar(100) PRIMARY KEY,
    name        text        NOT NULL,
    managed_by  text        NOT NULL,
    -- restricted apps issue tokens to granted people only; the platform's own apps are open to every active person
    restricted  boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT apps_managed_by CHECK (managed_by IN ('platform', 'tenant'))
);

-- Who may use which app: people and departments (a department's grant covers its sub-departments).
CREATE TABLE app_grants (
    client_id    varchar(100) NOT NULL REFERENCES apps (client_id),
    subject_kind text         NOT NULL,
    subject_id   text         NOT NULL,
    granted_by   text         NOT NULL,
    granted_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, subject_kind, subject_id),
    CONSTRAINT app_grants_subject_kind CHECK (subject_kind IN ('person', 'department'))
);
CREATE INDEX app_grants_subject ON app_grants (subject_kind, subject_id);
