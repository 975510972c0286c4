#!/usr/bin/env bash
# Webos's gateway benchmark (docs/benchmarks.md): throughput and latency percentiles of small GETs through webos's
# gateway against the floor measured in the same run: the same requests straight to the same backend, alternating,
# several rounds; the added latency at p50/p90/p99, the share of the direct throughput, webos's CPU per 1,000
# requests and its memory. Builds webos's jar and the benchmark (platform-services/webos-bench, -Pbench, no tests),
# waits for the machine's load average to fall, then runs dev.atrium.webos.bench.WebosBench pinned to the load's
# core; it starts PostgreSQL and Redis (service-testing's servers), the token issuer (TestIssuer) and the backend
# (the JDK's HttpServer on virtual threads, also standing in for identity's GET /api/me) on that core, starts webos
# from its jar as a process of its own pinned to the other core (the image's JAVA_TOOL_OPTIONS, read from
# platform-services/webos/pom.xml, in a memory cgroup with the pod's limit), publishes the route /apps/bench/** through
# the admin API, drives both sides and writes the results file. Everything it starts stops with it.
#   hack/bench-webos.sh                                    the docs figures (about 8 minutes with the build)
#   hack/bench-webos.sh --rounds 1 --seconds 2 --warmup-seconds 10 --out /tmp/webos.json    a quick look
# Arguments go to the benchmark: --rounds N (5), --seconds S (5 per side, case and round), --warmup-seconds S (60),
# --concurrency N,N (1,16,64: keep-alive connections of the app route's small GETs), --platform-concurrency N (16: the
# platform route /netdisk/**; 0 skips it), --large-concurrency N (16: 64 KiB answers; 0 skips them),
# --max-other-cores X (0.25: a case whose sides saw other processes use more is marked disturbed),
# --memory-limit SIZE (1g: the pod's at the default size), --jfr FILE (a flight recording of webos, profile settings),
# --out FILE (default docs/bench-results/webos.json).
# Environment: BENCH_GATEWAY_CORE (1) for webos, BENCH_LOAD_CORE (0) for the load, the backend and the servers,
# BENCH_MAX_LOAD (1.0: the 1-minute load average to wait for before starting), BENCH_LOAD_WAIT_MINUTES (30, then it
# starts anyway and says so), BENCH_JAVA_OPTS (-Xmx1g, the benchmark's own JVM).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
# shellcheck source=lib/bench.sh
source hack/lib/bench.sh
select_jdk
say() { printf '[bench] %s\n' "$*"; }

gateway_core=${BENCH_GATEWAY_CORE:-1}
load_core=${BENCH_LOAD_CORE:-0}
max_load=${BENCH_MAX_LOAD:-1.0}
load_wait_minutes=${BENCH_LOAD_WAIT_MINUTES:-30}
out_args=()
[[ " $* " == *" --out "* ]] || out_args=(--out docs/bench-results/webos.json)
if ! command -v taskset >/dev/null || [[ $(nproc --all) -lt 2 ]]; then
  echo "error: needs taskset (util-linux) and at least two cores: webos gets one, the load the other" >&2
  exit 1
fi

work=$(mktemp -d /tmp/atrium-webos-bench.XXXXXX)
# PostgreSQL (service-testing's PostgresServer, under java.io.tmpdir) runs as the postgres user when root
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

say "1/3 building webos's jar and the benchmark (no tests)"
bench_build webos "$work"
module=platform-services/webos-bench

say "2/3 waiting for the 1-minute load average to fall to $max_load (at most $load_wait_minutes minutes):" \
  "$(cat /proc/loadavg)"
bench_wait_quiet "$max_load" "$load_wait_minutes"

say "3/3 the benchmark: webos on core $gateway_core; load, backend, PostgreSQL, Redis on core $load_core;" \
  "Java $(java -version 2>&1 | head -1)"
taskset -c "$load_core" java ${BENCH_JAVA_OPTS:--Xmx1g} -Djava.io.tmpdir="$work" -cp "$classpath" \
  dev.atrium.webos.bench.WebosBench --jar "$jar" --java-tool-options "$java_tool_options" \
  --gateway-core "$gateway_core" --load-core "$load_core" --log-dir "$module/target" \
  --git-commit "$(git rev-parse --short HEAD)" --webos-tree "$service_tree" --load-wait "$load_note" \
  --command "hack/bench-webos.sh $*" "${out_args[@]}" "$@"
