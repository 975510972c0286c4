-- The LDAP/AD sync. Each run, scheduled or asked for by an admin, is a row: when, who asked, how it ended and
-- what it changed; the first skipped entries and conflicts are kept in detail for the admin to read.
CREATE TABLE ldap_sync_runs (
    id                      bigserial PRIMARY KEY,
    started_at              timestamptz NOT NULL DEFAULT now(),
    finished_at             timestamptz,
    -- 'ldap-sync' for the schedule, else the admin's id
    requested_by            text        NOT NULL,
    outcome                 text        NOT NULL DEFAULT 'running',
    people_created          integer     NOT NULL DEFAULT 0,
    people_updated          integer     NOT NULL DEFAULT 0,
    people_disabled         integer     NOT NULL DEFAULT 0,
    people_enabled          integer     NOT NULL DEFAULT 0,
    departments_created     integer     NOT NULL DEFAULT 0,
    departments_updated     integer     NOT NULL DEFAULT 0,
    departments_deactivated integer     NOT NULL DEFAULT 0,
    departments_reactivated integer     NOT NULL DEFAULT 0,
    -- entries left out (no id, a username that is no valid id, two entries with one username)
    skipped                 integer     NOT NULL DEFAULT 0,
    -- entries whose username is a local person's id: that person is left alone
    conflicts               integer     NOT NULL DEFAULT 0,
    error                   text,
    detail                  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT ldap_sync_runs_outcome CHECK (outcome IN ('running', 'succeeded', 'failed'))
);
CREATE INDEX ldap_sync_runs_started ON ldap_sync_runs (started_at);

-- People the sync disabled because they left the directory, with the disabled_at it gave them: a person who
-- comes back is enabled again only while that is still why they are disabled (not when an admin disabled
-- them since).
CREATE TABLE ldap_disabled_people (
    person_id   text PRIMARY KEY REFERENCES people (id),
    disabled_at timestamptz NOT NULL
);
