#!/bin/sh
# The entrypoint of Atrium's PostgreSQL 15 image (/usr/local/bin/atrium-postgresql): what the
# operator's DatabaseModel promises. Pod 0 of the StatefulSet is the primary, the others stream
# from it as hot standbys. There is no failover: pod 0 stays the primary. docs/images/postgresql.md.
#
# Environment (the DatabaseModel sets all but the last three):
#   PGDATA                       the data directory, on the volume (/var/lib/postgresql/data/pgdata)
#   ATRIUM_PRIMARY_HOST          pod 0's stable DNS name, HOST or HOST:PORT (port 5432 by default)
#   ATRIUM_DATABASES             the databases, comma-separated, all owned by the application user
#   ATRIUM_APP_USER              the application user
#   POSTGRES_PASSWORD            the superuser's (postgres) password
#   ATRIUM_REPLICATION_PASSWORD  the replication user's (replicator) password
#   ATRIUM_APP_PASSWORD          the application user's password
#   HOSTNAME                     the pod's name, <statefulset>-<ordinal> (default: the kernel's)
#   PGPORT                       the port to listen on (default 5432)
#
# Every start, on the primary: initdb if PGDATA is empty; then, on a server listening only on the
# Unix socket, the roles and databases are made to match the environment (created when missing,
# passwords set), so a new service's database appears and passwords follow the Secret; then the
# server is exec'd. On a replica: pg_basebackup from the primary if PGDATA is empty (retried until
# the primary answers), then the server is exec'd as a hot standby. Logs go to stderr.
set -eu
set -f   # no globbing: settings such as listen_addresses=* are words, not patterns

log() { printf 'atrium-postgresql: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ -n "${PGDATA:-}" ] || die "PGDATA is not set"
[ -n "${ATRIUM_PRIMARY_HOST:-}" ] || die "ATRIUM_PRIMARY_HOST is not set"
[ -n "${ATRIUM_REPLICATION_PASSWORD:-}" ] || die "ATRIUM_REPLICATION_PASSWORD is not set"
# shellcheck disable=SC3028 # HOSTNAME: set by the container runtime, not by sh
host=${HOSTNAME:-}
[ -n "$host" ] || read -r host < /proc/sys/kernel/hostname
ordinal=${host##*-}
case $ordinal in
  '' | *[!0-9]*) die "the hostname '$host' does not end in -<ordinal>: is this a StatefulSet pod?" ;;
esac
case $ATRIUM_PRIMARY_HOST in
  *:*) primary_host=${ATRIUM_PRIMARY_HOST%:*} primary_port=${ATRIUM_PRIMARY_HOST##*:} ;;
  *) primary_host=$ATRIUM_PRIMARY_HOST primary_port=5432 ;;
esac
run=/var/run/postgresql   # the Unix socket's directory (an emptyDir)
umask 077                 # everything written here is the database's own

# --- settings, the same on every pod, given on the command line (they win over postgresql.conf);
# listen_addresses=* is added when the server is exec'd, after the set-up on the socket alone ---
# Memory from the container's limit, when it has one: shared_buffers a quarter of it (initdb's 128MB
# would not fit a small limit, and wastes a large one), effective_cache_size three quarters.
memory=""
read -r memory 2>/dev/null < /sys/fs/cgroup/memory.max \
  || read -r memory 2>/dev/null < /sys/fs/cgroup/memory/memory.limit_in_bytes || true
case $memory in
  '' | *[!0-9]*) memory="" ;;                     # "max" (cgroup v2): no limit
  *) [ "$memory" -lt 1125899906842624 ] || memory="" ;;  # cgroup v1's "no limit" is near 2^63
esac
settings="-c unix_socket_directories=$run -c password_encryption=scram-sha-256"
settings="$settings -c wal_level=replica -c max_wal_senders=10 -c wal_keep_size=256MB -c hot_standby=on"
# the image has no LLVM (it would double the image's size for analytic queries Atrium does not run)
settings="$settings -c jit=off"
settings="$settings -c logging_collector=off -c log_destination=stderr"
if [ -n "$memory" ]; then
  settings="$settings -c shared_buffers=$((memory / 4 / 1048576))MB"
  settings="$settings -c effective_cache_size=$((memory * 3 / 4 / 1048576))MB"
fi

# pg_hba.conf and pg_ident.conf, rewritten on every start. Clients authenticate with SCRAM from
# anywhere (the pod network is not known in here; the platform's NetworkPolicies narrow who gets
# this far); the superuser only over loopback and the socket; the entrypoint itself as postgres
# over the socket by peer (the container's user, atrium, maps to postgres).
write_hba() {
  cat > "$PGDATA/pg_hba.conf" <<'EOF'
# written by atrium-postgresql on every start; changes here are lost
# TYPE  DATABASE     USER        ADDRESS        METHOD
local   all          postgres                   peer map=entrypoint
local   all          all                        scram-sha-256
host    all          postgres    127.0.0.1/32   scram-sha-256
host    all          postgres    ::1/128        scram-sha-256
host    all          postgres    all            reject
host    replication  replicator  all            scram-sha-256
host    all          all         all            scram-sha-256
EOF
  cat > "$PGDATA/pg_ident.conf" <<'EOF'
# written by atrium-postgresql on every start; changes here are lost
# MAPNAME     SYSTEM-USERNAME  PG-USERNAME
entrypoint    atrium           postgres
EOF
}

# a libpq password file for the replication user (pg_basebackup, and the standby's WAL receiver
# through primary_conninfo), so that the password is neither on a command line nor in a file on
# the volume; ':' and '\' are escaped as libpq wants
write_passfile() {
  rest=$ATRIUM_REPLICATION_PASSWORD escaped=""
  while [ -n "$rest" ]; do
    c=${rest%"${rest#?}"} rest=${rest#?}
    case $c in ':' | \\) escaped="$escaped\\$c" ;; *) escaped="$escaped$c" ;; esac
  done
  printf '*:*:*:replicator:%s\n' "$escaped" > "$run/replication.pgpass"
}

is_empty() { [ ! -e "$1" ] || [ -z "$(ls -A "$1")" ]; }

# PostgreSQL refuses a data directory that others may read; the kubelet's fsGroup walk over a volume
# (when its root's owner does not match) adds group rwx and setgid to every directory, PGDATA too
fix_mode() { [ ! -d "$PGDATA" ] || chmod 0700 "$PGDATA"; }

if [ "$ordinal" = 0 ]; then
  # ================================ the primary ================================
  for v in POSTGRES_PASSWORD ATRIUM_APP_PASSWORD ATRIUM_APP_USER ATRIUM_DATABASES; do
    eval "[ -n \"\${$v:-}\" ]" || die "$v is not set"
  done
  [ ! -e "$PGDATA/standby.signal" ] \
    || die "PGDATA ($PGDATA) is a standby's, but pod 0 is the primary (no failover is supported yet)"
  fix_mode
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    is_empty "$PGDATA" || die "PGDATA ($PGDATA) is neither empty nor a database: not touching it"
    log "PGDATA is empty: initdb (UTF-8, locale C.UTF-8, data checksums, SCRAM)"
    pwfile=/tmp/atrium-initdb-password
    trap 'rm -f "$pwfile"' EXIT
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb --pgdata="$PGDATA" --username=postgres --pwfile="$pwfile" \
      --encoding=UTF8 --locale=C.UTF-8 --data-checksums \
      --auth-local=peer --auth-host=scram-sha-256 >&2
    rm -f "$pwfile"
    trap - EXIT
  fi
  write_hba

  # the roles and databases, on a server no client can reach yet (no TCP)
  log "starting on the Unix socket only, to set up roles and databases"
  # shellcheck disable=SC2086
  pg_ctl --pgdata="$PGDATA" --wait --timeout=600 --silent \
    -o "$settings -c listen_addresses=''" start >&2 \
    || die "PostgreSQL did not start (its log is above)"
  psql --no-psqlrc --quiet --host="$run" --username=postgres --dbname=postgres >&2 <<'SQL' \
    || { pg_ctl --pgdata="$PGDATA" --mode=fast --wait --silent stop >&2; die "setting up roles and databases failed"; }
\set ON_ERROR_STOP on
\getenv superuser_password POSTGRES_PASSWORD
\getenv replication_password ATRIUM_REPLICATION_PASSWORD
\getenv app_user ATRIUM_APP_USER
\getenv app_password ATRIUM_APP_PASSWORD
\getenv databases ATRIUM_DATABASES
ALTER ROLE postgres WITH PASSWORD :'superuser_password';
SELECT 'CREATE ROLE replicator' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') \gexec
ALTER ROLE replicator WITH LOGIN REPLICATION NOSUPERUSER PASSWORD :'replication_password';
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
  pg_ctl --pgdata="$PGDATA" --mode=fast --wait --silent stop >&2
  log "primary $host: databases $ATRIUM_DATABASES owned by $ATRIUM_APP_USER; listening on port ${PGPORT:-5432}"
  # shellcheck disable=SC2086
  exec postgres -D "$PGDATA" -c listen_addresses=* $settings
fi

# ================================ a replica ================================
write_passfile
export PGPASSFILE="$run/replication.pgpass"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  is_empty "$PGDATA" || die "PGDATA ($PGDATA) is neither empty nor a database: not touching it"
  # cloned next to PGDATA and renamed when complete, so that a clone cut short is never started
  clone=$PGDATA.clone
  rm -rf "$clone"
  log "PGDATA is empty: cloning the primary $primary_host:$primary_port (pg_basebackup)"
  until pg_basebackup --pgdata="$clone" --host="$primary_host" --port="$primary_port" \
    --username=replicator --no-password --wal-method=stream --checkpoint=fast >&2; do
    log "the primary $primary_host:$primary_port did not answer or refused; retrying in 5 s"
    rm -rf "$clone"
    sleep 5
  done
  : > "$clone/standby.signal"
  [ ! -e "$PGDATA" ] || rmdir "$PGDATA"
  mv "$clone" "$PGDATA"
  log "cloned"
fi
fix_mode
[ -e "$PGDATA/standby.signal" ] \
  || die "PGDATA ($PGDATA) is a primary's, but this pod ($host) is a replica: not starting a second primary"
write_hba
log "replica $host: streaming from $primary_host:$primary_port; listening on port ${PGPORT:-5432}"
# shellcheck disable=SC2086
exec postgres -D "$PGDATA" -c listen_addresses=* $settings \
  -c "primary_conninfo=host=$primary_host port=$primary_port user=replicator passfile=$PGPASSFILE application_name=$host"
