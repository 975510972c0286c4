#!/usr/bin/env bash
# Identity's benchmark (docs/benchmarks.md): password logins and client credentials grants per core, against the
# floors measured on the same core in the same run. Starts PostgreSQL 15 from the Debian package on loopback pinned to
# the load's core, makes a self-signed TLS keystore (keytool), builds identity's jar and the benchmark
# (platform-services/identity-bench, -Pbench, no tests), then runs dev.atrium.identity.bench.IdentityBench pinned to
# the load's core; it runs the floors on the other core, starts identity from its jar as its own process pinned to that
# core, drives it (plain HTTP, then restarted with TLS), runs the floors there again once identity has stopped, and
# writes the results file. Everything it starts stops with it.
#   hack/bench-identity.sh --argon2-inline-variant true       the docs figures (about 7 minutes with the build)
#   hack/bench-identity.sh                                    the same without the third run (about 5.5 minutes)
#   hack/bench-identity.sh --logins 100 --login-warmup 50 --grants 1000 --grant-warmup 500 --health 1000 \
#     --tls-logins 30 --tls-login-warmup 10 --tls-grants 200 --tls-grant-warmup 50 --floor-seconds 2 \
#     --out /tmp/identity.json                                a quick look (about 3 minutes)
# Arguments go to the benchmark: --people N (100), --login-clients N (4), --logins N (400), --login-warmup N (200),
# --grant-clients N (8), --grants N (6000), --grant-warmup N (2000), --health N (5000), --tls false (skip the TLS run),
# --tls-logins N (100), --tls-login-warmup N (30), --tls-grants N (1000), --tls-grant-warmup N (300),
# --floor-seconds S (5), --floor-warmup-seconds S (3), --service-heap SIZE (1g), --phase-limit-seconds S (150),
# --argon2-inline-variant true (a third run, logins only, with BouncyCastle's Argon2 inlined by a JIT flag),
# --service-jvm-extra "FLAGS" (added to identity's JVM, e.g. a flight recording; not for figures),
# --out FILE (default docs/bench-results/identity.json).
# Cores: BENCH_SERVICE_CORE (1) for identity and the floors, BENCH_LOAD_CORE (0) for the load and PostgreSQL.
# Ports (loopback): BENCH_PG_PORT (25442), BENCH_SERVICE_PORT (18490), BENCH_TLS_PORT (18491).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
say() { printf '[bench] %s\n' "$*"; }

pg_port=${BENCH_PG_PORT:-25442}
service_port=${BENCH_SERVICE_PORT:-18490}
tls_port=${BENCH_TLS_PORT:-18491}
service_core=${BENCH_SERVICE_CORE:-1}
load_core=${BENCH_LOAD_CORE:-0}
out_args=()
[[ " $* " == *" --out "* ]] || out_args=(--out docs/bench-results/identity.json)

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
  echo "error: needs PostgreSQL: apt-get install -y postgresql-15" >&2
  exit 1
fi
if ! command -v taskset >/dev/null || [[ $(nproc --all) -lt 2 ]]; then
  echo "error: needs taskset (util-linux) and at least two cores: identity gets one, the load the other" >&2
  exit 1
fi

work=$(mktemp -d /tmp/atrium-identity-bench.XXXXXX)
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "1/4 PostgreSQL on 127.0.0.1:$pg_port (core $load_core), a TLS keystore"
[[ $(id -u) == 0 ]] && chown postgres "$work"
as_pg "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg taskset -c "$load_core" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -t 60 \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=50" start >/dev/null
as_pg "$pg_bin/psql" -h "$work" -p "$pg_port" -U postgres -q -c "CREATE DATABASE identity" >/dev/null
tls_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
keytool -genkeypair -alias identity -keyalg RSA -keysize 2048 -validity 2 -dname CN=127.0.0.1 \
  -ext san=ip:127.0.0.1 -storetype PKCS12 -keystore "$work/tls.p12" -storepass "$tls_password" \
  -keypass "$tls_password" >/dev/null 2>&1

say "2/4 building identity's jar and the benchmark (no tests)"
./mvnw -q -B -ntp -Pbench -pl platform-services/identity,platform-services/identity-bench -am \
  package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime \
  -DskipTests -DskipITs
# a copy: other builds may rewrite identity's target/ while the benchmark runs
jar="$work/$(basename "$(ls platform-services/identity/target/atrium-identity-*.jar | grep -v -- '-plain\|sources' | head -1)")"
cp platform-services/identity/target/"$(basename "$jar")" "$jar"
module=platform-services/identity-bench
identity_tree=clean
[[ -z $(git status --porcelain -- platform-services/identity platform-services/service-support) ]] ||
  identity_tree="with uncommitted changes"

say "3/4 load average before: $(cat /proc/loadavg)"
say "4/4 identity on core $service_core, the load and PostgreSQL on core $load_core, Java $(java -version 2>&1 | head -1)"
taskset -c "$load_core" java ${BENCH_JAVA_OPTS:--Xmx1g} \
  -cp "$module/target/classes:$(cat "$module/target/bench-classpath.txt")" \
  dev.atrium.identity.bench.IdentityBench --jar "$jar" --postgres-port "$pg_port" \
  --postgres-pid-file "$work/pg/postmaster.pid" --postgres-version "$("$pg_bin/postgres" --version)" \
  --service-port "$service_port" --tls-port "$tls_port" --tls-keystore "$work/tls.p12" --tls-password "$tls_password" \
  --service-core "$service_core" --load-core "$load_core" --service-log-dir "$module/target" \
  --git-commit "$(git rev-parse --short HEAD)" --identity-tree "$identity_tree" \
  "${out_args[@]}" "$@"
