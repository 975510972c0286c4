-- The private app market (package market): the catalogue's apps, Atrium's own and the tenant's, each with its
-- versions (submitted, approved or rejected by an administrator, rolled back) and which of them is live and which
-- is on a gray release; its icon; and the market's audit trail. The app's id is also its route's key in app_routes
-- and its OAuth client's id in identity (for the tenant's apps). Grants live in identity only. Migrations only
-- add (MigrationRulesTest).
CREATE TABLE market_apps (
  app          text PRIMARY KEY CHECK (app ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  kind         text NOT NULL CHECK (kind IN ('atrium', 'private')),
  client_id    text NOT NULL,
  status       text NOT NULL CHECK (status IN ('unlisted', 'listed', 'withdrawn')),
  live_version text,
  gray_version text,
  gray_percent integer CHECK (gray_percent BETWEEN 1 AND 99),
  icon         bytea,
  icon_type    text,
  icon_etag    text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((gray_version IS NULL) = (gray_percent IS NULL))
);

CREATE TABLE market_versions (
  app            text NOT NULL REFERENCES market_apps (app),
  version        text NOT NULL CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
  state          text NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected', 'rolled_back')),
  name_zh        text NOT NULL,
  name_en        text NOT NULL,
  description_zh text NOT NULL DEFAULT '',
  description_en text NOT NULL DEFAULT '',
  open_url       text NOT NULL,
  backend_url    text,
  client_type    text NOT NULL CHECK (client_type IN ('WEB', 'SERVICE', 'WEB_AND_SERVICE')),
  redirect_uris  text[] NOT NULL DEFAULT '{}',
  submitted_at   timestamptz NOT NULL DEFAULT now(),
  submitted_by   text NOT NULL,
  reviewed_at    timestamptz,
  reviewed_by    text,
  reason         text,
  live_from      timestamptz,
  PRIMARY KEY (app, version)
);

-- at most one version of an app waits for review at a time
CREATE UNIQUE INDEX market_versions_one_submitted ON market_versions (app) WHERE state = 'submitted';

CREATE TABLE market_audit (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  action  text NOT NULL,
  app     text NOT NULL,
  version text,
  detail  text NOT NULL DEFAULT ''
);

CREATE INDEX market_audit_app ON market_audit (app, id);
