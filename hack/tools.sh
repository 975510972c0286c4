#!/usr/bin/env bash
# Builds the pinned Kubernetes binaries that tests and the demo run on, from the Go module proxy:
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok, kwokctl and helm,
# the OCI registry (distribution) that stands for an air-gapped site's private registry, what the
# real node runs (kubelet, kube-proxy, the CNI plugins, CoreDNS, local-path-provisioner, pause),
# SeaweedFS (the object store's server) and Traefik (the real node's ingress controller).
#
#   hack/tools.sh            build what is missing, then link it all into .tools/bin
#   hack/tools.sh --check    only report what is present and what is missing (exit 1 if any)
#   hack/tools.sh --print-bin-dir
#
# Binaries are cached per tool and version under ATRIUM_TOOLS_CACHE
# (default ${XDG_CACHE_HOME:-~/.cache}/atrium/tools), e.g. kubernetes/v1.35.4/kube-apiserver.
# A cached binary is reused; a build goes to a temporary directory and is moved in only when it
# succeeded, so an interrupted run never leaves a half-written binary behind. Running it again
# is cheap.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$repo/hack/tools"
# shellcheck source=tools/versions.env
source "$tools/versions.env"
cache=${ATRIUM_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/atrium/tools}
bin_dir="$repo/.tools/bin"

log() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] error: %s\n' "$*" >&2; exit 1; }

# tool name, version and the binaries it provides
declare -A provides=(
  [kubernetes]="kube-apiserver kube-controller-manager kube-scheduler kubectl"
  [etcd]="etcd"
  [kwok]="kwok kwokctl"
  [helm]="helm"
  [registry]="registry"
  [kubernetes-node]="kubelet kube-proxy"
  [pause]="pause"
  [cni-plugins]="bridge host-local loopback portmap"
  [coredns]="coredns"
  [local-path-provisioner]="local-path-provisioner"
  [seaweedfs]="weed"
  [traefik]="traefik"
  [monitoring-crds]="monitoring.coreos.com_servicemonitors.yaml monitoring.coreos.com_prometheusrules.yaml"
)
declare -A versions=(
  [kubernetes]=$KUBERNETES_VERSION
  [etcd]=$ETCD_VERSION
  [kwok]=$KWOK_VERSION
  [helm]=$HELM_VERSION
  [registry]=$DISTRIBUTION_VERSION
  [kubernetes-node]=$KUBERNETES_VERSION
  [pause]=$PAUSE_VERSION
  [cni-plugins]=$CNI_PLUGINS_VERSION
  [coredns]=$COREDNS_VERSION
  [local-path-provisioner]=$LOCAL_PATH_PROVISIONER_VERSION
  [seaweedfs]=$SEAWEEDFS_VERSION
  [traefik]=$TRAEFIK_VERSION
  [monitoring-crds]=$PROMETHEUS_OPERATOR_VERSION
)
# Bumped when a tool's build recipe changes, so that cached builds of the same version are redone.
declare -A revisions=(
  [helm]=2
)
order=(etcd kwok kubernetes helm registry monitoring-crds kubernetes-node pause cni-plugins coredns local-path-provisioner seaweedfs traefik)

dir_of() { printf '%s/%s/%s%s' "$cache" "$1" "${versions[$1]}" "${revisions[$1]:+-r${revisions[$1]}}"; }
# where a tool's files are linked: binaries on the bin dir, CRD manifests beside it, CNI plugins
# in a directory of their own (the kubelet's containerd looks there for every file)
link_dir_of() {
  case $1 in
    *-crds) printf '%s' "$repo/.tools/crds" ;;
    cni-plugins) printf '%s' "$repo/.tools/cni/bin" ;;
    *) printf '%s' "$bin_dir" ;;
  esac
}

is_cached() {
  local tool=$1 b
  for b in ${provides[$tool]}; do
    [[ -f "$(dir_of "$tool")/$b" ]] || return 1
  done
}

require_go() {
  command -v go >/dev/null 2>&1 || die "Go is not installed (needed to build $1). Install Go $GO_MIN_VERSION or newer (golang.org/dl, or your distribution's golang package) and run again."
  local have
  have=$(go env GOVERSION | sed 's/^go//')
  if [[ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$have" | sort -V | head -1)" != "$GO_MIN_VERSION" ]]; then
    die "$1 needs Go >= $GO_MIN_VERSION, but 'go' is $have. Install a newer Go and run again."
  fi
}

k8s_ldflags() {
  local v=$1 minor p flags="-s -w"
  minor=$(cut -d. -f2 <<<"$v")
  # Without these the binaries report v0.0.0, which kubectl and kwokctl use to pick flags.
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    flags+=" -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  printf '%s' "$flags"
}

build() {
  local tool=$1 version=${versions[$1]} out tmp started
  out=$(dir_of "$tool")
  tmp=$(mktemp -d "$cache/.build-$tool.XXXXXX")
  trap 'rm -rf "$tmp"' RETURN
  started=$(date +%s)
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"
  case $tool in
    kubernetes)
      require_go "Kubernetes $version"
      grep -q "k8s.io/kubernetes $version\$" "$tools/kubernetes/go.mod" \
        || die "hack/tools/kubernetes/go.mod does not require k8s.io/kubernetes $version; run hack/tools/update-wrappers.sh"
      log "building kube-apiserver, kube-controller-manager, kube-scheduler and kubectl $version (10-20 minutes on 2 cores when nothing is cached)"
      (cd "$tools/kubernetes" && go build -ldflags "$(k8s_ldflags "$version")" -o "$tmp/" \
        k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
        k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
      ;;
    etcd)
      require_go "etcd $version"
      grep -q "go.etcd.io/etcd/server/v3 $version\$" "$tools/etcd/go.mod" \
        || die "hack/tools/etcd/go.mod does not require go.etcd.io/etcd/server/v3 $version; run hack/tools/update-wrappers.sh"
      log "building etcd $version"
      (cd "$tools/etcd" && go build -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
      ;;
    kwok)
      require_go "KWOK $version"
      log "building kwok and kwokctl $version"
      GOBIN="$tmp" go install -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${version#v}" \
        "sigs.k8s.io/kwok/cmd/kwok@$version" "sigs.k8s.io/kwok/cmd/kwokctl@$version"
      ;;
    helm)
      require_go "Helm $version"
      log "building helm $version"
      # Helm's own build sets the Kubernetes version it assumes without a cluster (helm template,
      # helm lint) from its client-go; without it that is v1.20 and kubeVersion constraints fail
      local gomod kminor helm_flags="-s -w -X helm.sh/helm/v3/internal/version.version=$version"
      gomod=$(go mod download -json "helm.sh/helm/v3@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
      kminor=$(sed -n 's/^[[:space:]]*k8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod")
      [[ -n $kminor ]] || die "cannot read the client-go version from Helm's go.mod ($gomod)"
      for p in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
        helm_flags+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$kminor"
      done
      GOBIN="$tmp" go install -ldflags "$helm_flags" "helm.sh/helm/v3/cmd/helm@$version"
      ;;
    registry)
      # distribution's go.mod has no replace directive, so go install builds it as released
      require_go "distribution (registry) $version"
      log "building registry (distribution) $version"
      GOBIN="$tmp" go install -ldflags "-s -w -X github.com/distribution/distribution/v3/version.version=$version" \
        "github.com/distribution/distribution/v3/cmd/registry@$version"
      ;;
    kubernetes-node)
      require_go "kubelet and kube-proxy $version"
      grep -q "k8s.io/kubernetes $version\$" "$tools/kubernetes/go.mod" \
        || die "hack/tools/kubernetes/go.mod does not require k8s.io/kubernetes $version; run hack/tools/update-wrappers.sh"
      log "building kubelet and kube-proxy $version (a few minutes when the control plane's build is cached)"
      (cd "$tools/kubernetes" && go build -ldflags "$(k8s_ldflags "$version")" -o "$tmp/" \
        k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy)
      ;;
    pause)
      # the pod sandbox's process, from the pinned Kubernetes module's build/pause, compiled as its
      # Makefile does (static, so the image holds nothing else)
      command -v gcc >/dev/null 2>&1 || die "gcc is missing (Debian: apt-get install gcc libc6-dev)"
      local src
      src=$(cd "$tools/kubernetes" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" \
        | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')/build/pause/linux/pause.c
      [[ -f $src ]] || die "no $src in the Kubernetes module"
      log "compiling pause $version from $src"
      gcc -Os -Wall -Werror -static -DVERSION="v$version-atrium" -o "$tmp/pause" "$src"
      strip "$tmp/pause"
      ;;
    cni-plugins)
      require_go "CNI plugins $version"
      log "building the CNI plugins bridge, host-local, loopback and portmap $version"
      GOBIN="$tmp" go install -ldflags "-s -w -X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$version" \
        "github.com/containernetworking/plugins/plugins/main/bridge@$version" \
        "github.com/containernetworking/plugins/plugins/ipam/host-local@$version" \
        "github.com/containernetworking/plugins/plugins/main/loopback@$version" \
        "github.com/containernetworking/plugins/plugins/meta/portmap@$version"
      ;;
    coredns)
      require_go "CoreDNS $version"
      log "building coredns $version"
      GOBIN="$tmp" go install -ldflags "-s -w" "github.com/coredns/coredns@$version"
      ;;
    local-path-provisioner)
      require_go "local-path-provisioner $version"
      log "building local-path-provisioner $version"
      GOBIN="$tmp" go install -ldflags "-s -w -X main.VERSION=$version" "github.com/rancher/local-path-provisioner@$version"
      ;;
    seaweedfs)
      require_go "SeaweedFS $version"
      grep -q "github.com/seaweedfs/seaweedfs $version\$" "$tools/seaweedfs/go.mod" \
        || die "hack/tools/seaweedfs/go.mod does not require github.com/seaweedfs/seaweedfs $version; run hack/tools/update-wrappers.sh"
      log "building SeaweedFS weed $version (about 8 minutes on 2 cores when nothing is cached)"
      (cd "$tools/seaweedfs" && go build -ldflags "-s -w" -o "$tmp/weed" github.com/seaweedfs/seaweedfs/weed)
      ;;
    traefik)
      require_go "Traefik $version"
      grep -q "github.com/traefik/traefik/v3 $version\$" "$tools/traefik/go.mod" \
        || die "hack/tools/traefik/go.mod does not require github.com/traefik/traefik/v3 $version; run hack/tools/update-wrappers.sh"
      log "building Traefik $version (about 10 minutes on 2 cores)"
      (cd "$tools/traefik" && go build -o "$tmp/traefik" \
        -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=${version#v} -X github.com/traefik/traefik/v3/pkg/version.BuildDate=1970-01-01T00:00:00Z" \
        github.com/traefik/traefik/v3/cmd/traefik)
      ;;
    monitoring-crds)
      # prometheus-operator's ServiceMonitor and PrometheusRule CRDs, from its Go module, so that the
      # chart's monitoring objects are validated by the real schemas
      local moddir f
      log "fetching the monitoring.coreos.com CRDs of prometheus-operator $version"
      moddir=$(go mod download -json "github.com/prometheus-operator/prometheus-operator@$version" \
        | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
      [[ -d $moddir ]] || die "go mod download of prometheus-operator $version gave no module directory"
      for f in ${provides[$tool]}; do
        cp "$moddir/example/prometheus-operator-crd/$f" "$tmp/$f"
        chmod 644 "$tmp/$f"
      done
      ;;
  esac
  local b
  for b in ${provides[$tool]}; do
    [[ -f "$tmp/$b" ]] || die "building $tool $version produced no $b"
  done
  mkdir -p "$(dirname "$out")"
  rm -rf "$out"
  mv "$tmp" "$out"
  chmod 755 "$out"
  log "built $tool $version in $(( $(date +%s) - started ))s -> $out"
}

link_all() {
  local tool b
  for tool in "${order[@]}"; do
    mkdir -p "$(link_dir_of "$tool")"
    for b in ${provides[$tool]}; do
      ln -sfn "$(dir_of "$tool")/$b" "$(link_dir_of "$tool")/$b"
    done
  done
}

case ${1:-} in
  --print-bin-dir) echo "$bin_dir"; exit 0 ;;
  --check)
    missing=0
    for tool in "${order[@]}"; do
      if is_cached "$tool"; then log "ok      $tool ${versions[$tool]}"; else log "missing $tool ${versions[$tool]} (${provides[$tool]})"; missing=1; fi
    done
    exit $missing
    ;;
  "") ;;
  *) die "unknown argument '$1' (use --check or --print-bin-dir)" ;;
esac

mkdir -p "$cache"
for tool in "${order[@]}"; do
  if is_cached "$tool"; then
    log "cached  $tool ${versions[$tool]}"
  else
    build "$tool"
  fi
done
link_all
"$bin_dir/kube-apiserver" --version >&2
log "ready: binaries linked into $bin_dir"
