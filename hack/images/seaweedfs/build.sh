#!/usr/bin/env bash
# Builds the object store's image: SeaweedFS's weed (built from Go modules by hack/tools.sh) and the
# entrypoint that turns the operator's environment into weed's flags (entrypoint/, Go, standard library
# only), on no base image: /etc/passwd and /etc/group with atrium (10001) and nonroot (65532), /tmp, /data.
# Written by hack/lib/oci-image.sh; nothing is pulled from any registry. docs/images/seaweedfs.md.
#
#   hack/images/seaweedfs/build.sh --out FILE.tar --ref REGISTRY/REPOSITORY:TAG [--weed PATH]
#
# FILE.tar.digest gets the manifest digest (what a PlatformRelease pins). The same sources, weed and
# Go toolchain give the same digest.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out="" ref="" weed=$repo/.tools/bin/weed
while (( $# )); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --weed) weed=$2; shift 2 ;;
    *) echo "seaweedfs image: unknown argument $1" >&2; exit 2 ;;
  esac
done
die() { printf '[seaweedfs image] error: %s\n' "$*" >&2; exit 1; }
[[ -n $out && -n $ref ]] || die "--out FILE.tar and --ref REGISTRY/REPOSITORY:TAG are required"
[[ -x $weed ]] || die "$weed is missing; run hack/tools.sh"
command -v go >/dev/null || die "go is not on PATH (the entrypoint is built with it)"
# shellcheck source=../../tools/versions.env
source "$repo/hack/tools/versions.env"
start=$SECONDS

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 022

# the entrypoint: static, no build id or paths, so the same toolchain gives the same bytes
(cd "$here/entrypoint" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOAMD64=v1 GOTOOLCHAIN=local GOFLAGS= \
  go build -trimpath -buildvcs=false -ldflags "-s -w -buildid=" -o "$work/atrium-object-store" .)

# layer 1, what changes with SeaweedFS: weed and its licence
base=$work/weed
install -d -m 755 "$base/usr/local/bin" "$base/usr/share/doc/seaweedfs"
install -m 755 "$(readlink -f "$weed")" "$base/usr/local/bin/weed"
module=$(go env GOMODCACHE)/github.com/seaweedfs/seaweedfs@$SEAWEEDFS_VERSION
[[ -f $module/LICENSE ]] || die "SeaweedFS's LICENSE is not in the Go module cache ($module); run hack/tools.sh"
install -m 644 "$module/LICENSE" "$base/usr/share/doc/seaweedfs/LICENSE"
weed_version=$("$weed" version 2>/dev/null | awk '$1 == "version" {print $3; exit}')
[[ $weed_version =~ ^[0-9]+\.[0-9]+$ ]] || die "$weed does not run or names no version ($weed_version)"

# layer 2, ours: the entrypoint, the users, /tmp and /data
root=$work/root
install -d -m 755 "$root/etc" "$root/usr/local/bin"
install -d -m 1777 "$root/tmp"
install -d -m 750 "$root/data"
install -m 755 "$work/atrium-object-store" "$root/usr/local/bin/atrium-object-store"
# atrium's home is /tmp, the one writable place, so `weed shell` can keep its history there
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
  'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' 'atrium:x:10001:10001:atrium:/tmp:/sbin/nologin' \
  > "$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' 'nonroot:x:65532:' 'atrium:x:10001:' > "$root/etc/group"
printf '%s\n' 'hosts: files dns' > "$root/etc/nsswitch.conf"
chmod 644 "$root/etc/passwd" "$root/etc/group" "$root/etc/nsswitch.conf"

mkdir -p "$(dirname "$out")"   # oci-image.sh makes its scratch directory beside --out before creating the directory
"$repo/hack/lib/oci-image.sh" --out "$out" --ref "$ref" \
  --layer "$base" --layer "$root" --owner data=10001:10001 \
  --entrypoint '["/usr/local/bin/atrium-object-store"]' --user 10001:10001 \
  --env PATH=/usr/local/bin \
  --port 8333/tcp --port 9333/tcp --port 19333/tcp --port 8080/tcp --port 18080/tcp --port 8888/tcp --port 18888/tcp \
  --label org.opencontainers.image.title=atrium-object-store \
  --label "org.opencontainers.image.description=SeaweedFS (weed server: master, volume, filer, S3) for Atrium's object store" \
  --label "org.opencontainers.image.version=$weed_version" \
  --label org.opencontainers.image.licenses=Apache-2.0 \
  --history "SeaweedFS weed $SEAWEEDFS_VERSION (go build github.com/seaweedfs/seaweedfs/weed, CGO off) and its LICENSE" \
  --history "atrium-object-store entrypoint (hack/images/seaweedfs/entrypoint), /etc/passwd, /etc/group, /tmp, /data"
printf '[seaweedfs image] %s: %s, %s in %ss\n' "$ref" "$(cat "$out.digest")" \
  "$(du -h --apparent-size "$out" | cut -f1)" "$((SECONDS - start))" >&2
