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
# in a temporary directory, and everything started here is stopped and deleted on exit (what the
# services' smoke tests share is hack/lib/service-smoke.sh). Logs are kept in
# target/images-smoke/message-center/. Ends with "smoke: N passed, M failed".
set -euo pipefail
# shellcheck source=../../lib/service-smoke.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/service-smoke.sh"
smoke_init message-center "$(sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//')" "$@"
[[ -n $tar_file ]] || tar_file=$repo/platform-services/message-center/target/atrium-message-center-image.tar

say "0/6 prerequisites"
smoke_prerequisites redis-server

say "1/6 image"
smoke_image hack/images/message-center/build.sh
smoke_workdir

# --- 2. the stores and the identity stand-in ------------------------------------------------------
say "2/6 PostgreSQL, Redis with Sentinel, JWKS on 127.0.0.1"
smoke_postgres messages

cache_password=$(secret)
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
smoke_keep $!
redis-server "$tmp/redis/sentinel.conf" --sentinel >/dev/null 2>&1 &
smoke_keep $!
smoke_log "$tmp/redis/redis.log"
smoke_log "$tmp/redis/sentinel.log"
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
smoke_keep $!
smoke_log "$tmp/jwks.log"
jwks_uri=http://127.0.0.1:$jwks_port/oauth2/jwks.json
wait_for 30 "the JWKS being served" curl -fsS "$jwks_uri"
say "  JWKS at $jwks_uri (jwebserver of $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2))"

# --- 3. a private containerd ----------------------------------------------------------------------
say "3/6 containerd (private instance) and the import"
smoke_containerd

# --- 4. the service, as the pod runs it -------------------------------------------------------------
say "4/6 the message center from the image"
http_port=$(free_port)
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
smoke_run "$env_file" 768

# --- 5. checks --------------------------------------------------------------------------------------
say "5/6 checks"
smoke_common_checks platform-services/message-center/src/main/resources/db/migration message
readiness=$(curl -fsS "$url/actuator/health/readiness" || true)
check "readiness checks the database and Redis, both UP" \
  test "$(jq -r '[.components.db.status, .components.redis.status] | join(",")' <<< "$readiness")" == UP,UP

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

smoke_log_checks
smoke_memory_report

# --- 6. stop as the kubelet does ---------------------------------------------------------------------
say "6/6 SIGTERM"
smoke_sigterm
smoke_end
