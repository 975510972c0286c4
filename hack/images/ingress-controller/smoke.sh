#!/usr/bin/env bash
# Runs the ingress controller image for real, without Kubernetes: its root filesystem, read-only, with
# the image's entrypoint as user 65532, on the entry points the real node's manifest gives it (HTTP on
# 8000, HTTPS on 8443, ping on 8080), with Traefik's file provider standing for its Kubernetes provider:
# one host, / to one backend and /netdisk to another (as the operator's Ingress routes a platform's
# domain), its certificate made here (openssl, self-signed). Everything runs in a network namespace of its
# own (10.78.0.0/24 on its loopback interface), so nothing on the machine's network is touched. Checked:
#
#   the binary is the pinned Traefik; it answers ping; the host's paths reach their backends over HTTP
#   (the longer prefix wins); another host gets 404; HTTPS with SNI verifies against exactly the
#   certificate made here and reaches the backend; another name gets Traefik's own certificate, which
#   does not verify; nothing was written outside /tmp, and the log has no error.
#
#   hack/images/ingress-controller/smoke.sh [--image FILE.tar] [--keep]
#
# Without --image the image is built first (build.sh). Needs root (namespaces, mounts, chroot), curl,
# openssl and python3 (the backends). Ends with "smoke: N passed, M failed"; keeps its directory (logs)
# when something failed or with --keep.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
[[ $(id -u) == 0 ]] || { echo "[smoke] error: run as root: network and mount namespaces, chroot as 65532" >&2; exit 1; }
if [[ ${ATRIUM_SMOKE_NETNS:-} != 1 ]]; then
  exec unshare --net -- env ATRIUM_SMOKE_NETNS=1 "$0" "$@"
fi
image="" keep=false
while (( $# )); do
  case $1 in
    --image) image=$(realpath "$2"); shift 2 ;;
    --keep) keep=true; shift ;;
    *) echo "smoke: unknown argument $1" >&2; exit 2 ;;
  esac
done
log() { printf '[smoke] %s\n' "$*" >&2; }
die() { printf '[smoke] error: %s\n' "$*" >&2; exit 1; }
for tool in curl openssl python3; do command -v $tool >/dev/null || die "$tool is missing"; done
# shellcheck source=../../tools/versions.env
source "$repo/hack/tools/versions.env"

work=$(mktemp -d /tmp/atrium-ingress-smoke.XXXXXX)
chmod 755 "$work"
pids=()
passed=0 failed=0
cleanup() {
  local rc=$? pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if (( failed > 0 || rc != 0 )) || $keep; then log "kept $work (Traefik's log: $work/traefik.log)"; else rm -rf "$work"; fi
}
trap cleanup EXIT
pass() { passed=$((passed + 1)); printf '[smoke] %4ss ok   %s\n' "$SECONDS" "$1" >&2; }
fail() { failed=$((failed + 1)); printf '[smoke] %4ss FAIL %s\n' "$SECONDS" "$1" >&2; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
eventually() { # SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do (( SECONDS < deadline )) || return 1; sleep 0.5; done
}

# --- the image's root filesystem -------------------------------------------------------------------
if [[ -z $image ]]; then
  image=$work/ingress-controller.tar
  "$here/build.sh" --out "$image" --ref registry.atrium.dev/atrium/ingress-controller:smoke
fi
root=$work/rootfs
mkdir -p "$work/image" "$root"
tar -xf "$image" -C "$work/image"
read -r layers user entrypoint < <(python3 - "$work/image" <<'PY'
import json, sys
d = sys.argv[1]
index = json.load(open(d + "/index.json"))
manifest = json.load(open(d + "/blobs/sha256/" + index["manifests"][0]["digest"][7:]))
config = json.load(open(d + "/blobs/sha256/" + manifest["config"]["digest"][7:]))["config"]
print(",".join(l["digest"][7:] for l in manifest["layers"]), config["User"], config["Entrypoint"][0])
PY
)
for layer in ${layers//,/ }; do tar --numeric-owner -xzf "$work/image/blobs/sha256/$layer" -C "$root"; done
mkdir -p "$root/proc" "$root/dev"
check "the image runs as $user (nonroot)" test "$user" = 65532:65532
log "image $(cat "$image.digest" 2>/dev/null || echo "$image") unpacked"

# --- the network, the certificate, the backends ------------------------------------------------------
ip link set lo up
ip addr add 10.78.0.1/32 dev lo   # the backends
ip addr add 10.78.0.2/32 dev lo   # Traefik
domain=collab.smoke.example
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$domain" -addext "subjectAltName=DNS:$domain" \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
install -d -m 755 "$work/config" "$work/tmp"
chmod 1777 "$work/tmp"
install -m 644 "$work/tls.crt" "$work/config/tls.crt"
install -m 640 -g 65532 "$work/tls.key" "$work/config/tls.key"
cat > "$work/config/routes.yaml" <<YAML
http:
  routers:
    desktop: {rule: "Host(\`$domain\`) && PathPrefix(\`/\`)", service: desktop}
    netdisk: {rule: "Host(\`$domain\`) && PathPrefix(\`/netdisk\`)", service: netdisk}
  services:
    desktop: {loadBalancer: {servers: [{url: "http://10.78.0.1:8081"}]}}
    netdisk: {loadBalancer: {servers: [{url: "http://10.78.0.1:8082"}]}}
tls:
  certificates:
    - {certFile: /tmp/config/tls.crt, keyFile: /tmp/config/tls.key}
YAML
for b in desktop:8081 netdisk:8082; do
  mkdir -p "$work/${b%%:*}/netdisk"
  echo "${b%%:*} at /" > "$work/${b%%:*}/index.html"
  echo "${b%%:*} at /netdisk/hello" > "$work/${b%%:*}/netdisk/hello"
  python3 -m http.server --bind 10.78.0.1 --directory "$work/${b%%:*}" "${b#*:}" >"$work/${b%%:*}.log" 2>&1 &
  pids+=($!)
done

# --- Traefik, as the pod runs it: read-only root, its /tmp, its configuration mounted, user 65532 ------
check "Traefik $TRAEFIK_VERSION" eval '[[ $(chroot --userspec=65532:65532 "$root" "$entrypoint" version | awk "\$1 == \"Version:\" {print \$2}") == "${TRAEFIK_VERSION#v}" ]]'
# the configuration as a ConfigMap's volume would give it, here in the pod's /tmp (the root is read-only)
cp -a "$work/config" "$work/tmp/config"
touch "$work/started"
unshare --mount --propagation private -- /bin/sh -c '
  set -e
  r=$1 work=$2; shift 2
  mount --bind "$r" "$r"
  mount -o remount,bind,ro "$r"
  mount --bind "$work/tmp" "$r/tmp"
  mount --rbind /dev "$r/dev"
  mount --bind /proc "$r/proc"
  exec chroot --userspec=65532:65532 "$r" "$@"' sh "$root" "$work" "$entrypoint" \
  --global.checkNewVersion=false --global.sendAnonymousUsage=false \
  --entryPoints.web.address=10.78.0.2:8000 --entryPoints.websecure.address=10.78.0.2:8443 \
  --entryPoints.websecure.http.tls=true --entryPoints.traefik.address=10.78.0.2:8080 --ping=true \
  --providers.file.directory=/tmp/config --log.level=INFO --log.noColor=true >"$work/traefik.log" 2>&1 &
pids+=($!)

get() { # URL [CURL-ARGS...]: the body
  local url=$1; shift
  curl -sS --max-time 5 "$@" "$url"
}
status() { # URL [CURL-ARGS...]: the HTTP status
  local url=$1; shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url"
}
check "it answers ping" eventually 30 eval '[[ $(get http://10.78.0.2:8080/ping 2>/dev/null) == OK ]]'
check "the host's /netdisk reaches netdisk (HTTP)" eventually 15 eval \
  '[[ $(get http://10.78.0.2:8000/netdisk/hello -H "Host: $domain" 2>/dev/null) == "netdisk at /netdisk/hello" ]]'
check "the host's / reaches the desktop" eval '[[ $(get http://10.78.0.2:8000/ -H "Host: $domain") == "desktop at /" ]]'
check "another host gets 404" eval '[[ $(status http://10.78.0.2:8000/netdisk/hello -H "Host: other.smoke.example") == 404 ]]'
check "HTTPS with SNI verifies against exactly this certificate and reaches netdisk" eval \
  '[[ $(get "https://$domain:8443/netdisk/hello" --resolve "$domain:8443:10.78.0.2" --cacert "$work/tls.crt") == "netdisk at /netdisk/hello" ]]'
check "another name gets Traefik's own certificate, which does not verify" eval \
  '! get "https://other.smoke.example:8443/" --resolve "other.smoke.example:8443:10.78.0.2" --cacert "$work/tls.crt" >/dev/null 2>&1'
written=$(find "$work/tmp" -newer "$work/started" -not -path "$work/tmp/config*" | head -5)
check "nothing written but its configuration in /tmp${written:+ ($written)}" test -z "$written"
errors=$(grep -cw -e ERR -e error -e FTL "$work/traefik.log" || true)
check "no error in its log" test "$errors" = 0

printf 'smoke: %d passed, %d failed\n' "$passed" "$failed"
(( failed == 0 ))
