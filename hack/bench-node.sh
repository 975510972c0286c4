#!/usr/bin/env bash
# Apply to Ready on the real node (docs/benchmarks.md): the operator brings the trial-size platform to
# Ready with real containers, and a plain client creates the same objects (the floor), in the same run,
# on one real node with the images of hack/images.sh. Writes <out>/node-convergence.json. Needs root.
#   hack/bench-node.sh [--out DIR] [--rounds N]      (default target/bench, 2 rounds)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
(( EUID == 0 )) || { echo "bench-node: the real node needs root" >&2; exit 1; }
say() { printf '[bench-node] %s\n' "$*"; }
say "1/3 tools and images"
hack/tools.sh
[[ -f target/images/images.txt ]] || hack/images.sh
say "2/3 building the benchmark (no tests)"
./mvnw -q -B -ntp -pl operator/bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
module=operator/bench
say "3/3 running on $(nproc) cores"
exec java -Xmx1g -cp "$module/target/classes:$(cat "$module/target/bench-classpath.txt")" \
  -Datrium.tools.bin="$repo/.tools/bin" -Datrium.cluster.logs="$repo/target/cluster-logs" \
  -Datrium.images="$repo/target/images" -Datrium.repo.root="$repo" \
  dev.atrium.bench.NodeConvergenceBenchmark "$@"
