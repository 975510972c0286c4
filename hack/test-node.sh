#!/usr/bin/env bash
# Runs the real-node tier: the *NodeIT tests on the local control plane with one real node (kubelet,
# containerd, kube-proxy) and a local registry (docs/testing.md, "The real node"). Needs root.
# Builds the tools and every image first (hack/tools.sh, hack/images.sh). Extra arguments go to Maven,
# e.g. hack/test-node.sh -Dit.test=NodeClusterNodeIT
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
(( EUID == 0 )) || { echo "test-node: the real node needs root (network and mount namespaces, cgroups, iptables)" >&2; exit 1; }
hack/tools.sh
hack/images.sh
# unit tests ran in hack/test.sh; here only the *NodeIT tests (profile real-node)
exec ./mvnw -B -ntp verify -Preal-node -pl e2e/kube-test-support,e2e/install -am \
  -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@"
