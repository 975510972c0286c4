#!/usr/bin/env bash
# The main job on a real node (hack/run.sh --real): the local control plane with one real node
# (kubelet, containerd, kube-proxy in namespaces of their own) and a local registry standing for the
# site's private registry; every image built here from packages and sources and pushed to it; the
# operator installed with its chart from that registry; the trial-size platform applied with every
# component, and shown converging with real containers; then its people sign in and netdisk is used
# directly and through the front door (the platform's Ingress, served by the node's ingress controller on
# the node's port 80, to webos, whose gateway routes every service's API). Needs root.
#   hack/run.sh --real                    keep everything running until Ctrl-C
#   hack/run.sh --real --exit-when-ready  stop once the platform is Ready (CI uses this)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
exit_when_ready=false
for arg in "$@"; do
  case $arg in
    --exit-when-ready) exit_when_ready=true ;;
    --real) ;;
    *) echo "unknown argument $arg (use --exit-when-ready)" >&2; exit 2 ;;
  esac
done
(( EUID == 0 )) || { echo "the real node needs root (network and mount namespaces, cgroups, iptables)" >&2; exit 1; }
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
say() { printf '[run] %s\n' "$*"; }
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started ))s"; }
version=1.0.0
domain=collab.acme.example
run_dir="$repo/.tools/run"
mkdir -p "$run_dir"

say "1/7 Kubernetes binaries and the node's tools (hack/tools.sh)"
hack/tools.sh
export PATH="$repo/.tools/bin:$PATH"

say "2/7 every image, from Debian packages, Maven artifacts and Go modules (hack/images.sh), and release $version"
hack/images.sh --release "$version"
hack/release.sh "$version" --out "$run_dir/release-$version.yaml"

say "3/7 building the cluster launcher (no tests)"
./mvnw -q -B -ntp -pl e2e/kube-test-support -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime
classpath() { echo "$1/target/classes:$(cat "$1/target/classpath.txt")"; }

rm -f "$run_dir/kubeconfig"
pids=()
stop_all() {
  trap - EXIT INT TERM
  say "stopping the cluster (node, registry, control plane)"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

say "4/7 starting the control plane, the real node and the registry (log: $run_dir/cluster.log)"
java -cp "$(classpath e2e/kube-test-support)" -Datrium.tools.bin="$repo/.tools/bin" \
  -Datrium.images="$repo/target/images" -Datrium.cluster.logs="$repo/target/cluster-logs" \
  -Dorg.slf4j.simpleLogger.showDateTime=true \
  dev.atrium.testing.kube.LocalClusterCli --real-node --kubeconfig-out "$run_dir/kubeconfig" > "$run_dir/cluster.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  [[ -s "$run_dir/kubeconfig" && -s "$run_dir/token-bob" ]] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$run_dir/cluster.log" >&2; exit 1; }
  sleep 1
done
[[ -s "$run_dir/token-bob" ]] || { echo "the cluster did not start in 5 minutes" >&2; cat "$run_dir/cluster.log" >&2; exit 1; }
export KUBECONFIG="$run_dir/kubeconfig"
registry=$(cat "$run_dir/registry")
kubectl get nodes -o wide
kubectl get pods -A -o wide

say "5/7 installing the operator with its Helm chart, its image from the site's registry $registry"
helm install atrium-operator charts/atrium-operator --namespace atrium-system --create-namespace \
  --set global.imageRegistry="$registry" --set image.digest="$(cat target/images/atrium-operator.tar.digest)" \
  --set replicaCount=1 --wait --timeout 5m
kubectl -n atrium-system get pods -o wide

say "6/7 the release $version (digests of this build) and the ready autoscaling policies"
kubectl apply --server-side --field-manager=atrium-install -f "$run_dir/release-$version.yaml" -f autoscaling-policies/

say "7/7 the trial-size platform, with what has an image today, watched until Ready ($(elapsed) so far)"
echo "    webos is switched off (no image yet); identity signs people in, its first"
echo "    administrator's password in the Secret acme-identity-admin"
kubectl apply -f - <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: acme
---
apiVersion: atrium.dev/v1alpha1
kind: CollaborationPlatform
metadata:
  name: acme
  namespace: acme
spec:
  version: $version
  mode: Private
  domain: $domain
  size: 100users
  webos: {replicas: 1}
  netdisk: {replicas: 1}
EOF
applied=$(date +%s)
last=""
deadline=$(( applied + 900 ))
while :; do
  kill -0 "${pids[0]}" 2>/dev/null || { echo "the cluster stopped:" >&2; tail -30 "$run_dir/cluster.log" >&2; exit 1; }
  line=$(kubectl get collab acme -n acme -o jsonpath='{.status.phase} {.status.readyComponents} {.status.conditions[?(@.type=="Ready")].message}' 2>/dev/null || true)
  if [[ -n "$line" && "$line" != "$last" ]]; then
    printf '    %s  %s\n' "$(date +%T)" "$line"
    last=$line
  fi
  [[ "$line" == Ready* ]] && break
  (( $(date +%s) < deadline )) || {
    echo "not Ready after 15 minutes" >&2
    kubectl get pods -n acme -o wide >&2
    kubectl -n atrium-system logs deploy/atrium-operator --tail=30 >&2 || true
    exit 1
  }
  sleep 2
done
say "Ready $(( $(date +%s) - applied ))s after it was applied ($(elapsed) in all)"
echo
kubectl get collab -A
echo
kubectl get statefulsets,deployments,pods -n acme -o wide
echo
echo "Every container's image, pulled by digest from $registry:"
kubectl get pods -n acme -o jsonpath='{range .items[*]}{range .status.containerStatuses[*]}{"    "}{.imageID}{"\n"}{end}{end}' | sort -u
identity=$(kubectl -n acme get service acme-identity -o jsonpath='{.spec.clusterIP}')
mc=$(kubectl -n acme get service acme-message-center -o jsonpath='{.spec.clusterIP}')
netdisk=$(kubectl -n acme get service acme-netdisk -o jsonpath='{.spec.clusterIP}')
# a Service answers from the host only once kube-proxy has written its rules, which may lag the pods'
# readiness on a busy node: wait (a minute at most) until each service answers through its Service
for service in "$identity" "$mc" "$netdisk"; do
  for (( i = 0; i < 30; i++ )); do
    curl -fsS -o /dev/null --max-time 2 "http://$service:8080/actuator/health/readiness" && break
    sleep 2
  done
done
echo
echo "The first administrator signs in at identity (hack/sign-in.sh: the code flow with PKCE through its"
echo "login page), the message center accepts the token, and netdisk keeps a file in the object store:"
admin_token=$(kubectl -n acme get secret acme-identity-admin -o jsonpath='{.data.password}' | base64 -d \
  | hack/sign-in.sh "http://$identity:8080" admin)
printf '    identity   /api/me           %s\n' "$(curl -sS -H "Authorization: Bearer $admin_token" \
  "http://$identity:8080/api/me" | jq -c '{id: .person.id, admin: .person.admin}')"
printf '    messages   /api/v1/unread    %s\n' "$(curl -sS -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $admin_token" "http://$mc:8080/api/v1/unread")"
space=$(curl -sS -H "Authorization: Bearer $admin_token" "http://$netdisk:8080/netdisk/api/v1/spaces" \
  | jq -r '.[] | select(.kind == "PERSONAL") | .id')
sample=$(mktemp)
head -c 1048576 /dev/urandom > "$sample"
file=$(curl -sS -X PUT -H "Authorization: Bearer $admin_token" -H "Content-Type: application/octet-stream" \
  --data-binary "@$sample" \
  "http://$netdisk:8080/netdisk/api/v1/spaces/$space/content?path=hello/sample.bin" | jq -r .id)
if curl -sS -H "Authorization: Bearer $admin_token" "http://$netdisk:8080/netdisk/api/v1/files/$file/content" \
    | cmp -s - "$sample"; then
  printf '    netdisk    1 MiB up and down: the same bytes (file %s)\n' "$file"
else
  rm -f "$sample"
  echo "[run] error: netdisk did not give back the bytes it was given (file ${file:-none})" >&2
  exit 1
fi
# the front door: the operator's Ingress (the default IngressClass, the node's Traefik) on the node's port 80, to
# webos, whose gateway checks the token once and routes /netdisk to netdisk and /auth to identity
front=""
for _ in $(seq 1 60); do
  front=$(kubectl -n acme get ingress acme -o jsonpath='{.status.loadBalancer.ingress[0].ip}' 2>/dev/null || true)
  [[ -n $front ]] && break
  sleep 1
done
[[ -n $front ]] || { echo "[run] error: the ingress controller did not publish the platform's Ingress in 60 s" >&2; exit 1; }
door=(curl -sS --max-time 10 --resolve "$domain:80:$front")
unauthenticated=$("${door[@]}" -o /dev/null -w '%{http_code}' "http://$domain/netdisk/api/v1/spaces")
if [[ $unauthenticated == 401 ]] && "${door[@]}" -H "Authorization: Bearer $admin_token" \
    "http://$domain/netdisk/api/v1/files/$file/content" | cmp -s - "$sample"; then
  printf '    front door http://%s/netdisk (Ingress acme at %s, webos): 401 without a token, the same bytes with it\n' \
    "$domain" "$front"
else
  echo "[run] error: the front door at $front did not serve netdisk for $domain (without a token: $unauthenticated)" >&2
  exit 1
fi
issuer=$("${door[@]}" "http://$domain/auth/.well-known/openid-configuration" | jq -r .issuer 2>/dev/null || true)
if [[ $issuer == "http://$domain/auth" ]]; then
  printf '    front door http://%s/auth: identity, issuer %s\n' "$domain" "$issuer"
else
  echo "[run] error: the front door did not reach identity at /auth (issuer: ${issuer:-none})" >&2
  exit 1
fi
printf '    webos      the gateway counted %s\n' "$("${door[@]}" -H "Authorization: Bearer $admin_token" \
  "http://$domain/webos/api/v1/admin/usage" | jq -c '[.lines[] | {route, requests, byStatus}]' 2>/dev/null)"
rm -f "$sample"
if $exit_when_ready; then
  exit 0
fi
cat <<EOF

Everything keeps running. From another shell:
  export KUBECONFIG=$run_dir/kubeconfig PATH=$repo/.tools/bin:\$PATH
  kubectl get pods -A -o wide                  # real containers on node atrium-node
  kubectl -n acme logs statefulset/acme-database
  # sign in as the first administrator at identity, then use the message center with the token:
  TOKEN=\$(kubectl -n acme get secret acme-identity-admin -o jsonpath='{.data.password}' | base64 -d \\
    | hack/sign-in.sh http://$identity:8080 admin)
  curl -s -H "Authorization: Bearer \$TOKEN" http://$mc:8080/api/v1/conversations
  curl -s -H "Authorization: Bearer \$TOKEN" http://$netdisk:8080/netdisk/api/v1/spaces
  # the same through the front door, as the site's people reach it: the domain on the node's address
  curl -s --resolve $domain:80:$front -H "Authorization: Bearer \$TOKEN" http://$domain/netdisk/api/v1/spaces
Press Ctrl-C to stop; the node, its containers, the registry and the control plane stop with it.
EOF
wait "${pids[0]}"
