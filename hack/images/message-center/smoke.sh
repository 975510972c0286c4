#!/usr/bin/env bash
# Smoke test of the message center's image on a real container runtime: builds the image
# (hack/images/message-center/build.sh), starts a private containerd, imports the archive, and runs
# the service from it the way the operator's pod runs it, against a real PostgreSQL, Redis and Redis
# Sentinel and a JWKS endpoint this script starts on loopback. See docs/images/message-center.md.
#
#   hack/images/message-center/smoke.sh [--no-build] [--tar FILE.tar]
#
#   --no-build  use the archive already built (platform-services/message-center/target/...)
#   --tar       the archive to test (implies --no-build)
#
# The container runs as the pod does (workload/PodSecurity, StatelessService): uid and gid 10001,
# read-only root filesystem, a tmpfs on /tmp for the pod's emptyDir, every capability dropped, no new
# privileges, the default seccomp profile, the smallest size preset's memory limit (768 MiB), and the
# environment the operator writes (Wiring.common, MessageCenterModel): the database by JDBC URL with
# user and password, Redis through Sentinel with passwords, the identity issuer and JWKS. Host
# networking stands in for the pod network: everything listens on 127.0.0.1.
#
# Needs root (containerd, runc) and Debian's containerd, runc, postgresql-15, redis-server, curl,
# openssl and jq (installed with apt-get when missing), and a JDK 21+ (its jwebserver serves the JWKS).
# Nothing of the machine's is used or changed: containerd runs with its own root, state and socket
# in a temporary directory, and everything started here is stopped and deleted on exit. Logs are
# kept in target/images-smoke/message-center/. Ends with "smoke: N passed, M failed".
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo"
build=true
tar_file=$repo/platform-services/message-center/target/atrium-message-center-image.tar
while (( $# )); do
  case $1 in
    --no-build) build=false; shift ;;
    --tar) tar_file=$(realpath "$2"); build=false; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1 (see $0 --help)" >&2; exit 2 ;;
  esac
done
started=$(date +%s)
say() { printf '[smoke %4ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
passed=0 failed=0
# a step the rest depends on failed: counted as one failure, and the test ends here
abort() { printf '[smoke] ABORTED: %s\n' "$*" >&2; echo "smoke: $passed passed, $(( failed + 1 )) failed"; exit 1; }
pass() { passed=$(( passed + 1 )); say "  ok    $*"; }
fail() { failed=$(( failed + 1 )); say "  FAIL  $*"; }
not() { ! "$@"; }
check() { # check "what" command...: pass when the command succeeds
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

[[ $(id -u) == 0 ]] || abort "run as root: containerd and runc need it"

# --- 0. what the test needs -------------------------------------------------------------------------
say "0/6 prerequisites"
missing=()
command -v containerd >/dev/null 2>&1 && command -v ctr >/dev/null 2>&1 || missing+=(containerd)
command -v runc >/dev/null 2>&1 || missing+=(runc)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)
command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
if (( ${#missing[@]} )); then
  say "installing ${missing[*]} (apt-get)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
# shellcheck source=../../lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
id postgres >/dev/null 2>&1 || abort "no system user 'postgres' (it comes with postgresql-15)"

# --- 1. the image ---------------------------------------------------------------------------------
say "1/6 image"
if $build; then
  hack/images/message-center/build.sh 2>&1 | grep -v '^WARNING: .*sun.misc.Unsafe\|^WARNING: Please consider' \
    | sed 's/^/    /'
fi
[[ -f $tar_file && -f $tar_file.digest ]] || abort "no image archive $tar_file (build it, or drop --no-build)"
digest=$(<"$tar_file.digest")
image=$(tar -xOf "$tar_file" index.json | sed -n 's/.*"org.opencontainers.image.ref.name":"\([^"]*\)".*/\1/p')
[[ -n $image ]] || abort "$tar_file names no image (index.json)"
say "  $image@$digest"

# --- everything below lives in one temporary directory, removed on exit ---------------------------
tmp=$(mktemp -d /tmp/atrium-mc-smoke.XXXXXX)
chmod 755 "$tmp"
logs=$repo/target/images-smoke/message-center
rm -rf "$logs"
mkdir -p "$logs"
sock=$tmp/containerd/containerd.sock
ns=atrium-smoke
cid=message-center-smoke
containerd_pid="" redis_pid="" sentinel_pid="" jwks_pid="" run_pid="" pg_started=false
ctr_() { ctr --address "$sock" -n "$ns" "$@"; }
task_status() { ctr_ tasks ls 2>/dev/null | awk -v id="$cid" '$1 == id { print $3 }'; }

stop_pid() { # stop_pid PID: TERM, then KILL after 15 s
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n $containerd_pid ]]; then
    if [[ -n $(task_status) ]]; then
      ctr_ tasks kill -s SIGKILL "$cid" >/dev/null 2>&1
      for _ in $(seq 1 20); do [[ $(task_status) == STOPPED ]] && break; sleep 0.5; done
      ctr_ tasks delete "$cid" >/dev/null 2>&1
    fi
    stop_pid "$run_pid"
    ctr_ containers delete "$cid" >/dev/null 2>&1
    ctr_ images rm "$image" >/dev/null 2>&1
    stop_pid "$containerd_pid"
  fi
  stop_pid "$jwks_pid"
  stop_pid "$sentinel_pid"
  stop_pid "$redis_pid"
  if $pg_started; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg/data" -m fast -w stop >/dev/null 2>&1
  fi
  # nothing of the snapshotter may stay mounted (deepest first), then the directory goes
  awk -v d="$tmp/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount "$m"; done
  for f in "$tmp"/message-center.log "$tmp"/containerd/containerd.log "$tmp"/pg/postgres.log \
           "$tmp"/redis/redis.log "$tmp"/redis/sentinel.log "$tmp"/jwks.log; do
    [[ -f $f ]] && cp "$f" "$logs/"
  done
  rm -rf "$tmp"
  if [[ $code -ne 0 && -f $logs/message-center.log ]]; then
    echo "--- message center log (last 40 lines; all of it in $logs) ---" >&2
    tail -40 "$logs/message-center.log" | sed 's/^/  /' >&2
  fi
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a free TCP port on loopback (no one answers on it)
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  abort "no free port found"
}
wait_for() { # wait_for SECONDS DESCRIPTION command...
  local seconds=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s) < deadline )) || abort "$what did not happen within $seconds s"
    sleep 0.5
  done
}
secret() { openssl rand -hex 16; }

# --- 2. the stores and the identity stand-in ------------------------------------------------------
say "2/6 PostgreSQL, Redis with Sentinel, JWKS on 127.0.0.1"
db_password=$(secret) cache_password=$(secret)
pg_port=$(free_port)
mkdir -p "$tmp/pg"
chown postgres: "$tmp/pg"
# as the operator's database: the service's own user with a password (SCRAM), owning its database
runuser -u postgres -- "$pg_bin/initdb" -D "$tmp/pg/data" -U postgres --auth-local=trust \
  --auth-host=scram-sha-256 -E UTF8 --no-sync --no-instructions >/dev/null
pg_started=true
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/postgres.log" -w -t 60 \
  -o "-p $pg_port -k $tmp/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
psql_() { "$pg_bin/psql" -h "$tmp/pg" -p "$pg_port" -U postgres -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
psql_ -d postgres -c "CREATE ROLE atrium LOGIN PASSWORD '$db_password'" -c "CREATE DATABASE messages OWNER atrium"
say "  PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, database messages, user atrium"

redis_port=$(free_port) sentinel_port=$(free_port)
mkdir -p "$tmp/redis"
cat > "$tmp/redis/redis.conf" <<EOF
port $redis_port
bind 127.0.0.1
save ""
appendonly no
dir $tmp/redis
logfile $tmp/redis/redis.log
requirepass $cache_password
masterauth $cache_password
EOF
# the operator's cache: master "atrium" behind Sentinel, which wants the same password
cat > "$tmp/redis/sentinel.conf" <<EOF
port $sentinel_port
bind 127.0.0.1
dir $tmp/redis
logfile $tmp/redis/sentinel.log
requirepass $cache_password
sentinel monitor atrium 127.0.0.1 $redis_port 1
sentinel auth-pass atrium $cache_password
EOF
redis-server "$tmp/redis/redis.conf" >/dev/null 2>&1 &
redis_pid=$!
redis-server "$tmp/redis/sentinel.conf" --sentinel >/dev/null 2>&1 &
sentinel_pid=$!
export REDISCLI_AUTH=$cache_password
redis_() { redis-cli -h 127.0.0.1 -p "$redis_port" "$@"; }
wait_for 30 "redis-server answering" sh -c "redis-cli -h 127.0.0.1 -p $redis_port ping | grep -q PONG"
wait_for 30 "Sentinel knowing the master" sh -c \
  "redis-cli -h 127.0.0.1 -p $sentinel_port sentinel get-master-addr-by-name atrium | grep -q $redis_port"
say "  Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on 127.0.0.1:$redis_port, Sentinel on 127.0.0.1:$sentinel_port (master atrium)"

# identity's part: an RSA key, its JWKS served over HTTP, RS256 tokens signed here
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
mkdir -p "$tmp/jwks/oauth2"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/jwks.key" 2>/dev/null
modulus=$(openssl rsa -in "$tmp/jwks.key" -noout -modulus | cut -d= -f2)
n=$(printf '%b' "$(sed 's/../\\x&/g' <<< "$modulus")" | b64url)
printf '{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"smoke","e":"AQAB","n":"%s"}]}' "$n" \
  > "$tmp/jwks/oauth2/jwks.json"
issuer=http://smoke.atrium.test/auth
token() { # token SUBJECT: a person's access token, valid 10 minutes
  local now header payload
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"smoke"}' | b64url)
  payload=$(printf '{"iss":"%s","sub":"%s","principal_type":"user","departments":["smoke"],"iat":%d,"exp":%d}' \
    "$issuer" "$1" "$now" $(( now + 600 )) | b64url)
  printf '%s.%s.%s' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$tmp/jwks.key" | b64url)"
}
jwks_port=$(free_port)
"$JAVA_HOME/bin/jwebserver" -b 127.0.0.1 -p "$jwks_port" -d "$tmp/jwks" -o info > "$tmp/jwks.log" 2>&1 &
jwks_pid=$!
jwks_uri=http://127.0.0.1:$jwks_port/oauth2/jwks.json
wait_for 30 "the JWKS being served" curl -fsS "$jwks_uri"
say "  JWKS at $jwks_uri (jwebserver of $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2))"

# --- 3. a private containerd ----------------------------------------------------------------------
say "3/6 containerd (private instance) and the import"
mkdir -p "$tmp/containerd"
# Its own root, state and sockets; no CRI (ctr talks to containerd directly). runc's cgroup driver is
# cgroupfs (ctr's default without --runc-systemd-cgroup); SystemdCgroup = false says the same for
# anyone switching CRI on here. This machine has cgroup v1 only.
cat > "$tmp/containerd/config.toml" <<EOF
version = 2
root = "$tmp/containerd/root"
state = "$tmp/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$tmp/containerd/opt"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = false
EOF
containerd --config "$tmp/containerd/config.toml" > "$tmp/containerd/containerd.log" 2>&1 &
containerd_pid=$!
wait_for 30 "containerd answering on $sock" ctr --address "$sock" version
say "  containerd $(ctr --address "$sock" version | awk '/Server:/ {s=1} s && /Version:/ {print $2; exit}'), runc $(runc --version | awk 'NR==1 {print $3}')"
ctr_ images import "$tar_file" > "$tmp/import.log" 2>&1 || { cat "$tmp/import.log" >&2; abort "ctr images import failed"; }
got=$(ctr_ images ls | awk -v ref="$image" '$1 == ref { print $3 }')
check "ctr images import: $image has the archive's digest ($digest)" test "$got" == "$digest"

# --- 4. the service, as the pod runs it -------------------------------------------------------------
say "4/6 the message center from the image"
http_port=$(free_port)
memory_limit=$(( 768 * 1024 * 1024 ))
env_file=$tmp/env
# Wiring.common + Wiring.commonSecrets + MessageCenterModel, with loopback addresses for the Services
cat > "$env_file" <<EOF
ATRIUM_PLATFORM=smoke
ATRIUM_DOMAIN=smoke.atrium.test
ATRIUM_MODE=Private
ATRIUM_VERSION=smoke
SERVER_PORT=$http_port
SERVER_SHUTDOWN=graceful
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$pg_port/messages
SPRING_DATASOURCE_USERNAME=atrium
SPRING_DATASOURCE_PASSWORD=$db_password
SPRING_DATA_REDIS_SENTINEL_MASTER=atrium
SPRING_DATA_REDIS_SENTINEL_NODES=127.0.0.1:$sentinel_port
SPRING_DATA_REDIS_PASSWORD=$cache_password
SPRING_DATA_REDIS_SENTINEL_PASSWORD=$cache_password
ATRIUM_IDENTITY_ISSUER=$issuer
ATRIUM_IDENTITY_JWKS_URI=$jwks_uri
ATRIUM_FEDERATION_ENDPOINT=http://smoke.atrium.test/federation
EOF
# ctr 1.6 has no "ALL": every capability of its default set, by name (the pod drops ALL)
cap_drop=()
for c in CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE \
         SYS_CHROOT KILL AUDIT_WRITE; do cap_drop+=(--cap-drop "CAP_$c"); done
# ctr 1.6 has no --user either: the image's own user (10001:10001, the pod's) is what runs; checked below
run_started=$(date +%s)
# /sys/fs/cgroup as the kubelet's containers have it (ctr's default spec lacks it): without it the JVM
# does not see the memory limit and sizes its heap from the machine's memory.
# ctr stays attached (in the background): its output is the container's log, its exit code the task's
ctr_ run --read-only --net-host \
  --mount "type=tmpfs,src=tmpfs,dst=/tmp,options=rw:nosuid:nodev:mode=1777:size=268435456" \
  --mount "type=cgroup,src=cgroup,dst=/sys/fs/cgroup,options=ro:nosuid:noexec:nodev" \
  "${cap_drop[@]}" --seccomp --memory-limit "$memory_limit" --env-file "$env_file" \
  "$image" "$cid" < /dev/null > "$tmp/message-center.log" 2>&1 &
run_pid=$!
task_running() { [[ $(task_status) == RUNNING ]]; }
wait_for 30 "the task starting" task_running
pid=$(ctr_ tasks ls | awk -v id="$cid" '$1 == id { print $2 }')
say "  task $cid, pid $pid, http://127.0.0.1:$http_port"
url=http://127.0.0.1:$http_port
ready=false
deadline=$(( run_started + 120 ))   # the pod's startup probe allows 2 minutes
while (( $(date +%s) < deadline )); do
  [[ $(task_status) == RUNNING ]] || break
  if curl -fsS "$url/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; then ready=true; break; fi
  sleep 0.5
done
ready_after=$(( $(date +%s) - run_started ))
if $ready; then
  pass "ready (/actuator/health/readiness UP) $ready_after s after ctr run"
else
  fail "not ready within 120 s (task: $(task_status))"
  abort "the service did not become ready; see the log"
fi
started_line=$(grep -o 'Started MessageCenterApplication in [0-9.]* seconds (process running for [0-9.]*)' \
  "$tmp/message-center.log" || true)
[[ -n $started_line ]] && say "  log: $started_line"

# --- 5. checks --------------------------------------------------------------------------------------
say "5/6 checks"
check "the process runs as uid 10001, gid 10001" \
  test "$(ps -o uid=,gid= -p "$pid" | awk '{print $1":"$2}')" == "10001:10001"
check "no capabilities (CapEff $(awk '/^CapEff/ {print $2}' "/proc/$pid/status"))" \
  test "$(awk '/^CapEff/ {print $2}' "/proc/$pid/status")" == 0000000000000000
check "the JVM picked up the image's JAVA_TOOL_OPTIONS" grep -q 'Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75' "$tmp/message-center.log"
heap_max=$(curl -fsS "$url/actuator/prometheus" \
  | awk '/^jvm_memory_max_bytes\{/ && /area="heap"/ && $NF > 0 { m += $NF } END { printf "%d", m / 1048576 }')
check "the heap follows the memory limit: at most 75% of 768 MiB (max $heap_max MiB)" test "${heap_max:-0}" -le 576
readiness=$(curl -fsS "$url/actuator/health/readiness" || true)
check "readiness checks the database and Redis, both UP" \
  test "$(jq -r '[.components.db.status, .components.redis.status] | join(",")' <<< "$readiness")" == UP,UP
check "liveness UP" test "$(curl -fsS "$url/actuator/health/liveness" | jq -r .status)" == UP

# Flyway migrated the schema: every migration the image carries is applied, successfully, by atrium
migrations=$(find platform-services/message-center/src/main/resources/db/migration -name 'V*__*.sql' | wc -l)
applied=$(psql_ -d messages -c "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL" || echo 0)
latest=$(psql_ -d messages -c "SELECT max(version::int) FROM flyway_schema_history WHERE success" || echo none)
check "Flyway migrated the schema: $applied of $migrations migrations applied (latest V$latest)" \
  test "$applied" == "$migrations"
owner=$(psql_ -d messages -c "SELECT tableowner FROM pg_tables WHERE tablename = 'message'" || true)
check "the tables belong to the service's user (message owned by '$owner')" test "$owner" == atrium

# Redis through Sentinel: the replica's pub/sub subscription reached the master Sentinel named
subscribers=$(redis_ pubsub numsub atrium:message-center:events | tail -1)
check "Redis through Sentinel: the push channel is subscribed on the master ($subscribers)" test "${subscribers:-0}" -ge 1

# the API with identity's tokens: JWKS fetched over HTTP, RS256 checked, rows written, push published
alice=$(token alice) bob=$(token bob)
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/unread")
check "the API refuses a request without a token (401, got $code)" test "$code" == 401
conversation=$(curl -fsS -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' \
  -d '{"kind":"DIRECT","members":["bob"]}' "$url/api/v1/conversations" | jq -r .id 2>/dev/null || true)
check "alice opens a conversation with bob (id $conversation)" test -n "$conversation" -a "$conversation" != null
seq=$(curl -fsS -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' \
  -d '{"clientMessageId":"smoke-1","body":"hello from the image"}' \
  "$url/api/v1/conversations/$conversation/messages" | jq -r .seq 2>/dev/null || true)
check "alice sends a message (seq $seq)" test "$seq" == 1
unread=$(curl -fsS -H "Authorization: Bearer $bob" "$url/api/v1/unread" | jq -r .total 2>/dev/null || true)
check "bob has 1 unread (got $unread)" test "$unread" == 1

metrics=$(curl -fsS "$url/actuator/prometheus" || true)
check "/actuator/prometheus tags the series with the platform" grep -q 'platform="smoke"' <<< "$metrics"
check "process CPU metrics are there (jdk.management in the runtime)" grep -q '^process_cpu_usage{' <<< "$metrics"
check "the OpenAPI description is served" test "$(curl -fsS "$url/v3/api-docs" | jq -r 'has("openapi")')" == true
check "nothing in the log about a read-only file system, a missing module or class" \
  not grep -Eq 'Read-only file system|NoClassDefFoundError|ClassNotFoundException|Module .* not found' \
  "$tmp/message-center.log"
errors=$(grep -c ' ERROR ' "$tmp/message-center.log" || true)
check "no ERROR lines in the log ($errors)" test "$errors" == 0

say "  written to /tmp (the pod's emptyDir): $(cd "/proc/$pid/root/tmp" && find . -mindepth 1 -maxdepth 2 | sed 's|^\./||' | sort | tr '\n' ' ')"
cgroup=/sys/fs/cgroup/memory/$ns/$cid
if [[ -r $cgroup/memory.max_usage_in_bytes ]]; then
  peak=$(( $(<"$cgroup/memory.max_usage_in_bytes") / 1024 / 1024 ))
  rss=$(awk '$1 == "total_rss" { print int($2 / 1024 / 1024) }' "$cgroup/memory.stat")
  say "  memory: peak $peak MiB of the 768 MiB limit (cgroup, page cache included), rss now $rss MiB"
fi
# the JVM's view: heap and non-heap in use, the heap's maximum, and its memory pools (which name the GC)
curl -fsS "$url/actuator/prometheus" | awk '
  /^jvm_memory_used_bytes\{/ { v = $NF / 1048576; if ($0 ~ /area="heap"/) heap += v; else nonheap += v
                                match($0, /id="[^"]*"/); pools = pools (pools ? ", " : "") substr($0, RSTART + 4, RLENGTH - 5) }
  /^jvm_memory_max_bytes\{/ && /area="heap"/ && $NF > 0 { max += $NF / 1048576 }
  END { printf "[smoke] jvm: heap %d MiB used of %d MiB max, non-heap %d MiB; pools: %s\n", heap, max, nonheap, pools }' \
  | sed "s/^\[smoke\]/[smoke $(printf '%4s' $(( $(date +%s) - started )))s]  /" || true

# --- 6. stop as the kubelet does ---------------------------------------------------------------------
say "6/6 SIGTERM"
ctr_ tasks kill -s SIGTERM "$cid"
stop_started=$(date +%s)
while kill -0 "$run_pid" 2>/dev/null && (( $(date +%s) - stop_started < 40 )); do sleep 0.5; done
stopped_after=$(( $(date +%s) - stop_started ))
exit_code=timeout
if ! kill -0 "$run_pid" 2>/dev/null; then
  exit_code=0
  wait "$run_pid" || exit_code=$?
  run_pid=""
fi
check "stopped $stopped_after s after SIGTERM with exit code 143 (got $exit_code; the pod's grace is 45 s)" \
  test "$exit_code" == 143
check "the log shows the graceful shutdown" grep -q 'Graceful shutdown complete' "$tmp/message-center.log"
ctr_ containers delete "$cid" >/dev/null 2>&1 || true

say "done in $(( $(date +%s) - started )) s; logs in ${logs#"$repo"/}/"
echo "smoke: $passed passed, $failed failed"
(( failed == 0 ))
