#!/usr/bin/env bash
# Builds Atrium's PostgreSQL 15 image from Debian packages, with no container engine and no registry
# pull: the packages are unpacked into a root filesystem (hack/lib/debian-rootfs.sh) and written as an
# OCI image archive (hack/lib/oci-image.sh). docs/images/postgresql.md.
#
#   hack/images/postgresql/build.sh --out FILE.tar --ref REGISTRY/REPOSITORY:TAG [--debs DIR]
#
#   --out   the archive (OCI layout + docker save manifest); FILE.tar.digest gets the manifest digest,
#           FILE.tar.id the config digest
#   --ref   the image's name in the archive (ctr/skopeo/docker import it under that name)
#   --debs  take the .deb files from DIR instead of apt-get download (to hold the versions still)
#
# Work files go to target/images/postgresql/ (the root filesystem, packages.txt, the .deb files).
set -euo pipefail
export LC_ALL=C
umask 022
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)

out="" ref="" debs=()
while (( $# )); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --debs) debs=(--debs "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $out && -n $ref ]] || { echo "build: --out FILE.tar and --ref REGISTRY/REPOSITORY:TAG are required" >&2; exit 2; }
out=$(realpath -m "$out")
work=$repo/target/images/postgresql

# Every package of the image. The server (with pg_rewind), the client tools Patroni and the roles script
# run (psql, pg_basebackup), the libraries they link, tzdata (PostgreSQL reads the system's time zones),
# libc-bin for the C.UTF-8 locale the databases are created with, dash and coreutils for the scripts,
# Patroni with Python, and barman-cloud for backups.
packages=(
  postgresql-15 postgresql-client-15 libpq5
  libc6 libc-bin libgcc-s1 gcc-12-base libstdc++6
  libicu72 libxml2 libxslt1.1 libssl3 libuuid1 liblz4-1 libzstd1 zlib1g liblzma5
  libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2 libkeyutils1
  libldap-2.5-0 libsasl2-2 libsasl2-modules-db libdb5.3
  libgnutls30 libp11-kit0 libffi8 libidn2-0 libunistring2 libtasn1-6 libnettle8 libhogweed6 libgmp10
  libpam0g libaudit1 libaudit-common libcap-ng0
  libselinux1 libpcre2-8-0 libsystemd0 libcap2 libgcrypt20 libgpg-error0
  libreadline8 readline-common libtinfo6
  tzdata
  dash coreutils libacl1 libattr1
  # Patroni (failover, with the Kubernetes API as its DCS) and Python with the modules it imports; its
  # Kubernetes client is its own, on urllib3
  patroni
  python3 python3-minimal python3.11 python3.11-minimal libpython3-stdlib libpython3.11-minimal
  libpython3.11-stdlib media-types libexpat1 libbz2-1.0 libncursesw6 libsqlite3-0 libnsl2 libtirpc3
  libtirpc-common libcrypt1
  python3-urllib3 python3-six python3-yaml libyaml-0-2 python3-psycopg2 python3-psutil python3-dateutil
  python3-click python3-colorama python3-prettytable python3-wcwidth python3-cdiff python3-pkg-resources
  # barman-cloud (decision 0015: WAL archiving, base backups, restore, retention) and boto3, its S3 client, with
  # what they import; ca-certificates for a store reached over HTTPS (the bundle is written below)
  barman-cli-cloud python3-barman python3-argcomplete
  python3-boto3 python3-botocore python3-s3transfer python3-jmespath
  python3-requests python3-certifi python3-chardet python3-charset-normalizer python3-idna ca-certificates
)
# Dependencies left out, each for a reason. No maintainer script runs, so what only they use is moot.
ignore=(
  postgresql-common         # Debian's cluster tooling (pg_ctlcluster, pg_wrapper, in Perl, and Perl
                            # itself): the entrypoint runs initdb, pg_ctl and postgres directly
  postgresql-client-common  # pg_wrapper, the Perl dispatcher behind /usr/bin/psql: the image puts
                            # /usr/lib/postgresql/15/bin on PATH instead
  libllvm14                 # JIT compilation only (llvmjit.so, pruned below; jit=off): ~100 MB for
                            # long analytic queries, which Atrium's services do not run
  locales                   # generated locales: the databases use C.UTF-8, which libc-bin ships
  ssl-cert                  # its maintainer script makes a self-signed certificate; TLS is not
                            # configured in this image (docs/images/postgresql.md)
  sensible-utils            # sensible-pager/editor for interactive psql
  debconf                   # maintainer scripts' questions (tzdata, libpam0g)
  dpkg                      # dash's maintainer scripts (dpkg-divert for /bin/sh) and readline-
                            # common's (install-info); the image has no package manager
  debianutils               # add-shell, for dash's maintainer scripts
  python3-kubernetes        # one of the DCS clients Patroni's package wants one of (etcd, Consul,
                            # ZooKeeper, the kubernetes module, Raft): the image uses the Kubernetes DCS,
                            # which Patroni 3 talks to with urllib3 and its own client, needing none of them
  rsync                     # barman's own copies to a barman server; barman-cloud reads PGDATA itself and
                            # uploads with boto3, never running rsync
  openssl                   # ca-certificates' maintainer script hashes the certificates with it; the bundle
                            # boto3 reads is written below instead
)

"$repo/hack/lib/debian-rootfs.sh" --out "$work" --packages "${packages[*]}" --ignore "${ignore[*]}" \
  "${debs[@]}" --name "Atrium PostgreSQL 15" \
  --prune usr/lib/postgresql/15/lib/llvmjit.so \
  --prune usr/lib/postgresql/15/lib/llvmjit_types.bc \
  --prune usr/lib/postgresql/15/lib/bitcode \
  --prune usr/lib/postgresql/15/lib/pgxs

# botocore describes every AWS service, 82 MB of JSON: barman-cloud talks to S3 alone (and STS, which boto3 asks
# for a role's web identity token, as on EKS), so the other services' models go.
find "$work/rootfs/usr/lib/python3/dist-packages/botocore/data" -mindepth 1 -maxdepth 1 -type d \
  ! -name s3 ! -name sts -exec rm -rf {} +
# The CA bundle boto3 verifies an HTTPS store with (Debian's certifi points at it): what ca-certificates'
# maintainer script makes with update-ca-certificates, every certificate the package ships, in a fixed order.
mkdir -p "$work/rootfs/etc/ssl/certs"
find "$work/rootfs/usr/share/ca-certificates" -name '*.crt' | LC_ALL=C sort | xargs cat \
  > "$work/rootfs/etc/ssl/certs/ca-certificates.crt"
[[ -s $work/rootfs/etc/ssl/certs/ca-certificates.crt ]] || { echo "build: no CA certificates in ca-certificates" >&2; exit 1; }

# The second layer: the entrypoint, its scripts and atrium-backup, and the mount points owned by the pods' user, so that the image
# also runs without volumes (the Unix socket's directory, the data directory's parent).
layer=$work/atrium
rm -rf "$layer"
mkdir -p "$layer/usr/local/bin" "$layer/var/lib/postgresql/data" "$layer/var/run/postgresql"
install -m 0755 "$here/entrypoint.sh" "$layer/usr/local/bin/atrium-postgresql"
install -m 0755 "$here/patroni-config.sh" "$layer/usr/local/bin/atrium-patroni-config"
install -m 0755 "$here/roles.sh" "$layer/usr/local/bin/atrium-postgresql-roles"
install -m 0755 "$here/backup.py" "$layer/usr/local/bin/atrium-backup"

version=$(awk '$1 == "postgresql-15" { v = $2; sub(/^[0-9]+:/, "", v); sub(/-.*/, "", v); print v }' "$work/packages.txt")
package_list=$(awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }' "$work/packages.txt")
# SIGTERM is Patroni's shutdown: it stops PostgreSQL with a fast shutdown (roll back open transactions,
# close sessions, checkpoint; not the smart one, which would wait for connection pools that never end
# their sessions) and hands the leader lock on. SIGINT would reach Patroni as a KeyboardInterrupt,
# wherever its loop happens to be.
"$repo/hack/lib/oci-image.sh" --out "$out" --ref "$ref" \
  --layer "$work/rootfs" --layer "$layer" \
  --stop-signal SIGTERM \
  --owner /home/nonroot=65532:65532 \
  --owner /var/lib/postgresql=10001:10001 --owner /var/run/postgresql=10001:10001 \
  --entrypoint '["/usr/local/bin/atrium-postgresql"]' \
  --user 10001:10001 --workdir / \
  --env PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
  --env LANG=C.UTF-8 \
  --env PGDATA=/var/lib/postgresql/data/pgdata \
  --port 5432/tcp --port 8008/tcp \
  --label org.opencontainers.image.title=atrium-postgresql \
  --label "org.opencontainers.image.description=PostgreSQL 15 from Debian packages, with Patroni for failover and barman-cloud for backups" \
  --label "org.opencontainers.image.version=$version" \
  --label org.opencontainers.image.vendor=Atrium \
  --history "Debian packages: $package_list" \
  --history "hack/images/postgresql/entrypoint.sh, patroni-config.sh, roles.sh, backup.py as /usr/local/bin/atrium-postgresql, atrium-patroni-config, atrium-postgresql-roles, atrium-backup; /var/lib/postgresql, /var/run/postgresql"
printf '%s %s\n' "$ref" "$(cat "$out.digest")"
