-- The published apps' API routes through the gateway (/apps/{app}/**): one row per app, keyed by the app's id
-- (the app market will own an app and its versions under the same key), and the versions of its backend with
-- their weights. Migrations only add (MigrationRulesTest).
CREATE TABLE app_routes (
  app                 text PRIMARY KEY CHECK (app ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  sticky              boolean NOT NULL DEFAULT false,
  rate_requests       bigint CHECK (rate_requests > 0),
  rate_period_seconds integer CHECK (rate_period_seconds > 0),
  rate_per_caller     bigint CHECK (rate_per_caller > 0),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  updated_by          text NOT NULL
);

CREATE TABLE app_route_backends (
  app     text NOT NULL REFERENCES app_routes (app) ON DELETE CASCADE,
  version text NOT NULL CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
  url     text NOT NULL,
  weight  integer NOT NULL CHECK (weight >= 0 AND weight <= 1000000),
  PRIMARY KEY (app, version)
);
