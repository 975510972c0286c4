# Builds a platform service's container image as an archive, the way the operator's is built
# (docs/image.md): Debian packages and a Java runtime jlinked from the build JDK for the base
# (operator/image/src/build-base.sh), the service's classes and jars on top with Jib (the profile
# "image" of platform-services/pom.xml, which every service inherits and sets its own properties in);
# no container registry is pulled from and no Docker engine is used.
#
# Sourced by each service's hack/images/<service>/build.sh, which calls
#
#   service_image_build MODULE WHAT [--out FILE.tar] [--ref REGISTRY/REPOSITORY:TAG] [--debs DIR] [-Dname=value ...]
#
#   MODULE  the service's Maven module, e.g. platform-services/message-center
#   WHAT    how the messages name the service, e.g. "the message center"
#   --out   where the archive goes; FILE.tar.digest (manifest digest) and FILE.tar.id (config
#           digest) are written beside it (default: the Maven build's own, MODULE/target/<artifactId>-image.tar)
#   --ref   the image reference in the archive (default
#           registry.atrium.dev/atrium/<service>:<project version without -SNAPSHOT>)
#   --debs  take the Debian packages from DIR (libc6_*.deb ...) instead of apt-get download
#   -D...   passed to Maven
#
# The same commit, JDK and Debian packages give the same digest: the jars get the last commit's
# time (or SOURCE_DATE_EPOCH). The archive is an OCI image layout with a `docker save`
# manifest.json over the same blobs: `ctr images import`, `skopeo copy oci-archive:...` and
# `docker load` read it.

service_image_build() {
  local module=$1 what=$2
  shift 2
  local repo
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  cd "$repo"
  local out="" ref=""
  local props=()
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

  # shellcheck source=jdk.sh
  source hack/lib/jdk.sh
  select_jdk

  # the last commit's time for the jars' entries and build-info (docs/image.md, "Reproducible")
  local epoch
  epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || true)}
  [[ -n $epoch ]] && props+=("-Dproject.build.outputTimestamp=$epoch")

  local target=$module/target artifact
  artifact=$(sed -n '/<parent>/,/<\/parent>/d; s|^  <artifactId>\(.*\)</artifactId>|\1|p' "$module/pom.xml" | head -1)
  [[ -n $artifact ]] || die "no artifactId in $module/pom.xml"
  local built=$repo/$target/$artifact-image.tar
  local started
  started=$(date +%s)
  say "building $what's image with $(java -version 2>&1 | head -1) from $JAVA_HOME"
  # -am builds the parents from these sources; the service's tests are hack/test.sh's job. Jib's
  # update check would try the internet: off.
  ./mvnw -B -ntp -q -Pimage -pl "$module" -am package -Dmaven.test.skip=true \
    -Djib.disableUpdateChecks=true "${props[@]}"

  local reference tar_file=$built
  reference=$(tar -xOf "$built" index.json | sed -n 's/.*"org.opencontainers.image.ref.name":"\([^"]*\)".*/\1/p')
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
}
