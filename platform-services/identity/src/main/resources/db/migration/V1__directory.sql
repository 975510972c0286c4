-- The directory: departments (a tree) and people. Rows are never deleted by the service: a person who
-- leaves, or who disappears from the company's LDAP, is disabled, so history that names them stays.
CREATE TABLE departments (
    id          text PRIMARY KEY,
    name        text        NOT NULL,
    parent_id   text REFERENCES departments (id),
    -- where the department comes from: 'local' (the admin API) or 'ldap' (the sync)
    source      text        NOT NULL DEFAULT 'local',
    -- the source's stable id (LDAP entryUUID / objectGUID); null for local departments
    external_id text,
    -- the source's name for it (LDAP DN), for people to read
    external_dn text,
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT departments_source CHECK (source IN ('local', 'ldap')),
    CONSTRAINT departments_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX departments_external ON departments (source, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX departments_parent ON departments (parent_id);

CREATE TABLE people (
    -- the login name and the tokens' subject: lower case, never an '@' (which marks other platforms' people)
    id              text PRIMARY KEY,
    display_name    text        NOT NULL,
    email           text,
    phone           text,
    -- 'active' people sign in; 'disabled' people (left the company, removed from LDAP, or switched off) cannot
    status          text        NOT NULL DEFAULT 'active',
    admin           boolean     NOT NULL DEFAULT false,
    source          text        NOT NULL DEFAULT 'local',
    external_id     text,
    external_dn     text,
    -- Argon2id in Spring Security's encoded form; null for people who sign in against the directory (LDAP bind)
    password_hash   text,
    failed_logins   integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    -- TOTP second factor: the secret, encrypted with the platform's encryption key; enabled once confirmed
    totp_secret     text,
    totp_enabled    boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    disabled_at     timestamptz,
    CONSTRAINT people_id_form CHECK (id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    CONSTRAINT people_status CHECK (status IN ('active', 'disabled')),
    CONSTRAINT people_source CHECK (source IN ('local', 'ldap'))
);
CREATE UNIQUE INDEX people_external ON people (source, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE person_departments (
    person_id     text NOT NULL REFERENCES people (id),
    department_id text NOT NULL REFERENCES departments (id),
    PRIMARY KEY (person_id, department_id)
);
CREATE INDEX person_departments_department ON person_departments (department_id);
