#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests and e2e on the local control plane (KWOK),
# then the real-node tier (hack/test-node.sh: every image built and smoke-tested, and the *NodeIT
# tests on a real node; needs root). It builds the Kubernetes binaries first when they are not cached
# (hack/tools.sh) and runs Maven on the newest JDK 21+ it finds. With arguments, only Maven runs,
# with them, e.g.
#   hack/test.sh -pl e2e/suite -am          # one module and what it needs
#   hack/test.sh -Datrium.cluster=kubeconfig # the cluster-backed tests on $KUBECONFIG's cluster
# ATRIUM_SKIP_REAL_NODE=1 leaves the real-node tier out (e.g. on a machine without root).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
hack/tools.sh
if (( $# )); then
  exec ./mvnw -B -ntp verify "$@"
fi
./mvnw -B -ntp verify
if [[ ${ATRIUM_SKIP_REAL_NODE:-} == 1 ]]; then
  echo "[test] ATRIUM_SKIP_REAL_NODE=1: the real-node tier (hack/test-node.sh) was left out"
  exit 0
fi
hack/test-node.sh
