#!/usr/bin/env bash
# Smoke test of webos's image on a real container runtime: builds the image (hack/images/webos/build.sh),
# starts a private containerd, imports the archive, and runs the service from it the way the operator's
# pod runs it, against a real PostgreSQL, Redis behind Sentinel, a JWKS endpoint, and the services its
# gateway routes to, stood in for by a static HTTP server on loopback. See docs/images/webos.md.
#
#   hack/images/webos/smoke.sh [--no-build] [--tar FILE.tar]
#
#   --no-build  use the archive already built (platform-services/webos/target/...)
#   --tar       the archive to test (implies --no-build)
#
# The container runs as the pod does (workload/PodSecurity, StatelessService): uid and gid 10001,
# read-only root filesystem, a tmpfs on /tmp for the pod's emptyDir, every capability dropped, no new
# privileges, the default seccomp profile, the smallest size preset's memory limit (768 MiB), and the
# environment the operator writes (Wiring.common, Wiring.commonSecrets, OAuthClients, WebosModel): the
# database by JDBC URL with user and password, Redis through Sentinel, the identity issuer and JWKS,
# the gateway's routes to identity and netdisk (the message center is left out, so its paths have no
# route), and the public URL. Host networking stands in for the pod network: everything listens on
# 127.0.0.1. The "services" are JDK's jwebserver serving files: what goes through the gateway must
# arrive byte for byte, and identity's GET /api/me says the caller is an administrator.
#
# Needs root (containerd, runc), Debian's containerd, runc, postgresql-15, redis-server, curl, openssl
# and jq (installed with apt-get when missing) and a JDK 21+ (its jwebserver). Nothing of the
# machine's is used or changed: containerd runs with its own root, state and socket in a temporary
# directory, and everything started here is stopped and deleted on exit (hack/lib/service-smoke.sh).
# Logs are kept in target/images-smoke/webos/. Ends with "smoke: N passed, M failed".
set -euo pipefail
# shellcheck source=../../lib/service-smoke.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/service-smoke.sh"
smoke_init webos "$(sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//')" "$@"
[[ -n $tar_file ]] || tar_file=$repo/platform-services/webos/target/atrium-webos-image.tar

say "0/6 prerequisites"
smoke_prerequisites redis-server

say "1/6 image"
smoke_image hack/images/webos/build.sh
smoke_workdir

# --- 2. the stores, identity's keys and the services behind the gateway ------------------------------
say "2/6 PostgreSQL, Redis with Sentinel, JWKS, the services' stand-in on 127.0.0.1"
smoke_postgres webos
smoke_redis
smoke_issuer

# one static server stands in for identity, netdisk and an app's backend: each answers files under its paths
site=$tmp/site
mkdir -p "$site/api" "$site/netdisk/api/v1" "$site/v1"
# (jwebserver serves no hidden files, so not identity's real /.well-known/openid-configuration)
jq -n --arg issuer "$issuer" '{issuer: $issuer}' > "$site/oidc.json"
# identity's GET /api/me, as it answers an administrator (webos asks it before any change to the gateway)
printf '{"person":{"id":"admin","admin":true,"status":"active"}}' > "$site/api/me"
head -c 300000 /dev/urandom > "$site/netdisk/api/v1/blob.bin"
printf 'hello from version 1\n' > "$site/v1/hello.txt"
site_port=$(free_port)
"$JAVA_HOME/bin/jwebserver" -b 127.0.0.1 -p "$site_port" -d "$site" -o info > "$tmp/site.log" 2>&1 &
smoke_keep $!
smoke_log "$tmp/site.log"
backend=http://127.0.0.1:$site_port
wait_for 30 "the services' stand-in answering" curl -fsS "$backend/v1/hello.txt"

# --- 3. a private containerd --------------------------------------------------------------------------
say "3/6 containerd (private instance) and the import"
smoke_containerd

# --- 4. the service, as the pod runs it -----------------------------------------------------------------
say "4/6 webos from the image"
http_port=$(free_port)
domain=smoke.atrium.test
env_file=$tmp/env
# Wiring.common + Wiring.commonSecrets + OAuthClients + WebosModel, with loopback addresses for the Services
cat > "$env_file" <<EOF
ATRIUM_PLATFORM=smoke
ATRIUM_DOMAIN=$domain
ATRIUM_MODE=Private
ATRIUM_VERSION=smoke
SERVER_PORT=$http_port
SERVER_SHUTDOWN=graceful
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$pg_port/webos
SPRING_DATASOURCE_USERNAME=atrium
SPRING_DATASOURCE_PASSWORD=$db_password
SPRING_DATASOURCE_HIKARI_INITIALIZATIONFAILTIMEOUT=90000
SPRING_DATA_REDIS_SENTINEL_MASTER=atrium
SPRING_DATA_REDIS_SENTINEL_NODES=127.0.0.1:$sentinel_port
SPRING_DATA_REDIS_PASSWORD=$cache_password
SPRING_DATA_REDIS_SENTINEL_PASSWORD=$cache_password
ATRIUM_IDENTITY_ISSUER=$issuer
ATRIUM_IDENTITY_JWKS_URI=$jwks_uri
ATRIUM_GATEWAY_ROUTES_IDENTITY=$backend
ATRIUM_GATEWAY_PODS_IDENTITY=127.0.0.1:$site_port
ATRIUM_GATEWAY_ROUTES_NETDISK=$backend
ATRIUM_WEBOS_PUBLIC_URL=http://$domain
ATRIUM_OAUTH_CLIENT_ID=webos
ATRIUM_OAUTH_CLIENT_SECRET=$(secret)
EOF
smoke_run "$env_file" 768

# --- 5. checks ----------------------------------------------------------------------------------------
say "5/6 checks"
smoke_common_checks platform-services/webos/src/main/resources/db/migration app_routes
readiness=$(curl -fsS "$url/actuator/health/readiness" || true)
check "readiness is the database's (UP), not a backend's or the cache's" \
  test "$(jq -r '[.status, .components.db.status, (.components.redis != null)] | join(",")' <<< "$readiness")" \
  == UP,UP,false

problem() { # problem STATUS TYPE CURL_ARGS...: the answer is that RFC 9457 problem
  local status=$1 type=$2 got
  shift 2
  got=$(curl -sS -D "$tmp/problem.headers" "$@" || true)
  grep -qi '^content-type: application/problem+json' "$tmp/problem.headers" \
    && [[ $(jq -r '"\(.status) \(.type)"' <<< "$got" 2>/dev/null) == "$status urn:atrium:problem:$type" ]] \
    || { say "        got: $(head -1 "$tmp/problem.headers") ${got:0:300}"; false; }
}
alice=$(token alice)
auth=(-H "Authorization: Bearer $alice")
check "netdisk's API without a token: a 401 problem, nothing forwarded" \
  problem 401 unauthenticated "$url/netdisk/api/v1/blob.bin"
check "a token signed by another key: 401" \
  problem 401 unauthenticated -H "Authorization: Bearer $(token alice '{"principal_type":"user"}' "$tmp/forger.key")" \
  "$url/netdisk/api/v1/blob.bin"
curl -fsS "${auth[@]}" -o "$tmp/blob.bin" "$url/netdisk/api/v1/blob.bin" || true
check "with alice's token netdisk's path goes through unchanged and the body arrives byte for byte" \
  cmp -s "$tmp/blob.bin" "$site/netdisk/api/v1/blob.bin"
check "/auth goes to identity without the prefix and without a token" \
  test "$(curl -fsS "$url/auth/oidc.json" | jq -r .issuer)" == "$issuer"
check "the message center is not configured: its paths answer a 404 problem (no-route)" \
  problem 404 no-route "${auth[@]}" "$url/messages/api/v1/unread"
check "changing the gateway needs an administrator's token: none is a 401 problem" \
  problem 401 unauthenticated -X PUT -H 'Content-Type: application/json' -d '{}' "$url/webos/api/v1/admin/routes/smoke"

# an app's route, made through the admin API (identity's /api/me stand-in says the caller is an administrator)
admin=(-H "Authorization: Bearer $(token admin)")
route=$(jq -cn --arg url "$backend" '{backends: [{version: "v1", url: $url, weight: 100}],
  rateLimit: {requests: 5, periodSeconds: 60}}')
code=$(curl -sS -o "$tmp/route.json" -w '%{http_code}' "${admin[@]}" -X PUT -H 'Content-Type: application/json' \
  -d "$route" "$url/webos/api/v1/admin/routes/smoke" || true)
check "an administrator creates the app route smoke (201, got $code)" test "$code" == 201
body=$(curl -fsS "${auth[@]}" "$url/apps/smoke/v1/hello.txt" || true)
check "the app's API answers through /apps/smoke, the prefix stripped" test "$body" == "hello from version 1"
codes=""
for _ in 1 2 3 4; do codes+="$(curl -sS -o /dev/null -w '%{http_code}' "${auth[@]}" "$url/apps/smoke/v1/hello.txt") "; done
check "the app's rate limit (5 a minute, in Redis through Sentinel) stops the sixth request: $codes" \
  problem 429 rate-limited "${auth[@]}" "$url/apps/smoke/v1/hello.txt"
check "the 429 says when to come back (Retry-After)" grep -qi '^retry-after: [0-9]' "$tmp/problem.headers"
usage=$(curl -fsS "${admin[@]}" "$url/webos/api/v1/admin/usage" || true)
check "the usage report counts the app's requests: 5 answered by v1 (2xx), 1 stopped before a version was chosen (4xx)" \
  test "$(jq -r '[.lines[] | select(.app == "smoke")] | sort_by(.version)
    | map("\(.version):\(.requests):\(.byStatus["2xx"] // 0):\(.byStatus["4xx"] // 0)") | join(",")' <<< "$usage" \
    2>/dev/null)" == "-:1:0:1,v1:5:5:0"
metric=$(curl -fsS "$url/actuator/prometheus" \
  | awk '/^webos_gateway_requests_seconds_count\{/ && /app="smoke"/ && /status="2xx"/ { s += $NF } END { print s + 0 }')
check "Prometheus counts the app's answered requests (webos_gateway_requests_seconds_count 2xx: $metric)" \
  test "$metric" == 5
smoke_log_checks

smoke_memory_report

# --- 6. SIGTERM ---------------------------------------------------------------------------------------
say "6/6 SIGTERM"
smoke_sigterm
smoke_end
