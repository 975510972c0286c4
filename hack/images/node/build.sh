#!/usr/bin/env bash
# Builds the images the real node runs itself, before any Atrium component: the pod sandbox (pause),
# cluster DNS (CoreDNS), the volume provisioner (local-path-provisioner) and the provisioner's helper
# (busybox, which makes and removes the volume directories). Binaries come from hack/tools.sh (built
# from Go modules, pause from the Kubernetes module's C source), busybox from Debian's busybox-static;
# each image is written by hack/lib/oci-image.sh. Nothing is pulled from any registry.
#
#   hack/images/node/build.sh --out-dir DIR [--registry NAME] [--debs DIR]
#
# Writes DIR/<image>.tar (+ .digest) for pause, coredns, local-path-provisioner, local-path-helper,
# named NAME/atrium/<image>:<version> (NAME default registry.atrium.dev).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
out_dir="" registry=registry.atrium.dev debs=""
while (( $# )); do
  case $1 in
    --out-dir) out_dir=$2; shift 2 ;;
    --registry) registry=${2%/}; shift 2 ;;
    --debs) debs=$2; shift 2 ;;
    *) echo "node images: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $out_dir ]] || { echo "node images: --out-dir is required" >&2; exit 2; }
# shellcheck source=../../tools/versions.env
source "$repo/hack/tools/versions.env"
bin=$repo/.tools/bin
for b in pause coredns local-path-provisioner; do
  [[ -x $bin/$b ]] || { echo "node images: $bin/$b is missing; run hack/tools.sh" >&2; exit 1; }
done
mkdir -p "$out_dir"
out_dir=$(realpath "$out_dir")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
oci=$repo/hack/lib/oci-image.sh

# a root for a static binary: the binary, /tmp, and the users the pods may run as
static_root() { # DIR BINARY NAME
  mkdir -p "$1/etc" "$1/tmp"
  chmod 1777 "$1/tmp"
  cp "$(readlink -f "$2")" "$1/$3"
  chmod 755 "$1/$3"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\nnonroot:x:65532:\n' > "$1/etc/group"
}

static_root "$work/pause" "$bin/pause" pause
"$oci" --out "$out_dir/pause.tar" --ref "$registry/atrium/pause:$PAUSE_VERSION" --layer "$work/pause" \
  --entrypoint '["/pause"]' --user 65535:65535 \
  --history "pause $PAUSE_VERSION: build/pause/linux/pause.c of Kubernetes $KUBERNETES_VERSION, gcc -static"

static_root "$work/coredns" "$bin/coredns" coredns
"$oci" --out "$out_dir/coredns.tar" --ref "$registry/atrium/coredns:${COREDNS_VERSION#v}" --layer "$work/coredns" \
  --entrypoint '["/coredns"]' --user 65532:65532 --port 1053/udp --port 1053/tcp \
  --history "CoreDNS $COREDNS_VERSION (go install github.com/coredns/coredns)"

static_root "$work/lpp" "$bin/local-path-provisioner" local-path-provisioner
"$oci" --out "$out_dir/local-path-provisioner.tar" \
  --ref "$registry/atrium/local-path-provisioner:${LOCAL_PATH_PROVISIONER_VERSION#v}" --layer "$work/lpp" \
  --entrypoint '["/local-path-provisioner"]' --user 65532:65532 \
  --history "local-path-provisioner $LOCAL_PATH_PROVISIONER_VERSION (go install github.com/rancher/local-path-provisioner)"

# The helper pod runs "/bin/sh /script/setup" (mkdir) and "/bin/sh /script/teardown" (rm -rf) as
# root on the node's volume directory: busybox's sh, mkdir and rm are all it needs.
if [[ -z $debs ]]; then
  (cd "$work" && apt-get download -q -o APT::Sandbox::User=root busybox-static:amd64 >/dev/null) \
    || { echo "node images: apt-get download busybox-static failed; run apt-get update, or pass --debs DIR" >&2; exit 1; }
  debs=$work
fi
deb=$(ls "$debs"/busybox-static_*_amd64.deb)
version=$(dpkg-deb -f "$deb" Version)
mkdir -p "$work/helper/tmp" && chmod 1777 "$work/helper/tmp"
dpkg-deb -x "$deb" "$work/helper"
rm -rf "$work/helper/usr/share/man"
find "$work/helper/usr/share/doc" -mindepth 2 ! -name copyright -delete
for applet in sh mkdir rm chmod; do ln -s busybox "$work/helper/bin/$applet"; done
tag=${version#*:}
"$oci" --out "$out_dir/local-path-helper.tar" --ref "$registry/atrium/local-path-helper:${tag//+/_}" \
  --layer "$work/helper" --env PATH=/bin --entrypoint '["/bin/sh"]' \
  --history "Debian busybox-static $version: sh, mkdir, rm, chmod for local-path-provisioner's helper pods"
