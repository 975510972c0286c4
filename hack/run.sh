#!/usr/bin/env bash
# The main job: brings up Atrium's local control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and KWOK nodes) from the pinned binaries and keeps it
# running until Ctrl-C. It prints the kubeconfig to use and what to try.
#   hack/run.sh                    run until Ctrl-C
#   hack/run.sh --exit-when-ready  start, show it works, stop (used by CI)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk

echo "[run] 1/3 Kubernetes binaries"
hack/tools.sh
echo "[run] 2/3 building the test-support module"
./mvnw -q -B -ntp -pl e2e/kube-test-support -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
module=e2e/kube-test-support
echo "[run] 3/3 starting the local control plane"
exec java -cp "$module/target/classes:$(cat "$module/target/classpath.txt")" \
  -Datrium.tools.bin="$repo/.tools/bin" -Datrium.cluster.logs="$repo/target/cluster-logs" \
  dev.atrium.testing.kube.LocalClusterCli --kubeconfig-out "$repo/.tools/run/kubeconfig" "$@"
