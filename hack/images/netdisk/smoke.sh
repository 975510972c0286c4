#!/usr/bin/env bash
# Smoke test of netdisk's image on a real container runtime: builds the image
# (hack/images/netdisk/build.sh), starts a private containerd, imports the archive, and runs the
# service from it the way the operator's pod runs it, against a real PostgreSQL, a real object store
# (SeaweedFS's `weed server` with its S3 gateway) and a JWKS endpoint this script starts on loopback.
# See docs/images/netdisk.md.
#
#   hack/images/netdisk/smoke.sh [--no-build] [--tar FILE.tar]
#
#   --no-build  use the archive already built (platform-services/netdisk/target/...)
#   --tar       the archive to test (implies --no-build)
#
# The container runs as the pod does (workload/PodSecurity, StatelessService): uid and gid 10001,
# read-only root filesystem, a tmpfs on /tmp for the pod's emptyDir, every capability dropped, no new
# privileges, the default seccomp profile, the smallest size preset's memory limit (768 MiB), and the
# environment the operator writes (Wiring.common, Wiring.commonSecrets, OAuthClients, NetdiskModel): the
# database by JDBC URL with user and password, the identity issuer and JWKS, the object store's
# endpoint, bucket, region and keys, identity's client netdisk (its secret and the token endpoint; the
# message center is off, so no events are sent), the public address and spec.netdisk's defaults. Host
# networking stands in for the pod network: everything listens on 127.0.0.1. The bucket does not exist
# when netdisk starts: netdisk makes it, as at a platform's first start.
#
# Needs root (containerd, runc; weed runs in a mount namespace of its own), Debian's containerd, runc,
# postgresql-15, curl (7.75+, for --aws-sigv4), openssl and jq (installed with apt-get when missing),
# unshare (util-linux), a JDK 21+ (its jwebserver serves the JWKS) and SeaweedFS's weed (hack/tools.sh
# builds it into .tools/bin, and is run when it is missing; ATRIUM_WEED_BIN may name another directory
# holding it). Nothing of the machine's is used or changed: containerd runs with its own root, state
# and socket in a temporary directory, weed's unix sockets go to a /tmp of its own, and everything
# started here is stopped and deleted on exit (hack/lib/service-smoke.sh). Logs are kept in
# target/images-smoke/netdisk/. Ends with "smoke: N passed, M failed".
set -euo pipefail
# shellcheck source=../../lib/service-smoke.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/service-smoke.sh"
smoke_init netdisk "$(sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//')" "$@"
[[ -n $tar_file ]] || tar_file=$repo/platform-services/netdisk/target/atrium-netdisk-image.tar

say "0/6 prerequisites"
smoke_prerequisites
curl --help all 2>/dev/null | grep -q -- --aws-sigv4 || abort "curl has no --aws-sigv4 (7.75 or newer needed)"
# weed as service-testing's ServerBinaries.weed() finds it: ATRIUM_WEED_BIN, the repository's .tools/bin, PATH
weed=""
for candidate in ${ATRIUM_WEED_BIN:+"$ATRIUM_WEED_BIN/weed"} "$repo/.tools/bin/weed" "$(command -v weed || true)"; do
  [[ -n $candidate && -x $candidate ]] && { weed=$candidate; break; }
done
if [[ -z $weed ]]; then
  say "building SeaweedFS's weed with hack/tools.sh (about 8 minutes on 2 cores when nothing is cached)"
  hack/tools.sh >/dev/null
  weed=$repo/.tools/bin/weed
  [[ -x $weed ]] || abort "no weed in .tools/bin after hack/tools.sh"
fi

say "1/6 image"
smoke_image hack/images/netdisk/build.sh
smoke_workdir

# --- 2. the stores and the identity stand-in ----------------------------------------------------------
say "2/6 PostgreSQL, SeaweedFS (weed server with S3), JWKS on 127.0.0.1"
smoke_postgres netdisk

# the object store as service-testing's SeaweedServer starts it: master, volume server, filer and S3 gateway in
# one process, the gateway accepting one key pair from weed's identity file (as the image's entrypoint writes it).
# weed puts the unix sockets of its gRPC services in /tmp, whatever TMPDIR says, and removes them only after a
# graceful stop (which takes it 25 s): it runs in a mount namespace of its own with a tmpfs on /tmp, into which its
# directory here is bound back at its own path (the namespace goes with the process, and so do the sockets).
s3_access_key=smoke$(openssl rand -hex 6) s3_secret_key=$(secret)
s3_port=$(free_port) bucket=netdisk region=us-east-1
mkdir -p "$tmp/weed/master" "$tmp/weed/volume"
jq -cn --arg access "$s3_access_key" --arg secret "$s3_secret_key" '{identities: [{name: "atrium",
  credentials: [{accessKey: $access, secretKey: $secret}], actions: ["Admin", "Read", "List", "Tagging", "Write"]}]}' \
  > "$tmp/weed/s3.json"
chmod 600 "$tmp/weed/s3.json"
# the working directory (where the filer's embedded store goes) stays the real one under the tmpfs: it is what
# /proc/self/cwd binds back
# shellcheck disable=SC2016 # the inner shell expands $1 and $@
(cd "$tmp/weed" && exec unshare --mount -- sh -c 'mount -t tmpfs -o size=16m,mode=1777 tmpfs /tmp && mkdir -p "$1" \
  && mount --no-canonicalize --bind /proc/self/cwd "$1" && cd "$1" && shift && exec "$@"' weed "$tmp/weed" \
  "$weed" -logtostderr=true server -ip=127.0.0.1 -ip.bind=127.0.0.1 \
  -master.port="$(free_port)" -master.port.grpc="$(free_port)" -master.dir="$tmp/weed/master" \
  -master.volumeSizeLimitMB=64 -master.telemetry=false \
  -dir="$tmp/weed/volume" -volume.max=0 -volume.port="$(free_port)" -volume.port.grpc="$(free_port)" \
  -filer=true -filer.port="$(free_port)" -filer.port.grpc="$(free_port)" \
  -s3=true -s3.port="$s3_port" -s3.port.grpc="$(free_port)" -s3.config="$tmp/weed/s3.json" \
  -s3.port.iceberg=0 -s3.port.lance=0 -s3.iam=false) > "$tmp/weed/weed.log" 2>&1 &
weed_pid=$!
smoke_keep "$weed_pid"
smoke_log "$tmp/weed/weed.log"
s3=http://127.0.0.1:$s3_port
wait_for 90 "weed's S3 gateway answering on $s3" curl -fsS "$s3/healthz"
s3_() { curl -sS --aws-sigv4 "aws:amz:$region:s3" --user "$s3_access_key:$s3_secret_key" "$@"; }
say "  SeaweedFS $("$weed" version 2>/dev/null | awk '{print $3; exit}'), S3 at $s3 (region $region)"
code=$(s3_ -o /dev/null -w '%{http_code}' -I "$s3/$bucket" || true)
check "before netdisk starts the object store has no bucket $bucket (HEAD: $code)" test "$code" == 404

smoke_issuer

# --- 3. a private containerd --------------------------------------------------------------------------
say "3/6 containerd (private instance) and the import"
smoke_containerd

# --- 4. the service, as the pod runs it -----------------------------------------------------------------
say "4/6 netdisk from the image"
http_port=$(free_port)
domain=smoke.atrium.test
client_secret=$(openssl rand 24 | b64url)
env_file=$tmp/env
# Wiring.common + Wiring.commonSecrets (no cache: netdisk keeps nothing in Redis) + OAuthClients + NetdiskModel,
# with loopback addresses for the Services. Identity registers netdisk as its client, so its id, secret and
# token endpoint are set (nothing answers there: with the message center off netdisk asks for no token).
# spec.netdisk's defaults as the operator writes them: byte counts and days.
cat > "$env_file" <<EOF
ATRIUM_PLATFORM=smoke
ATRIUM_DOMAIN=$domain
ATRIUM_MODE=Private
ATRIUM_VERSION=smoke
SERVER_PORT=$http_port
SERVER_SHUTDOWN=graceful
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$pg_port/netdisk
SPRING_DATASOURCE_USERNAME=atrium
SPRING_DATASOURCE_PASSWORD=$db_password
SPRING_DATASOURCE_HIKARI_INITIALIZATIONFAILTIMEOUT=90000
ATRIUM_IDENTITY_ISSUER=$issuer
ATRIUM_IDENTITY_JWKS_URI=$jwks_uri
ATRIUM_S3_ENDPOINT=$s3
ATRIUM_S3_BUCKET=$bucket
ATRIUM_S3_REGION=$region
ATRIUM_S3_ACCESS_KEY=$s3_access_key
ATRIUM_S3_SECRET_KEY=$s3_secret_key
ATRIUM_OAUTH_CLIENT_ID=netdisk
ATRIUM_OAUTH_CLIENT_SECRET=$client_secret
ATRIUM_IDENTITY_TOKEN_URI=http://127.0.0.1:$(free_port)/oauth2/token
ATRIUM_NETDISK_PUBLIC_URL=http://$domain/netdisk
ATRIUM_NETDISK_PERSONAL_QUOTA=10737418240B
ATRIUM_NETDISK_SPACE_QUOTA=107374182400B
ATRIUM_NETDISK_MAX_FILE_SIZE=21474836480B
ATRIUM_NETDISK_VERSIONS_KEPT=50
ATRIUM_NETDISK_TRASH_RETENTION=30d
EOF
smoke_run "$env_file" 768

# --- 5. checks ----------------------------------------------------------------------------------------
say "5/6 checks"
smoke_common_checks platform-services/netdisk/src/main/resources/db/migration node
readiness=$(curl -fsS "$url/actuator/health/readiness" || true)
check "readiness checks the database and the object store, both UP" \
  test "$(jq -r '[.components.db.status, .components.objectStore.status] | join(",")' <<< "$readiness")" == UP,UP

# the bucket: made by netdisk in the background after its start (readiness waited for it)
code=$(s3_ -o /dev/null -w '%{http_code}' -I "$s3/$bucket" || true)
bucket_made() { [[ $code == 200 ]] && grep -q "created the bucket $bucket" "$service_log"; }
check "netdisk created its bucket in the object store (HEAD $bucket: $code; the log says so)" bucket_made

api=$url/netdisk/api/v1
# the API wants identity's token: a problem (RFC 9457) and a Bearer challenge without one
problem() { # problem NAME STATUS TYPE: the response saved as NAME.headers and NAME.json is that problem
  [[ $(awk 'NR == 1 { print $2 }' "$tmp/$1.headers") == "$2" ]] \
    && grep -qi '^content-type: application/problem+json' "$tmp/$1.headers" \
    && [[ $(jq -r '"\(.status) \(.type)"' "$tmp/$1.json" 2>/dev/null) == "$2 urn:atrium:problem:$3" ]]
}
curl -sS -D "$tmp/401.headers" -o "$tmp/401.json" "$api/spaces" || true
challenge() { problem 401 401 unauthenticated && grep -qi '^www-authenticate: Bearer' "$tmp/401.headers"; }
check "the API refuses a request without a token: 401 problem+json (unauthenticated), WWW-Authenticate: Bearer" \
  challenge
forged=$(token alice '{"principal_type":"user"}' "$tmp/forger.key")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $forged" "$api/spaces")
check "a token signed by another key is refused (401, got $code)" test "$code" == 401
detail=$(curl -sS -H "Authorization: Bearer $(token alice '{}')" "$api/spaces" | jq -r .detail 2>/dev/null || true)
check "a token without principal_type is refused, and the problem says why" grep -q 'principal_type claim' <<< "$detail"

alice=$(token alice)
auth=(-H "Authorization: Bearer $alice")
spaces=$(curl -fsS "${auth[@]}" "$api/spaces" || true)
space=$(jq -r '.[] | select(.kind == "PERSONAL") | .id' <<< "$spaces" 2>/dev/null || true)
check "alice's token opens her personal space (id ${space:-none}, 10 GiB quota)" \
  test "$(jq -r '.[] | select(.kind == "PERSONAL") | "\(.ownerId) \(.quotaBytes)"' <<< "$spaces" 2>/dev/null)" \
  == "alice 10737418240"

# a whole file in one request, under a path with a folder and a Chinese name (UTF-8 through the image's C.UTF-8)
head -c 300007 /dev/urandom > "$tmp/small.bin"
small_path="smoke/报告 1.bin"
uploaded=$(curl -sS "${auth[@]}" -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$tmp/small.bin" \
  "$api/spaces/$space/content?path=$(jq -rn --arg p "$small_path" '$p | @uri')" || true)
small_id=$(jq -r .id <<< "$uploaded" 2>/dev/null || true)
check "a file is uploaded in one PUT to '$small_path' (id ${small_id:-none}, SHA-256 as sent)" \
  test "$(jq -r '"\(.name) \(.size) \(.sha256)"' <<< "$uploaded" 2>/dev/null)" \
  == "报告 1.bin 300007 $(sha256sum < "$tmp/small.bin" | cut -d' ' -f1)"
curl -sS "${auth[@]}" -D "$tmp/download.headers" -o "$tmp/small.out" "$api/files/$small_id/content" || true
read_back() {
  cmp -s "$tmp/small.bin" "$tmp/small.out" \
    && grep -qi "^content-disposition: attachment; .*filename\*=UTF-8''" "$tmp/download.headers"
}
check "it reads back byte-identical, as an attachment named in UTF-8" read_back
code=$(curl -sS "${auth[@]}" -r 100000-199999 -o "$tmp/range.out" -w '%{http_code}' \
  "$api/files/$small_id/content" || true)
dd if="$tmp/small.bin" of="$tmp/range.expected" bs=1000 skip=100 count=100 status=none
ranged() { [[ $code == 206 ]] && cmp -s "$tmp/range.out" "$tmp/range.expected"; }
check "a range of it reads back as 206 with those bytes (got $code)" ranged

# a resumable upload in two chunks: an S3 multipart upload in SeaweedFS, completed and read back
big_size=$(( 8 * 1024 * 1024 + 4321 ))
head -c "$big_size" /dev/urandom > "$tmp/big.bin"
big_sha=$(sha256sum < "$tmp/big.bin" | cut -d' ' -f1)
upload=$(curl -sS "${auth[@]}" -H 'Content-Type: application/json' \
  -d "{\"path\":\"smoke/big.bin\",\"size\":$big_size,\"sha256\":\"$big_sha\"}" "$api/spaces/$space/uploads" || true)
upload_id=$(jq -r .id <<< "$upload" 2>/dev/null || true)
chunk_size=$(jq -r .chunkSize <<< "$upload" 2>/dev/null || true)
chunks=$(jq -r .chunks <<< "$upload" 2>/dev/null || echo 0)
received=0
for (( i = 0; i < ${chunks:-0}; i++ )); do
  dd if="$tmp/big.bin" of="$tmp/chunk" bs="$chunk_size" skip="$i" count=1 status=none
  curl -fsS "${auth[@]}" -X PUT -H 'Content-Type: application/octet-stream' \
    -H "X-Chunk-SHA256: $(sha256sum < "$tmp/chunk" | cut -d' ' -f1)" --data-binary @"$tmp/chunk" \
    "$api/uploads/$upload_id/chunks/$i" > /dev/null && received=$(( received + 1 ))
done
completed=$(curl -sS "${auth[@]}" -X POST "$api/uploads/$upload_id/complete" || true)
big_id=$(jq -r .id <<< "$completed" 2>/dev/null || true)
check "a resumable upload of $big_size bytes in $received of ${chunks:-?} chunks (S3 multipart) completes" \
  test "$(jq -r '"\(.size) \(.sha256)"' <<< "$completed" 2>/dev/null)" == "$big_size $big_sha"
curl -sS "${auth[@]}" -o "$tmp/big.out" "$api/files/$big_id/content" || true
check "and reads back byte-identical" cmp -s "$tmp/big.bin" "$tmp/big.out"

# what the object store holds: one object per content, as the database's blobs say
s3_ "$s3/$bucket?list-type=2" > "$tmp/list.xml" || true
objects=$(tr '<' '\n' < "$tmp/list.xml" \
  | awk -F'>' '$1 == "Key" { key = $2 } $1 == "Size" && key != "" { print key, $2; key = "" }' | sort)
blobs=$(psql_ -d netdisk -c "SELECT object_key || ' ' || size FROM blob ORDER BY 1")
check "the bucket holds one object per stored content, as the database's blobs ($(wc -l <<< "$blobs") objects)" \
  test -n "$blobs" -a "$objects" == "$blobs"
used=$(curl -fsS "${auth[@]}" "$api/spaces" | jq -r '.[] | select(.kind == "PERSONAL") | .usedBytes' 2>/dev/null \
  || true)
check "the space counts what is stored in it against its quota ($used bytes)" test "$used" == $(( 300007 + big_size ))

# a path that climbs out of the space is refused, not resolved
curl -sS "${auth[@]}" -X PUT -H 'Content-Type: application/octet-stream' --data-binary 'climbing' \
  -D "$tmp/400.headers" -o "$tmp/400.json" "$api/spaces/$space/content?path=..%2F..%2Fetc%2Fpasswd" || true
check "a path with '..' is refused: 400 problem+json, invalid-path ($(jq -r .detail "$tmp/400.json" 2>/dev/null))" \
  problem 400 400 invalid-path

# a share link: anyone with it downloads, without a token, as often as its limit says
share=$(curl -sS "${auth[@]}" -H 'Content-Type: application/json' -d '{"downloadLimit":1}' \
  "$api/files/$small_id/shares" || true)
share_url=$(jq -r .url <<< "$share" 2>/dev/null || true)
share_token=${share_url##*/}
shown=$(curl -sS "$url/netdisk/s/$share_token" | jq -r '"\(.name) \(.size)"' 2>/dev/null || true)
curl -sS -o "$tmp/shared.out" "$url/netdisk/s/$share_token/content" || true
shared() {
  [[ $share_url == "http://$domain/netdisk/s/"* && $shown == "报告 1.bin 300007" ]] \
    && cmp -s "$tmp/small.bin" "$tmp/shared.out"
}
check "a share link ($share_url) shows the file and downloads it without a token, byte-identical" shared
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/netdisk/s/$share_token/content")
check "its one download used, the link is gone (410, got $code)" test "$code" == 410

# no secret of the pod's in its log
leaked=()
for s in "$db_password" "$s3_secret_key" "$client_secret"; do
  if grep -qF -- "$s" "$service_log"; then leaked+=("${s:0:4}..."); fi
done
check "no secret in the log (database password, S3 secret key, OAuth client secret)${leaked[*]:+: found ${leaked[*]}}" \
  test "${#leaked[@]}" == 0

smoke_log_checks
smoke_memory_report

# --- 6. stop as the kubelet does ----------------------------------------------------------------------
say "6/6 SIGTERM"
smoke_sigterm
# the object store's data goes with the directory: no need to wait the 25 s of weed's graceful stop
kill -KILL "$weed_pid" 2>/dev/null || true
smoke_end
