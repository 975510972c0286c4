-- A person's registered devices. A device is registered (pending), activated with its one-time code (it then
-- holds a device secret), and can be reported lost or revoked; tokens bound to it stop working then. The wipe
-- flag is read by the device itself with its secret.
CREATE TABLE devices (
    id                   uuid PRIMARY KEY,
    person_id            text        NOT NULL REFERENCES people (id),
    name                 text        NOT NULL,
    platform             text        NOT NULL,
    status               text        NOT NULL DEFAULT 'pending',
    activation_code_hash text,
    activation_expires_at timestamptz,
    secret_hash          text,
    wipe_requested       boolean     NOT NULL DEFAULT false,
    registered_by        text        NOT NULL,
    registered_at        timestamptz NOT NULL DEFAULT now(),
    activated_at         timestamptz,
    last_seen_at         timestamptz,
    status_changed_at    timestamptz NOT NULL DEFAULT now(),
    status_changed_by    text,
    CONSTRAINT devices_status CHECK (status IN ('pending', 'active', 'lost', 'revoked'))
);
CREATE INDEX devices_person ON devices (person_id);

-- Which authorizations (token sets) were issued to which device: revoking the device removes them.
CREATE TABLE device_authorizations (
    authorization_id varchar(100) PRIMARY KEY,
    device_id        uuid        NOT NULL REFERENCES devices (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_authorizations_device ON device_authorizations (device_id);
