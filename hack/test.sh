#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests on the local control plane, e2e.
# It builds the Kubernetes binaries first when they are not cached (hack/tools.sh) and runs
# Maven on the newest JDK 21+ it finds. Extra arguments go to Maven, e.g.
#   hack/test.sh -pl e2e/suite -am          # one module and what it needs
#   hack/test.sh -Datrium.cluster=kubeconfig # the cluster-backed tests on $KUBECONFIG's cluster
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
hack/tools.sh
exec ./mvnw -B -ntp verify "$@"
