# Shared steps of the service benchmarks that run a service from its jar against a benchmark module
# (hack/bench-netdisk.sh, hack/bench-webos.sh). Source it from the repository's root after hack/lib/jdk.sh; the
# caller defines say().

# bench_build SERVICE WORK: builds platform-services/SERVICE's jar and platform-services/SERVICE-bench (-Pbench, no
# tests), then copies the jar and the benchmark's classpath into WORK, since other builds may rewrite the modules'
# target/ while the benchmark runs. Sets: jar, classpath, java_tool_options (the JVM defaults the service's image
# sets: its pom's image profile, exactly), service_tree (clean, or with uncommitted changes).
bench_build() {
  local service=$1 work=$2 module="platform-services/$1-bench" repo entry entries
  repo=$(pwd)
  ./mvnw -q -B -ntp -Pbench -pl "platform-services/$service,$module" -am \
    package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime \
    -DskipTests -DskipITs
  jar="$work/$(basename "$(ls "platform-services/$service/target/atrium-$service-"*.jar |
    grep -v -- '-plain\|sources' | head -1)")"
  cp "platform-services/$service/target/$(basename "$jar")" "$jar"
  mkdir -p "$work/classpath"
  cp -r "$module/target/classes" "$work/classpath/$service-bench-classes"
  classpath="$work/classpath/$service-bench-classes"
  IFS=: read -ra entries < "$module/target/bench-classpath.txt" || true  # no newline at its end
  for entry in "${entries[@]}"; do
    if [[ $entry == "$repo"/* ]]; then
      cp "$entry" "$work/classpath/"
      entry="$work/classpath/$(basename "$entry")"
    fi
    classpath+=":$entry"
  done
  java_tool_options=$(sed -n 's:.*<atrium.image.java-tool-options>\(.*\)</atrium.image.java-tool-options>.*:\1:p' \
    "platform-services/$service/pom.xml" | head -1)
  [[ -n $java_tool_options ]] || { echo "error: no atrium.image.java-tool-options in $service's pom" >&2; exit 1; }
  service_tree=clean
  [[ -z $(git status --porcelain -- "platform-services/$service" platform-services/service-support) ]] ||
    service_tree="with uncommitted changes"
}

# bench_wait_quiet MAX_LOAD MINUTES: waits until the 1-minute load average is at most MAX_LOAD, at most MINUTES
# (then goes on and says so). Sets load_note, which the results file keeps.
bench_wait_quiet() {
  local max_load=$1 minutes=$2 waited=0 deadline
  deadline=$((SECONDS + minutes * 60))
  while awk -v max="$max_load" '{ exit !($1 > max) }' /proc/loadavg; do
    if ((SECONDS >= deadline)); then
      say "  still $(cut -d' ' -f1-3 /proc/loadavg) after $minutes minutes: starting anyway"
      break
    fi
    sleep 15
    waited=$((waited + 15))
  done
  load_note="waited ${waited} s for a 1-minute load average <= $max_load; then $(cut -d' ' -f1-3 /proc/loadavg)"
  say "  $load_note"
}
