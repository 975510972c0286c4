#!/usr/bin/env bash
# The offline bundle's benchmark (docs/benchmarks.md, docs/bundle.md): `atrium bundle create|verify|push` on the
# operator and the component images of release 1.0.0 as hack/images.sh built them, each beside a floor measured in
# the same run with plain tools:
#   size     the bundle's bytes beside the sum of the images' distinct blobs (manifests, configs, layers: what any
#            bundle must carry) and the archives' total size
#   create   beside `cat` of the same archives cut at the bundle's size (`head -c`): the same bytes read and written,
#            not synced (create does not sync either)
#   verify   beside `sha256sum` of the bundle file: the one pass of hashing verify must at least do
#   push     to a fresh registry (distribution's `registry` on loopback, filesystem storage, LocalRegistry's config),
#            then again (everything present); beside `curl` putting the same blobs (a monolithic POST + PUT each, a
#            mount for a blob another repository got already) and the same manifests into another fresh registry
#   differential  when --next-images holds 1.0.1 images (hack/test-node.sh builds them): `create --release 1.0.1
#            --since <the 1.0.0 bundle>` beside the full 1.0.1 bundle; otherwise the results say it was not measured
# Every command's wall time (the JVM's start included, as a user sees it), its peak RSS and CPU seconds
# (/usr/bin/time, else the RSS from /proc); medians and [least, most] over the rounds.
#
#   hack/bench-bundle.sh                                   the docs figures: 3 rounds, about 2 minutes on 2 cores
#   hack/bench-bundle.sh --rounds 1 --out /tmp/bundle.json a quick look
#
# Arguments: --images DIR (target/images: the 1.0.0 archives and atrium-operator.tar), --next-images DIR
# (target/images-1.0.1; a directory without archives skips the differential), --rounds N (3), --out FILE
# (docs/bench-results/bundle.json). Environment: BENCH_MAX_LOAD (1.0: the 1-minute load average to wait for before
# measuring), BENCH_LOAD_WAIT_MINUTES (30, then it measures anyway and says so), BENCH_CLI_JAVA_OPTS (none, as
# hack/atrium runs the jar), BENCH_REGISTRY_PORT (25500; it and the next port, on 127.0.0.1). The CLI is built
# (cli/, no tests) and copied aside; the releases are written by hack/release.sh into the run's temporary directory
# (about 3 GB at its largest), which is removed at the end with everything the script started. Nothing is asserted.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
# shellcheck source=lib/bench.sh
source hack/lib/bench.sh
select_jdk
say() { printf '[bench] %s\n' "$*" >&2; }

images=target/images next_images=target/images-1.0.1 rounds=3 out=docs/bench-results/bundle.json
while (($#)); do
  case $1 in
    --images) images=$2; shift 2 ;;
    --next-images) next_images=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-bundle: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "bench-bundle: --rounds takes a positive number" >&2; exit 2; }
max_load=${BENCH_MAX_LOAD:-1.0}
load_wait_minutes=${BENCH_LOAD_WAIT_MINUTES:-30}
cli_java_opts=${BENCH_CLI_JAVA_OPTS:-}
port_a=${BENCH_REGISTRY_PORT:-25500}
port_b=$((port_a + 1))
registry_bin=$repo/.tools/bin/registry
for tool in jq curl sha256sum tar; do
  command -v "$tool" >/dev/null || { echo "error: needs $tool" >&2; exit 1; }
done
if [[ ! -x $registry_bin ]]; then
  say "linking (or building) distribution's registry with hack/tools.sh"
  hack/tools.sh >&2
  [[ -x $registry_bin ]] || { echo "error: no $registry_bin after hack/tools.sh" >&2; exit 1; }
fi
[[ -f $images/atrium-operator.tar && -f $images/images.txt ]] ||
  { echo "error: no atrium-operator.tar and images.txt in $images; build them with hack/images.sh" >&2; exit 1; }
openssl=$(command -v openssl || true)
gnu_time=""
[[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' true 2>/dev/null && gnu_time=/usr/bin/time
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

work=$(mktemp -d /tmp/atrium-bundle-bench.XXXXXX)
registry_pid=""
stop_registry() {
  if [[ -n $registry_pid ]]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
    registry_pid=""
  fi
}
cleanup() {
  stop_registry
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/logs" "$work/releases" "$work/keys"
: > "$work/times.tsv"

say "1/5 building the command line (cli/, no tests) and copying it aside"
./mvnw -B -ntp -q -pl cli -am -DskipTests package
cp cli/target/atrium-cli.jar "$work/atrium-cli.jar"
cli_tree=clean
[[ -z $(git status --porcelain -- cli) ]] || cli_tree="with uncommitted changes"
# shellcheck disable=SC2206
cli=(java $cli_java_opts -Datrium.home="$repo" -jar "$work/atrium-cli.jar")
jvm_flags=$(java $cli_java_opts -XX:+PrintCommandLineFlags -version 2>&1 | head -1)

say "2/5 the releases (hack/release.sh), a key pair, the inputs' floors"
hack/release.sh 1.0.0 --images "$images" --out "$work/releases/1.0.0.yaml"
next=false
if compgen -G "$next_images/*.tar" >/dev/null && [[ -f $next_images/images.txt ]]; then
  hack/release.sh 1.0.1 --upgrade-from 1.0.0 --images "$next_images" --out "$work/releases/1.0.1.yaml"
  next=true
fi
"${cli[@]}" bundle keygen --out "$work/keys" 2>/dev/null

# archives_of RELEASE_FILE DIR: the operator's archive in --images and DIR's archives whose digest the release pins
archives_of() {
  local release=$1 dir=$2 digest tar
  printf '%s\n' "$images/atrium-operator.tar"
  for tar in "$dir"/*.tar; do
    digest=$(cat "$tar.digest" 2>/dev/null || true)
    [[ -n $digest ]] && grep -q "digest: $digest" "$release" && printf '%s\n' "$tar"
  done
}
# blobs_of ARCHIVE...: "digest size" of every manifest, config and layer the archives' images name, from the
# archives themselves (not from the command line's output)
blobs_of() {
  local tar manifest hex
  for tar in "$@"; do
    for manifest in $(tar -xOf "$tar" index.json | jq -r '.manifests[].digest'); do
      hex=${manifest#sha256:}
      printf '%s %s\n' "$manifest" "$(tar -xOf "$tar" "blobs/sha256/$hex" | wc -c)"
      tar -xOf "$tar" "blobs/sha256/$hex" | jq -r '(.config, .layers[]) | "\(.digest) \(.size)"'
    done
  done | sort -u
}
sum_sizes() { awk '{ s += $2 } END { printf "%d", s }'; }
mapfile -t archives < <(archives_of "$work/releases/1.0.0.yaml" "$images")
archives_bytes=$(stat -c %s "${archives[@]}" | awk '{ s += $1 } END { printf "%d", s }')
blobs_of "${archives[@]}" > "$work/blobs-1.0.0.txt"
blobs_count=$(wc -l < "$work/blobs-1.0.0.txt")
blobs_bytes=$(sum_sizes < "$work/blobs-1.0.0.txt")
if $next; then
  mapfile -t next_archives < <(archives_of "$work/releases/1.0.1.yaml" "$next_images")
  blobs_of "${next_archives[@]}" > "$work/blobs-1.0.1.txt"
  # what a 1.0.1 bundle must carry when the site has 1.0.0's blobs: its blobs not among 1.0.0's, and its manifests
  manifests_1=$(for tar in "${next_archives[@]}"; do tar -xOf "$tar" index.json | jq -r '.manifests[].digest'; done)
  # configs and layers only: a differential bundle carries every manifest (added below, each once)
  new_blobs_bytes=$(awk 'NR == FNR { old[$1] = 1; next } !($1 in old)' "$work/blobs-1.0.0.txt" "$work/blobs-1.0.1.txt" |
    { grep -v -F -f <(printf '%s\n' "$manifests_1") || true; } | sum_sizes)
  new_manifests_bytes=$(grep -F -f <(printf '%s\n' "$manifests_1") "$work/blobs-1.0.1.txt" | sum_sizes)
  next_blobs_bytes=$(sum_sizes < "$work/blobs-1.0.1.txt")
fi
say "  ${#archives[@]} archives, $archives_bytes bytes; $blobs_count distinct blobs, $blobs_bytes bytes"

bundle=$work/full-1.0.0.bundle
create_args=(--release 1.0.0 --images "$images" --releases-dir "$work/releases" --key "$work/keys/bundle.key")
next_args=(--release 1.0.1 --images "$next_images" --images "$images" --releases-dir "$work/releases"
  --key "$work/keys/bundle.key")

# measure STEP ROUND COMMAND...: runs it (output to the run's log), appends STEP ROUND wall-ms rss-KiB user-s sys-s
measure() {
  local step=$1 round=$2 log t0 t1 rss=0 user=null sys=null hwm pid status=0
  shift 2
  log=$work/logs/$step.$round.log
  t0=$(date +%s%N)
  if [[ -n $gnu_time ]]; then
    "$gnu_time" -f '%M %U %S' -o "$work/time.out" "$@" > "$log" 2>&1 || status=$?
    t1=$(date +%s%N)
    read -r rss user sys < <(tail -1 "$work/time.out")
  else
    "$@" > "$log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [[ -n $hwm ]] && ((hwm > rss)) && rss=$hwm
      sleep 0.05
    done
    wait "$pid" || status=$?
    t1=$(date +%s%N)
  fi
  if ((status != 0)); then
    say "$step (round $round) failed with exit code $status:"
    tail -20 "$log" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$step" "$round" "$(((t1 - t0) / 1000000))" "$rss" "$user" "$sys" \
    >> "$work/times.tsv"
}

# start_registry PORT DIR: distribution's registry on 127.0.0.1:PORT, storage in DIR (LocalRegistry's config)
start_registry() {
  local port=$1 dir=$2 i
  if curl -s -o /dev/null "http://127.0.0.1:$port/v2/"; then
    echo "error: something answers on 127.0.0.1:$port already; set BENCH_REGISTRY_PORT" >&2
    exit 1
  fi
  mkdir -p "$dir/storage"
  cat > "$dir/config.yml" <<EOF
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
EOF
  OTEL_TRACES_EXPORTER=none "$registry_bin" serve "$dir/config.yml" > "$dir/registry.log" 2>&1 &
  registry_pid=$!
  for i in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/v2/" && return 0
    sleep 0.1
  done
  echo "error: the registry did not start on 127.0.0.1:$port:" >&2
  tail -5 "$dir/registry.log" >&2
  exit 1
}

# The floor's push: the plan's blobs each in one monolithic upload (POST, then PUT with the digest), or mounted when
# another repository got it already; then each manifest by digest and by tag. One curl per request.
curl_push() {
  local port=$1 plan=$2 blobs=$3 kind repository digest arg media location code
  while IFS=$'\t' read -r kind repository digest arg media; do
    case $kind in
      upload)
        location=$(curl -sS -f -X POST -D - -o /dev/null "http://127.0.0.1:$port/v2/$repository/blobs/uploads/" |
          tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')
        [[ $location == http* ]] || location="http://127.0.0.1:$port$location"
        [[ $location == *\?* ]] && location+="&" || location+="?"
        curl -sS -f -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
          -T "$blobs/${digest#sha256:}" "${location}digest=$digest"
        ;;
      mount)
        code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST \
          "http://127.0.0.1:$port/v2/$repository/blobs/uploads/?mount=$digest&from=$arg")
        [[ $code == 201 ]] || { echo "mount of $digest into $repository: HTTP $code" >&2; return 1; }
        ;;
      manifest)
        curl -sS -f -o /dev/null -X PUT -H "Content-Type: $media" --data-binary "@$blobs/${digest#sha256:}" \
          "http://127.0.0.1:$port/v2/$repository/manifests/$arg"
        ;;
    esac
  done < "$plan"
}
export -f curl_push

say "3/5 a warm-up, not measured: create and verify once (also reads the archives into the page cache)"
"${cli[@]}" bundle create "${create_args[@]}" --out "$bundle" > "$work/logs/warmup-create.log" 2>&1
"${cli[@]}" bundle verify "$bundle" --key "$work/keys/bundle.pub" > "$work/logs/warmup-verify.log" 2>&1
bundle_bytes=$(stat -c %s "$bundle")
# the floor push's plan and its blobs, from the bundle (images sorted by repository, as push goes)
mkdir -p "$work/extracted"
tar -xf "$bundle" -C "$work/extracted"
blob_dir=$work/extracted/images/blobs/sha256
jq -r '.images[] | [.repository, .digest, .mediaType, (.tags | join(","))] | @tsv' \
  "$work/extracted/atrium-bundle.json" | while IFS=$'\t' read -r repository digest media tags; do
  jq -r --arg r "$repository" '(.config, .layers[]) | [$r, .digest] | @tsv' "$blob_dir/${digest#sha256:}"
  printf 'manifest\t%s\t%s\t%s\t%s\n' "$repository" "$digest" "$digest" "$media"
  for tag in ${tags//,/ }; do printf 'manifest\t%s\t%s\t%s\t%s\n' "$repository" "$digest" "$tag" "$media"; done
done | awk -F'\t' -v OFS='\t' '
  $1 == "manifest" { print; next }
  ($2 in first) { print "mount", $1, $2, first[$2]; next }
  { first[$2] = $1; print "upload", $1, $2 }' > "$work/push-plan.tsv"
count_plan() { awk -F'\t' -v k="$1" '$1 == k { n++ } END { print n + 0 }' "$work/push-plan.tsv"; }
floor_uploads=$(count_plan upload)
floor_mounts=$(count_plan mount)
floor_manifest_puts=$(count_plan manifest)
floor_upload_bytes=$(awk -F'\t' '$1 == "upload" { print $3 }' "$work/push-plan.tsv" |
  while read -r digest; do stat -c %s "$blob_dir/${digest#sha256:}"; done | awk '{ s += $1 } END { printf "%d", s }')

say "4/5 waiting for the 1-minute load average to fall to $max_load (at most $load_wait_minutes minutes):" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
bench_wait_quiet "$max_load" "$load_wait_minutes"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
load_quiet=$(awk -v max="$max_load" '{ print ($1 <= max) ? "true" : "false" }' /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)

say "5/5 $rounds rounds, $(nproc) cores, $(java -version 2>&1 | head -1)"
for ((round = 1; round <= rounds; round++)); do
  say "  round $round (load $(cut -d' ' -f1-3 /proc/loadavg))"
  # odd rounds the command line first, even rounds the floor first
  sides=(cli floor)
  ((round % 2 == 0)) && sides=(floor cli)
  measure jvm-start "$round" "${cli[@]}" bundle --help
  for side in "${sides[@]}"; do
    if [[ $side == cli ]]; then
      rm -f "$bundle"
      sync
      measure create "$round" "${cli[@]}" bundle create "${create_args[@]}" --out "$bundle"
    else
      rm -f "$work/floor.bin"
      sync
      measure create-floor "$round" bash -c 'n=$1 f=$2; shift 2; cat "$@" | head -c "$n" > "$f"' _ "$bundle_bytes" \
        "$work/floor.bin" "${archives[@]}"
    fi
    sync
  done
  grep -o 'sha256:[0-9a-f]*$' "$work/logs/create.$round.log" | tail -1 > "$work/sha.$round"
  [[ $(stat -c %s "$bundle") == "$bundle_bytes" ]] || { say "the bundle's size changed between runs"; exit 1; }
  for side in "${sides[@]}"; do
    if [[ $side == cli ]]; then
      measure verify "$round" "${cli[@]}" bundle verify "$bundle" --key "$work/keys/bundle.pub"
    else
      measure verify-floor "$round" sha256sum "$bundle"
      [[ -z $openssl ]] || measure verify-floor-openssl "$round" "$openssl" dgst -sha256 "$bundle"
    fi
  done
  for side in "${sides[@]}"; do
    rm -rf "$work/reg" "$work/extract"
    if [[ $side == cli ]]; then
      start_registry "$port_a" "$work/reg"
      measure push "$round" "${cli[@]}" bundle push "$bundle" --key "$work/keys/bundle.pub" \
        --registry "127.0.0.1:$port_a" --plain-http --extract "$work/extract"
      measure push-again "$round" "${cli[@]}" bundle push "$bundle" --key "$work/keys/bundle.pub" \
        --registry "127.0.0.1:$port_a" --plain-http --extract "$work/extract"
    else
      start_registry "$port_b" "$work/reg"
      measure push-floor "$round" bash -c 'set -euo pipefail; curl_push "$@"' _ "$port_b" "$work/push-plan.tsv" "$blob_dir"
    fi
    stop_registry
    rm -rf "$work/reg"
    sync
  done
  if $next; then
    rm -f "$work/full-1.0.1.bundle" "$work/diff-1.0.1.bundle"
    sync
    measure create-1.0.1-full "$round" "${cli[@]}" bundle create "${next_args[@]}" --out "$work/full-1.0.1.bundle"
    sync
    measure create-1.0.1-since-1.0.0 "$round" "${cli[@]}" bundle create "${next_args[@]}" --since "$bundle" \
      --out "$work/diff-1.0.1.bundle"
    sync
  fi
done
finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# What the command line said of its own work (the last round's logs)
last=$rounds
push_log=$work/logs/push.$last.log
pushed_line=$(grep -o 'pushed [0-9]* images.*' "$push_log" | tail -1)
again_line=$(grep -o 'pushed [0-9]* images.*' "$work/logs/push-again.$last.log" | tail -1)
push_verify_s=$(sed -n 's/.*verified .* in \([0-9.]*\) s.*/\1/p' "$push_log" | tail -1)
verify_line=$(grep -o 'verified .*' "$work/logs/verify.$last.log" | tail -1 | sed "s:$work/::")
bundle_files=$(jq '.artifacts | length + 2' "$work/extracted/atrium-bundle.json")
bundle_blobs=$(jq '[.artifacts[] | select(.kind == "config" or .kind == "layer")] | length' \
  "$work/extracted/atrium-bundle.json")
shas=$(sort -u "$work"/sha.* | tr '\n' ' ')

differential=null
if $next; then
  full_1=$(stat -c %s "$work/full-1.0.1.bundle")
  diff_1=$(stat -c %s "$work/diff-1.0.1.bundle")
  left_out=$(grep -o 'differential against .*' "$work/logs/create-1.0.1-since-1.0.0.$last.log" | head -1 |
    sed "s:$work/::")
  differential=$(jq -n --argjson full "$full_1" --argjson diff "$diff_1" --argjson blobs "$next_blobs_bytes" \
    --argjson new "$new_blobs_bytes" --argjson manifests "$new_manifests_bytes" --arg said "$left_out" \
    --arg archives "$(printf '%s\n' "${next_archives[@]##*/}" | paste -sd' ')" '{
      measured: true,
      release: "1.0.1 (upgradeFrom 1.0.0), the operator archive from --images, the components from --next-images",
      archives: $archives,
      full_bundle_bytes: $full, differential_bundle_bytes: $diff,
      differential_over_full: ($diff / $full * 1000000 | round / 1000000),
      floor_full_distinct_blobs_bytes: $blobs,
      floor_differential_bytes: ($new + $manifests),
      floor_differential_note: "the configs and layers of the 1.0.1 images that the 1.0.0 images do not have, and all their manifests",
      create_said: $said }')
fi

mkdir -p "$(dirname "$out")"
jq -R -s --arg started "$started" --arg finished "$finished" --argjson rounds "$rounds" \
  --arg commit "$(git rev-parse --short HEAD)" --arg cli_tree "$cli_tree" \
  --arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" --argjson cores "$(nproc)" \
  --arg memory "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
  --arg kernel "$(uname -r)" --arg java "$(java -version 2>&1 | sed -n 2p)" \
  --arg registry "$("$registry_bin" --version 2>&1 | head -1 | sed 's:^[^ ]*/::')" \
  --arg curl "$(curl --version | head -1 | cut -d' ' -f1-2)" --arg coreutils "$(sha256sum --version | head -1)" \
  --arg openssl_version "$([[ -z $openssl ]] || "$openssl" version | cut -d' ' -f1-2)" \
  --arg sha_ni "$(grep -q -w sha_ni /proc/cpuinfo && echo true || echo false)" \
  --arg load_at_start "$load_at_start" --arg load_before "$load_before" --argjson load_quiet "$load_quiet" \
  --arg load_note "$load_note" --arg max_load "$max_load" \
  --arg java_opts "${cli_java_opts:-none (as hack/atrium runs the jar)}" --arg jvm_flags "$jvm_flags" \
  --arg rss_source "${gnu_time:+/usr/bin/time (maximum resident set size)}" \
  --arg images "$(basename "$images")" --arg archives "$(printf '%s\n' "${archives[@]##*/}" | paste -sd' ')" \
  --argjson archives_bytes "$archives_bytes" --argjson blobs_count "$blobs_count" \
  --argjson blobs_bytes "$blobs_bytes" --argjson bundle_bytes "$bundle_bytes" \
  --argjson bundle_files "$bundle_files" --argjson bundle_blobs "$bundle_blobs" --arg shas "$shas" \
  --argjson uploads "$floor_uploads" --argjson mounts "$floor_mounts" --argjson manifest_puts "$floor_manifest_puts" \
  --argjson upload_bytes "$floor_upload_bytes" --arg pushed "$pushed_line" --arg again "$again_line" \
  --arg push_verify "${push_verify_s:-}" --arg verify_said "$verify_line" --argjson differential "$differential" \
  --arg next_images "$(basename "$next_images")" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def stats: { median: median, min: min, max: max };
  [ split("\n")[] | select(length > 0) | split("\t")
    | { step: .[0], round: (.[1] | tonumber), wall_s: ((.[2] | tonumber) / 1000), peak_rss_mib: ((.[3] | tonumber) / 1024 * 10 | round / 10),
        cpu_s: (if .[4] == "null" then null else ((.[4] | tonumber) + (.[5] | tonumber)) * 100 | round / 100 end) } ]
    as $runs
  | ($runs | group_by(.step) | map({ key: .[0].step, value: {
        wall_s: (map(.wall_s) | stats), peak_rss_mib: (map(.peak_rss_mib) | stats),
        cpu_s: (map(.cpu_s) | if any(. == null) then null else stats end), rounds: map(.wall_s) } }) | from_entries) as $steps
  | {
    benchmark: "offline bundle: atrium bundle create, verify, push (hack/bench-bundle.sh)",
    started: $started, finished: $finished, rounds: $rounds,
    commit: $commit, cli_tree: $cli_tree,
    machine: { cpu: $cpu, cores: $cores, memory: $memory, kernel: $kernel, java: $java, registry: $registry,
               curl: $curl, sha256sum: $coreutils, openssl: $openssl_version, cpu_sha_extensions: ($sha_ni == "true") },
    load: { at_start: $load_at_start, max_load: $max_load, wait: $load_note, before_rounds: $load_before,
            quiet_before_rounds: $load_quiet },
    jvm: { options: $java_opts, ergonomics: $jvm_flags },
    peak_rss_from: (if $rss_source == "" then "/proc/PID/status VmHWM, sampled every 50 ms" else $rss_source end),
    inputs: { images: $images, archives: $archives, archives_bytes: $archives_bytes,
              distinct_blobs: $blobs_count, distinct_blobs_bytes: $blobs_bytes,
              distinct_blobs_note: "manifests, configs and layers the images name, each once, read from the archives" },
    size: { bundle_bytes: $bundle_bytes, bundle_files: $bundle_files, configs_and_layers: $bundle_blobs,
            bundle_over_distinct_blobs: ($bundle_bytes / $blobs_bytes * 10000 | round / 10000),
            bundle_over_archives: ($bundle_bytes / $archives_bytes * 10000 | round / 10000),
            sha256_of_each_round: ($shas | rtrimstr(" ") | split(" ")) },
    steps: $steps,
    what_is_measured: {
      create: "atrium bundle create --release 1.0.0 (a full bundle), the JVM start included",
      verify: "atrium bundle verify",
      push: "atrium bundle push --plain-http to a fresh registry (it verifies the bundle first, then HEADs, mounts or uploads each blob, then puts the manifests; --extract of the chart, CRDs, releases, policies)",
      "push-again": "the same push again: every blob present",
      "create-1.0.1-full": "create --release 1.0.1, a full bundle",
      "create-1.0.1-since-1.0.0": "create --release 1.0.1 --since the 1.0.0 bundle",
      "create-floor": "cat of the archives above in a row, cut at the bundle size by head -c, into one file: the bundle bytes read from the same archives and written; not synced, as create does not sync (sync runs, untimed, between steps)",
      "verify-floor": "sha256sum of the bundle file: one pass of hashing (the SHA-256 code of coreutils)",
      "verify-floor-openssl": "openssl dgst -sha256 of the bundle file: one pass of hashing with OpenSSL (the SHA instructions of the CPU where it has them); not run without openssl",
      "push-floor": ("curl, one process per request, into another fresh registry: \($uploads) blobs in a monolithic upload each (POST, then PUT with the digest; \($upload_bytes) bytes), \($mounts) mounted (POST ?mount=&from=) where another repository got them already, \($manifest_puts) manifest PUTs (by digest and by tag); no HEAD, no verification of the bundle first"),
      "jvm-start": "java -jar atrium-cli.jar bundle --help: the JVM start and the command line parsing every command pays"
    },
    cli_said: { verify: $verify_said, push: $pushed, push_again: $again,
                push_verify_s: (if $push_verify == "" then null else ($push_verify | tonumber) end) },
    differential: ($differential // { measured: false,
      why: "no 1.0.1 image archives in \($next_images) (hack/test-node.sh builds them); not measured" }),
    runs: $runs
  }' "$work/times.tsv" > "$out"
say "wrote $out"
jq -r '.steps | to_entries[] | "  \(.key): \(.value.wall_s.median) s [\(.value.wall_s.min), \(.value.wall_s.max)], peak RSS \(.value.peak_rss_mib.max) MiB"' "$out" >&2
