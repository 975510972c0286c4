#!/usr/bin/env bash
# Runs the real-node tier (docs/testing.md, "The real node"): every image built from packages and
# sources (hack/images.sh, the next release's component images for the upgrade, and a broken release's
# message center for the halted one), each image's own smoke test on a private containerd, then the
# *NodeIT tests on the local control plane with one real node (kubelet, containerd, kube-proxy) and a
# local registry. Needs root. Extra arguments go to Maven,
# e.g. hack/test-node.sh -Dit.test=NodeClusterNodeIT (the smoke tests are then skipped).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
(( EUID == 0 )) || { echo "test-node: the real node needs root (network and mount namespaces, cgroups, iptables)" >&2; exit 1; }
step() { printf '\n[test-node] %s\n' "$*"; }
started=$(date +%s)
took() { printf '[test-node] %s took %ss\n' "$1" "$(( $(date +%s) - $2 ))"; }

hack/tools.sh
t=$(date +%s); step "images of release 1.0.0, and 1.0.1's component images for the upgrade"
hack/images.sh
hack/images.sh --release 1.0.1 --out-dir target/images-1.0.1 \
  --only postgresql --only redis --only seaweedfs --only identity --only message-center --only netdisk --only webos
# release 1.0.2 for the halted upgrade: 1.0.1's images but a message center with two more migrations, one that
# runs and one that fails (e2e/install/src/test/broken-release)
mkdir -p target/images-1.0.2
hack/images/message-center/build.sh --out target/images-1.0.2/message-center.tar \
  --ref registry.atrium.dev/atrium/message-center:1.0.2 -Datrium.image.release=1.0.2 \
  -Datrium.image.extra-resources="$repo/e2e/install/src/test/broken-release/resources"
took images "$t"
if (( $# == 0 )); then
  t=$(date +%s); step "smoke tests of the component images on a private containerd"
  hack/images/smoke.sh --no-build
  hack/images/seaweedfs/smoke.sh --image target/images/object-store.tar
  hack/images/message-center/smoke.sh --tar target/images/message-center.tar
  hack/images/identity/smoke.sh --tar target/images/identity.tar
  hack/images/netdisk/smoke.sh --tar target/images/netdisk.tar
  hack/images/webos/smoke.sh --tar target/images/webos.tar
  hack/images/ingress-controller/smoke.sh --image target/images/ingress-controller.tar
  took "image smoke tests" "$t"
fi
t=$(date +%s); step "the *NodeIT tests (Maven profile real-node)"
# unit tests ran in the KWOK tier; here only the *NodeIT tests
./mvnw -B -ntp verify -Preal-node -pl e2e/kube-test-support,e2e/install -am \
  -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@"
took "the *NodeIT tests" "$t"
took "the real-node tier" "$started"
