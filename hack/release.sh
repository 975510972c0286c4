#!/usr/bin/env bash
# Writes a PlatformRelease that names the digests an image build printed: what a platform on that
# version runs, pulled by digest from the site's registry.
#
#   hack/release.sh VERSION [--upgrade-from V1,V2,...] [--images DIR] [--out FILE] [--build]
#
#   --upgrade-from  the versions a platform may upgrade from to this one (default: none)
#   --images        hack/images.sh's output directory (default target/images); its images.txt is read
#   --build         run hack/images.sh --release VERSION first (into --images)
#   --out           write the release there (default: standard output), e.g. examples/releases/1.0.0.yaml
#
# Only components whose image exists are named: a release without an identity image cannot run a
# platform with identity switched on (the operator says so in the platform's Ready condition).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
version="" upgrade_from="" images=target/images out="" build=false
while (( $# )); do
  case $1 in
    --upgrade-from) upgrade_from=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --build) build=true; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "release: unknown argument $1 (see hack/release.sh --help)" >&2; exit 2 ;;
    *) [[ -z $version ]] || { echo "release: one VERSION only" >&2; exit 2; }; version=$1; shift ;;
  esac
done
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release: VERSION must be MAJOR.MINOR.PATCH, got '$version'" >&2; exit 2; }
if $build; then
  hack/images.sh --out-dir "$images" --release "$version" >&2
fi
list=$images/images.txt
[[ -f $list ]] || { echo "release: no $list; build the images first (hack/images.sh, or --build)" >&2; exit 1; }

# release component <- image archive name
declare -A archive_of=(
  [database]=postgresql
  [cache]=redis
  [objectStore]=object-store
  [identity]=identity
  [messageCenter]=message-center
  [netdisk]=netdisk
  [webos]=webos
)
order=(database cache objectStore identity messageCenter netdisk webos)

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit with uncommitted changes"
from_yaml="[]"
if [[ -n $upgrade_from ]]; then
  from_yaml="[${upgrade_from//,/, }]"
fi
{
  cat <<EOF
# Platform release $version: what a platform on version $version runs, and how it gets there.
# Written by hack/release.sh from the digests hack/images.sh printed for commit $commit; every build
# prints its own (the services' images change with each commit). Apply it before (or with) the
# platforms that use it: kubectl apply -f examples/releases/
apiVersion: atrium.dev/v1alpha1
kind: PlatformRelease
metadata:
  name: $version
spec:
  version: $version
  # data stores first, then identity (every service signs in through it), then the services
  order: [database, cache, objectStore, identity, messageCenter, netdisk, webos]
  upgradeFrom: $from_yaml
  soakSeconds: 30
  stepTimeoutSeconds: 600
  images:
EOF
  missing=()
  for component in "${order[@]}"; do
    line=$(awk -v n="${archive_of[$component]}" '$1 == n' "$list")
    if [[ -z $line ]]; then
      missing+=("$component")
      continue
    fi
    read -r _ ref digest _ <<< "$line"
    without_registry=${ref#*/}
    printf '    %s:\n      repository: %s\n      tag: "%s"\n      digest: %s\n' \
      "$component" "${without_registry%:*}" "${ref##*:}" "$digest"
  done
  if (( ${#missing[@]} )); then
    printf '  # no image yet, so a platform on this release keeps these switched off: %s\n' "${missing[*]}"
  fi
} > "${out:-/dev/stdout}"
[[ -z $out ]] || echo "release: wrote $out" >&2
