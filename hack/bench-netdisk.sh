#!/usr/bin/env bash
# Netdisk's benchmark (docs/benchmarks.md): upload and download throughput of 1 MiB files (whole-file PUT) and 256 MiB
# files (chunked upload, 8 MiB chunks) through netdisk, against the floor measured in the same run: the same bytes put
# and got directly on the same object store with the AWS SDK's S3 client; instant sends of 1, 64 and 256 MiB of stored
# content; netdisk's CPU seconds per GB. Builds netdisk's jar and the benchmark (platform-services/netdisk-bench,
# -Pbench, no tests), waits for the machine's load average to fall, starts PostgreSQL 15 from the Debian package on
# loopback (initdb defaults: durable), then runs dev.atrium.netdisk.bench.NetdiskBench, which starts SeaweedFS's weed
# server and a token issuer, starts netdisk from its jar as a process of its own (the image's JAVA_TOOL_OPTIONS, read
# from platform-services/netdisk/pom.xml, in a memory cgroup with the pod's limit), drives both sides and writes the
# results file. Everything it starts stops with it.
#   hack/bench-netdisk.sh                                  the docs figures (about 7 minutes with the build)
#   hack/bench-netdisk.sh --rounds 2 --small-files 30 --warmup-small 50 --warmup-large 1 --instant 5 \
#     --profile false --out /tmp/netdisk.json              a quick look (about 2 minutes)
# Arguments go to the benchmark: --rounds N (5, rounds not disturbed by other processes), --extra-rounds N (4, at most
# this many more when some were), --small-files N (100 per round and side), --small-kib N (1024),
# --small-concurrency N[,N] (1,4), --large-files N (2 per round and side), --large-mib N (256), --chunk-mib N (8),
# --large-in-flight N[,N] (1,4: chunks one after the other, then four at a time), --instant N (10 per size and round),
# --instant-mib N,N (1,64,256), --warmup-small N (500), --warmup-large N (2), --warmup-instant N (30),
# --max-other-cores X (0.25: a round during which other processes used more is left out and run again),
# --quiet-wait-seconds S (600 before each round), --memory-limit SIZE (1g: the pod's at the default size, 1000users),
# --profile false (no flight recordings), --out FILE (default docs/bench-results/netdisk.json).
# Environment: BENCH_PG_PORT (25452), BENCH_SERVICE_PORT (18500), BENCH_MAX_LOAD (1.0: the 1-minute load average to
# wait for before starting), BENCH_LOAD_WAIT_MINUTES (30, then it starts anyway and says so), BENCH_JAVA_OPTS (-Xmx1g,
# the benchmark's own JVM), ATRIUM_WEED_BIN (a directory holding weed; else .tools/bin, PATH, or hack/tools.sh).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
# shellcheck source=lib/bench.sh
source hack/lib/bench.sh
select_jdk
say() { printf '[bench] %s\n' "$*"; }

pg_port=${BENCH_PG_PORT:-25452}
service_port=${BENCH_SERVICE_PORT:-18500}
max_load=${BENCH_MAX_LOAD:-1.0}
load_wait_minutes=${BENCH_LOAD_WAIT_MINUTES:-30}
out_args=()
[[ " $* " == *" --out "* ]] || out_args=(--out docs/bench-results/netdisk.json)

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
  echo "error: needs PostgreSQL: apt-get install -y postgresql-15" >&2
  exit 1
fi
# weed as service-testing's ServerBinaries.weed() finds it: ATRIUM_WEED_BIN, the repository's .tools/bin, PATH
weed=""
for candidate in ${ATRIUM_WEED_BIN:+"$ATRIUM_WEED_BIN/weed"} "$repo/.tools/bin/weed" "$(command -v weed || true)"; do
  if [[ -n $candidate && -x $candidate ]]; then weed=$candidate; break; fi
done
if [[ -z $weed ]]; then
  say "linking (or building) SeaweedFS's weed with hack/tools.sh (about 8 minutes on 2 cores when nothing is cached)"
  hack/tools.sh >&2
  [[ -x .tools/bin/weed ]] || { echo "error: no weed in .tools/bin after hack/tools.sh" >&2; exit 1; }
fi

work=$(mktemp -d /tmp/atrium-netdisk-bench.XXXXXX)
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "1/4 building netdisk's jar and the benchmark (no tests)"
bench_build netdisk "$work"
module=platform-services/netdisk-bench
netdisk_tree=$service_tree

say "2/4 waiting for the 1-minute load average to fall to $max_load (at most $load_wait_minutes minutes):" \
  "$(cat /proc/loadavg)"
bench_wait_quiet "$max_load" "$load_wait_minutes"

say "3/4 PostgreSQL on 127.0.0.1:$pg_port"
[[ $(id -u) == 0 ]] && chown postgres "$work"
as_pg "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -t 60 \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=50" start >/dev/null
as_pg "$pg_bin/psql" -h "$work" -p "$pg_port" -U postgres -q -c "CREATE DATABASE netdisk" >/dev/null

say "4/4 the benchmark, $(nproc) cores, Java $(java -version 2>&1 | head -1)"
# java.io.tmpdir: where weed keeps its data (a few GB for the default run), removed with the work directory
java ${BENCH_JAVA_OPTS:--Xmx1g} -Djava.io.tmpdir="$work" \
  -cp "$classpath" \
  dev.atrium.netdisk.bench.NetdiskBench --jar "$jar" --java-tool-options "$java_tool_options" \
  --postgres-port "$pg_port" --postgres-pid-file "$work/pg/postmaster.pid" \
  --postgres-version "$("$pg_bin/postgres" --version)" --service-port "$service_port" \
  --service-log-dir "$module/target" --git-commit "$(git rev-parse --short HEAD)" --netdisk-tree "$netdisk_tree" \
  --load-wait "$load_note" "${out_args[@]}" "$@"
