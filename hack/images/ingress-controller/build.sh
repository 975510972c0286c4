#!/usr/bin/env bash
# Builds the real node's ingress controller image: Traefik (built from Go modules by hack/tools.sh, CGO
# off, so one static binary) and its licence, on no base image: /etc/passwd and /etc/group with nonroot
# (65532), /tmp. Written by hack/lib/oci-image.sh; nothing is pulled from any registry.
# docs/images/ingress-controller.md.
#
#   hack/images/ingress-controller/build.sh --out FILE.tar --ref REGISTRY/REPOSITORY:TAG [--traefik PATH]
#
# FILE.tar.digest gets the manifest digest. The same binary gives the same digest.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out="" ref="" traefik=$repo/.tools/bin/traefik
while (( $# )); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --traefik) traefik=$2; shift 2 ;;
    *) echo "ingress-controller image: unknown argument $1" >&2; exit 2 ;;
  esac
done
die() { printf '[ingress-controller image] error: %s\n' "$*" >&2; exit 1; }
[[ -n $out && -n $ref ]] || die "--out FILE.tar and --ref REGISTRY/REPOSITORY:TAG are required"
[[ -x $traefik ]] || die "$traefik is missing; run hack/tools.sh"
# shellcheck source=../../tools/versions.env
source "$repo/hack/tools/versions.env"
start=$SECONDS
version=$("$traefik" version 2>/dev/null | awk '$1 == "Version:" {print $2; exit}')
[[ $version == "${TRAEFIK_VERSION#v}" ]] || die "$traefik does not run or is not Traefik $TRAEFIK_VERSION ($version)"
module=$(cd "$repo/hack/tools/traefik" && GOTOOLCHAIN=local GOFLAGS= go list -m -f '{{.Dir}}' github.com/traefik/traefik/v3)
[[ -f $module/LICENSE.md ]] || die "Traefik's LICENSE.md is not in the Go module cache ($module); run hack/tools.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 022
root=$work/root
install -d -m 755 "$root/etc" "$root/usr/local/bin" "$root/usr/share/doc/traefik"
install -d -m 1777 "$root/tmp"
install -m 755 "$(readlink -f "$traefik")" "$root/usr/local/bin/traefik"
install -m 644 "$module/LICENSE.md" "$root/usr/share/doc/traefik/LICENSE.md"
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
  'nonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin' > "$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' 'nonroot:x:65532:' > "$root/etc/group"
printf '%s\n' 'hosts: files dns' > "$root/etc/nsswitch.conf"
chmod 644 "$root/etc/passwd" "$root/etc/group" "$root/etc/nsswitch.conf"

mkdir -p "$(dirname "$out")"
"$repo/hack/lib/oci-image.sh" --out "$out" --ref "$ref" --layer "$root" \
  --entrypoint '["/usr/local/bin/traefik"]' --user 65532:65532 --env PATH=/usr/local/bin \
  --port 8000/tcp --port 8443/tcp --port 8080/tcp \
  --label org.opencontainers.image.title=atrium-ingress-controller \
  --label "org.opencontainers.image.description=Traefik, the ingress controller of Atrium's real node" \
  --label "org.opencontainers.image.version=$version" \
  --label org.opencontainers.image.licenses=MIT \
  --history "Traefik $TRAEFIK_VERSION (go build github.com/traefik/traefik/v3/cmd/traefik, CGO off), its LICENSE.md, /etc/passwd, /etc/group, /tmp"
printf '[ingress-controller image] %s: %s, %s in %ss\n' "$ref" "$(cat "$out.digest")" \
  "$(du -h --apparent-size "$out" | cut -f1)" "$((SECONDS - start))" >&2
