#!/bin/sh
# Writes Patroni's configuration (YAML, on stdout) from the environment: /usr/local/bin/atrium-patroni-config
# in Atrium's PostgreSQL image, run by its entrypoint on every start. The operator's DatabaseFailoverIT runs
# this very script (and the entrypoint) for Patroni processes outside a pod. docs/images/postgresql.md.
#
# Environment (the DatabaseModel sets the first ones; the defaults are the image's):
#   POD_NAMESPACE                the pod's namespace (downward API): where the DCS's config maps live
#   POD_IP                       the pod's address (downward API): what other members and pg_rewind connect to
#   ATRIUM_PATRONI_LABELS        the labels of the cluster's pods, k=v,k=v (the StatefulSet's selector)
#   ATRIUM_PATRONI_SCOPE_LABEL   the label whose value is the cluster's name (scope) on every pod
#   ATRIUM_PATRONI_ROLE_LABEL    the label Patroni sets on each pod: master or replica
#   ATRIUM_SYNCHRONOUS           true: synchronous_mode (a commit returns once a standby has it)
#   PGDATA                       the data directory
#   HOSTNAME                     the pod's name, <statefulset>-<ordinal>: the member's name; the scope is
#                                the StatefulSet's name (default: the kernel's hostname)
#   PGPORT                       PostgreSQL's port (5432)
#   ATRIUM_PATRONI_PORT          the REST API's port (8008)
#   ATRIUM_RUN_DIR               the Unix socket's directory, Patroni's password file (/var/run/postgresql)
#   ATRIUM_ROLES_SCRIPT          the script that makes roles and databases match the environment on the
#                                leader (/usr/local/bin/atrium-postgresql-roles)
#   ATRIUM_PG_BIN                PostgreSQL's programs (/usr/lib/postgresql/15/bin)
#   ATRIUM_KUBE_CONTEXT          outside a pod only: the context of $KUBECONFIG to use
#   ATRIUM_BACKUP_DESTINATION    set: every WAL segment is archived there (atrium-backup wal-archive); its other
#                                variables and ATRIUM_RESTORE_* are atrium-backup's (see there)
#   ATRIUM_RESTORE_DESTINATION   set: a new cluster's first leader is restored from a backup there
#                                (atrium-backup restore-bootstrap), not made by initdb
#   ATRIUM_BACKUP_SCRIPT         atrium-backup (/usr/local/bin/atrium-backup)
#
# No password is written: Patroni takes them from PATRONI_*_PASSWORD (the entrypoint sets them), barman-cloud
# the store's credentials from the environment, which PostgreSQL and Patroni's bootstrap inherit.
set -eu

die() { printf 'atrium-patroni-config: error: %s\n' "$*" >&2; exit 1; }

for v in POD_NAMESPACE POD_IP PGDATA ATRIUM_PATRONI_LABELS ATRIUM_PATRONI_SCOPE_LABEL ATRIUM_PATRONI_ROLE_LABEL; do
  eval "[ -n \"\${$v:-}\" ]" || die "$v is not set"
done
# shellcheck disable=SC3028 # HOSTNAME: set by the container runtime, not by sh
host=${HOSTNAME:-}
[ -n "$host" ] || read -r host < /proc/sys/kernel/hostname
case ${host##*-} in
  '' | *[!0-9]*) die "the hostname '$host' does not end in -<ordinal>: is this a StatefulSet pod?" ;;
esac
scope=${host%-*}
port=${PGPORT:-5432}
api_port=${ATRIUM_PATRONI_PORT:-8008}
run=${ATRIUM_RUN_DIR:-/var/run/postgresql}
roles=${ATRIUM_ROLES_SCRIPT:-/usr/local/bin/atrium-postgresql-roles}
backup=${ATRIUM_BACKUP_SCRIPT:-/usr/local/bin/atrium-backup}
case ${ATRIUM_SYNCHRONOUS:-false} in
  true) synchronous=true ;;
  false) synchronous=false ;;
  *) die "ATRIUM_SYNCHRONOUS is '$ATRIUM_SYNCHRONOUS', not true or false" ;;
esac
# Every value below goes into YAML between double quotes: refuse what would need escaping there.
for value in "$host" "$POD_NAMESPACE" "$POD_IP" "$PGDATA" "$run" "$roles" "$backup" "${ATRIUM_PG_BIN:-}" \
  "$ATRIUM_PATRONI_LABELS" "$ATRIUM_PATRONI_SCOPE_LABEL" "$ATRIUM_PATRONI_ROLE_LABEL" "${ATRIUM_KUBE_CONTEXT:-}"; do
  case $value in *[!A-Za-z0-9./_:=,-]*) die "'$value' has characters a name, label or path here may not have" ;; esac
done
case $port$api_port in *[!0-9]*) die "PGPORT and ATRIUM_PATRONI_PORT must be numbers" ;; esac
# The backup and restore variables are checked by atrium-backup, which reads them when it runs: a mistake stops
# this start, not the first archiving. It prints the restore's target time as PostgreSQL reads it (or nothing).
target=""
if [ -n "${ATRIUM_BACKUP_DESTINATION:-}${ATRIUM_RESTORE_DESTINATION:-}" ]; then
  target=$("$backup" check-env) || die "the backup or restore environment is wrong (above)"
  case $target in *[!0-9\ :.+-]*) die "atrium-backup check-env printed '$target', not a time" ;; esac
fi
# peer authentication over the socket maps the user running Patroni to postgres (atrium, uid 10001, in the image)
os_user=$(id -un)

# Memory from the container's limit, when it has one: shared_buffers a quarter of it (initdb's 128MB would
# not fit a small limit, and wastes a large one), effective_cache_size three quarters.
memory=""
read -r memory 2>/dev/null < /sys/fs/cgroup/memory.max \
  || read -r memory 2>/dev/null < /sys/fs/cgroup/memory/memory.limit_in_bytes || true
case $memory in
  '' | *[!0-9]*) memory="" ;;                            # "max" (cgroup v2): no limit
  *) [ "$memory" -lt 1125899906842624 ] || memory="" ;;  # cgroup v1's "no limit" is near 2^63
esac

cat <<EOF
# written by atrium-patroni-config on every start; changes here are lost
scope: "$scope"
name: "$host"
log:
  level: INFO
restapi:
  listen: "0.0.0.0:$api_port"
  connect_address: "$POD_IP:$api_port"
kubernetes:
  namespace: "$POD_NAMESPACE"
  # the leader lock and the cluster's state in config maps ($scope-leader, -config, -failover, -sync),
  # not in Endpoints: the Services select pods by the role label instead (docs/images/postgresql.md)
  use_endpoints: false
  scope_label: "$ATRIUM_PATRONI_SCOPE_LABEL"
  role_label: "$ATRIUM_PATRONI_ROLE_LABEL"
  labels:
EOF
rest=$ATRIUM_PATRONI_LABELS
while [ -n "$rest" ]; do
  pair=${rest%%,*}
  case $rest in *,*) rest=${rest#*,} ;; *) rest="" ;; esac
  case $pair in ?*=?*) ;; *) die "ATRIUM_PATRONI_LABELS: '$pair' is not key=value" ;; esac
  printf '    "%s": "%s"\n' "${pair%%=*}" "${pair#*=}"
done
[ -z "${ATRIUM_KUBE_CONTEXT:-}" ] || printf '  context: "%s"\n' "$ATRIUM_KUBE_CONTEXT"
cat <<EOF
bootstrap:
  # the cluster-wide settings, stored in the DCS when the cluster is first made; the roles script keeps
  # synchronous_mode following ATRIUM_SYNCHRONOUS, and failsafe_mode on, afterwards
  dcs:
    # a lost leader's lock expires within ttl; loop_wait + 2 * retry_timeout must not exceed it
    ttl: 20
    loop_wait: 5
    retry_timeout: 7
    # a replica more than 1 MB of WAL behind is not promoted
    maximum_lag_on_failover: 1048576
    synchronous_mode: $synchronous
    # with the only standby lost, the primary goes on alone rather than stopping every write
    synchronous_mode_strict: false
    # the API server out of reach (an outage, a slow control plane): the leader stays primary while every member
    # it knows answers its POST /failsafe, instead of demoting itself after retry_timeout and cutting every
    # session and backup; no replica takes over meanwhile, as each was told the leader runs
    failsafe_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        wal_log_hints: "on"
        hot_standby: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
        password_encryption: scram-sha-256
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
    - auth-local: peer
    - auth-host: scram-sha-256
  post_bootstrap: "$roles"
EOF
if [ -n "${ATRIUM_RESTORE_DESTINATION:-}" ]; then
  # A new cluster from a backup: Patroni runs the command instead of initdb (only the member that wins the
  # initialize key; the others clone from it as ever), then starts PostgreSQL with recovery_conf, waits until it
  # has recovered and promoted itself, and runs post_bootstrap, which sets this platform's passwords. A command
  # that fails leaves nothing initialised: Patroni gives up and exits rather than fall back to initdb.
  cat <<EOF
  method: atrium_restore
  atrium_restore:
    command: "$backup restore-bootstrap"
    recovery_conf:
      restore_command: "$backup wal-restore --from restore %f %p"
      recovery_target_timeline: latest
      recovery_target_action: promote
EOF
  [ -z "$target" ] || printf '      recovery_target_time: "%s"\n' "$target"
fi
cat <<EOF
postgresql:
  listen: "*:$port"
  connect_address: "$POD_IP:$port"
  data_dir: "$PGDATA"
  bin_dir: "${ATRIUM_PG_BIN:-/usr/lib/postgresql/15/bin}"
  pgpass: "$run/patroni.pgpass"
  # Patroni's own connections, the replication one too, over the socket: over TCP it would name "localhost",
  # which needs an /etc/hosts (a pod has the kubelet's; a container elsewhere may have none)
  use_unix_socket: true
  use_unix_socket_repl: true
  use_pg_rewind: true
  # a new replica's clone starts at once: without it, pg_basebackup waits for a spread checkpoint (minutes)
  basebackup:
    checkpoint: fast
  # a failed rewind leaves the data alone (an operator decides), rather than cloning over it
  remove_data_directory_on_rewind_failure: false
  remove_data_directory_on_diverged_timelines: false
  parameters:
    unix_socket_directories: "$run"
    password_encryption: scram-sha-256
    jit: "off"
    logging_collector: "off"
    log_destination: stderr
EOF
if [ -n "${ATRIUM_BACKUP_DESTINATION:-}" ]; then
  # Every WAL segment to the store, gzipped. "on", not "always": only the primary archives (a replica uploading
  # every segment again would triple the uploads and the CPU); a promoted replica archives from its promotion on
  # (docs/images/postgresql.md: what a crashed primary's unarchived segments mean). archive_timeout bounds a quiet
  # database's loss: a segment with any write in it is switched and archived within 60 s.
  cat <<EOF
    archive_mode: "on"
    archive_command: "$backup wal-archive %p"
    archive_timeout: 60
EOF
fi
if [ -n "$memory" ]; then
  printf '    shared_buffers: %sMB\n' "$((memory / 4 / 1048576))"
  printf '    effective_cache_size: %sMB\n' "$((memory * 3 / 4 / 1048576))"
fi
cat <<EOF
  # SCRAM from any address (the pod network is not known in here; the platform's NetworkPolicies narrow who
  # gets this far); the superuser only over loopback and the socket, and Patroni and the roles script as
  # postgres over the socket by peer
  pg_hba:
    - local all postgres peer map=entrypoint
    - local all all scram-sha-256
    - local replication replicator scram-sha-256
    - host all postgres 127.0.0.1/32 scram-sha-256
    - host all postgres ::1/128 scram-sha-256
    - host all postgres all reject
    - host replication replicator all scram-sha-256
    - host all all all scram-sha-256
  pg_ident:
    - entrypoint $os_user postgres
  callbacks:
    on_start: "$roles"
    on_role_change: "$roles"
EOF
