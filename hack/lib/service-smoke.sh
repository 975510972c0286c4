# What the platform services' image smoke tests share (hack/images/<service>/smoke.sh): counting
# checks, a PostgreSQL and a private containerd in one temporary directory, the service run from its
# image the way the operator's pod runs it, the checks every service's image must pass, SIGTERM, and
# a cleanup that stops and deletes everything it started, whatever the outcome.
#
# A smoke test sources this, then calls in order:
#
#   smoke_init NAME "usage text" ARGS...   parse --no-build / --tar FILE, root check; NAME is the
#                                          image's short name (identity, message-center)
#   smoke_prerequisites [PACKAGE ...]      containerd, runc, postgresql-15, curl, openssl, jq, and the
#                                          test's own, installed with apt-get when missing; a JDK 21+
#   smoke_image BUILD_SCRIPT               build (unless --no-build), read the reference and digest
#   smoke_workdir                          the temporary directory ($tmp), the logs directory, the trap
#   smoke_postgres DATABASE                PostgreSQL on 127.0.0.1, role atrium owning DATABASE
#   smoke_redis                            (if it uses the cache) Redis behind Sentinel, master atrium,
#                                          with a password; redis_ is its redis-cli
#   smoke_issuer                           (if it only checks tokens) a JWKS on loopback for $issuer;
#                                          token SUBJECT [CLAIMS] [KEY] signs access tokens
#   smoke_containerd                       a private containerd, the archive imported, its digest checked
#   smoke_run ENV_FILE MEMORY_MIB          the service as its pod runs it; waits for readiness (120 s)
#   smoke_common_checks MIGRATIONS_DIR TABLE   what every service's image must do
#   smoke_memory_report
#   smoke_sigterm                          stop as the kubelet does: graceful, exit code 143
#   smoke_end
#
# and in between its own servers and checks, with check/pass/fail/abort/say, free_port, wait_for,
# secret, psql_ and smoke_keep PID / smoke_log FILE (stopped / kept when the test ends).
#
# Everything lives in one temporary directory: containerd with its own root, state and socket (never
# the machine's), PostgreSQL's data, the test's own servers; on exit the task is killed, the servers
# are stopped, what is mounted under the directory is unmounted and the directory is deleted. Logs are
# kept in target/images-smoke/NAME/. The output ends with "smoke: N passed, M failed".

smoke_init() {
  smoke_name=$1
  local usage=$2
  shift 2
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  cd "$repo"
  smoke_build=true
  tar_file=""
  while (( $# )); do
    case $1 in
      --no-build) smoke_build=false; shift ;;
      --tar) tar_file=$(realpath "$2"); smoke_build=false; shift 2 ;;
      -h|--help) printf '%s\n' "$usage"; exit 0 ;;
      *) echo "unknown argument $1 (see $0 --help)" >&2; exit 2 ;;
    esac
  done
  started=$(date +%s)
  passed=0 failed=0
  smoke_pids=() smoke_logs=()
  containerd_pid="" run_pid="" pg_started=false tmp="" pid=""
  [[ $(id -u) == 0 ]] || abort "run as root: containerd and runc need it"
}

say() { printf '[smoke %4ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
# a step the rest depends on failed: counted as one failure, and the test ends here
abort() { printf '[smoke] ABORTED: %s\n' "$*" >&2; echo "smoke: $passed passed, $(( failed + 1 )) failed"; exit 1; }
pass() { passed=$(( passed + 1 )); say "  ok    $*"; }
fail() { failed=$(( failed + 1 )); say "  FAIL  $*"; }
not() { ! "$@"; }
check() { # check "what" command...: pass when the command succeeds
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- what the test needs ------------------------------------------------------------------------------
smoke_prerequisites() {
  local missing=() p
  command -v containerd >/dev/null 2>&1 && command -v ctr >/dev/null 2>&1 || missing+=(containerd)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  for p in "$@"; do
    case $p in
      redis-server) command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=("$p") ;;
      slapd) [[ -x /usr/sbin/slapd ]] || missing+=("$p") ;;
      ldap-utils) command -v ldapadd >/dev/null 2>&1 || missing+=("$p") ;;
      *) dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p") ;;
    esac
  done
  if (( ${#missing[@]} )); then
    say "installing ${missing[*]} (apt-get)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # shellcheck source=jdk.sh
  source hack/lib/jdk.sh
  select_jdk
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  id postgres >/dev/null 2>&1 || abort "no system user 'postgres' (it comes with postgresql-15)"
}

# --- the image ----------------------------------------------------------------------------------------
smoke_image() {
  local build_script=$1
  if $smoke_build; then
    "$build_script" 2>&1 | grep -v '^WARNING: .*sun.misc.Unsafe\|^WARNING: Please consider' | sed 's/^/    /'
  fi
  [[ -f $tar_file && -f $tar_file.digest ]] || abort "no image archive $tar_file (build it, or drop --no-build)"
  digest=$(<"$tar_file.digest")
  image=$(tar -xOf "$tar_file" index.json | sed -n 's/.*"org.opencontainers.image.ref.name":"\([^"]*\)".*/\1/p')
  [[ -n $image ]] || abort "$tar_file names no image (index.json)"
  say "  $image@$digest"
}

# --- one temporary directory, removed on exit -----------------------------------------------------------
smoke_workdir() {
  tmp=$(mktemp -d "/tmp/atrium-$smoke_name-smoke.XXXXXX")
  chmod 755 "$tmp"
  logs=$repo/target/images-smoke/$smoke_name
  rm -rf "$logs"
  mkdir -p "$logs"
  sock=$tmp/containerd/containerd.sock
  ns=atrium-smoke
  cid=$smoke_name-smoke
  service_log=$tmp/$smoke_name.log
  smoke_log "$service_log"
  trap smoke_cleanup EXIT
  trap 'exit 130' INT TERM
}

ctr_() { ctr --address "$sock" -n "$ns" "$@"; }
task_status() { ctr_ tasks ls 2>/dev/null | awk -v id="$cid" '$1 == id { print $3 }'; }
# a process of the test's own (a server it started): stopped when the test ends, last started first
smoke_keep() { smoke_pids+=("$1"); }
# a file copied to the logs directory when the test ends
smoke_log() { smoke_logs+=("$1"); }

stop_pid() { # stop_pid PID: TERM, then KILL after 15 s
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

smoke_cleanup() {
  local code=$? i f
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
  for (( i = ${#smoke_pids[@]} - 1; i >= 0; i-- )); do stop_pid "${smoke_pids[i]}"; done
  if $pg_started; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg/data" -m fast -w stop >/dev/null 2>&1
  fi
  if [[ -n $tmp ]]; then
    # nothing of the snapshotter may stay mounted (deepest first), then the directory goes
    awk -v d="$tmp/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount "$m"; done
    for f in "${smoke_logs[@]}" "$tmp"/containerd/containerd.log "$tmp"/pg/postgres.log; do
      [[ -f $f ]] && cp "$f" "$logs/"
    done
    rm -rf "$tmp"
  fi
  if [[ $code -ne 0 && -f $logs/$smoke_name.log ]]; then
    echo "--- $smoke_name log (last 40 lines; all of it in $logs) ---" >&2
    tail -40 "$logs/$smoke_name.log" | sed 's/^/  /' >&2
  fi
  exit $code
}

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

# --- PostgreSQL, as the operator's database has it ----------------------------------------------------
smoke_postgres() {
  smoke_database=$1
  db_password=$(secret)
  pg_port=$(free_port)
  mkdir -p "$tmp/pg"
  chown postgres: "$tmp/pg"
  # the service's own user with a password (SCRAM), owning its database
  runuser -u postgres -- "$pg_bin/initdb" -D "$tmp/pg/data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --no-sync --no-instructions >/dev/null
  pg_started=true
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/postgres.log" -w -t 60 \
    -o "-p $pg_port -k $tmp/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
  psql_ -d postgres -c "CREATE ROLE atrium LOGIN PASSWORD '$db_password'" \
    -c "CREATE DATABASE $smoke_database OWNER atrium"
  say "  PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, database $smoke_database, user atrium"
}
psql_() { "$pg_bin/psql" -h "$tmp/pg" -p "$pg_port" -U postgres -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

# --- Redis behind Sentinel, as the operator's cache has it ---------------------------------------------
# Sets cache_password, redis_port, sentinel_port and REDISCLI_AUTH; redis_ runs redis-cli against the server.
smoke_redis() {
  cache_password=$(secret)
  redis_port=$(free_port) sentinel_port=$(free_port)
  mkdir -p "$tmp/redis"
  printf '%s\n' "port $redis_port" "bind 127.0.0.1" 'save ""' "appendonly no" "dir $tmp/redis" \
    "logfile $tmp/redis/redis.log" "requirepass $cache_password" "masterauth $cache_password" \
    > "$tmp/redis/redis.conf"
  # master "atrium" behind Sentinel, which wants the same password
  printf '%s\n' "port $sentinel_port" "bind 127.0.0.1" "dir $tmp/redis" "logfile $tmp/redis/sentinel.log" \
    "requirepass $cache_password" "sentinel monitor atrium 127.0.0.1 $redis_port 1" \
    "sentinel auth-pass atrium $cache_password" > "$tmp/redis/sentinel.conf"
  redis-server "$tmp/redis/redis.conf" >/dev/null 2>&1 &
  smoke_keep $!
  redis-server "$tmp/redis/sentinel.conf" --sentinel >/dev/null 2>&1 &
  smoke_keep $!
  smoke_log "$tmp/redis/redis.log"
  smoke_log "$tmp/redis/sentinel.log"
  export REDISCLI_AUTH=$cache_password
  wait_for 30 "redis-server answering" sh -c "redis-cli -h 127.0.0.1 -p $redis_port ping | grep -q PONG"
  wait_for 30 "Sentinel knowing the master" sh -c \
    "redis-cli -h 127.0.0.1 -p $sentinel_port sentinel get-master-addr-by-name atrium | grep -q $redis_port"
  say "  Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on 127.0.0.1:$redis_port, Sentinel on 127.0.0.1:$sentinel_port (master atrium)"
}
redis_() { redis-cli -h 127.0.0.1 -p "$redis_port" "$@"; }

# --- identity's part, for a service that only checks tokens --------------------------------------------
# An RSA key whose JWKS jwebserver serves on loopback, and a forger's key that is not in it. Sets issuer and
# jwks_uri; token signs access tokens for $issuer.
smoke_issuer() {
  local modulus n jwks_port
  mkdir -p "$tmp/jwks/oauth2"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/jwks.key" 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/forger.key" 2>/dev/null
  modulus=$(openssl rsa -in "$tmp/jwks.key" -noout -modulus | cut -d= -f2)
  n=$(printf '%b' "$(sed 's/../\\x&/g' <<< "$modulus")" | b64url)
  printf '{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"smoke","e":"AQAB","n":"%s"}]}' "$n" \
    > "$tmp/jwks/oauth2/jwks.json"
  issuer=http://smoke.atrium.test/auth
  jwks_port=$(free_port)
  "$JAVA_HOME/bin/jwebserver" -b 127.0.0.1 -p "$jwks_port" -d "$tmp/jwks" -o info > "$tmp/jwks.log" 2>&1 &
  smoke_keep $!
  smoke_log "$tmp/jwks.log"
  jwks_uri=http://127.0.0.1:$jwks_port/oauth2/jwks.json
  wait_for 30 "the JWKS being served" curl -fsS "$jwks_uri"
  say "  JWKS at $jwks_uri (jwebserver of $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2))"
}
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
token() { # token SUBJECT [CLAIMS_JSON] [KEY]: an access token, valid 10 minutes (default: a person's)
  local now header payload claims=${2:-'{"principal_type":"user","departments":["smoke"]}'} key=${3:-$tmp/jwks.key}
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"smoke"}' | b64url)
  payload=$(jq -cn --arg iss "$issuer" --arg sub "$1" --argjson now "$now" --argjson claims "$claims" \
    '{iss: $iss, sub: $sub, iat: $now, exp: ($now + 600)} + $claims' | b64url)
  printf '%s.%s.%s' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" | b64url)"
}

# --- a private containerd -----------------------------------------------------------------------------
smoke_containerd() {
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
  local got
  got=$(ctr_ images ls | awk -v ref="$image" '$1 == ref { print $3 }')
  check "ctr images import: $image has the archive's digest ($digest)" test "$got" == "$digest"
}

# --- the service, as the pod runs it ------------------------------------------------------------------
# smoke_run ENV_FILE MEMORY_MIB: the container with the pod's restrictions (PodSecurity, StatelessService):
# the image's user (10001:10001; ctr 1.6 has no --user), read-only root filesystem, a tmpfs on /tmp for the
# pod's emptyDir, every capability dropped, no new privileges, the default seccomp profile, the memory
# limit; host networking stands in for the pod network. Waits for readiness as the startup probe would.
smoke_run() {
  local env_file=$1
  memory_limit_mib=$2
  # ctr 1.6 has no "ALL": every capability of its default set, by name (the pod drops ALL)
  local cap_drop=() c
  for c in CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE \
           SYS_CHROOT KILL AUDIT_WRITE; do cap_drop+=(--cap-drop "CAP_$c"); done
  run_started=$(date +%s)
  # /sys/fs/cgroup as the kubelet's containers have it (ctr's default spec lacks it): without it the JVM
  # does not see the memory limit and sizes its heap from the machine's memory.
  # ctr stays attached (in the background): its output is the container's log, its exit code the task's
  ctr_ run --read-only --net-host \
    --mount "type=tmpfs,src=tmpfs,dst=/tmp,options=rw:nosuid:nodev:mode=1777:size=268435456" \
    --mount "type=cgroup,src=cgroup,dst=/sys/fs/cgroup,options=ro:nosuid:noexec:nodev" \
    "${cap_drop[@]}" --seccomp --memory-limit $(( memory_limit_mib * 1024 * 1024 )) --env-file "$env_file" \
    "$image" "$cid" < /dev/null > "$service_log" 2>&1 &
  run_pid=$!
  task_running() { [[ $(task_status) == RUNNING ]]; }
  wait_for 30 "the task starting" task_running
  pid=$(ctr_ tasks ls | awk -v id="$cid" '$1 == id { print $2 }')
  say "  task $cid, pid $pid, http://127.0.0.1:$http_port"
  url=http://127.0.0.1:$http_port
  local ready=false deadline=$(( run_started + 120 ))   # the pod's startup probe allows 2 minutes
  while (( $(date +%s) < deadline )); do
    [[ $(task_status) == RUNNING ]] || break
    if curl -fsS "$url/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; then ready=true; break; fi
    sleep 0.5
  done
  local ready_after=$(( $(date +%s) - run_started ))
  if $ready; then
    pass "ready (/actuator/health/readiness UP) $ready_after s after ctr run"
  else
    fail "not ready within 120 s (task: $(task_status))"
    abort "the service did not become ready; see the log"
  fi
  local started_line
  started_line=$(grep -o 'Started [A-Za-z]*Application in [0-9.]* seconds (process running for [0-9.]*)' \
    "$service_log" || true)
  [[ -n $started_line ]] && say "  log: $started_line"
  return 0
}

# --- what every service's image must do ---------------------------------------------------------------
# smoke_common_checks MIGRATIONS_DIR TABLE: the process as the pod's, the JVM's settings, the probes,
# Flyway's migrations (all of MIGRATIONS_DIR applied, TABLE owned by the service's user)
smoke_common_checks() {
  local migrations_dir=$1 table=$2
  check "the process runs as uid 10001, gid 10001" \
    test "$(ps -o uid=,gid= -p "$pid" | awk '{print $1":"$2}')" == "10001:10001"
  check "no capabilities (CapEff $(awk '/^CapEff/ {print $2}' "/proc/$pid/status"))" \
    test "$(awk '/^CapEff/ {print $2}' "/proc/$pid/status")" == 0000000000000000
  check "the JVM picked up the image's JAVA_TOOL_OPTIONS" \
    grep -q 'Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75' "$service_log"
  local heap_max heap_limit=$(( memory_limit_mib * 75 / 100 ))
  heap_max=$(curl -fsS "$url/actuator/prometheus" \
    | awk '/^jvm_memory_max_bytes\{/ && /area="heap"/ && $NF > 0 { m += $NF } END { printf "%d", m / 1048576 }')
  check "the heap follows the memory limit: at most 75% of $memory_limit_mib MiB (max $heap_max MiB)" \
    test "${heap_max:-0}" -le "$heap_limit"
  check "liveness UP" test "$(curl -fsS "$url/actuator/health/liveness" | jq -r .status)" == UP

  # Flyway migrated the schema: every migration the image carries is applied, successfully, by atrium
  local migrations applied latest owner
  migrations=$(find "$migrations_dir" -name 'V*__*.sql' | wc -l)
  applied=$(psql_ -d "$smoke_database" -c "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL" || echo 0)
  latest=$(psql_ -d "$smoke_database" -c "SELECT max(version::int) FROM flyway_schema_history WHERE success" || echo none)
  check "Flyway migrated the schema: $applied of $migrations migrations applied (latest V$latest)" \
    test "$applied" == "$migrations"
  owner=$(psql_ -d "$smoke_database" -c "SELECT tableowner FROM pg_tables WHERE tablename = '$table'" || true)
  check "the tables belong to the service's user ($table owned by '$owner')" test "$owner" == atrium
}

# the end of the checks: metrics, the API description, a clean log
smoke_log_checks() {
  local metrics errors
  metrics=$(curl -fsS "$url/actuator/prometheus" || true)
  check "/actuator/prometheus tags the series with the platform" grep -q 'platform="smoke"' <<< "$metrics"
  check "process CPU metrics are there (jdk.management in the runtime)" grep -q '^process_cpu_usage{' <<< "$metrics"
  check "the OpenAPI description is served" test "$(curl -fsS "$url/v3/api-docs" | jq -r 'has("openapi")')" == true
  check "nothing in the log about a read-only file system, a missing module or class" \
    not grep -Eq 'Read-only file system|NoClassDefFoundError|ClassNotFoundException|Module .* not found' "$service_log"
  errors=$(grep -c ' ERROR ' "$service_log" || true)
  check "no ERROR lines in the log ($errors)" test "$errors" == 0
}

smoke_memory_report() {
  say "  written to /tmp (the pod's emptyDir): $(cd "/proc/$pid/root/tmp" && find . -mindepth 1 -maxdepth 2 | sed 's|^\./||' | sort | tr '\n' ' ')"
  local cgroup=/sys/fs/cgroup/memory/$ns/$cid peak rss
  if [[ -r $cgroup/memory.max_usage_in_bytes ]]; then
    peak=$(( $(<"$cgroup/memory.max_usage_in_bytes") / 1024 / 1024 ))
    rss=$(awk '$1 == "total_rss" { print int($2 / 1024 / 1024) }' "$cgroup/memory.stat")
    say "  memory: peak $peak MiB of the $memory_limit_mib MiB limit (cgroup, page cache included), rss now $rss MiB"
  fi
  # the JVM's view: heap and non-heap in use, the heap's maximum, and its memory pools (which name the GC)
  curl -fsS "$url/actuator/prometheus" | awk '
    /^jvm_memory_used_bytes\{/ { v = $NF / 1048576; if ($0 ~ /area="heap"/) heap += v; else nonheap += v
                                  match($0, /id="[^"]*"/); pools = pools (pools ? ", " : "") substr($0, RSTART + 4, RLENGTH - 5) }
    /^jvm_memory_max_bytes\{/ && /area="heap"/ && $NF > 0 { max += $NF / 1048576 }
    END { printf "[smoke] jvm: heap %d MiB used of %d MiB max, non-heap %d MiB; pools: %s\n", heap, max, nonheap, pools }' \
    | sed "s/^\[smoke\]/[smoke $(printf '%4s' $(( $(date +%s) - started )))s]  /" || true
}

# --- stop as the kubelet does -------------------------------------------------------------------------
smoke_sigterm() {
  ctr_ tasks kill -s SIGTERM "$cid"
  local stop_started stopped_after exit_code=timeout
  stop_started=$(date +%s)
  while kill -0 "$run_pid" 2>/dev/null && (( $(date +%s) - stop_started < 40 )); do sleep 0.5; done
  stopped_after=$(( $(date +%s) - stop_started ))
  if ! kill -0 "$run_pid" 2>/dev/null; then
    exit_code=0
    wait "$run_pid" || exit_code=$?
    run_pid=""
  fi
  check "stopped $stopped_after s after SIGTERM with exit code 143 (got $exit_code; the pod's grace is 45 s)" \
    test "$exit_code" == 143
  check "the log shows the graceful shutdown" grep -q 'Graceful shutdown complete' "$service_log"
  ctr_ containers delete "$cid" >/dev/null 2>&1 || true
}

smoke_end() {
  say "done in $(( $(date +%s) - started )) s; logs in ${logs#"$repo"/}/"
  echo "smoke: $passed passed, $failed failed"
  (( failed == 0 ))
}
