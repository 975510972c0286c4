#!/usr/bin/env bash
# The convergence benchmark (docs/benchmarks.md): for each N, the operator converges N copies of
# examples/platform.yaml on a fresh local control plane with KWOK, and a plain client creates the
# same objects on another (the floor). Writes <out>/convergence-N.json and prints a summary line.
#   hack/bench.sh --platforms 100,500                 the figures in docs/benchmarks.md
#   hack/bench.sh --platforms 5 --out /tmp/bench      a quick look
# Arguments go to dev.atrium.bench.ConvergenceBenchmark: --platforms N[,N...] (repeatable),
# --out DIR (default target/bench), --timeout-minutes M (default 60, per run).
# BENCH_JAVA_OPTS replaces the JVM options (default -Xmx4g).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
say() { printf '[bench] %s\n' "$*"; }

say "1/3 Kubernetes binaries"
hack/tools.sh
say "2/3 building the operator and the benchmark (no tests)"
./mvnw -q -B -ntp -pl operator/bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
module=operator/bench
say "3/3 running on $(nproc) cores with Java $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
exec java ${BENCH_JAVA_OPTS:--Xmx4g} -cp "$module/target/classes:$(cat "$module/target/bench-classpath.txt")" \
  -Datrium.tools.bin="$repo/.tools/bin" -Datrium.cluster.logs="$repo/target/cluster-logs" \
  -Datrium.crds.dir="$repo/crds" -Datrium.examples.dir="$repo/examples" \
  dev.atrium.bench.ConvergenceBenchmark "$@"
