#!/usr/bin/env bash
# Builds Atrium's Redis 7 image (server and Sentinel, one image) from Debian packages, with no
# container engine and no registry pull: the packages are unpacked into a root filesystem
# (hack/lib/debian-rootfs.sh) and written as an OCI image archive (hack/lib/oci-image.sh).
# docs/images/redis.md.
#
#   hack/images/redis/build.sh --out FILE.tar --ref REGISTRY/REPOSITORY:TAG [--debs DIR]
#
#   --out   the archive (OCI layout + docker save manifest); FILE.tar.digest gets the manifest digest,
#           FILE.tar.id the config digest
#   --ref   the image's name in the archive (ctr/skopeo/docker import it under that name)
#   --debs  take the .deb files from DIR instead of apt-get download (to hold the versions still)
#
# Work files go to target/images/redis/ (the root filesystem, packages.txt, the .deb files).
set -euo pipefail
export LC_ALL=C
umask 022
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)

out="" ref="" debs=()
while (( $# )); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --debs) debs=(--debs "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $out && -n $ref ]] || { echo "build: --out FILE.tar and --ref REGISTRY/REPOSITORY:TAG are required" >&2; exit 2; }
out=$(realpath -m "$out")
work=$repo/target/images/redis

# Every package of the image: redis-tools has the programs (redis-server and redis-sentinel are its
# redis-check-rdb under other names; the two small packages add those links), the libraries they
# link, and dash and coreutils (timeout) for the entrypoint.
packages=(
  redis-server redis-sentinel redis-tools
  libc6 libgcc-s1 gcc-12-base libstdc++6 libatomic1 libjemalloc2 liblzf1 libssl3
  libsystemd0 libcap2 libgcrypt20 libgpg-error0 liblz4-1 liblzma5 libzstd1
  dash coreutils libacl1 libattr1 libgmp10 libselinux1 libpcre2-8-0
)
# Dependencies left out, each for a reason. No maintainer script runs, so what only they use is moot.
ignore=(
  adduser              # redis-tools' maintainer script adds a redis user; the pods run as atrium
  lsb-base             # the init scripts' functions: there is no init system (and they are pruned)
  init-system-helpers  # deb-systemd-helper for the maintainer scripts
  dpkg                 # dash's maintainer scripts (dpkg-divert for /bin/sh)
  debianutils          # add-shell, for dash's maintainer scripts
)

"$repo/hack/lib/debian-rootfs.sh" --out "$work" --packages "${packages[*]}" --ignore "${ignore[*]}" \
  "${debs[@]}" --name "Atrium Redis 7" \
  --prune etc/redis \
  --prune usr/lib/x86_64-linux-gnu/gconv
# etc/redis: Debian's example configurations; the entrypoint writes its own to /tmp.
# gconv: glibc's iconv modules; Redis converts no character sets.

# The second layer: the entrypoint, and /data (the volume's mount point) owned by the pods' user, so
# that the image also runs without a volume.
layer=$work/atrium
rm -rf "$layer"
mkdir -p "$layer/usr/local/bin" "$layer/data"
install -m 0755 "$here/entrypoint.sh" "$layer/usr/local/bin/atrium-redis"

version=$(awk '$1 == "redis-tools" { v = $2; sub(/^[0-9]+:/, "", v); sub(/-.*/, "", v); print v }' "$work/packages.txt")
package_list=$(awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }' "$work/packages.txt")
"$repo/hack/lib/oci-image.sh" --out "$out" --ref "$ref" \
  --layer "$work/rootfs" --layer "$layer" \
  --owner /home/nonroot=65532:65532 --owner /data=10001:10001 \
  --entrypoint '["/usr/local/bin/atrium-redis"]' --cmd '["server"]' \
  --user 10001:10001 --workdir /data \
  --env PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
  --port 6379/tcp --port 26379/tcp \
  --label org.opencontainers.image.title=atrium-redis \
  --label "org.opencontainers.image.description=Redis 7 server and Sentinel from Debian packages (args: server | sentinel)" \
  --label "org.opencontainers.image.version=$version" \
  --label org.opencontainers.image.vendor=Atrium \
  --history "Debian packages: $package_list" \
  --history "hack/images/redis/entrypoint.sh as /usr/local/bin/atrium-redis; /data"
printf '%s %s\n' "$ref" "$(cat "$out.digest")"
