#!/usr/bin/env bash
# Writes a container image as an OCI image layout archive from directories on disk, with no
# container engine and no registry: what an air-gapped site can run. Every image that is not a
# Jib-built Java image (pause, CoreDNS, the database, the cache, the object store...) is made here.
#
#   hack/lib/oci-image.sh --out FILE.tar --ref REGISTRY/REPOSITORY:TAG
#       --layer DIR [--layer DIR ...]        each DIR's contents become one layer, bottom up
#       [--owner DIR=UID:GID ...]            files under DIR (relative to its layer) owned by UID:GID
#                                            (default: everything root:root)
#       [--entrypoint JSON-ARRAY] [--cmd JSON-ARRAY] [--user UID:GID] [--workdir PATH]
#       [--env NAME=VALUE ...] [--port N/tcp ...] [--label KEY=VALUE ...] [--stop-signal SIGNAL]
#       [--history TEXT ...]                 one per layer: what is in it (the image's history)
#
# With ATRIUM_RELEASE set (hack/images.sh --release), the image is labelled dev.atrium.release=<it>, so that
# each platform release's image has its own digest even when built from the same sources.
#
# The archive holds an OCI layout (oci-layout, index.json, blobs/sha256/...) and a `docker save`
# manifest.json over the same blobs, so `ctr images import`, `skopeo copy oci-archive:` and
# `docker load` all read it. FILE.tar.digest gets the manifest digest (what the registry shows
# once pushed with skopeo or ctr, and what a PlatformRelease pins), FILE.tar.id the config digest.
#
# Reproducible: layers are tar files with sorted names, one fixed time (1 s after the epoch),
# numeric owners, compressed with gzip -n; the JSON is written in one fixed order. The same
# directories give the same digest on any machine.
set -euo pipefail
export LC_ALL=C

out="" ref="" entrypoint="" cmd="" user="" workdir="" stop_signal=""
layers=() owners=() envs=() ports=() labels=() history=()
while (( $# )); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --layer) layers+=("$2"); shift 2 ;;
    --owner) owners+=("$2"); shift 2 ;;
    --entrypoint) entrypoint=$2; shift 2 ;;
    --cmd) cmd=$2; shift 2 ;;
    --user) user=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    --stop-signal) stop_signal=$2; shift 2 ;;
    --env) envs+=("$2"); shift 2 ;;
    --port) ports+=("$2"); shift 2 ;;
    --label) labels+=("$2"); shift 2 ;;
    --history) history+=("$2"); shift 2 ;;
    *) echo "oci-image: unknown argument $1" >&2; exit 2 ;;
  esac
done
die() { printf '[oci-image] error: %s\n' "$*" >&2; exit 1; }
[[ -z ${ATRIUM_RELEASE:-} ]] || labels+=("dev.atrium.release=$ATRIUM_RELEASE")
[[ -n $out && -n $ref && ${#layers[@]} -gt 0 ]] || die "--out, --ref and at least one --layer are required"
[[ $ref == */*:* && $ref != *@* ]] || die "--ref must be REGISTRY/REPOSITORY:TAG, got '$ref'"
for d in "${layers[@]}"; do [[ -d $d ]] || die "layer directory $d does not exist"; done

# a JSON string literal (the values here are paths, names and plain text: escape \ and " and
# refuse control characters rather than guess)
json() {
  local s=$1
  [[ $s != *[$'\x01'-$'\x1f']* ]] || die "control character in '$s'"
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
json_list() { local first=true x; printf '['; for x in "$@"; do $first || printf ','; first=false; json "$x"; done; printf ']'; }

out=$(realpath -m "$out")
mkdir -p "$(dirname "$out")"
work=$(mktemp -d "${out}.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
blobs=$work/layout/blobs/sha256
mkdir -p "$blobs"

put_blob() { # FILE -> prints the digest hex, moves FILE into blobs
  local hex
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  mv "$1" "$blobs/$hex"
  printf '%s' "$hex"
}

tar_det=(--format=gnu --sort=name --mtime=@1 --numeric-owner --owner=0 --group=0 --no-acls --no-xattrs --no-selinux)
layer_entries=() diff_ids=() docker_layers=()
i=0
for dir in "${layers[@]}"; do
  i=$((i + 1))
  raw=$work/layer$i.tar
  # owners: each --owner DIR=UID:GID that exists in this layer is appended with its own owner,
  # after the rest (tar keeps the last entry for a path)
  excludes=() owned=()
  for o in "${owners[@]}"; do
    path=${o%%=*} ids=${o#*=}
    path=${path#/}
    [[ -e $dir/$path ]] || continue
    excludes+=("--exclude=./$path")
    owned+=("$path=$ids")
  done
  # the layer's root becomes the image's / (or a directory in it): 0755 whatever the staging directory
  # was (mktemp -d makes 0700, which would lock every non-root user out of the whole image)
  (cd "$dir" && tar "${tar_det[@]}" --mode=u+rwx,go+rx,go-w --no-recursion -cf "$raw" .)
  entries=$(cd "$dir" && ls -A | sed 's|^|./|')
  [[ -z $entries ]] || (cd "$dir" && tar "${tar_det[@]}" "${excludes[@]}" -rf "$raw" $entries)
  for o in "${owned[@]}"; do
    path=${o%%=*} ids=${o#*=}
    (cd "$dir" && tar --format=gnu --sort=name --mtime=@1 --numeric-owner --no-acls --no-xattrs --no-selinux \
      --owner="${ids%%:*}" --group="${ids#*:}" -rf "$raw" "./$path")
  done
  diff_ids+=("sha256:$(sha256sum "$raw" | cut -d' ' -f1)")
  gzip -n -6 -c "$raw" > "$raw.gz"
  size=$(stat -c %s "$raw.gz")
  hex=$(put_blob "$raw.gz")
  rm -f "$raw"
  layer_entries+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$hex\",\"size\":$size}")
  docker_layers+=("blobs/sha256/$hex")
done

epoch=1970-01-01T00:00:00Z
{
  printf '{"architecture":"amd64","os":"linux","created":"%s","config":{' "$epoch"
  sep=""
  [[ -n $user ]] && { printf '%s"User":%s' "$sep" "$(json "$user")"; sep=,; }
  if (( ${#ports[@]} )); then
    printf '%s"ExposedPorts":{' "$sep"; s2=""
    for p in "${ports[@]}"; do printf '%s%s:{}' "$s2" "$(json "$p")"; s2=,; done
    printf '}'; sep=,
  fi
  (( ${#envs[@]} )) && { printf '%s"Env":%s' "$sep" "$(json_list "${envs[@]}")"; sep=,; }
  [[ -n $entrypoint ]] && { printf '%s"Entrypoint":%s' "$sep" "$entrypoint"; sep=,; }
  [[ -n $cmd ]] && { printf '%s"Cmd":%s' "$sep" "$cmd"; sep=,; }
  [[ -n $workdir ]] && { printf '%s"WorkingDir":%s' "$sep" "$(json "$workdir")"; sep=,; }
  [[ -n $stop_signal ]] && { printf '%s"StopSignal":%s' "$sep" "$(json "$stop_signal")"; sep=,; }
  if (( ${#labels[@]} )); then
    printf '%s"Labels":{' "$sep"; s2=""
    for l in "${labels[@]}"; do printf '%s%s:%s' "$s2" "$(json "${l%%=*}")" "$(json "${l#*=}")"; s2=,; done
    printf '}'; sep=,
  fi
  printf '},"rootfs":{"type":"layers","diff_ids":%s},"history":[' "$(json_list "${diff_ids[@]}")"
  for ((j = 0; j < ${#layers[@]}; j++)); do
    (( j )) && printf ','
    printf '{"created":"%s","created_by":"hack/lib/oci-image.sh","comment":%s}' "$epoch" "$(json "${history[$j]:-layer $((j + 1))}")"
  done
  printf ']}'
} > "$work/config.json"
config_size=$(stat -c %s "$work/config.json")
config_hex=$(put_blob "$work/config.json")

manifest_layers=$(IFS=,; printf '%s' "${layer_entries[*]}")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
  "$config_hex" "$config_size" "$manifest_layers" > "$work/manifest.json"
manifest_size=$(stat -c %s "$work/manifest.json")
manifest_hex=$(put_blob "$work/manifest.json")

tag=${ref##*:}
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":%s,"org.opencontainers.image.ref.name":%s}}]}' \
  "$manifest_hex" "$manifest_size" "$(json "$ref")" "$(json "$tag")" > "$work/layout/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"
printf '[{"Config":"blobs/sha256/%s","RepoTags":[%s],"Layers":%s}]' "$config_hex" "$(json "$ref")" \
  "$(json_list "${docker_layers[@]}")" > "$work/layout/manifest.json"

(cd "$work/layout" && tar "${tar_det[@]}" -cf "$work/image.tar" oci-layout index.json manifest.json blobs)
mkdir -p "$(dirname "$out")"
mv "$work/image.tar" "$out"
printf 'sha256:%s\n' "$manifest_hex" > "$out.digest"
printf 'sha256:%s\n' "$config_hex" > "$out.id"
printf '[oci-image] %s -> %s (%s, manifest sha256:%s)\n' "$ref" "$out" "$(du -h --apparent-size "$out" | cut -f1)" "$manifest_hex" >&2
