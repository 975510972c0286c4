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

smoke_redis
smoke_issuer

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
