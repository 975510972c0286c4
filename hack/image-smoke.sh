#!/usr/bin/env bash
# Smoke test of the operator image on a real container engine: builds the image (hack/image.sh),
# loads the archive into Docker and into containerd, installs the Helm chart on the local control
# plane, runs the operator from the image the way the chart's pod runs it (with the chart's
# ServiceAccount, so with exactly its RBAC), and checks that it becomes ready and reconciles
# examples/platform.yaml to Ready. See docs/image.md.
#
#   hack/image-smoke.sh [--no-build] [--keep]
#
#   --no-build  use the archive already in operator/image/target
#   --keep      leave the container, the control plane and a dockerd it started running (Ctrl-C stops them)
#
# Logs are kept in target/image-smoke/ (operator.log, cluster.log, dockerd.log, build.log).
#
# KWOK runs no containers, so the chart's own pods are simulated; the operator that does the work is
# this container, run as the chart's pod would be: the image the chart names, user 65532, read-only
# root filesystem with a tmpfs /tmp (the chart's emptyDir), all capabilities dropped, no new
# privileges, the chart's memory limit and environment, and in-cluster configuration: a token of the
# chart's ServiceAccount, the cluster CA and the namespace mounted at
# /var/run/secrets/kubernetes.io/serviceaccount, KUBERNETES_SERVICE_HOST/PORT set. Host networking
# stands in for the pod network: the API server listens on 127.0.0.1.
#
# Needs root and a machine that can run containers. When no Docker engine answers, it installs
# Debian's docker.io (when dockerd is missing) and starts dockerd for the test, without iptables or
# a bridge (only host networking is used), and stops it at the end.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build=true keep=false
for arg in "$@"; do
  case $arg in
    --no-build) build=false ;;
    --keep) keep=true ;;
    *) echo "unknown argument $arg (use --no-build, --keep)" >&2; exit 2 ;;
  esac
done
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
started=$(date +%s)
step_started=$started
say() { printf '[smoke %4ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
took() { local now; now=$(date +%s); say "  ... $1 took $(( now - step_started )) s"; step_started=$now; }
fail() { printf '[smoke] FAILED: %s\n' "$*" >&2; exit 1; }

work=$repo/target/image-smoke
mkdir -p "$work"
tar_file=$repo/operator/image/target/atrium-operator-image.tar
container=atrium-operator-smoke
namespace=atrium-system
http_port=${ATRIUM_SMOKE_HTTP_PORT:-18091}
ctr_namespace=atrium-smoke
dockerd_pid="" cluster_pid=""

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [[ $code -ne 0 ]]; then
    echo "--- operator container log (last 40 lines) ---" >&2
    docker logs --tail 40 "$container" 2>&1 | sed 's/^/  /' >&2 || true
  fi
  docker logs "$container" > "$work/operator.log" 2>&1 || true
  docker rm -f "$container" >/dev/null 2>&1 || true
  if [[ -n $cluster_pid ]]; then kill -TERM "$cluster_pid" 2>/dev/null || true; wait "$cluster_pid" 2>/dev/null || true; fi
  if [[ -n $dockerd_pid ]]; then
    say "stopping the dockerd this test started"
    kill -TERM "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
  fi
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. a container engine ------------------------------------------------------------------------
say "1/7 container engine"
if ! docker info >/dev/null 2>&1; then
  [[ $(id -u) == 0 ]] || fail "no Docker engine answers and this is not root, so none can be installed and started"
  if ! command -v dockerd >/dev/null 2>&1; then
    say "installing Debian's docker.io (dockerd, containerd, runc)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends docker.io >"$work/apt.log" 2>&1 \
      || { apt-get update -q >>"$work/apt.log" 2>&1 && apt-get install -y -q --no-install-recommends docker.io >>"$work/apt.log" 2>&1; } \
      || { tail -20 "$work/apt.log" >&2; fail "apt-get install docker.io failed"; }
  fi
  say "starting dockerd (log: $work/dockerd.log)"
  dockerd --iptables=false --ip6tables=false --bridge=none --host unix:///var/run/docker.sock \
    >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || { tail -20 "$work/dockerd.log" >&2; fail "dockerd exited"; }
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -20 "$work/dockerd.log" >&2; fail "dockerd did not answer within 60 s"; }
fi
say "  $(docker version --format 'Docker {{.Server.Version}}, containerd and runc from {{.Server.Os}}/{{.Server.Arch}}'), storage $(docker info --format '{{.Driver}}')"
took "the engine"

# --- 2. the image ---------------------------------------------------------------------------------
if $build; then
  say "2/7 building the image (hack/image.sh)"
  hack/image.sh > "$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; fail "hack/image.sh failed"; }
  sed -n '/^image:/,/^built in/p' "$work/build.log" | sed 's/^/    /'
  took "the build"
else
  say "2/7 using the archive already built"
fi
[[ -f $tar_file ]] || fail "no image archive $tar_file (run without --no-build)"
image=$(tar -xOf "$tar_file" manifest.json | sed 's/.*"RepoTags":\["\([^"]*\)".*/\1/')
digest=$(cat "$tar_file.digest")

# --- 3. loading it: docker load, ctr import -------------------------------------------------------
say "3/7 docker load and ctr images import of $(basename "$tar_file")"
docker rm -f "$container" >/dev/null 2>&1 || true
docker rmi "$image" >/dev/null 2>&1 || true
docker load -i "$tar_file" | sed 's/^/    /'
[[ $(docker image inspect --format '{{.Id}}' "$image") == "$(cat "$tar_file.id")" ]] \
  || fail "docker's image ID is not the config digest in $tar_file.id"
[[ $(docker image inspect --format '{{.Config.User}}' "$image") == 65532:65532 ]] || fail "the image's user is not 65532:65532"
# Docker's own containerd (or a system one) reads the same archive: the digest must stay ours
containerd_socket=""
for s in /run/containerd/containerd.sock /var/run/docker/containerd/containerd.sock; do
  [[ -S $s ]] && { containerd_socket=$s; break; }
done
if [[ -n $containerd_socket ]] && command -v ctr >/dev/null 2>&1; then
  ctr_() { ctr --address "$containerd_socket" -n "$ctr_namespace" "$@"; }
  ctr_ images rm "$image" >/dev/null 2>&1 || true
  ctr_ images import "$tar_file" | sed 's/^/    /'
  got=$(ctr_ images ls | awk -v ref="$image" '$1 == ref { print $3 }')
  [[ $got == "$digest" ]] || fail "ctr imported $image as '$got', not $digest"
  # and runs it: the runtime starts, as the image's user, on a read-only root
  ctr_ run --rm --read-only "$image" "atrium-smoke-$$" /opt/java/bin/java -version 2>&1 | grep -q 'Temurin\|OpenJDK' \
    || fail "ctr run of $image could not start java"
  say "  containerd ($containerd_socket): imported as $digest, and java runs in it"
  ctr_ images rm "$image" >/dev/null
else
  say "  no containerd socket or ctr: the containerd import is not checked"
fi
took "loading"

# --- 4. a Kubernetes control plane ----------------------------------------------------------------
say "4/7 local control plane (hack/tools.sh binaries, KWOK nodes) and the Helm chart"
hack/tools.sh >"$work/tools.log" 2>&1 || { tail -20 "$work/tools.log" >&2; fail "hack/tools.sh failed"; }
export PATH="$repo/.tools/bin:$PATH"
./mvnw -q -B -ntp -pl e2e/kube-test-support -am compile dependency:build-classpath \
  -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt
rm -f "$work/kubeconfig"
java -cp "e2e/kube-test-support/target/classes:$(cat e2e/kube-test-support/target/classpath.txt)" \
  -Datrium.tools.bin="$repo/.tools/bin" -Datrium.cluster.logs="$repo/target/cluster-logs" \
  dev.atrium.testing.kube.LocalClusterCli --kubeconfig-out "$work/kubeconfig" >"$work/cluster.log" 2>&1 &
cluster_pid=$!
for _ in $(seq 1 180); do
  [[ -s $work/kubeconfig ]] && break
  kill -0 "$cluster_pid" 2>/dev/null || { tail -20 "$work/cluster.log" >&2; fail "the control plane did not start"; }
  sleep 1
done
[[ -s $work/kubeconfig ]] || fail "the control plane did not start in 3 minutes"
export KUBECONFIG=$work/kubeconfig
helm install atrium-operator charts/atrium-operator --namespace "$namespace" --create-namespace \
  --wait --timeout 3m >"$work/helm.log" 2>&1 || { cat "$work/helm.log" >&2; fail "helm install failed"; }
kubectl wait --for condition=established --timeout=60s crd/collaborationplatforms.atrium.dev >/dev/null
jsonpath() { kubectl -n "$namespace" get deployment atrium-operator -o jsonpath="$1"; }
chart_image=$(jsonpath '{.spec.template.spec.containers[0].image}')
[[ $chart_image == "$image" ]] || fail "the chart deploys $chart_image, the image built is $image"
[[ $(jsonpath '{.spec.template.spec.securityContext.runAsUser}') == 65532 ]] || fail "the chart's pod does not run as 65532"
memory_limit=$(jsonpath '{.spec.template.spec.containers[0].resources.limits.memory}')
docker_memory=${memory_limit/Mi/m}; docker_memory=${docker_memory/Gi/g}
chart_env() { jsonpath "{.spec.template.spec.containers[0].env[?(@.name==\"$1\")].value}"; }
say "  the chart deploys $chart_image as 65532 with a $memory_limit limit; its ServiceAccount runs the container"
took "the control plane and the chart"

# --- 5. the operator, from the image, as the chart runs it ----------------------------------------
say "5/7 running the operator from $image"
server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
[[ $server =~ ^https://(127\.0\.0\.1|localhost):([0-9]+)$ ]] || fail "unexpected API server address $server"
api_port=${BASH_REMATCH[2]}
sa=$work/serviceaccount
rm -rf "$sa" && mkdir -p "$sa"
kubectl -n "$namespace" create token atrium-operator --duration=2h > "$sa/token"
ca=$(kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
if [[ -n $ca ]]; then
  base64 -d <<< "$ca" > "$sa/ca.crt"
else
  cp "$(kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority}')" "$sa/ca.crt"
fi
printf '%s' "$namespace" > "$sa/namespace"
chmod 755 "$sa" && chmod 644 "$sa"/*
if (echo > "/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then
  fail "port $http_port is taken; set ATRIUM_SMOKE_HTTP_PORT"
fi
run_started=$(date +%s)
docker run -d --name "$container" \
  --user 65532:65532 --read-only --tmpfs /tmp:rw,size=64m,mode=1777 \
  --cap-drop ALL --security-opt no-new-privileges --memory "$docker_memory" \
  --network host \
  -v "$sa:/var/run/secrets/kubernetes.io/serviceaccount:ro" \
  -e KUBERNETES_SERVICE_HOST=127.0.0.1 -e KUBERNETES_SERVICE_PORT="$api_port" \
  -e POD_NAMESPACE="$namespace" -e ATRIUM_HTTP_PORT="$http_port" \
  -e ATRIUM_WATCH_NAMESPACES="$(chart_env ATRIUM_WATCH_NAMESPACES)" \
  -e ATRIUM_DEFAULT_REGISTRY="$(chart_env ATRIUM_DEFAULT_REGISTRY)" \
  -e ATRIUM_LEADER_ELECTION="$(chart_env ATRIUM_LEADER_ELECTION)" \
  -e ATRIUM_LOG_LEVEL="$(chart_env ATRIUM_LOG_LEVEL)" \
  "$image" >/dev/null
ready=false
for _ in $(seq 1 120); do
  if [[ $(docker inspect --format '{{.State.Running}}' "$container") != true ]]; then
    fail "the operator container stopped (exit code $(docker inspect --format '{{.State.ExitCode}}' "$container"))"
  fi
  if curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1; then ready=true; break; fi
  sleep 1
done
$ready || fail "/readyz did not answer 200 within 120 s"
say "  /readyz is 200 after $(( $(date +%s) - run_started )) s"
pid=$(docker inspect --format '{{.State.Pid}}' "$container")
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
[[ $uid == 65532 ]] || fail "the operator runs as uid $uid, not 65532"
say "  runs as uid $uid; $(docker logs "$container" 2>&1 | grep -m1 'Atrium operator started' | sed 's/.*\] //')"
took "the start"

# --- 6. it reconciles the example platform --------------------------------------------------------
say "6/7 applying the simulated releases (e2e/kwok-releases/) and examples/platform.yaml"
kubectl apply --server-side --field-manager=atrium-install -f e2e/kwok-releases/ >/dev/null
kubectl apply -f examples/platform.yaml >/dev/null
deadline=$(( $(date +%s) + 300 )) last=""
while :; do
  [[ $(docker inspect --format '{{.State.Running}}' "$container") == true ]] || fail "the operator container stopped"
  line=$(kubectl get collab acme -n acme -o jsonpath='{.status.phase} {.status.readyComponents}' 2>/dev/null || true)
  [[ -n ${line// /} && $line != "$last" ]] && { say "  $line"; last=$line; }
  [[ $line == Ready* ]] && break
  (( $(date +%s) < deadline )) || fail "the platform is not Ready after 5 minutes"
  sleep 2
done
kubectl get collab -A
metrics=$(curl -fsS "http://127.0.0.1:$http_port/metrics")
grep -q '^atrium_reconciles_total{result="ok"}' <<< "$metrics" || fail "/metrics shows no successful reconcile"
grep -Eq '^atrium_platform_components_ready\{[^}]*\} 7(\.0)?$' <<< "$metrics" || fail "/metrics does not show 7 ready components"
holder=$(kubectl -n "$namespace" get lease atrium-operator -o jsonpath='{.spec.holderIdentity}')
say "  Ready; the lease atrium-operator in $namespace is held by $holder; /metrics counts the reconciles"
took "the reconcile"

# --- 7. a graceful stop ---------------------------------------------------------------------------
if $keep; then
  say "--keep: everything keeps running (KUBECONFIG=$KUBECONFIG, metrics on :$http_port); Ctrl-C stops it"
  wait "$cluster_pid"
fi
say "7/7 docker stop (SIGTERM)"
docker stop -t 45 "$container" >/dev/null
code=$(docker inspect --format '{{.State.ExitCode}}' "$container")
oom=$(docker inspect --format '{{.State.OOMKilled}}' "$container")
# the whole log first: with pipefail, grep -q leaving at its match would fail the pipe (docker logs gets SIGPIPE)
stop_log=$(docker logs "$container" 2>&1)
grep -q 'Stopping: finishing reconciliations' <<< "$stop_log" || fail "no graceful stop in the log"
[[ $oom == false ]] || fail "the container was OOM-killed"
# 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal
[[ $code == 143 || $code == 0 ]] || fail "exit code $code after SIGTERM"
say "  stopped gracefully (exit code $code)"
took "the stop"
say "image smoke test of $image ($digest) passed in $(( $(date +%s) - started )) s"
echo "smoke: 1 passed, 0 failed"
