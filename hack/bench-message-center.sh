#!/usr/bin/env bash
# The message center's delivery benchmark (docs/benchmarks.md): starts PostgreSQL and Redis from the
# Debian packages (postgresql-15, redis-server) on loopback, builds the service's jar and the benchmark
# (platform-services/message-center-bench, -Pbench, no tests), then runs
# dev.atrium.messagecenter.bench.MessageCenterBench, which starts the service from its jar as its own
# process, connects the WebSocket clients, sends the messages, measures the Redis pub/sub floor in the
# same run, and writes the results file. Everything it starts stops with it.
#   hack/bench-message-center.sh                          1,000 clients, 20,000 messages (docs figures)
#   hack/bench-message-center.sh --clients 100 --messages 2000 --out /tmp/mc.json   a quick look
# Arguments go to the benchmark: --clients N (even; default 1000), --messages N (20000), --warmup N
# (3000), --senders N (concurrent send loops, 32), --out FILE (default
# docs/bench-results/message-center-<clients>.json).
# Ports (loopback): BENCH_PG_PORT (25432), BENCH_REDIS_PORT (26379), BENCH_SERVICE_PORT (18480).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
say() { printf '[bench] %s\n' "$*"; }

pg_port=${BENCH_PG_PORT:-25432}
redis_port=${BENCH_REDIS_PORT:-26379}
service_port=${BENCH_SERVICE_PORT:-18480}
clients=1000
for ((i = 1; i <= $#; i++)); do
  if [[ ${!i} == --clients ]]; then j=$((i + 1)); clients=${!j}; fi
done
out_args=()
[[ " $* " == *" --out "* ]] || out_args=(--out "docs/bench-results/message-center-$clients.json")

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]] || ! command -v redis-server >/dev/null; then
  echo "error: needs PostgreSQL and Redis: apt-get install -y postgresql-15 redis-server" >&2
  exit 1
fi

work=$(mktemp -d /tmp/atrium-mc-bench.XXXXXX)
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  [[ -f "$work/redis.pid" ]] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say "1/4 PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"
[[ $(id -u) == 0 ]] && chown postgres "$work"
as_pg "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -t 60 \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
as_pg "$pg_bin/psql" -h "$work" -p "$pg_port" -U postgres -q -c "CREATE DATABASE messages" >/dev/null
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --maxclients 4096
for _ in $(seq 50); do [[ -s "$work/redis.pid" ]] && break; sleep 0.1; done

say "2/4 building the service jar and the benchmark (no tests)"
./mvnw -q -B -ntp -Pbench -pl platform-services/message-center,platform-services/message-center-bench -am \
  package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime \
  -DskipTests -DskipITs
jar=$(ls platform-services/message-center/target/atrium-message-center-*.jar | grep -v -- '-plain\|sources' | head -1)
module=platform-services/message-center-bench

say "3/4 load average before: $(cat /proc/loadavg)"
say "4/4 running on $(nproc) cores with Java $(java -version 2>&1 | head -1)"
java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$module/target/classes:$(cat "$module/target/bench-classpath.txt")" \
  dev.atrium.messagecenter.bench.MessageCenterBench --jar "$jar" --postgres-port "$pg_port" \
  --redis-port "$redis_port" --service-port "$service_port" --service-log "$module/target/message-center.log" \
  "${out_args[@]}" "$@"
