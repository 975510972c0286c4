#!/usr/bin/env bash
# Builds webos's container image as an archive, the way the message center's and the operator's
# are built (docs/image.md): Debian packages and a Java runtime jlinked from the build JDK for the
# base (operator/image/src/build-base.sh), the service's classes and jars on top with Jib; no
# container registry is pulled from and no Docker engine is used. See docs/images/webos.md; the
# build itself is hack/lib/service-image.sh's, shared with the other services.
#
#   hack/images/webos/build.sh [--out FILE.tar] [--ref REGISTRY/REPOSITORY:TAG]
#                                [--debs DIR] [-Dname=value ...]
#
#   --out   where the archive goes; FILE.tar.digest (manifest digest) and FILE.tar.id (config
#           digest) are written beside it (default: the Maven build's own,
#           platform-services/webos/target/atrium-webos-image.tar)
#   --ref   the image reference in the archive (default
#           registry.atrium.dev/atrium/webos:<project version without -SNAPSHOT>)
#   --debs  take the Debian packages from DIR (libc6_*.deb ...) instead of apt-get download
#   -D...   passed to Maven
#
# The same commit, JDK and Debian packages give the same digest: the jars get the last commit's
# time (or SOURCE_DATE_EPOCH). The archive is an OCI image layout with a `docker save`
# manifest.json over the same blobs: `ctr images import`, `skopeo copy oci-archive:...` and
# `docker load` read it.
set -euo pipefail
# shellcheck source=../../lib/service-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/service-image.sh"
service_image_build platform-services/webos "webos" "$@"
