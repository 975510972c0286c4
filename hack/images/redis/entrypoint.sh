#!/bin/sh
# The entrypoint of Atrium's Redis 7 image (/usr/local/bin/atrium-redis): what the operator's
# CacheModel promises. One image, two roles, one container each in every pod of the StatefulSet:
#   atrium-redis server     Redis on 6379, data in /data; pod 0 starts as the primary, the others
#                           as its replicas, unless Sentinel knows another primary (after a failover)
#   atrium-redis sentinel   Sentinel on 26379, watching the primary by its DNS name; its config is
#                           in /tmp (Sentinel rewrites it; the root filesystem is read-only)
# docs/images/redis.md.
#
# Environment (the CacheModel sets the first four):
#   ATRIUM_PRIMARY_HOST     pod 0's stable DNS name (<set>-0.<set>-hl.<namespace>.svc), HOST[:PORT]
#   ATRIUM_SENTINEL_MASTER  the name Sentinel knows the primary by (default atrium)
#   ATRIUM_SENTINEL_QUORUM  how many sentinels must agree that the primary is down
#   REDISCLI_AUTH           the password of the servers and of the sentinels (redis-cli reads it too)
#   HOSTNAME                the pod's name, <set>-<ordinal> (default: the kernel's)
#   ATRIUM_ANNOUNCE_HOST    the name the others reach this pod by (default: HOSTNAME in the primary's
#                           domain, <set>-<ordinal>.<set>-hl.<namespace>.svc)
#   ATRIUM_PORT             the port to listen on (default 6379 for the server, 26379 for Sentinel)
#   ATRIUM_SENTINELS        the sentinels asked for the current primary, HOST:PORT separated by spaces
#                           (default: <set>-<i>.<domain>:26379 for every pod the quorum allows)
set -eu
set -f   # no globbing: the lists below are split on spaces, never matched against files

log() { printf 'atrium-redis: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

role=${1:-}
case $role in
  server | sentinel) ;;
  *) die "usage: atrium-redis server|sentinel (got '$*')" ;;
esac
[ -n "${ATRIUM_PRIMARY_HOST:-}" ] || die "ATRIUM_PRIMARY_HOST is not set"
[ -n "${REDISCLI_AUTH:-}" ] || die "REDISCLI_AUTH (the password) is not set"
master=${ATRIUM_SENTINEL_MASTER:-atrium}
case $master in '' | *[!A-Za-z0-9._-]*) die "ATRIUM_SENTINEL_MASTER must be a plain name, got '$master'" ;; esac
quorum=${ATRIUM_SENTINEL_QUORUM:-}
case $quorum in '' | *[!0-9]* | 0) die "ATRIUM_SENTINEL_QUORUM must be a positive number, got '$quorum'" ;; esac
# shellcheck disable=SC3028 # HOSTNAME: set by the container runtime, not by sh
host=${HOSTNAME:-}
[ -n "$host" ] || read -r host < /proc/sys/kernel/hostname
ordinal=${host##*-}
case $ordinal in
  '' | *[!0-9]*) die "the hostname '$host' does not end in -<ordinal>: is this a StatefulSet pod?" ;;
esac
case $ATRIUM_PRIMARY_HOST in
  *:*) primary_host=${ATRIUM_PRIMARY_HOST%:*} primary_port=${ATRIUM_PRIMARY_HOST##*:} ;;
  *) primary_host=$ATRIUM_PRIMARY_HOST primary_port=6379 ;;
esac
# <set>-0.<set>-hl.<namespace>.svc -> set and domain; the pods' names are <set>-<i>.<domain>
first=${primary_host%%.*}
domain=""
[ "$first" = "$primary_host" ] || domain=${primary_host#*.}
announce=${ATRIUM_ANNOUNCE_HOST:-$host${domain:+.$domain}}
if [ -z "${ATRIUM_SENTINELS+set}" ]; then
  # the StatefulSet has at most 2*quorum-1 pods (the quorum is replicas/2+1)
  sentinels="" i=0
  if [ -n "$domain" ] && [ "${first%-0}" != "$first" ]; then
    while [ "$i" -le $((2 * quorum - 2)) ]; do
      sentinels="$sentinels ${first%-0}-$i.$domain:26379"
      i=$((i + 1))
    done
  fi
else
  sentinels=$ATRIUM_SENTINELS
fi

# A value for a Redis config file: double-quoted, with \ and " escaped.
quote() {
  rest=$1 quoted=""
  while [ -n "$rest" ]; do
    c=${rest%"${rest#?}"} rest=${rest#?}
    case $c in '"' | \\) quoted="$quoted\\$c" ;; *) quoted="$quoted$c" ;; esac
  done
  printf '"%s"' "$quoted"
}

# The primary the sentinels know now, as "HOST PORT": of the answers, the one with the highest
# config epoch (a sentinel that missed a failover has a lower one). Nothing when no sentinel
# answers, as on the set's first start: then the caller falls back to pod 0. Each sentinel gets
# 3 seconds, so a start never waits long on a sentinel that is not there.
current_primary() {
  best_epoch=-1 best=""
  for s in $sentinels; do
    answer=$(timeout 3 redis-cli --no-auth-warning -h "${s%:*}" -p "${s##*:}" --raw \
      SENTINEL master "$master" 2>/dev/null | {
      # the reply is field and value on alternate lines
      ip="" port="" epoch=""
      while read -r field && read -r value; do
        case $field in ip) ip=$value ;; port) port=$value ;; config-epoch) epoch=$value ;; esac
      done
      [ -n "$ip" ] && [ -n "$port" ] && printf '%s %s %s\n' "${epoch:-0}" "$ip" "$port"
    }) || true
    [ -n "$answer" ] || continue
    epoch=${answer%% *}
    case $epoch in *[!0-9]*) continue ;; esac
    log "sentinel $s: the primary is ${answer#* } (config epoch $epoch)"
    if [ "$epoch" -gt "$best_epoch" ]; then best_epoch=$epoch best=${answer#* }; fi
  done
  printf '%s' "$best"
}

password=$(quote "$REDISCLI_AUTH")
umask 077   # the config files hold the password

if [ "$role" = server ]; then
  port=${ATRIUM_PORT:-6379}
  conf=/tmp/redis-server.conf
  known=$(current_primary)
  if [ -n "$known" ]; then
    follow=$known
    [ "$known" != "$announce $port" ] || follow=""
  elif [ "$ordinal" = 0 ]; then
    log "no sentinel answered: pod 0 starts as the primary"
    follow=""
  else
    log "no sentinel answered: replicating pod 0"
    follow="$primary_host $primary_port"
  fi
  cat > "$conf" <<EOF
# written by atrium-redis on every start
port $port
bind * -::*
protected-mode no
daemonize no
logfile ""
dir /data
requirepass $password
masterauth $password
replica-announce-ip $(quote "$announce")
appendonly yes
appendfsync everysec
EOF
  # Redis is capped below the container's memory limit, when there is one, so that it refuses
  # writes (noeviction) rather than be killed and restarted in a loop while it loads its data
  limit=""
  read -r limit 2>/dev/null < /sys/fs/cgroup/memory.max \
    || read -r limit 2>/dev/null < /sys/fs/cgroup/memory/memory.limit_in_bytes || true
  case $limit in
    '' | *[!0-9]*) ;;
    *) [ "$limit" -ge 1125899906842624 ] || printf 'maxmemory %s\nmaxmemory-policy noeviction\n' \
         $((limit * 7 / 10)) >> "$conf" ;;
  esac
  if [ -n "$follow" ]; then
    printf 'replicaof %s\n' "$follow" >> "$conf"
    log "server $announce:$port: replica of $follow"
  else
    log "server $announce:$port: primary"
  fi
  exec redis-server "$conf"
fi

# ---- sentinel ----
port=${ATRIUM_PORT:-26379}
conf=/tmp/sentinel.conf
# a restarted container keeps its sentinel ID (the pod's /tmp outlives the container), so that the
# other sentinels do not count it twice
myid=""
if [ -f "$conf" ]; then
  while read -r a b c; do
    [ "$a $b" != "sentinel myid" ] || myid=$c
  done < "$conf"
fi
known=$(current_primary)
if [ -z "$known" ]; then
  log "no sentinel answered: watching pod 0"
  known="$primary_host $primary_port"
fi
cat > "$conf" <<EOF
# written by atrium-redis on every start; Sentinel rewrites it as it learns
port $port
bind * -::*
protected-mode no
daemonize no
logfile ""
dir /tmp
requirepass $password
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip $(quote "$announce")
sentinel monitor $master $known $quorum
sentinel auth-pass $master $password
sentinel down-after-milliseconds $master 10000
sentinel failover-timeout $master 60000
sentinel parallel-syncs $master 1
EOF
[ -z "$myid" ] || printf 'sentinel myid %s\n' "$myid" >> "$conf"
log "sentinel $announce:$port: watching $known as $master, quorum $quorum"
exec redis-sentinel "$conf"
