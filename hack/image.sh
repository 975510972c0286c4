#!/usr/bin/env bash
# Builds the operator's container image as an archive, the way an air-gapped site builds it: from the
# sources, Maven Central (or its mirror), the Debian packages of this machine's apt sources (or a
# directory of .deb files) and the JDK; no container registry and no Docker engine are used.
# See docs/image.md.
#
#   hack/image.sh [--registry HOST[:PORT][/PATH]] [--repository NAME] [--tag TAG]
#                 [--debs DIR] [--output FILE] [--push] [-Dname=value ...]
#
#   --registry    registry part of the image reference (default registry.atrium.dev)
#   --repository  repository within it (default atrium/atrium-operator)
#   --tag         tag (default: the project version without -SNAPSHOT, the chart's appVersion)
#   --debs        take the Debian packages from DIR (libc6_*.deb ...) instead of apt-get download
#   --output      where the archive goes (default operator/image/target/atrium-operator-image.tar)
#   --push        also push the image to its reference with Jib (same digest as the archive);
#                 credentials as Jib finds them (~/.docker/config.json, -Djib.to.auth.username=...)
#   -D...         passed to Maven, e.g. -Djib.allowInsecureRegistries=true for a registry without TLS
#
# Prints the image reference, the archive, its manifest digest (what a registry shows once the image
# is pushed with skopeo, ctr or --push; pin the chart's image.digest to it) and the image ID.
# The archive is an OCI image layout that `docker save` would also write: `docker load -i`,
# `ctr images import` and `skopeo copy oci-archive:...` all read it.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
props=()
profiles=image
output=""
while (( $# )); do
  case $1 in
    --registry) props+=("-Datrium.image.registry=${2%/}"); shift 2 ;;
    --repository) props+=("-Datrium.image.repository=$2"); shift 2 ;;
    --tag) props+=("-Datrium.image.tag=$2"); shift 2 ;;
    --debs) props+=("-Datrium.image.debs=$(realpath "$2")"); shift 2 ;;
    --output) output=$(realpath -m "$2"); props+=("-Datrium.image.tar=$output"); shift 2 ;;
    --push) profiles=image,image-push; shift ;;
    -D*) props+=("$1"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1 (see hack/image.sh --help)" >&2; exit 2 ;;
  esac
done
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
say() { printf '[image] %s\n' "$*"; }

missing=()
command -v dpkg-deb >/dev/null 2>&1 || missing+=(dpkg)
command -v apt-get >/dev/null 2>&1 || [[ " ${props[*]} " == *" -Datrium.image.debs="* ]] \
  || { echo "error: apt-get is missing; pass --debs DIR with the .deb files instead" >&2; exit 1; }
if (( ${#missing[@]} )); then
  echo "error: missing ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
  exit 1
fi

# The jars get the time of the last commit (or SOURCE_DATE_EPOCH) instead of now, so that building
# the same commit again gives the same image digest (docs/image.md, "Reproducible").
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || true)}
[[ -n $epoch ]] && props+=("-Dproject.build.outputTimestamp=$epoch")

started=$(date +%s)
say "building with $(java -version 2>&1 | head -1) from $JAVA_HOME"
# -am builds the operator's modules from these sources; their tests are hack/test.sh's job.
# Jib's update check would try the internet: off.
./mvnw -B -ntp -q -P"$profiles" -pl operator/image -am package -Dmaven.test.skip=true \
  -Djib.disableUpdateChecks=true "${props[@]}"

target=operator/image/target
tar_file=${output:-$repo/$target/atrium-operator-image.tar}
reference=$(sed -n 's/^image=//p' "$target/classes/META-INF/atrium/image.properties")
echo
echo "image:    $reference"
echo "archive:  $tar_file ($(du -h --apparent-size "$tar_file" | cut -f1))"
echo "digest:   $(cat "$tar_file.digest")   (manifest: the registry digest once pushed)"
echo "image id: $(cat "$tar_file.id")   (config: what docker images shows)"
sed 's/^/          /' "$target/image/contents.txt"
[[ $profiles == *image-push* ]] && echo "pushed:   $reference@$(cat "$tar_file.digest")"
echo "built in $(( $(date +%s) - started )) s"
cat <<EOF

Load it:  docker load -i $tar_file
          ctr -n k8s.io images import $tar_file
Push it:  skopeo copy oci-archive:$tar_file docker://$reference   (docs/image.md)
EOF
