#!/usr/bin/env bash
# Runs the object store image for real, without Kubernetes: its root filesystem, read-only, with the
# image's entrypoint and weed as user 10001, one process per "pod" on an address of its own, each in a
# mount namespace of its own (its /data and /tmp, an /etc/hosts with the pods' DNS names, as the kubelet
# would give it), against a PostgreSQL server started here. Everything runs in a network namespace of
# its own (10.77.0.0/24 addresses on its loopback interface: weed refuses to copy volumes from
# 127.0.0.0/8), so nothing on the machine's network is touched and no port can clash. What ObjectStoreModel
# writes for each pod is what the pods get. Checked:
#
#   three servers (three masters, two copies), started one after another as a StatefulSet starts them:
#   the first serves S3 before the others exist; a bucket is made and an object written through one pod
#   and read through another with the generated keys (wrong or no keys are refused); each object has two
#   copies; a server holding a copy is killed (SIGKILL) and the object is still read, and a new one
#   written; the server comes back with its volume.
#
#   growing one server to three, in the order a StatefulSet rolls it (the new pods first, pod 0 last):
#   the old object is read, new ones are written, the masters have one leader and three members; the
#   masters' own maintenance (every 15 s here) gives the old object its second copy, and it is read with
#   pod 0 killed; then pod 0 comes back on an empty volume (a lost disk, a deleted claim) and the
#   maintenance gives every object its second copy again, read with the other holder killed.
#
#   no key or password in any log; the identity file is mode 0600.
#
#   hack/images/seaweedfs/smoke.sh [--image FILE.tar] [--keep]
#
# Without --image the image is built first (hack/images/seaweedfs/build.sh). Needs root (namespaces,
# mounts, chroot), curl 7.75+ (--aws-sigv4) and PostgreSQL's server binaries (Debian: postgresql-15).
# Ends with "smoke: N passed, M failed"; keeps its directory (logs) when something failed or with --keep.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $(id -u) == 0 ]] || { echo "[smoke] error: run as root: network and mount namespaces, chroot as 10001" >&2; exit 1; }
if [[ ${ATRIUM_SMOKE_NETNS:-} != 1 ]]; then
  exec unshare --net -- env ATRIUM_SMOKE_NETNS=1 "$0" "$@"
fi
image="" keep=false
while (( $# )); do
  case $1 in
    --image) image=$(realpath "$2"); shift 2 ;;
    --keep) keep=true; shift ;;
    *) echo "smoke: unknown argument $1" >&2; exit 2 ;;
  esac
done
log() { printf '[smoke] %s\n' "$*" >&2; }
die() { printf '[smoke] error: %s\n' "$*" >&2; exit 1; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[[ -x $pg_bin/initdb ]] || die "PostgreSQL's server binaries are missing (Debian: postgresql-15)"
curl --help all 2>/dev/null | grep -q -- --aws-sigv4 || die "curl has no --aws-sigv4 (7.75 or newer needed)"

work=$(mktemp -d /tmp/atrium-seaweedfs-smoke.XXXXXX)
chmod 755 "$work"
declare -A pids=()
pg_started=false
passed=0 failed=0

# stops pods as the kubelet does: the signal, up to 30 s (weed's volume servers take 10 s to leave), KILL
stop_pods() { # SIGNAL ORDINAL...
  local signal=$1 i; shift
  for i in "$@"; do [[ -z ${pids[$i]:-} ]] || kill -"$signal" "${pids[$i]}" 2>/dev/null || true; done
  for i in "$@"; do
    [[ -n ${pids[$i]:-} ]] || continue
    for _ in $(seq 1 60); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "${pids[$i]}" 2>/dev/null || true
    unset "pids[$i]"
  done
}
stop_pod() { stop_pods "$2" "$1"; } # ORDINAL SIGNAL
small_disks=()
cleanup() {
  local rc=$?
  stop_pods TERM "${!pids[@]}"
  for d in "${small_disks[@]}"; do umount "$d" 2>/dev/null || true; done
  if $pg_started; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  if (( failed > 0 || rc != 0 )) || $keep; then
    log "kept $work (pod logs: $work/*/pod*/log, PostgreSQL: $work/pg.log)"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); printf '[smoke] %4ss ok   %s\n' "$SECONDS" "$1" >&2; }
fail() { failed=$((failed + 1)); printf '[smoke] %4ss FAIL %s\n' "$SECONDS" "$1" >&2; }
check() { # NAME COMMAND...
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# --- the entrypoint's own tests (the environment to flags mapping), when Go is here -------------------
if command -v go >/dev/null; then
  check "entrypoint unit tests (go test)" eval '(cd "$here/entrypoint" && GOTOOLCHAIN=local GOFLAGS= go test ./... >"$work/go-test.log" 2>&1)'
fi

# --- the image's root filesystem -------------------------------------------------------------------
if [[ -z $image ]]; then
  image=$work/object-store.tar
  "$here/build.sh" --out "$image" --ref registry.atrium.dev/atrium/object-store:smoke
fi
root=$work/rootfs
mkdir -p "$work/image" "$root"
tar -xf "$image" -C "$work/image"
layers=$(python3 - "$work/image" <<'EOF'
import json, sys
d = sys.argv[1]
index = json.load(open(d + "/index.json"))
manifest = json.load(open(d + "/blobs/sha256/" + index["manifests"][0]["digest"][7:]))
print(" ".join(l["digest"][7:] for l in manifest["layers"]))
EOF
)
for layer in $layers; do tar --numeric-owner -xzf "$work/image/blobs/sha256/$layer" -C "$root"; done
# what a container runtime provides: mount points for /proc, /dev and the kubelet's /etc/hosts
mkdir -p "$root/proc" "$root/dev"
: > "$root/etc/hosts"
log "image $(cat "$image.digest" 2>/dev/null || echo "$image") unpacked"

# --- the network: this namespace's own, the database on .1, pod N on .(10+N) ----------------------------
ip link set lo up
for a in 1 10 11 12; do ip addr add "10.77.0.$a/32" dev lo; done

# --- PostgreSQL, the filers' metadata ----------------------------------------------------------------
pg_port=5432
secret() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
superuser_password=$(secret) db_password=$(secret) access_key=$(secret) secret_key=$(secret)
install -d -o postgres -g postgres -m 700 "$work/pg"
printf '%s\n' "$superuser_password" > "$work/pg/pw"
chown postgres "$work/pg/pw"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A scram-sha-256 --pwfile="$work/pg/pw" \
  -E UTF8 --no-sync >/dev/null
rm -f "$work/pg/pw"
# the pods' network, by password (scram), as a cluster's database would take them
printf 'host all all 10.77.0.0/24 scram-sha-256\n' >> "$work/pg/data/pg_hba.conf"
touch "$work/pg.log" && chown postgres "$work/pg.log"
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg.log" -w -t 60 \
  -o "-c listen_addresses=10.77.0.1 -p $pg_port -k $work/pg -c fsync=off" start >/dev/null
pg_started=true
psql() { PGPASSWORD=$superuser_password runuser -u postgres --whitelist-environment=PGPASSWORD -- "$pg_bin/psql" \
  -h 10.77.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql -c "CREATE ROLE atrium LOGIN PASSWORD '$db_password'"
log "PostgreSQL on 10.77.0.1:$pg_port"

# --- pods ----------------------------------------------------------------------------------------------
host() { echo "object-store-$1.object-store-hl.smoke.svc"; }
addr() { echo "10.77.0.$((10 + $1))"; }
printf '127.0.0.1 localhost\n10.77.0.1 database.smoke.svc\n' > "$work/hosts"
for i in 0 1 2; do printf '%s %s\n' "$(addr "$i")" "$(host "$i")" >> "$work/hosts"; done
chmod 644 "$work/hosts"
printf 'user = "%s:%s"\n' "$access_key" "$secret_key" > "$work/curl-keys"
printf 'user = "%s:%s"\n' "$access_key" "wrong-$secret_key" > "$work/curl-wrong"
chmod 600 "$work/curl-keys" "$work/curl-wrong"

# the command line that runs COMMAND in the image's root filesystem as a pod does: read-only, as 10001,
# with its own /data and /tmp and the pods' names in /etc/hosts; every step execs the next, so the
# process started is the one that ends up running weed
in_image() { # POD-DIR COMMAND...: sets cmd
  local dir=$1; shift
  cmd=(/usr/bin/unshare --mount --propagation private -- /bin/sh -c '
    set -e
    r=$1 dir=$2 hosts=$3; shift 3
    /usr/bin/mount --bind "$r" "$r"
    /usr/bin/mount -o remount,bind,ro "$r"
    /usr/bin/mount --bind "$dir/data" "$r/data"
    /usr/bin/mount --bind "$dir/tmp" "$r/tmp"
    /usr/bin/mount --rbind /dev "$r/dev"
    /usr/bin/mount --bind /proc "$r/proc"
    /usr/bin/mount --bind "$hosts" "$r/etc/hosts"
    exec /usr/sbin/chroot --userspec=10001:10001 "$r" "$@"' sh "$root" "$dir" "$work/hosts" "$@")
}

# the environment ObjectStoreModel gives pod ORDINAL, with the pod's own loopback address to listen on
start_pod() { # SCENARIO ORDINAL MASTERS REPLICATION DATABASE [MAINTENANCE-MINUTES]
  local scenario=$1 i=$2 masters=$3 replication=$4 database=$5 maintenance=${6:-17} dir=$work/$1/pod$2
  install -d -o 10001 -g 10001 -m 750 "$dir/data"
  install -d -m 1777 "$dir/tmp"
  in_image "$dir" /usr/local/bin/atrium-object-store
  env -i PATH=/usr/local/bin \
    ATRIUM_OBJECT_STORE_HOST="$(host "$i")" ATRIUM_OBJECT_STORE_BIND="$(addr "$i")" \
    ATRIUM_OBJECT_STORE_MASTERS="$masters" ATRIUM_OBJECT_STORE_REPLICATION="$replication" \
    ATRIUM_OBJECT_STORE_DATA=/data ATRIUM_OBJECT_STORE_VOLUME_SIZE_LIMIT_MB=32 \
    ATRIUM_OBJECT_STORE_MEMORY_LIMIT=536870912 ATRIUM_OBJECT_STORE_MAINTENANCE_MINUTES="$maintenance" \
    ATRIUM_OBJECT_STORE_DB_HOST=database.smoke.svc ATRIUM_OBJECT_STORE_DB_PORT="$pg_port" \
    ATRIUM_OBJECT_STORE_DB_NAME="$database" ATRIUM_OBJECT_STORE_DB_USER=atrium \
    ATRIUM_OBJECT_STORE_DB_PASSWORD="$db_password" \
    ATRIUM_S3_ACCESS_KEY="$access_key" ATRIUM_S3_SECRET_KEY="$secret_key" \
    "${cmd[@]}" </dev/null >>"$dir/log" 2>&1 &
  pids[$i]=$!
  # not this shell's job: it is killed on purpose, and bash would report each such death
  disown "${pids[$i]}"
}
masters_of() { local IFS=,; local hosts=(); for i in "$@"; do hosts+=("$(host "$i")"); done; echo "${hosts[*]}"; }

# ready as the readiness probe says: S3's /healthz answers 200
ready() { # ORDINAL SECONDS
  local i=$1 deadline=$((SECONDS + $2))
  while (( SECONDS < deadline )); do
    kill -0 "${pids[$i]}" 2>/dev/null || return 1
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$(addr "$i"):8333/healthz") == 200 ]] && return 0
    sleep 1
  done
  return 1
}

s3() { # KEYS METHOD ORDINAL PATH [CURL-ARGS...]: prints the HTTP status, the body goes to $work/body
  local keys=$1 method=$2 i=$3 path=$4; shift 4
  local auth=()
  [[ $keys == none ]] || auth=(-K "$work/curl-$keys" --aws-sigv4 "aws:amz:us-east-1:s3")
  curl -s -o "$work/body" -w '%{http_code}' --max-time 30 "${auth[@]}" -X "$method" \
    "http://$(addr "$i"):8333$path" "$@" || true
}
put_object() { # ORDINAL PATH FILE
  [[ $(s3 keys PUT "$1" "$2" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --data-binary "@$3") == 200 ]]
}
make_bucket() { # ORDINAL PATH
  [[ $(s3 keys PUT "$1" "$2") == 200 ]]
}
get_same() { # ORDINAL PATH FILE
  [[ $(s3 keys GET "$1" "$2") == 200 ]] && cmp -s "$work/body" "$3"
}
# retried: right after a server is lost or added, the masters need some seconds to see it
eventually() { # SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do (( SECONDS < deadline )) || return 1; sleep 2; done
}
# the volume servers holding an object's first chunk, as the leading master lists them
holders() { # ORDINAL BUCKET KEY
  local fid vid
  fid=$(curl -s "http://$(addr "$1"):8888/buckets/$2/$3?metadata=true" \
    | python3 -c 'import json,sys; m=json.load(sys.stdin); print((m.get("chunks") or m.get("Chunks"))[0]["file_id"])' 2>/dev/null) \
    || return 1
  vid=${fid%%,*}
  curl -s "http://$(addr "$1"):9333/dir/lookup?volumeId=$vid" \
    | python3 -c 'import json,sys; print(" ".join(sorted(l["url"] for l in json.load(sys.stdin)["locations"])))' 2>/dev/null
}
copies() { # ORDINAL BUCKET KEY N
  local h; h=$(holders "$1" "$2" "$3") || return 1
  [[ $(wc -w <<< "$h") == "$4" ]]
}
ordinal_of() { local h=$1; h=${h#object-store-}; echo "${h%%.*}"; }
leader() { # ORDINAL MEMBERS: the master knows a leader, and the raft configuration has MEMBERS masters
  curl -s "http://$(addr "$1"):9333/cluster/status" | python3 -c '
import json, sys
s = json.load(sys.stdin)
sys.exit(0 if s.get("Leader") and len(s.get("Peers") or []) == int(sys.argv[1]) else 1)' "$2"
}
one_leader() { # MEMBERS ORDINALS...: every master names the same leader
  local peers=$1; shift; local names=()
  for i in "$@"; do
    curl -s -w ' (HTTP %{http_code})' "http://$(addr "$i"):9333/cluster/status" > "$work/status-$i.json" 2>&1 || true
    leader "$i" "$peers" || return 1
    names+=("$(curl -s "http://$(addr "$i"):9333/cluster/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Leader"])')")
  done
  [[ $(printf '%s\n' "${names[@]}" | sort -u | wc -l) == 1 ]]
}
agreed_leader() { # SECONDS: pods 0-2 name one leader and three members; what they said when not
  eventually "$1" one_leader 3 0 1 2 && return 0
  for i in 0 1 2; do log "master $i: /cluster/status $(cat "$work/status-$i.json" 2>/dev/null)"; done
  return 1
}

head -c 300000 /dev/urandom > "$work/object-a"
head -c 5000 /dev/urandom > "$work/object-b"
head -c 2000000 /dev/urandom > "$work/object-c"

# --- three servers ---------------------------------------------------------------------------------
log "three servers: three masters, two copies"
psql -c "CREATE DATABASE objectstore OWNER atrium"
three=$(masters_of 0 1 2)
start_pod three 0 "$three" 001 objectstore
check "pod 0 serves S3 before pods 1 and 2 exist (OrderedReady can go on)" ready 0 180
for i in 1 2; do
  start_pod three "$i" "$three" 001 objectstore
  check "pod $i ready" ready "$i" 180
done
check "the three masters agree on one leader" agreed_leader 60
# what a pod listens on: the named ports and S3's gRPC, nothing weed would open by default besides
listening=$(ss -ltnH "src $(addr 0)" | awk '{n=split($4, a, ":"); print a[n]}' | sort -n | tr '\n' ' ')
check "pod 0 listens on 8080 8333 8888 9333 18080 18333 18888 19333 only (it: $listening)" \
  test "$listening" = "8080 8333 8888 9333 18080 18333 18888 19333 "
check "bucket made through pod 0" eventually 60 make_bucket 0 /smoke
check "object written through pod 1" eventually 60 put_object 1 /smoke/a "$work/object-a"
check "object read through pod 2, the same bytes" get_same 2 /smoke/a "$work/object-a"
check "listing through pod 0 names it" eval '[[ $(s3 keys GET 0 "/smoke?list-type=2") == 200 ]] && grep -q "<Key>a</Key>" "$work/body"'
check "a wrong secret key is refused (403)" test "$(s3 wrong GET 0 /smoke/a)" = 403
check "no keys are refused (403)" test "$(s3 none GET 0 /smoke/a)" = 403
check "the object has two copies" eventually 30 copies 0 smoke a 2
victim=$(holders 0 smoke a | awk '{print $1}')
victim=$(ordinal_of "${victim:-object-store-2.}")
alive=$(( (victim + 1) % 3 ))
log "killing pod $victim (SIGKILL), which holds a copy"
stop_pod "$victim" KILL
check "object read through pod $alive with pod $victim gone" get_same "$alive" /smoke/a "$work/object-a"
check "a new object written with pod $victim gone" eventually 120 put_object "$alive" /smoke/b "$work/object-b"
check "and read back" get_same "$(( (victim + 2) % 3 ))" /smoke/b "$work/object-b"
start_pod three "$victim" "$three" 001 objectstore
check "pod $victim back on its volume" ready "$victim" 180
check "both objects read through pod $victim" eval 'get_same "$victim" /smoke/a "$work/object-a" && get_same "$victim" /smoke/b "$work/object-b"'
check "identity file is 0600, owned by 10001" test "$(stat -c '%a %u' "$work/three/pod0/tmp/atrium-s3.json")" = "600 10001"
stop_pods TERM 0 1 2

# --- one server grows to three ---------------------------------------------------------------------
log "one server grows to three (pods 1 and 2 new, pod 0 rolled last)"
psql -c "CREATE DATABASE objectstore_grown OWNER atrium"
start_pod grown 0 "$(host 0)" 000 objectstore_grown
check "one server ready" ready 0 180
check "bucket and object on one server" eval 'eventually 60 make_bucket 0 /grown && eventually 60 put_object 0 /grown/c "$work/object-c"'
check "the object has one copy" eventually 30 copies 0 grown c 1
# the masters' maintenance every 15 s instead of 17 minutes, to see it run
for i in 1 2; do
  start_pod grown "$i" "$three" 001 objectstore_grown 0.25
  check "new pod $i ready beside the old single master" ready "$i" 180
done
stop_pod 0 TERM
start_pod grown 0 "$three" 001 objectstore_grown 0.25
check "pod 0 back as one of three masters" ready 0 180
check "the three masters agree on one leader" agreed_leader 90
check "the old object is read through pod 2" get_same 2 /grown/c "$work/object-c"
check "a new object is written (volume growth is not frozen)" eventually 120 put_object 1 /grown/a "$work/object-a"
check "and read through pod 0" get_same 0 /grown/a "$work/object-a"
check "new objects have two copies" eventually 30 copies 0 grown a 2
check "the masters' maintenance gives the old object its second copy" eventually 120 copies 0 grown c 2
stop_pod 0 KILL
check "the old object is read with pod 0 (its first home) killed" eventually 30 get_same 1 /grown/c "$work/object-c"

# --- a lost server replaced with an empty volume ------------------------------------------------------
# what a lost disk or a deleted claim leaves: the StatefulSet's pod 0 back on a new, empty volume (its
# copies and its master's raft state gone); the masters' maintenance gives every object its second copy again
log "pod 0 replaced on an empty volume"
rm -rf "$work/grown/pod0/data"
start_pod grown 0 "$three" 001 objectstore_grown 0.25
check "pod 0 ready on its empty volume" ready 0 180
check "the three masters agree on one leader again" agreed_leader 90
check "the masters' maintenance gives both objects two copies again" \
  eventually 180 eval 'copies 1 grown a 2 && copies 1 grown c 2'
lost=$(holders 1 grown c | awk '{print $1}')
lost=$(ordinal_of "${lost:-object-store-1.}")
log "killing pod $lost (SIGKILL), which holds one of the repaired copies"
stop_pod "$lost" KILL
check "the old object is read from its other copy with pod $lost killed" \
  eventually 30 get_same "$(( (lost + 1) % 3 ))" /grown/c "$work/object-c"
check "and the newer one" eventually 30 get_same "$(( (lost + 1) % 3 ))" /grown/a "$work/object-a"
survivors=(); for i in 0 1 2; do (( i == lost )) || survivors+=("$i"); done
stop_pods TERM "${survivors[@]}"

# --- two servers on small disks: many buckets, then the single master lost ------------------------------
# every bucket is a collection of its own, and each empty volume holds back a volume's size of the disk from
# new ones: with weed's default growth (6 volumes of each copy per bucket) a 512 MiB disk of 32 MB volumes
# took no write in a third bucket while it held almost nothing. Then pod 0, the only master, is killed and
# started again (as a StatefulSet does), and a new bucket still takes writes.
log "two servers (one master, two copies) on 512 MiB disks"
psql -c "CREATE DATABASE objectstore_small OWNER atrium"
for i in 0 1; do
  install -d -o 10001 -g 10001 -m 750 "$work/small/pod$i/data"
  mount -t tmpfs -o size=512m,uid=10001,gid=10001,mode=0750 tmpfs "$work/small/pod$i/data"
  small_disks+=("$work/small/pod$i/data")
  start_pod small "$i" "$(host 0)" 001 objectstore_small
  check "pod $i ready on a 512 MiB disk" ready "$i" 180
done
buckets_written() { # FROM TO: a bucket each, an object in each through pod 1
  local b
  for b in $(seq "$1" "$2"); do
    eventually 60 make_bucket 0 "/bucket-$b" && eventually 60 put_object 1 "/bucket-$b/b" "$work/object-b" \
      || { log "bucket-$b took no write: $(cat "$work/body")"; return 1; }
  done
}
check "8 buckets on the small disks each take a write" buckets_written 1 8
stop_pod 0 KILL
start_pod small 0 "$(host 0)" 001 objectstore_small
check "pod 0, the only master, back after a kill" ready 0 180
check "a new bucket takes a write after the master's restart" buckets_written 9 9
check "and the first bucket's object is read through pod 0" get_same 0 /bucket-1/b "$work/object-b"
stop_pods TERM 0 1

# --- secrets -----------------------------------------------------------------------------------------
leaks=$(grep -rlF -e "$secret_key" -e "$access_key" -e "$db_password" "$work"/three/pod*/log "$work"/grown/pod*/log \
  "$work"/small/pod*/log || true)
check "no key or password in any log${leaks:+ (found in $leaks)}" test -z "$leaks"
grep -h "atrium-object-store:" "$work/three/pod0/log" | head -n1 >&2 || true

printf 'smoke: %d passed, %d failed\n' "$passed" "$failed"
(( failed == 0 ))
