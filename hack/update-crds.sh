#!/usr/bin/env bash
# Regenerates crds/ from the API classes in operator/api (the CRD generator runs in the build)
# and copies the result in, and into the Helm chart's crds/. CrdDriftTest fails when the committed
# files and the classes differ.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/jdk.sh
source hack/lib/jdk.sh
select_jdk
./mvnw -q -B -ntp -pl operator/api -am process-classes
for dir in crds charts/atrium-operator/crds; do
  rm -f "$dir"/*.yml
  cp operator/api/target/classes/META-INF/fabric8/*.yml "$dir/"
done
git status --short crds/ charts/atrium-operator/crds/
