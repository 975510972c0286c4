#!/usr/bin/env bash
# Builds every image Atrium runs, air-gapped (Debian packages, Maven artifacts, Go modules; no registry
# pull, no container engine), as OCI image archives in one directory, and lists them:
#
#   hack/images.sh [--out-dir DIR] [--registry NAME] [--release VERSION] [--only NAME ...]
#
#   --out-dir   where the archives go (default target/images): DIR/<image>.tar with .digest beside it
#   --registry  the registry part of every reference (default registry.atrium.dev, the chart's default;
#               a site names its own registry with the chart's global.imageRegistry)
#   --release   the platform release the component images are built for (default 1.0.0): their tag and
#               their label dev.atrium.release, so each release's images have their own digests
#   --only      build just these (repeatable): node, ingress-controller, operator, postgresql, redis, seaweedfs,
#               identity, message-center, netdisk, webos
#   --rebuild   build even when DIR holds the same images built from this commit (see below)
#
# A build from a clean checkout leaves DIR/built-from (commit, release, registry, what was built); when the checkout
# is still clean at that commit and asks for the same, the archives in DIR are those images already, and they are
# reused rather than built again (CI builds them for the real-node tests, then hack/run-real.sh asks for them).
#
# DIR/images.txt gets one line per image: name, reference, manifest digest, compressed size.
# hack/release.sh turns them into a PlatformRelease; the real node (-Datrium.cluster=node) pushes them all
# to its registry.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
out_dir=target/images registry=registry.atrium.dev release=1.0.0 only=() rebuild=false
while (( $# )); do
  case $1 in
    --out-dir) out_dir=$2; shift 2 ;;
    --registry) registry=${2%/}; shift 2 ;;
    --release) release=$2; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    --rebuild) rebuild=true; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "images: unknown argument $1 (see hack/images.sh --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out_dir"
out_dir=$(realpath "$out_dir")
say() { printf '[images] %s\n' "$*"; }
wanted() { (( ${#only[@]} == 0 )) || [[ " ${only[*]} " == *" $1 "* ]]; }
# shellcheck source=tools/versions.env
source hack/tools/versions.env
list() {
  say "built in $out_dir (name, reference, digest, archive size):"
  column -t "$out_dir/images.txt" | sed 's/^/  /'
}
# what this build is, when the checkout is clean (a dirty tree's images are not those of its commit)
stamp=""
if commit=$(git rev-parse HEAD 2>/dev/null) && [[ -z $(git status --porcelain 2>/dev/null) ]]; then
  stamp="$commit $release $registry ${only[*]:-all}"
fi
if [[ $rebuild == false && -n $stamp && -f $out_dir/built-from && -f $out_dir/images.txt \
    && $(cat "$out_dir/built-from") == "$stamp" ]]; then
  say "reusing the images built from commit ${commit:0:12} for release $release (--rebuild builds them again)"
  list
  exit 0
fi
rm -f "$out_dir/built-from"
times=()
timed() { # NAME COMMAND...
  local name=$1 started
  shift
  started=$(date +%s)
  say "building $name"
  "$@"
  times+=("$name $(( $(date +%s) - started ))s")
}

# The jars and the Go entrypoints get the last commit's time, so that one commit gives one digest.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 1)}

hack/tools.sh >/dev/null
wanted node && timed node hack/images/node/build.sh --out-dir "$out_dir" --registry "$registry"
wanted ingress-controller && timed ingress-controller hack/images/ingress-controller/build.sh \
  --out "$out_dir/ingress-controller.tar" --ref "$registry/atrium/ingress-controller:${TRAEFIK_VERSION#v}"
# the component images carry the release they are built for (a label), the node's images do not
export ATRIUM_RELEASE=$release
wanted postgresql && timed postgresql hack/images/postgresql/build.sh --out "$out_dir/postgresql.tar" \
  --ref "$registry/atrium/postgresql:15-$release"
wanted redis && timed redis hack/images/redis/build.sh --out "$out_dir/redis.tar" \
  --ref "$registry/atrium/redis:7.0-$release"
wanted seaweedfs && timed seaweedfs hack/images/seaweedfs/build.sh --out "$out_dir/object-store.tar" \
  --ref "$registry/atrium/object-store:$release"
wanted identity && timed identity hack/images/identity/build.sh \
  --out "$out_dir/identity.tar" --ref "$registry/atrium/identity:$release" \
  -Datrium.image.release="$release"
wanted message-center && timed message-center hack/images/message-center/build.sh \
  --out "$out_dir/message-center.tar" --ref "$registry/atrium/message-center:$release" \
  -Datrium.image.release="$release"
wanted netdisk && timed netdisk hack/images/netdisk/build.sh \
  --out "$out_dir/netdisk.tar" --ref "$registry/atrium/netdisk:$release" \
  -Datrium.image.release="$release"
wanted webos && timed webos hack/images/webos/build.sh \
  --out "$out_dir/webos.tar" --ref "$registry/atrium/webos:$release" \
  -Datrium.image.release="$release"
unset ATRIUM_RELEASE
if wanted operator; then
  timed operator hack/image.sh --registry "$registry" --output "$out_dir/atrium-operator.tar" >/dev/null
fi

: > "$out_dir/images.txt"
for archive in "$out_dir"/*.tar; do
  [[ -f $archive.digest ]] || continue
  name=$(basename "$archive" .tar)
  ref=$(tar -xOf "$archive" index.json | sed -n 's/.*"io.containerd.image.name":"\([^"]*\)".*/\1/p')
  [[ -n $ref ]] || ref=$(tar -xOf "$archive" manifest.json | sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p')
  printf '%s %s %s %s\n' "$name" "$ref" "$(cat "$archive.digest")" "$(du -h --apparent-size "$archive" | cut -f1)" \
    >> "$out_dir/images.txt"
done
list
(( ${#times[@]} )) && say "build times: ${times[*]}"
# still clean: the tree did not change under the build
if [[ -n $stamp && -z $(git status --porcelain 2>/dev/null) && $(git rev-parse HEAD) == "$commit" ]]; then
  printf '%s\n' "$stamp" > "$out_dir/built-from"
fi
