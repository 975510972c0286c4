#!/usr/bin/env bash
# Smoke test of the data stores' images on a real container runtime: each image is built (unless
# --no-build), imported into a containerd of its own and run the way the operator's pods run it:
# user 10001:10001 (the image's), read-only root filesystem, volumes as bind mounts and tmpfs, all
# capabilities dropped, the default seccomp profile, a memory limit. docs/images/*.md.
#
#   hack/images/smoke.sh [postgresql] [redis] [--no-build]     (root; default: both images)
#
# Needs containerd and runc (Debian: apt-get install containerd runc), unshare, nsenter and ip. The
# containerd is started here with its own root, state and socket in a temporary directory, without
# CRI (ctr needs none), and stopped at the end, on failure too; a containerd already running is not
# touched. The containers share one network namespace made here, which has only a loopback
# interface: nothing listens on the machine's interfaces and no port can clash with the machine's.
#   postgresql  Patroni with an API server of its own (kwokctl's etcd and kube-apiserver from
#               hack/tools.sh, in the same network namespace): pod 0 on 15430 leads, pod 1 on 15431
#               streams synchronously; the application user reaches every database; a row written on
#               the primary is read on the replica; pod 0 stopped, pod 1 takes over and pod 0 rejoins;
#               a rollout with one more database creates it; the leader killed, the other takes over
#   redis       server pod 0 on 16379, server pod 1 on 16380, Sentinel on 36379: Sentinel names the
#               primary; a key set on the primary is read on the replica; after the primary is
#               stopped Sentinel fails over to pod 1, and pod 0 restarted follows pod 1
# Ends with "smoke: N passed, M failed"; exits non-zero when a check failed. Container logs stay in
# target/images/smoke/.
set -euo pipefail
export LC_ALL=C
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

build=true images=()
for a in "$@"; do
  case $a in
    postgresql|redis) images+=("$a") ;;
    --no-build) build=false ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "smoke: unknown argument $a (see --help)" >&2; exit 2 ;;
  esac
done
(( ${#images[@]} )) || images=(postgresql redis)
say() { printf '[smoke] %s\n' "$*" >&2; }
die() { printf '[smoke] error: %s\n' "$*" >&2; exit 1; }
(( EUID == 0 )) || die "run as root (containerd and runc need it)"
for tool in containerd ctr runc unshare nsenter ip curl; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install containerd runc util-linux iproute2)"
done

logs=$repo/target/images/smoke
rm -rf "$logs"
mkdir -p "$logs"
tmp=$(mktemp -d /tmp/atrium-image-smoke.XXXXXX)
ns=atrium-smoke-$$
sock=$tmp/containerd.sock
containerd_pid="" netns_pid=""
started=()
ctr() { command ctr --address "$sock" --namespace "$ns" "$@"; }

cleanup() {
  set +e
  local id pid
  for id in "${started[@]}"; do
    ctr task kill -s SIGKILL "$id" >/dev/null 2>&1
  done
  for id in "${started[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      ctr task delete "$id" >/dev/null 2>&1 && break
      ctr task ls -q 2>/dev/null | grep -qx "$id" || break
      sleep 0.5
    done
    ctr container delete "$id" >/dev/null 2>&1
  done
  # shims of tasks that could not be deleted, by their pid files
  for pid in $(cat "$tmp"/state/io.containerd.runtime.v2.task/"$ns"/*/shim.pid 2>/dev/null); do
    kill -9 "$pid" 2>/dev/null
  done
  if [[ -n $containerd_pid ]]; then
    kill "$containerd_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$containerd_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$containerd_pid" 2>/dev/null
  fi
  # the API server Patroni used (PostgreSQL), before its network namespace goes
  [[ ${kube_started:-false} != true ]] \
    || KWOK_WORKDIR="$tmp/kwok" "$repo/.tools/bin/kwokctl" --name "$ns" delete cluster >> "$logs/kwokctl.log" 2>&1
  [[ -z $netns_pid ]] || kill "$netns_pid" 2>/dev/null
  # what runc left: the containers' cgroups' parent (one per controller), any mount under tmp
  rmdir /sys/fs/cgroup/*/"$ns" /sys/fs/cgroup/"$ns" 2>/dev/null
  grep -o " ${tmp}[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0 failed=0
check() { # NAME COMMAND...: a check that passes when COMMAND does
  local name=$1; shift
  if "$@" >> "$logs/checks.log" 2>&1; then
    passed=$((passed + 1)); say "ok    $name"
  else
    failed=$((failed + 1)); say "FAIL  $name (target/images/smoke/checks.log)"
  fi
}
expect() { # EXPECTED ACTUAL: equal, or say how they differ (into checks.log)
  [[ $1 == "$2" ]] || { printf "expected '%s', got '%s'\n" "$1" "$2"; return 1; }
}
retry() { # SECONDS COMMAND...: COMMAND until it succeeds, at most SECONDS
  local until=$((SECONDS + $1)); shift
  until "$@"; do (( SECONDS < until )) || return 1; sleep 1; done
}

# --- images -------------------------------------------------------------------------------------
declare -A archive=() ref=()
for image in "${images[@]}"; do
  archive[$image]=$repo/target/images/$image.tar
  ref[$image]=registry.atrium.dev/atrium/atrium-$image:smoke
  if $build; then
    say "building $image"
    start=$SECONDS
    "$repo/hack/images/$image/build.sh" --out "${archive[$image]}" --ref "${ref[$image]}" > "$logs/build-$image.log" 2>&1 \
      || { tail -20 "$logs/build-$image.log" >&2; die "building $image failed"; }
    say "built $image in $((SECONDS - start)) s: $(cat "${archive[$image]}.digest")"
  else
    [[ -f ${archive[$image]} ]] || die "no ${archive[$image]}: build it first (without --no-build)"
    ref[$image]=$(tar -xOf "${archive[$image]}" index.json | sed 's/.*"io.containerd.image.name":"\([^"]*\)".*/\1/')
  fi
done

# --- containerd and the network namespace -------------------------------------------------------
# CRI is off, so none of its settings (SystemdCgroup, restrict_oom_score_adj) applies: ctr runs runc
# through the runc v2 shim with cgroupfs, which is what a cgroup v1 machine needs.
cat > "$tmp/containerd.toml" <<EOF
version = 2
root = "$tmp/root"
state = "$tmp/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$tmp/opt"
EOF
containerd --config "$tmp/containerd.toml" > "$logs/containerd.log" 2>&1 &
containerd_pid=$!
retry 30 ctr version >/dev/null 2>&1 || die "containerd did not start (target/images/smoke/containerd.log)"
unshare --net sleep infinity &
netns_pid=$!
own_netns() { [[ $(readlink "/proc/$netns_pid/ns/net") != "$(readlink /proc/self/ns/net)" ]]; }
retry 5 own_netns || die "no network namespace"
nsenter --net="/proc/$netns_pid/ns/net" ip link set lo up
netns=/proc/$netns_pid/ns/net

for image in "${images[@]}"; do
  ctr images import "${archive[$image]}" > "$logs/import-$image.log" 2>&1 || die "ctr images import ${archive[$image]} failed"
  check "$image: imported under ${ref[$image]} with the archive's digest" \
    bash -c "command ctr --address '$sock' --namespace '$ns' images ls | grep -F '${ref[$image]} ' | grep -qF '$(cat "${archive[$image]}.digest")'"
done

# ctr has no "ALL": these are the capabilities of containerd's default spec
drop_all_caps=()
for cap in CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE \
  SYS_CHROOT KILL AUDIT_WRITE; do
  drop_all_caps+=(--cap-drop "CAP_$cap")
done
# a check run in a container: its main process runs as 10001:10001 with no capabilities, and the root
# filesystem is read-only
# shellcheck disable=SC2016 # expanded by the container's sh
user_check='[ "$(stat -c %u:%g /proc/1)" = 10001:10001 ] && ! touch /usr/smoke 2>/dev/null &&
  while read -r k v; do [ "$k" != CapEff: ] || [ "$v" = 0000000000000000 ] || exit 1; done < /proc/1/status'

# run ID IMAGE [--mount ...] [--env ...] [-- COMMAND...]: a container as the operator's pods run it
# (ctr's default spec lacks the read-only /sys/fs/cgroup that Kubernetes' pods have: it is added)
run() {
  local id=$1 image=$2; shift 2
  local opts=() args=()
  while (( $# )); do
    case $1 in --) shift; args=("$@"); break ;; *) opts+=("$1"); shift ;; esac
  done
  ctr run -d --read-only --seccomp "${drop_all_caps[@]}" --with-ns "network:$netns" \
    --memory-limit $((768 * 1024 * 1024)) --log-uri "file://$logs/$id.log" \
    --mount "type=tmpfs,src=tmpfs,dst=/tmp,options=nosuid:nodev:mode=1777" \
    --mount "type=cgroup,src=cgroup,dst=/sys/fs/cgroup,options=ro:nosuid:noexec:nodev" \
    "${opts[@]}" "${ref[$image]}" "$id" "${args[@]}" >/dev/null
  started+=("$id")
}
stop() { # ID: SIGTERM, as the kubelet stops a container, then wait for it to exit
  ctr task kill -s SIGTERM "$1" >/dev/null 2>&1 || true
  retry 30 bash -c "! command ctr --address '$sock' --namespace '$ns' task ls | grep -q '^$1 .*RUNNING'" || true
  ctr task delete -f "$1" >/dev/null 2>&1 || true
  ctr container delete "$1" >/dev/null 2>&1 || true
}
cexec() { local id=$1; shift; ctr task exec --exec-id "x$RANDOM$RANDOM" "$id" "$@"; }
# a volume: a directory as the kubelet leaves one with fsGroup 10001 (group 10001, setgid, rwx)
volume() { mkdir -p "$1"; chown 0:10001 "$1"; chmod 2775 "$1"; }

# --- PostgreSQL ---------------------------------------------------------------------------------
# Patroni keeps its leader lock in a Kubernetes API server: a control plane of etcd and kube-apiserver
# alone (kwokctl and the binaries of hack/tools.sh), started inside the containers' network namespace,
# with its HTTP port on 127.0.0.1:16443 (kwokctl's kubectl proxy; no authorization). The containers
# reach it on loopback as a pod reaches the kubernetes Service, with a kubeconfig mounted read-only.
# The pods Patroni labels exist as objects only (no scheduler, no nodes).
kube_started=false
start_kube() {
  local bin=$repo/.tools/bin tool version
  for tool in kwokctl etcd kube-apiserver kubectl; do
    [[ -x $bin/$tool ]] || die "$bin/$tool is missing: run hack/tools.sh (Patroni needs an API server)"
  done
  version=$("$bin/kube-apiserver" --version | awk '{print $2}')
  mkdir -p "$tmp/kwok" "$tmp/kube"
  kube_started=true
  nsenter --net="$netns" env KWOK_WORKDIR="$tmp/kwok" KWOK_KUBE_VERSION="$version" PATH="$bin:$PATH" \
    "$bin/kwokctl" --name "$ns" create cluster --runtime binary --kubeconfig "$tmp/kwok/kubeconfig" \
    --etcd-binary "$bin/etcd" --kube-apiserver-binary "$bin/kube-apiserver" \
    --kube-controller-manager-binary "$bin/kube-controller-manager" --kube-scheduler-binary "$bin/kube-scheduler" \
    --kwok-controller-binary "$bin/kwok" --disable kube-scheduler,kube-controller-manager,kwok-controller \
    --kube-apiserver-insecure-port 16443 --kube-authorization=false \
    --extra-args kube-apiserver=advertise-address=127.0.0.1 --wait 0s --quiet-pull >> "$logs/kwokctl.log" 2>&1 \
    || die "the API server for Patroni did not start (target/images/smoke/kwokctl.log)"
  cat > "$tmp/kube/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: smoke, cluster: {server: "http://127.0.0.1:16443"}}]
users: [{name: smoke, user: {}}]
contexts: [{name: smoke, context: {cluster: smoke, user: smoke, namespace: default}}]
current-context: smoke
KUBECONFIG
  chmod 0755 "$tmp/kube"; chmod 0644 "$tmp/kube/kubeconfig"
  retry 60 kube get namespace default >/dev/null 2>&1 || die "the API server for Patroni does not answer"
}
kube() { nsenter --net="$netns" "$repo/.tools/bin/kubectl" --kubeconfig "$tmp/kube/kubeconfig" "$@"; }
# the role label Patroni set on pod N's object; the REST API's readiness on a port
role() { kube get pod "atrium-database-$1" -o jsonpath='{.metadata.labels.atrium\.dev/patroni-role}'; }
is_role() { [[ $(role "$1") == "$2" ]]; }
ready() { nsenter --net="$netns" curl -sf -o /dev/null "http://127.0.0.1:$1/readiness"; }

smoke_postgresql() {
  local dbs=objectstore,identity,messages,netdisk,webos app_password=app-$RANDOM$RANDOM
  local labels=app.kubernetes.io/name=database,app.kubernetes.io/instance=atrium
  # the replication password has the characters a libpq password file must escape
  local env=(--env "ATRIUM_DATABASES=$dbs" --env ATRIUM_APP_USER=atrium --env "POSTGRES_PASSWORD=super-$RANDOM"
    --env 'ATRIUM_REPLICATION_PASSWORD=repl:pass\word' --env "ATRIUM_APP_PASSWORD=$app_password"
    --env POD_NAMESPACE=default --env POD_IP=127.0.0.1 --env "ATRIUM_PATRONI_LABELS=$labels"
    --env ATRIUM_PATRONI_SCOPE_LABEL=atrium.dev/patroni-cluster --env ATRIUM_PATRONI_ROLE_LABEL=atrium.dev/patroni-role
    --env ATRIUM_SYNCHRONOUS=true --env KUBECONFIG=/var/run/atrium-kube/kubeconfig --env ATRIUM_KUBE_CONTEXT=smoke
    --mount "type=bind,src=$tmp/kube,dst=/var/run/atrium-kube,options=rbind:ro")
  # ID PORT DB SQL: psql as the application user over TCP, one value per line
  pg() { cexec "$1" env PGPASSWORD="$app_password" psql --no-psqlrc -X -At "host=127.0.0.1 port=$2 dbname=$3 user=atrium" -c "$4"; }
  # ID PORT SQL: psql as the superuser over the socket (peer), as Patroni connects
  super() { cexec "$1" psql --no-psqlrc -X -At -h /var/run/postgresql -p "$2" -U postgres -c "$3"; }
  # N [DATABASES]: run the StatefulSet's pod N, a new container each time (its id in pgN)
  pod() {
    local n=$1 id=pg$1-$RANDOM
    volume "$tmp/pg$n"
    mkdir -p "$tmp/pg$n-run"; chmod 0777 "$tmp/pg$n-run"   # an emptyDir
    run "$id" postgresql --mount "type=bind,src=$tmp/pg$n,dst=/var/lib/postgresql/data,options=rbind:rw" \
      --mount "type=bind,src=$tmp/pg$n-run,dst=/var/run/postgresql,options=rbind:rw" \
      "${env[@]/#ATRIUM_DATABASES=*/ATRIUM_DATABASES=${2:-$dbs}}" \
      --env "HOSTNAME=atrium-database-$n" --env "PGPORT=1543$n" --env "ATRIUM_PATRONI_PORT=1800$n"
    printf -v "pg$n" '%s' "$id"
  }
  # checks run again until they pass (retry): each is a function of no arguments
  leads() { is_role "$1" master && [[ $(super "$(pgid "$1")" "1543$1" 'select pg_is_in_recovery()') == f ]]; }
  pgid() { local v=pg$1; printf '%s' "${!v}"; }
  replica_of() { # N M: pod N is labelled replica and streams from pod M
    is_role "$1" replica && [[ $(super "$(pgid "$1")" "1543$1" 'select status || sender_port from pg_stat_wal_receiver') == "streaming1543$2" ]]
  }
  # N: pod N is the synchronous standby in Patroni's DCS, the only member that may take over (until it is, a
  # leader that stops leaves nobody to promote and writes wait for it to come back)
  synchronous() { [[ $(kube get configmap atrium-database-sync -o jsonpath='{.metadata.annotations.sync_standby}') == "atrium-database-$1" ]]; }
  start_kube
  # the pods' ServiceAccount, which the controller manager would make (it does not run here)
  kube create serviceaccount default >> "$logs/checks.log" 2>&1 || die "no ServiceAccount (target/images/smoke/checks.log)"
  local n pg0="" pg1=""
  for n in 0 1; do
    kube create -f - >> "$logs/checks.log" 2>&1 <<POD || die "no pod atrium-database-$n (target/images/smoke/checks.log)"
apiVersion: v1
kind: Pod
metadata:
  name: atrium-database-$n
  labels: {app.kubernetes.io/name: database, app.kubernetes.io/instance: atrium, atrium.dev/patroni-cluster: atrium-database}
spec:
  containers: [{name: postgresql, image: registry.atrium.dev/atrium/postgresql:smoke}]
POD
  done

  say "postgresql: pod 0 (bootstraps the cluster and leads)"
  pod 0
  check "postgresql: pod 0 leads: Patroni labels its pod master, the server takes writes" retry 120 leads 0
  check "postgresql: pod 0 ready (Patroni's /readiness, as the probe)" retry 60 ready 18000
  local db ok=true
  for db in ${dbs//,/ }; do
    [[ $(pg "$pg0" 15430 "$db" "select current_user || ' ' || current_database() || ' ' || (select pg_get_userbyid(datdba) from pg_database where datname = current_database())") == "atrium $db atrium" ]] || ok=false
  done
  check "postgresql: the application user's password opens each database, owned by it ($dbs)" $ok
  wrong() { ! cexec "$pg0" env PGPASSWORD=wrong psql -X -At 'host=127.0.0.1 port=15430 dbname=messages user=atrium' -c 'select 1'; }
  check "postgresql: a wrong password is refused" wrong
  check "postgresql: UTF8, C.UTF-8, data checksums, SCRAM, shared_buffers a quarter of the 768 MiB limit" \
    expect "on off C.UTF-8 scram-sha-256 UTF8 24576" \
      "$(pg "$pg0" 15430 messages "select string_agg(setting, ' ' order by name) from pg_settings where name in ('server_encoding','lc_collate','data_checksums','password_encryption','shared_buffers','jit')")"
  check "postgresql: runs as 10001:10001 without capabilities on a read-only root" cexec "$pg0" sh -c "$user_check"

  say "postgresql: pod 1 (cloned by Patroni, a synchronous replica)"
  pod 1
  replica_ready() { replica_of 1 0 && ready 18001; }
  check "postgresql: pod 1 is a replica streaming from pod 0, ready" retry 120 replica_ready
  local row=row-$RANDOM
  pg "$pg0" 15430 messages "create table smoke (v text); insert into smoke values ('$row')" >> "$logs/checks.log" 2>&1 || true
  on_replica() { [[ $(pg "$pg1" 15431 messages 'select v from smoke' 2>/dev/null) == "$row" ]]; }
  check "postgresql: a row written on the primary is read on the replica" retry 30 on_replica
  sync_replica() { [[ $(super "$pg0" 15430 "select application_name || ' ' || state || ' ' || sync_state from pg_stat_replication") == 'atrium-database-1 streaming sync' ]]; }
  check "postgresql: pod 1 is the synchronous standby" retry 30 sync_replica
  check "postgresql: ... in Patroni's DCS too" retry 30 synchronous 1

  say "postgresql: pod 0 stopped (SIGTERM, as the kubelet stops it): pod 1 takes over"
  stop "$pg0"
  check "postgresql: pod 0 shut down cleanly" grep -q "database system is shut down" "$logs/$pg0.log"
  check "postgresql: pod 1 leads within 30 s" retry 30 leads 1
  chmod 2770 "$tmp/pg0/pgdata"   # what the kubelet's fsGroup walk does to a directory
  say "postgresql: both pods restarted with one more database, as a rollout does"
  pod 0 "$dbs,later"
  check "postgresql: pod 0 rejoins as a replica of pod 1" retry 120 replica_of 0 1
  check "postgresql: pod 0 is pod 1's synchronous standby" retry 30 synchronous 0
  stop "$pg1"
  check "postgresql: pod 0 leads again" retry 30 leads 0
  pod 1 "$dbs,later"
  later() { [[ $(pg "$pg0" 15430 later 'select current_database() || pg_get_userbyid(datdba) from pg_database where datname = current_database()')/$(pg "$pg0" 15430 messages 'select v from smoke') == "lateratrium/$row" ]]; }
  check "postgresql: the new database exists, owned by the application user (made on promotion); the old data is kept" \
    retry 30 later
  check "postgresql: pod 1 rejoins as a replica of pod 0" retry 120 replica_of 1 0
  check "postgresql: pod 1 is pod 0's synchronous standby" retry 30 synchronous 1

  say "postgresql: the leader killed (SIGKILL, as when the grace period runs out or its node is lost)"
  ctr task kill -s SIGKILL "$pg0" >/dev/null 2>&1 || true
  stop "$pg0"
  check "postgresql: pod 1 leads within 30 s of the lock's last renewal" retry 30 leads 1
  pod 0 "$dbs,later"
  check "postgresql: the killed pod recovers and rejoins as a replica of pod 1" retry 120 replica_of 0 1
  kept() { [[ $(pg "$pg0" 15430 messages 'select v from smoke' 2>/dev/null) == "$row" ]]; }
  check "postgresql: ... with the data" retry 30 kept
  stop "$pg0"
  stop "$pg1"
}

# --- Redis --------------------------------------------------------------------------------------
smoke_redis() {
  local password=pw-$RANDOM$RANDOM
  local env=(--env "REDISCLI_AUTH=$password" --env ATRIUM_PRIMARY_HOST=127.0.0.1:16379 --env ATRIUM_SENTINEL_MASTER=atrium
    --env ATRIUM_SENTINEL_QUORUM=1 --env ATRIUM_ANNOUNCE_HOST=127.0.0.1 --env ATRIUM_SENTINELS=127.0.0.1:36379)
  rc() { local id=$1 port=$2; shift 2; cexec "$id" redis-cli -p "$port" "$@"; }
  volume "$tmp/redis0"; volume "$tmp/redis1"
  local data0=(--mount "type=bind,src=$tmp/redis0,dst=/data,options=rbind:rw")
  local data1=(--mount "type=bind,src=$tmp/redis1,dst=/data,options=rbind:rw")

  say "redis: server pod 0, Sentinel, server pod 1"
  # pod 0 runs the image's entrypoint and default command (server); ctr replaces both when given a
  # command, unlike Kubernetes' args, so the others name the entrypoint
  run redis0 redis "${data0[@]}" "${env[@]}" --env HOSTNAME=atrium-cache-0 --env ATRIUM_PORT=16379
  check "redis: server pod 0 answers (redis-cli ping, as the readiness probe)" \
    retry 30 bash -c "[[ \$(command ctr --address '$sock' --namespace '$ns' task exec --exec-id p\$RANDOM redis0 redis-cli -p 16379 ping) == PONG ]]"
  run sentinel0 redis "${env[@]}" --env HOSTNAME=atrium-cache-0 --env ATRIUM_PORT=36379 -- /usr/local/bin/atrium-redis sentinel
  run redis1 redis "${data1[@]}" "${env[@]}" --env HOSTNAME=atrium-cache-1 --env ATRIUM_PORT=16380 -- /usr/local/bin/atrium-redis server
  check "redis: server pod 1 answers" \
    retry 30 bash -c "[[ \$(command ctr --address '$sock' --namespace '$ns' task exec --exec-id p\$RANDOM redis1 redis-cli -p 16380 ping) == PONG ]]"
  check "redis: a wrong password is refused" \
    bash -c "! command ctr --address '$sock' --namespace '$ns' task exec --exec-id w$RANDOM redis0 env REDISCLI_AUTH=wrong redis-cli -e -p 16379 ping"
  check "redis: SENTINEL get-master-addr-by-name atrium names pod 0" \
    retry 20 bash -c "[[ \$(command ctr --address '$sock' --namespace '$ns' task exec --exec-id m\$RANDOM sentinel0 redis-cli -p 36379 SENTINEL get-master-addr-by-name atrium | tr '\n' ' ') == '127.0.0.1 16379 ' ]]"
  local value=v-$RANDOM
  rc redis0 16379 SET smoke "$value" >> "$logs/checks.log" 2>&1 || true
  check "redis: a key set on the primary is read on the replica" \
    retry 30 bash -c "[[ \$(command ctr --address '$sock' --namespace '$ns' task exec --exec-id g\$RANDOM redis1 redis-cli -p 16380 GET smoke) == '$value' ]]"
  check "redis: Sentinel knows the replica" \
    retry 20 bash -c "command ctr --address '$sock' --namespace '$ns' task exec --exec-id r\$RANDOM sentinel0 redis-cli -p 36379 SENTINEL replicas atrium | grep -qx 127.0.0.1:16380"
  check "redis: runs as 10001:10001 without capabilities on a read-only root" cexec redis0 sh -c "$user_check"
  check "redis: maxmemory 70% of the 768 MiB limit" \
    expect "maxmemory $((768 * 1024 * 1024 * 7 / 10))" "$(rc redis0 16379 CONFIG GET maxmemory | tr '\n' ' ' | sed 's/ $//')"

  say "redis: pod 0 stopped; Sentinel fails over (down-after 10 s)"
  stop redis0
  check "redis: Sentinel promotes pod 1" \
    retry 60 bash -c "[[ \$(command ctr --address '$sock' --namespace '$ns' task exec --exec-id m\$RANDOM sentinel0 redis-cli -p 36379 SENTINEL get-master-addr-by-name atrium | tr '\n' ' ') == '127.0.0.1 16380 ' ]]"
  say "redis: pod 0 restarted"
  run redis0b redis "${data0[@]}" "${env[@]}" --env HOSTNAME=atrium-cache-0 --env ATRIUM_PORT=16379 \
    -- /usr/local/bin/atrium-redis server
  check "redis: restarted pod 0 asked Sentinel and follows pod 1 (not pod 0's own data as a second primary)" \
    retry 30 grep -q "server 127.0.0.1:16379: replica of 127.0.0.1 16380" "$logs/redis0b.log"
  check "redis: restarted pod 0 is a replica of pod 1 and has the key" \
    retry 30 bash -c "[[ \$(command ctr --address '$sock' --namespace '$ns' task exec --exec-id i\$RANDOM redis0b redis-cli -p 16379 INFO replication | tr -d '\r' | grep -E '^(role|master_port|master_link_status):' | tr '\n' ' ')\$(command ctr --address '$sock' --namespace '$ns' task exec --exec-id g\$RANDOM redis0b redis-cli -p 16379 GET smoke) == 'role:slave master_port:16380 master_link_status:up $value' ]]"
  stop redis0b
  stop redis1
  stop sentinel0
}

for image in "${images[@]}"; do
  start=$SECONDS
  "smoke_$image"
  say "$image: $((SECONDS - start)) s"
done
say "container logs: target/images/smoke/"
echo "smoke: $passed passed, $failed failed"
(( failed == 0 ))
