#!/bin/sh
# The entrypoint of Atrium's PostgreSQL 15 image (/usr/local/bin/atrium-postgresql): what the operator's
# DatabaseModel promises. Patroni runs PostgreSQL on every pod of the StatefulSet, with the Kubernetes API as
# its DCS: the pod holding the leader lock is the primary, the others stream from it; a lost primary is
# replaced by a replica and rejoins, rewound, as a replica. docs/images/postgresql.md.
#
# Environment (the DatabaseModel sets them; atrium-patroni-config reads more, see there):
#   PGDATA                       the data directory, on the volume (/var/lib/postgresql/data/pgdata)
#   ATRIUM_DATABASES             the databases, comma-separated, all owned by the application user
#   ATRIUM_APP_USER              the application user
#   POSTGRES_PASSWORD            the superuser's (postgres) password; also the REST API's, for its writes
#   ATRIUM_REPLICATION_PASSWORD  the replication user's (replicator) password
#   ATRIUM_APP_PASSWORD          the application user's password
#   ATRIUM_RUN_DIR               the Unix socket's directory, an emptyDir (/var/run/postgresql)
#
# Every start: Patroni's configuration is written to the run directory (no password in it: Patroni takes
# them from the environment), then Patroni is exec'd. Patroni bootstraps an empty cluster with initdb, clones
# a replica with pg_basebackup, rewinds a former primary with pg_rewind; atrium-postgresql-roles makes the
# roles and databases match the environment on every start of a leader and after every promotion. Logs go to
# stderr, Patroni's and PostgreSQL's.
set -eu

log() { printf 'atrium-postgresql: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

for v in PGDATA POSTGRES_PASSWORD ATRIUM_REPLICATION_PASSWORD ATRIUM_APP_PASSWORD ATRIUM_APP_USER ATRIUM_DATABASES; do
  eval "[ -n \"\${$v:-}\" ]" || die "$v is not set"
done
run=${ATRIUM_RUN_DIR:-/var/run/postgresql}
umask 077   # everything written here is the database's own

# A PGDATA that is neither empty nor a database is refused, never cleared.
if [ -e "$PGDATA" ] && [ ! -s "$PGDATA/PG_VERSION" ] && [ -n "$(ls -A "$PGDATA")" ]; then
  die "PGDATA ($PGDATA) is neither empty nor a database: not touching it"
fi
# PostgreSQL refuses a data directory that others may read; the kubelet's fsGroup walk over a volume (when its
# root's owner does not match) adds group rwx and setgid to every directory, PGDATA too
[ ! -d "$PGDATA" ] || chmod 0700 "$PGDATA"

config=$run/patroni.yml
here=$(dirname "$0")
if [ -x "$here/atrium-patroni-config" ]; then
  "$here/atrium-patroni-config" > "$config.new"      # in the image
else
  "$here/patroni-config.sh" > "$config.new"          # from the source tree (DatabaseFailoverIT)
fi
mv "$config.new" "$config"

# Patroni reads (and removes from its environment) PATRONI_*: the superuser for its own connections over the
# socket, the replication user for cloning and streaming, the same user for pg_rewind (granted what it reads,
# by atrium-postgresql-roles), and the REST API's user for its writes (switchover, restart, configuration;
# reads and the probes need none)
export PATRONI_SUPERUSER_USERNAME=postgres PATRONI_SUPERUSER_PASSWORD="$POSTGRES_PASSWORD"
export PATRONI_REPLICATION_USERNAME=replicator PATRONI_REPLICATION_PASSWORD="$ATRIUM_REPLICATION_PASSWORD"
export PATRONI_REWIND_USERNAME=replicator PATRONI_REWIND_PASSWORD="$ATRIUM_REPLICATION_PASSWORD"
export PATRONI_RESTAPI_USERNAME=postgres PATRONI_RESTAPI_PASSWORD="$POSTGRES_PASSWORD"
export ATRIUM_PATRONI_CONFIG="$config"
log "starting Patroni with $config"
# Patroni as PID 1 runs itself in a child and forwards SIGTERM (the image's stop signal) to it: Patroni stops
# PostgreSQL with a fast shutdown (open transactions rolled back, sessions closed) and, on the leader, gives up
# the lock as soon as a replica has the shutdown checkpoint, so that one takes over at once
exec patroni "$config"
