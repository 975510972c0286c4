#!/bin/sh
# Makes the roles and databases match the environment on the leader: /usr/local/bin/atrium-postgresql-roles
# in Atrium's PostgreSQL image. Patroni runs it as post_bootstrap (one argument, a connection string: the new
# cluster's first start) and as the on_start and on_role_change callbacks (action, role, scope): on every start
# of a leader and after every promotion, so that a new service's database appears and passwords follow the
# Secret whichever pod leads. On a replica it does nothing. docs/images/postgresql.md.
#
# Environment (the pod's, through Patroni):
#   ATRIUM_DATABASES             the databases, comma-separated, all owned by the application user
#   ATRIUM_APP_USER              the application user
#   POSTGRES_PASSWORD            the superuser's (postgres) password
#   ATRIUM_REPLICATION_PASSWORD  the replication user's (replicator) password; it also runs pg_rewind
#   ATRIUM_APP_PASSWORD          the application user's password
#   ATRIUM_SYNCHRONOUS           true or false: the cluster's synchronous_mode is set to it
#   ATRIUM_PATRONI_CONFIG        Patroni's configuration file (for patronictl)
#   PGPORT, ATRIUM_RUN_DIR       the port and the socket's directory (5432, /var/run/postgresql)
set -eu

log() { printf 'atrium-postgresql-roles: %s\n' "$*" >&2; }

case $# in
  1) what=post_bootstrap ;;
  3) what=$1
     case $2 in
       master | primary) ;;
       *) exit 0 ;;  # a replica: the leader does it
     esac ;;
  *) log "usage: $0 CONNSTRING | $0 ACTION ROLE SCOPE"; exit 2 ;;
esac
for v in POSTGRES_PASSWORD ATRIUM_REPLICATION_PASSWORD ATRIUM_APP_PASSWORD ATRIUM_APP_USER ATRIUM_DATABASES; do
  eval "[ -n \"\${$v:-}\" ]" || { log "error: $v is not set"; exit 1; }
done
export PGHOST="${ATRIUM_RUN_DIR:-/var/run/postgresql}" PGPORT="${PGPORT:-5432}" PGUSER=postgres PGDATABASE=postgres
psql() { command psql --no-psqlrc --quiet --no-align --tuples-only "$@"; }

# after a promotion Patroni calls this at once: wait (a minute at most) until the server takes writes
tries=0
until [ "$(psql --command='SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { log "error: the server is not a writable primary after 60 s ($what)"; exit 1; }
  sleep 1
done

# The values reach SQL through psql's \getenv and :'var' quoting: never on a command line, never interpolated.
# synchronous_commit=local: the set-up never waits for a standby that is not there.
psql >&2 <<'SQL'
\set ON_ERROR_STOP on
SET synchronous_commit = local;
\getenv superuser_password POSTGRES_PASSWORD
\getenv replication_password ATRIUM_REPLICATION_PASSWORD
\getenv app_user ATRIUM_APP_USER
\getenv app_password ATRIUM_APP_PASSWORD
\getenv databases ATRIUM_DATABASES
ALTER ROLE postgres WITH PASSWORD :'superuser_password';
SELECT 'CREATE ROLE replicator' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') \gexec
ALTER ROLE replicator WITH LOGIN REPLICATION NOSUPERUSER PASSWORD :'replication_password';
-- pg_rewind connects as the replication user: what it reads of the leader's data directory
GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO replicator;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO replicator;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO replicator;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO replicator;
SELECT format('CREATE ROLE %I', :'app_user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
ALTER ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'app_password';
SELECT format('CREATE DATABASE %I OWNER %I', d, :'app_user')
  FROM unnest(string_to_array(:'databases', ',')) AS t(raw), btrim(raw) AS d
  WHERE d <> '' AND NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', datname, :'app_user')
  FROM pg_database
  WHERE datname IN (SELECT btrim(raw) FROM unnest(string_to_array(:'databases', ',')) AS t(raw))
    AND datdba <> (SELECT oid FROM pg_roles WHERE rolname = :'app_user') \gexec
SQL
log "$what: databases $ATRIUM_DATABASES owned by $ATRIUM_APP_USER; passwords set"

# synchronous_mode lives in the DCS, written once at bootstrap from Patroni's configuration: keep it following
# the spec, and failsafe_mode on (a cluster made before it was in the configuration gets it here), as
# post_bootstrap runs before the DCS has the cluster's configuration, which bootstrap writes anyway
[ "$what" != post_bootstrap ] || exit 0
synchronous=${ATRIUM_SYNCHRONOUS:-false}
if [ -n "${ATRIUM_PATRONI_CONFIG:-}" ]; then
  patronictl --config-file "$ATRIUM_PATRONI_CONFIG" edit-config --force --quiet \
    --set "synchronous_mode=$synchronous" --set synchronous_mode_strict=false --set failsafe_mode=true >&2 \
    || { log "error: setting synchronous_mode=$synchronous failsafe_mode=true failed"; exit 1; }
  log "synchronous_mode=$synchronous failsafe_mode=true"
fi
