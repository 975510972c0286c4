-- The key ring tokens are signed with. The first key is the platform's generated one (from its Secret, not
-- stored here); rotation adds keys, their private part encrypted with the platform's encryption key. A retired
-- key stays published in the JWKS until every token it signed has expired.
CREATE TABLE signing_keys (
    kid                   text PRIMARY KEY,
    algorithm             text        NOT NULL,
    public_jwk            text        NOT NULL,
    private_key_encrypted text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    activated_at          timestamptz,
    retired_at            timestamptz
);
