#!/usr/bin/env bash
# The main job: a local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, KWOK nodes) built from the pinned binaries, the operator installed with its Helm
# chart (CRDs, ServiceAccount, RBAC, Deployment) and running with that ServiceAccount's token, and
# the example platform from examples/platform.yaml, shown converging until it is Ready.
#   hack/run.sh                    keep everything running until Ctrl-C
#   hack/run.sh --exit-when-ready  stop once the platform is Ready (CI uses this)
#   hack/run.sh --real [...]       the same on a real node with real containers (hack/run-real.sh)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
exit_when_ready=false
for arg in "$@"; do
  case $arg in
    --exit-when-ready) exit_when_ready=true ;;
    --real) exec hack/run-real.sh "$@" ;;
    *) echo "unknown argument $arg (use --exit-when-ready, --real)" >&2; exit 2 ;;
  esac
done
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
say() { printf '[run] %s\n' "$*"; }

say "1/6 Kubernetes binaries"
hack/tools.sh
export PATH="$repo/.tools/bin:$PATH"

say "2/6 building the operator and the cluster launcher (no tests)"
./mvnw -q -B -ntp -pl operator/manager,e2e/kube-test-support -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime
classpath() { echo "$1/target/classes:$(cat "$1/target/classpath.txt")"; }

run_dir="$repo/.tools/run"
mkdir -p "$run_dir"
rm -f "$run_dir/kubeconfig"
pids=()
stop_all() {
  trap - EXIT INT TERM
  say "stopping the operator and the control plane"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

say "3/6 starting the local control plane (log: $run_dir/cluster.log)"
java -cp "$(classpath e2e/kube-test-support)" -Datrium.tools.bin="$repo/.tools/bin" \
  -Datrium.cluster.logs="$repo/target/cluster-logs" -Dorg.slf4j.simpleLogger.showDateTime=true \
  dev.atrium.testing.kube.LocalClusterCli --kubeconfig-out "$run_dir/kubeconfig" > "$run_dir/cluster.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do
  [[ -s "$run_dir/kubeconfig" ]] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$run_dir/cluster.log" >&2; exit 1; }
  sleep 1
done
[[ -s "$run_dir/kubeconfig" ]] || { echo "the control plane did not start in 3 minutes" >&2; cat "$run_dir/cluster.log" >&2; exit 1; }
export KUBECONFIG="$run_dir/kubeconfig"
kubectl get nodes

say "4/6 installing the operator with its Helm chart (charts/atrium-operator) into atrium-system"
helm install atrium-operator charts/atrium-operator --namespace atrium-system --create-namespace --wait --timeout 3m
kubectl get crd collaborationplatforms.atrium.dev
kubectl -n atrium-system get deployment,serviceaccount,pdb,service -l app.kubernetes.io/instance=atrium-operator
echo "    the simulated releases (e2e/kwok-releases/: KWOK pulls no image) and the ready autoscaling policies:"
kubectl apply --server-side --field-manager=atrium-install -f e2e/kwok-releases/ -f autoscaling-policies/

say "5/6 starting the operator as the chart's ServiceAccount (log: $run_dir/operator.log)"
echo "    (KWOK runs no containers: the chart's pods are simulated, so the operator runs here as a"
echo "     process with the pod's settings and a token of its ServiceAccount, i.e. exactly its RBAC)"
cp "$run_dir/kubeconfig" "$run_dir/operator-kubeconfig"
kubectl --kubeconfig "$run_dir/operator-kubeconfig" config set-credentials atrium-operator \
  --token="$(kubectl -n atrium-system create token atrium-operator --duration=24h)" >/dev/null
kubectl --kubeconfig "$run_dir/operator-kubeconfig" config set-context --current --user=atrium-operator >/dev/null
KUBECONFIG="$run_dir/operator-kubeconfig" ATRIUM_HTTP_PORT=${ATRIUM_HTTP_PORT:-18080} \
  ATRIUM_LEASE_NAMESPACE=atrium-system \
  java -cp "$(classpath operator/manager)" dev.atrium.operator.Main > "$run_dir/operator.log" 2>&1 &
pids+=($!)

say "6/6 applying examples/platform.yaml and watching it converge"
kubectl apply -f examples/platform.yaml
echo "    (KWOK stands in for the kubelet: pods are scheduled and marked Ready, no container runs)"
last=""
deadline=$(( $(date +%s) + 300 ))
while :; do
  kill -0 "${pids[1]}" 2>/dev/null || { echo "the operator stopped:" >&2; tail -30 "$run_dir/operator.log" >&2; exit 1; }
  line=$(kubectl get collab acme -n acme -o jsonpath='{.status.phase} {.status.readyComponents} {.status.conditions[?(@.type=="Ready")].message}' 2>/dev/null || true)
  if [[ -n "$line" && "$line" != "$last" ]]; then
    printf '    %s  %s\n' "$(date +%T)" "$line"
    last=$line
  fi
  [[ "$line" == Ready* ]] && break
  (( $(date +%s) < deadline )) || { echo "not Ready after 5 minutes; operator log:" >&2; tail -30 "$run_dir/operator.log" >&2; exit 1; }
  sleep 1
done

echo
kubectl get collab -A
echo
kubectl get deployments,statefulsets,pdb,hpa -n acme
echo
echo "The portal would be at $(kubectl get collab acme -n acme -o jsonpath='{.status.endpoints.portal}')"
if $exit_when_ready; then
  exit 0
fi
cat <<EOF

Everything keeps running. From another shell:
  export KUBECONFIG=$run_dir/kubeconfig PATH=$repo/.tools/bin:\$PATH
  kubectl get collab -A -w                     # the platform as the operator reports it
  kubectl edit collab acme -n acme             # change replicas, resources, version ...
  curl -s localhost:${ATRIUM_HTTP_PORT:-18080}/metrics | grep ^atrium_   # the operator's metrics
Press Ctrl-C to stop; every process started here stops with it.
EOF
wait "${pids[1]}"
