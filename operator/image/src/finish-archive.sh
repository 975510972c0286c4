#!/usr/bin/env bash
# Makes Jib's OCI image archive loadable by `docker load` as well, and records its digest.
#
# Jib writes an OCI image layout (oci-layout, index.json, blobs/sha256/...). containerd
# (`ctr images import`), skopeo and podman read it as it is; `docker load` before Docker 25 reads
# only the `docker save` layout, whose manifest.json lists the config and layer files. This adds
# that manifest.json, pointing at the same blobs (docker load accepts gzipped layers), so that one
# archive serves both, as `docker save` of Docker 25 and later does. Nothing else changes: the
# OCI manifest, and so the digest a registry will show, stays Jib's.
#
# Usage: finish-archive.sh IMAGE.tar REFERENCE
#   writes IMAGE.tar.digest (the manifest digest, sha256:...) and IMAGE.tar.id (the config digest,
#   which `docker images` shows as the IMAGE ID)
set -euo pipefail
export LC_ALL=C
tar_file=$1 reference=$2
die() { printf '[image] error: %s\n' "$*" >&2; exit 1; }
[[ -f $tar_file ]] || die "no image archive $tar_file"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$tar_file" index.json
if tar -tf "$tar_file" manifest.json >/dev/null 2>&1; then
  die "$tar_file already has a manifest.json"
fi
digests() { grep -o '"digest":"sha256:[0-9a-f]\{64\}"' "$1" | sed 's/"digest":"\(.*\)"/\1/'; }
mapfile -t manifests < <(digests "$work/index.json")
(( ${#manifests[@]} == 1 )) || die "expected one image in $tar_file, found ${#manifests[@]}"
manifest=${manifests[0]}
tar -C "$work" -xf "$tar_file" "blobs/sha256/${manifest#sha256:}"
# Jib writes the manifest's config before its layers
mapfile -t blobs < <(digests "$work/blobs/sha256/${manifest#sha256:}")
(( ${#blobs[@]} >= 2 )) || die "the manifest $manifest names no layers"
config=${blobs[0]}
layers=()
for d in "${blobs[@]:1}"; do layers+=("\"blobs/sha256/${d#sha256:}\""); done
tar -C "$work" -xf "$tar_file" "blobs/sha256/${config#sha256:}"
diff_ids=$(grep -o '"diff_ids":\[[^]]*\]' "$work/blobs/sha256/${config#sha256:}" | grep -o 'sha256:' | wc -l)
(( diff_ids == ${#layers[@]} )) || die "the config lists $diff_ids layers, the manifest ${#layers[@]}"

(IFS=,; printf '[{"Config":"blobs/sha256/%s","RepoTags":["%s"],"Layers":[%s]}]\n' \
  "${config#sha256:}" "$reference" "${layers[*]}") > "$work/manifest.json"
tar -C "$work" --format=gnu --mtime=@0 --owner=0 --group=0 --numeric-owner -rf "$tar_file" manifest.json
echo "$manifest" > "$tar_file.digest"
echo "$config" > "$tar_file.id"
