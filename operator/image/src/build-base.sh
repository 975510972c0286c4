#!/usr/bin/env bash
# Builds the base of the operator image, from nothing but Debian packages and the build JDK: no
# container registry is pulled from. operator/image/pom.xml runs it in its "image" profile, and Jib
# then puts the operator's jars on top (from.image tar://OUT/base.tar).
#
# OUT/base.tar is an image in the `docker save` layout with two layers:
#   os   the C library the JVM links against, from .deb packages (unpacked, never installed or run),
#        /etc/passwd, /etc/group (nonroot 65532), /etc/nsswitch.conf, /etc/os-release, /home/nonroot,
#        /tmp, and each package's dpkg record under /var/lib/dpkg/status.d for image scanners
#   jre  /opt/java: a Java runtime jlinked from the build JDK with only the modules the operator needs
# OUT/contents.txt says what went in: package versions, the runtime's version and modules, sizes.
#
# The layers are plain tar files made deterministic (sorted names, fixed times and owners), so the same
# packages and JDK give the same bytes. Jib keeps file modes, symlinks and owners of a base image's
# layers, which it would not do for files it adds itself (it follows symlinks and resets modes).
#
# Usage: build-base.sh --out DIR --packages "libc6 ..." --modules java.base,... --classpath FILE
#                      [--debs DIR | --debs=DIR] [--java-home DIR]
#   --classpath  the operator's runtime classpath (for the jdeps check of --modules)
#   --debs       a directory holding the .deb files, instead of apt-get download (empty: download)
set -euo pipefail
export LC_ALL=C
umask 022

out="" packages="" modules="" classpath_file="" debs_dir="" java_home=${JAVA_HOME:-}
while (( $# )); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --packages) packages=$2; shift 2 ;;
    --modules) modules=$2; shift 2 ;;
    --classpath) classpath_file=$2; shift 2 ;;
    --debs) debs_dir=$2; shift 2 ;;
    --debs=*) debs_dir=${1#--debs=}; shift ;;
    --java-home) java_home=$2; shift 2 ;;
    *) echo "build-base: unknown argument $1" >&2; exit 2 ;;
  esac
done
say() { printf '[image] %s\n' "$*"; }
die() { printf '[image] error: %s\n' "$*" >&2; exit 1; }
[[ -n $out && -n $packages && -n $modules && -n $classpath_file ]] \
  || die "--out, --packages, --modules and --classpath are required"
[[ -f $classpath_file ]] || die "no classpath file $classpath_file"
[[ -n $java_home && -x $java_home/bin/jlink && -x $java_home/bin/jdeps ]] \
  || die "no jlink/jdeps in JAVA_HOME '$java_home': a full JDK 21+ is needed"
for tool in dpkg-deb tar sha256sum; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install dpkg tar coreutils)"
done

# The image is linux/amd64 (Jib's default platform), and so must be the packages and the JDK.
arch=amd64
triplet=x86_64-linux-gnu
[[ $(uname -m) == x86_64 ]] \
  || die "the image is linux/amd64 and its Java runtime is linked from this JDK: build it on an x86_64 machine"

out=$(realpath -m "$out")
os=$out/os          # staging tree of the os layer
jre_root=$out/jre   # staging tree of the jre layer
jre=$jre_root/opt/java
rm -rf "$os" "$jre_root" "$out/layers" "$out/base.tar" "$out/contents.txt"
mkdir -p "$os" "$jre_root/opt" "$out/layers" "$out/debs"

# --- 1. Debian packages -------------------------------------------------------------------------
# apt-get download fetches exactly the named packages (not their dependencies) at the candidate
# version of this machine's apt sources; the list must be closed under Depends, checked below.
if [[ -z $debs_dir ]]; then
  command -v apt-get >/dev/null || die "apt-get is missing: pass --debs DIR with the .deb files of: $packages"
  debs_dir=$out/debs
  rm -f "$debs_dir"/*.deb
  say "downloading $packages (apt-get download, from this machine's apt sources)"
  # as root, apt warns that its sandbox user cannot write here; the download is the same
  (cd "$debs_dir" && apt-get download -q -o APT::Sandbox::User=root $(for p in $packages; do echo "$p:$arch"; done)) \
    || die "apt-get download failed; run 'apt-get update' first, or pass --debs DIR"
fi
declare -A version_of=()
for p in $packages; do
  shopt -s nullglob
  found=("$debs_dir/${p}_"*"_$arch.deb")
  shopt -u nullglob
  (( ${#found[@]} == 1 )) || die "expected one ${p}_*_$arch.deb in $debs_dir, found ${#found[@]}"
  deb=${found[0]}
  version_of[$p]=$(dpkg-deb -f "$deb" Version)
  dpkg-deb -x "$deb" "$os"
  # the package's control paragraph as dpkg's status file has it, one file per package: the layout
  # that scanners (Trivy, Grype) read in distroless images
  mkdir -p "$os/var/lib/dpkg/status.d"
  dpkg-deb -f "$deb" | awk '{ print } /^Package:/ { print "Status: install ok installed" }' \
    > "$os/var/lib/dpkg/status.d/$p"
done
# every dependency of every package is in the list (of alternatives "a | b", one is enough)
for p in $packages; do
  while IFS= read -r alt; do
    [[ -z ${alt// /} ]] && continue
    ok=false
    IFS='|' read -ra choices <<< "$alt"
    for c in "${choices[@]}"; do
      name=$(awk '{print $1}' <<< "$c"); name=${name%%:*}
      [[ -n ${version_of[$name]:-} ]] && ok=true
    done
    $ok || die "$p depends on '$(echo $alt)', which is not in the package list ($packages)"
  done < <(sed -n 's/^\(Pre-\)\{0,1\}Depends: //p' "$os/var/lib/dpkg/status.d/$p" | tr ',' '\n')
done

# Not used by the JVM: iconv modules (Java has its own charsets), docs other than the licences
# (the copyright files stay), lintian overrides, the ldconfig configuration.
rm -rf "$os/usr/lib/$triplet/gconv" "$os/usr/share/lintian" "$os/etc/ld.so.conf.d"
find "$os/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
find "$os" -type d -empty -delete

# --- 2. users, name service, OS identification --------------------------------------------------
mkdir -p "$os/etc" "$os/home/nonroot" "$os/tmp"
chmod 1777 "$os/tmp"
cat > "$os/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat > "$os/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
nonroot:x:65532:
EOF
cat > "$os/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
networks: files
protocols: files
services: files
EOF
# The libraries are Debian's: say so, and scanners match them against Debian's security tracker.
# shellcheck disable=SC1091
debian_version=$(. /etc/os-release 2>/dev/null && echo "${VERSION_ID:-}")
# shellcheck disable=SC1091
debian_codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
cat > "$os/etc/os-release" <<EOF
PRETTY_NAME="Atrium operator runtime (Debian GNU/Linux ${debian_version:-?} packages)"
NAME="Debian GNU/Linux"
ID=debian
VERSION_ID="$debian_version"
VERSION_CODENAME=$debian_codename
HOME_URL="https://www.debian.org/"
EOF

# --- 3. the Java runtime ------------------------------------------------------------------------
# The module list is explicit (the pom), so the image does not change when a dependency starts using
# another module unnoticed: jdeps checks here that the list covers what the classpath uses.
classpath=$(<"$classpath_file")
say "checking the runtime's modules against jdeps"
# a split-package warning about a jar is harmless here; a failure shows as a non-list last line
needed=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 21 \
  --class-path "$classpath" ${classpath//:/ } 2>/dev/null | tail -1)
[[ $needed =~ ^[a-z.,]+$ ]] || die "jdeps failed on the runtime classpath: $needed"
missing=()
for m in ${needed//,/ }; do
  [[ ,$modules, == *",$m,"* ]] || missing+=("$m")
done
(( ${#missing[@]} == 0 )) \
  || die "the classpath uses modules not in atrium.image.jre-modules: ${missing[*]} (jdeps: $needed)"
say "jlink: $modules"
# No jlink compression: the layer is gzipped anyway, and an uncompressed lib/modules starts faster
# and gzips smaller. java.desktop is there for java.beans (Jackson, SnakeYAML), never for AWT: its
# native libraries (AWT, fonts, imaging, sound, which would need X11 and more) are left out.
# --generate-cds-archive adds the JDK's default class-data archive, which makes start-up faster.
"$java_home/bin/jlink" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-0 \
  --exclude-files='glob:/java.desktop/lib/**' \
  --generate-cds-archive \
  --output "$jre" > "$out/jlink.log" 2>&1 || { cat "$out/jlink.log" >&2; die "jlink failed"; }
# the archive for heaps over 32 GiB (no compressed oops) is never used at an operator's heap size
rm -f "$jre/lib/server/classes_nocoops.jsa"

# --- 4. every native library the runtime loads resolves inside the image -------------------------
# The image's own loader lists each ELF file's dependencies; one resolved outside os/ and the
# runtime (from this machine) or not at all means a package is missing from the list.
loader=$os/lib/$triplet/ld-linux-x86-64.so.2
# whether PATH exists in the image: symlinks resolved inside it (libc6's /lib64 link is absolute)
in_image() {
  local path=$1 hops=0 target
  while [[ -L $os$path ]] && (( hops++ < 16 )); do
    target=$(readlink "$os$path")
    [[ $target == /* ]] && path=$target || path=$(dirname "$path")/$target
  done
  [[ -e $os$path && ! -L $os$path ]]
}
libpath=$os/lib/$triplet:$os/usr/lib/$triplet:$jre/lib:$jre/lib/server
problems=()
while IFS= read -r elf; do
  head -c4 "$elf" | grep -q $'\x7fELF' || continue
  listing=$("$loader" --inhibit-cache --library-path "$libpath" --list "$elf" 2>&1) \
    || { problems+=("${elf#"$out"/}: $listing"); continue; }
  while IFS= read -r line; do
    case $line in
      /*" => "*) # the program interpreter, by its absolute path in the image
        in_image "${line%% *}" || problems+=("${elf#"$out"/}: no interpreter ${line%% *} in the image") ;;
      *"=> not found"*) problems+=("${elf#"$out"/}: ${line%% *} not found") ;;
      *"=> /"*)
        resolved=$(realpath -m "$(sed 's/.*=> \([^ ]*\) .*/\1/' <<< "$line")")
        [[ $resolved == "$out"/* ]] || problems+=("${elf#"$out"/}: ${line%% *} found only on this machine ($resolved)")
        ;;
    esac
  done < <(sed 's/^[[:space:]]*//' <<< "$listing")
done < <(find "$jre" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \))
(( ${#problems[@]} == 0 )) || {
  printf '  %s\n' "${problems[@]}" >&2
  die "native libraries missing from the image: add their Debian packages to atrium.image.debian-packages"
}

# --- 5. the layers and the base image -----------------------------------------------------------
# Deterministic tar: names sorted, one fixed time (1 s after the epoch, as Jib's own layers), owners
# root except /home/nonroot, which belongs to nonroot (65532) as in distroless images.
tar_det=(--format=gnu --sort=name --mtime=@1 --numeric-owner)
(cd "$os" && tar "${tar_det[@]}" --owner=0 --group=0 --exclude=home/nonroot -cf "$out/layers/os.tar" $(ls -A))
(cd "$os" && tar "${tar_det[@]}" --owner=65532 --group=65532 -rf "$out/layers/os.tar" home/nonroot)
(cd "$jre_root" && tar "${tar_det[@]}" --owner=0 --group=0 -cf "$out/layers/jre.tar" opt)
os_diff=$(sha256sum "$out/layers/os.tar" | cut -d' ' -f1)
jre_diff=$(sha256sum "$out/layers/jre.tar" | cut -d' ' -f1)

release() { sed -n "s/^$1=\"\\(.*\\)\"/\\1/p" "$java_home/release"; }
runtime="$(release IMPLEMENTOR) $(release IMPLEMENTOR_VERSION) ($(release JAVA_RUNTIME_VERSION))"
package_list=$(for p in $packages; do printf '%s %s, ' "$p" "${version_of[$p]}"; done)
package_list=${package_list%, }
epoch=1970-01-01T00:00:00Z
cat > "$out/layers/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"$epoch","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:$os_diff","sha256:$jre_diff"]},"history":[{"created":"$epoch","created_by":"operator/image/src/build-base.sh","comment":"Debian $debian_version packages: $package_list"},{"created":"$epoch","created_by":"operator/image/src/build-base.sh","comment":"Java runtime: jlink of $runtime: $modules"}]}
EOF
cat > "$out/layers/manifest.json" <<EOF
[{"Config":"config.json","RepoTags":["atrium-operator-base:build"],"Layers":["os.tar","jre.tar"]}]
EOF
(cd "$out/layers" && tar "${tar_det[@]}" --owner=0 --group=0 -cf "$out/base.tar" manifest.json config.json os.tar jre.tar)

# --- 6. what went in ----------------------------------------------------------------------------
{
  echo "debian packages ($arch):"
  for p in $packages; do printf '  %s %s\n' "$p" "${version_of[$p]}"; done
  echo "java runtime: $runtime, jlinked from $java_home"
  echo "java modules: $modules"
  echo "layers (uncompressed): os $(du -sh --apparent-size "$out/layers/os.tar" | cut -f1), jre $(du -sh --apparent-size "$out/layers/jre.tar" | cut -f1)"
} > "$out/contents.txt"
sed 's/^/[image] /' "$out/contents.txt"
