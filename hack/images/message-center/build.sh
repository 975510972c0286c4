#!/usr/bin/env bash
# Builds the message center's container image as an archive, the way the operator's is built
# (docs/image.md): Debian packages and a Java runtime jlinked from the build JDK for the base
# (operator/image/src/build-base.sh), the service's classes and jars on top with Jib; no container
# registry is pulled from and no Docker engine is used. See docs/images/message-center.md.
#
#   hack/images/message-center/build.sh [--out FILE.tar] [--ref REGISTRY/REPOSITORY:TAG]
#                                       [--debs DIR] [-Dname=value ...]
#
#   --out   where the archive goes; FILE.tar.digest (manifest digest) and FILE.tar.id (config
#           digest) are written beside it (default: the Maven build's own,
#           platform-services/message-center/target/atrium-message-center-image.tar)
#   --ref   the image reference in the archive (default
#           registry.atrium.dev/atrium/message-center:<project version without -SNAPSHOT>)
#   --debs  take the Debian packages from DIR (libc6_*.deb ...) instead of apt-get download
#   -D...   passed to Maven
#
# The same commit, JDK and Debian packages give the same digest: the jars get the last commit's
# time (or SOURCE_DATE_EPOCH). The archive is an OCI image layout with a `docker save`
# manifest.json over the same blobs: `ctr images import`, `skopeo copy oci-archive:...` and
# `docker load` read it.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo"
out="" ref=""
props=()
while (( $# )); do
  case $1 in
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --debs) props+=("-Datrium.image.debs=$(realpath "$2")"); shift 2 ;;
    -D*) props+=("$1"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1 (see $0 --help)" >&2; exit 2 ;;
  esac
done
say() { printf '[image] %s\n' "$*"; }
die() { printf '[image] error: %s\n' "$*" >&2; exit 1; }
if [[ -n $ref ]]; then
  # REGISTRY/REPOSITORY:TAG, the registry being a host (with a dot or a port) or localhost
  [[ $ref =~ ^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] \
    || die "--ref must be REGISTRY/REPOSITORY:TAG (no digest), got '$ref'"
  props+=("-Datrium.image=$ref")
fi
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb is missing (Debian: apt-get install dpkg)"
command -v apt-get >/dev/null 2>&1 || [[ " ${props[*]} " == *" -Datrium.image.debs="* ]] \
  || die "apt-get is missing; pass --debs DIR with the .deb files instead"

# shellcheck source=../../lib/jdk.sh
source hack/lib/jdk.sh
select_jdk

# the last commit's time for the jars' entries and build-info (docs/image.md, "Reproducible")
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || true)}
[[ -n $epoch ]] && props+=("-Dproject.build.outputTimestamp=$epoch")

target=platform-services/message-center/target
built=$repo/$target/atrium-message-center-image.tar
started=$(date +%s)
say "building the message center's image with $(java -version 2>&1 | head -1) from $JAVA_HOME"
# -am builds the parents from these sources; the service's tests are hack/test.sh's job. Jib's
# update check would try the internet: off.
./mvnw -B -ntp -q -Pimage -pl platform-services/message-center -am package -Dmaven.test.skip=true \
  -Djib.disableUpdateChecks=true "${props[@]}"

reference=$(tar -xOf "$built" index.json | sed -n 's/.*"org.opencontainers.image.ref.name":"\([^"]*\)".*/\1/p')
tar_file=$built
if [[ -n $out && $out != "$built" ]]; then
  mkdir -p "$(dirname "$out")"
  cp "$built" "$out"
  cp "$built.digest" "$out.digest"
  cp "$built.id" "$out.id"
  tar_file=$out
fi
echo
echo "image:    $reference"
echo "archive:  $tar_file ($(du -h --apparent-size "$tar_file" | cut -f1))"
echo "digest:   $(cat "$tar_file.digest")   (manifest: the registry digest once pushed)"
echo "image id: $(cat "$tar_file.id")   (config: what docker images shows)"
sed 's/^/          /' "$target/image/contents.txt"
echo "built in $(( $(date +%s) - started )) s"
