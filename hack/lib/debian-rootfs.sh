#!/usr/bin/env bash
# Builds a container root filesystem from Debian packages, with no container engine and no registry:
# the packages are unpacked (dpkg-deb -x), never installed, and none of their maintainer scripts runs.
# hack/lib/oci-image.sh then turns the tree into an image. Used by hack/images/*/build.sh.
#
#   hack/lib/debian-rootfs.sh --out DIR --packages "PKG ..." [--ignore "PKG ..."] [--debs DIR]
#                             [--prune PATH ...] [--name TEXT]
#
#   --packages  every package of the image, by name. Exactly these are fetched (`apt-get download`,
#               the candidate version of this machine's apt sources), never their dependencies:
#               the list must be closed under Depends and Pre-Depends, which is checked
#   --ignore    dependencies the image deliberately leaves out. The caller says why for each; an
#               alternative "a | b" is satisfied by one listed or ignored choice. An ignored name that
#               no listed package depends on fails the build, so the list cannot go stale
#   --debs      take the .deb files from DIR (one per package) instead of apt-get download
#   --prune     a path (relative to the root, shell glob allowed) to delete besides the defaults below
#   --name      the image's name in /etc/os-release's PRETTY_NAME
#
# It writes:
#   DIR/rootfs        the tree: the packages' files minus the pruned ones; /etc/passwd and /etc/group
#                     (root, nobody, nonroot 65532, atrium 10001), /etc/nsswitch.conf, /etc/os-release
#                     (ID=debian), /tmp (1777), /home/nonroot, and each package's control paragraph
#                     in /var/lib/dpkg/status.d/<package> (the distroless layout Trivy and Grype read)
#   DIR/packages.txt  "package version sha256-of-the-.deb", one a line, sorted
#   DIR/debs          the downloaded .deb files (without --debs)
# The tree's files keep the packages' modes; give them owners when writing the layer: everything is
# root's except /home/nonroot (pass `--owner /home/nonroot=65532:65532` to oci-image.sh).
#
# Checks, each failing the build with what to fix: every package is there exactly once; the list
# is closed under Depends (versions included); every ELF file resolves its libraries inside the tree
# with the tree's own loader, as the loader will at run time (no ld.so.cache: the system directories).
#
# Deterministic: the same .deb files give the same tree (modes from the packages, umask 022, nothing
# from the build machine but /etc/os-release's VERSION_ID and VERSION_CODENAME, which say which
# Debian release the apt sources are). oci-image.sh fixes times and owners.
set -euo pipefail
export LC_ALL=C
umask 022

out="" packages="" ignore="" debs_dir="" name="Atrium image"
extra_prune=()
while (( $# )); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --packages) packages=$2; shift 2 ;;
    --ignore) ignore=$2; shift 2 ;;
    --debs) debs_dir=$2; shift 2 ;;
    --prune) extra_prune+=("$2"); shift 2 ;;
    --name) name=$2; shift 2 ;;
    *) echo "debian-rootfs: unknown argument $1" >&2; exit 2 ;;
  esac
done
say() { printf '[rootfs] %s\n' "$*" >&2; }
die() { printf '[rootfs] error: %s\n' "$*" >&2; exit 1; }
[[ -n $out && -n ${packages// /} ]] || die "--out and --packages are required"
for tool in dpkg-deb dpkg tar sha256sum od; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install dpkg tar coreutils)"
done
arch=amd64 triplet=x86_64-linux-gnu
[[ $(uname -m) == x86_64 ]] || die "the images are linux/amd64: build them on an x86_64 machine"

out=$(realpath -m "$out")
root=$out/rootfs
rm -rf "$root" "$out/packages.txt"
mkdir -p "$root"
# shellcheck disable=SC2206
pkgs=($packages)

# --- 1. the packages ----------------------------------------------------------------------------
if [[ -z $debs_dir ]]; then
  command -v apt-get >/dev/null || die "apt-get is missing: pass --debs DIR with the .deb files of: $packages"
  debs_dir=$out/debs
  mkdir -p "$debs_dir"
  rm -f "$debs_dir"/*.deb
  say "downloading ${#pkgs[@]} packages (apt-get download, from this machine's apt sources)"
  # as root, apt warns that its sandbox user cannot write here; the download is the same.
  # pkg:amd64 also names an Architecture: all package.
  (cd "$debs_dir" && apt-get download -q=2 -o APT::Sandbox::User=root "${pkgs[@]/%/:$arch}") >&2 \
    || die "apt-get download failed; run 'apt-get update' first, or pass --debs DIR"
fi
debs_dir=$(realpath "$debs_dir")
declare -A version_of=() provided_by=() deb_of=()
for p in "${pkgs[@]}"; do
  [[ -z ${deb_of[$p]:-} ]] || die "$p is listed twice"
  shopt -s nullglob
  found=("$debs_dir/${p}_"*"_$arch.deb" "$debs_dir/${p}_"*"_all.deb")
  shopt -u nullglob
  (( ${#found[@]} == 1 )) || die "expected one ${p}_*_{$arch,all}.deb in $debs_dir, found ${#found[@]}"
  deb=${found[0]}
  [[ $(dpkg-deb -f "$deb" Package) == "$p" ]] || die "$deb is not package $p"
  deb_of[$p]=$deb
  version_of[$p]=$(dpkg-deb -f "$deb" Version)
  dpkg-deb -x "$deb" "$root"
  # the package's control paragraph as dpkg's status file has it, one file per package
  mkdir -p "$root/var/lib/dpkg/status.d"
  dpkg-deb -f "$deb" | awk '{ print } /^Package:/ { print "Status: install ok installed" }' \
    > "$root/var/lib/dpkg/status.d/$p"
  # virtual packages it provides ("Provides: debconf-2.0, awk (= 1.0)")
  while IFS= read -r v; do
    v=${v%%(*}; v=${v// /}
    [[ -n $v ]] && provided_by[$v]=$p
  done < <(dpkg-deb -f "$deb" Provides | tr ',' '\n')
done
for p in "${pkgs[@]}"; do
  printf '%s %s %s\n' "$p" "${version_of[$p]}" "$(sha256sum "${deb_of[$p]}" | cut -d' ' -f1)"
done | sort > "$out/packages.txt"

# --- 2. closed under Depends --------------------------------------------------------------------
# Each comma-separated group of Depends and Pre-Depends must have one choice that is listed (at a
# version that satisfies the relation, if any) or provided by a listed package, or be ignored.
declare -A ignored_used=()
# shellcheck disable=SC2206
ignored=($ignore)
is_ignored() { local i; for i in "${ignored[@]}"; do [[ $i == "$1" ]] && return 0; done; return 1; }
problems=()
for p in "${pkgs[@]}"; do
  while IFS= read -r group; do
    [[ -z ${group// /} ]] && continue
    ok=false skipped=""
    IFS='|' read -ra choices <<< "$group"
    for c in "${choices[@]}"; do
      # "name:any (>= 1.2)" -> name, op, version
      read -r dep rel <<< "$c"
      dep=${dep%%:*}
      op="" want=""
      if [[ $rel =~ ^\((<<|<=|=|>=|>>)\ *([^\)]+)\)$ ]]; then op=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]// /}; fi
      if [[ -n ${version_of[$dep]:-} ]]; then
        # dpkg takes the control file's relations (<< <= = >= >>) as they are
        if [[ -z $op ]] || dpkg --compare-versions "${version_of[$dep]}" "$op" "$want"; then
          ok=true
        fi
      elif [[ -z $op && -n ${provided_by[$dep]:-} ]]; then
        ok=true
      elif is_ignored "$dep"; then
        skipped=$dep
      fi
    done
    if ! $ok; then
      if [[ -n $skipped ]]; then
        ignored_used[$skipped]+=" $p"
      else
        have=""
        for c in "${choices[@]}"; do
          read -r dep _ <<< "$c"; dep=${dep%%:*}
          [[ -n ${version_of[$dep]:-} ]] && have+=" (listed: $dep ${version_of[$dep]})"
        done
        # shellcheck disable=SC2086,SC2116 # echo squeezes the group's spaces
        problems+=("$p depends on '$(echo $group)', which is not in the package list$have")
      fi
    fi
  done < <(sed -n 's/^\(Pre-\)\{0,1\}Depends: //p' "$root/var/lib/dpkg/status.d/$p" | tr ',' '\n')
done
(( ${#problems[@]} == 0 )) || { printf '  %s\n' "${problems[@]}" >&2; die "the package list is not closed under Depends: add the packages, or ignore them (saying why)"; }
for i in "${ignored[@]}"; do
  [[ -n ${ignored_used[$i]:-} ]] || die "--ignore $i: no listed package depends on it (or it is listed); remove it from the ignore list"
  say "left out $i (needed by${ignored_used[$i]})"
done

# --- 3. pruned ----------------------------------------------------------------------------------
# Nothing here is read by a program in a container: documentation (the copyright files stay: they are
# the licences), manual and info pages, message translations (the images speak English), the
# packages' bug-report and lintian data, menus, shell registration, and what only an init system,
# logrotate, cron or ldconfig reads (there is none of them in a container; without ld.so.cache the
# loader searches the system directories, as the check below does).
prune=(
  usr/share/man usr/share/info usr/share/locale usr/share/lintian usr/share/bug usr/share/menu
  usr/share/debianutils usr/share/bash-completion
  etc/init.d etc/logrotate.d etc/cron.d etc/cron.daily etc/default etc/ld.so.conf.d etc/ld.so.conf
  lib/systemd usr/lib/systemd etc/systemd usr/lib/tmpfiles.d usr/lib/sysusers.d
  "${extra_prune[@]}"
)
for path in "${prune[@]}"; do
  [[ $path != /* && $path != *..* ]] || die "--prune $path: a path relative to the root, without .."
  # shellcheck disable=SC2086
  (cd "$root" && rm -rf -- $path)
done
find "$root/usr/share/doc" -mindepth 2 ! -type d ! -name copyright -delete 2>/dev/null || true
find "$root" -depth -type d -empty ! -path "$root" -delete

# --- 4. users, name service, OS identification --------------------------------------------------
# atrium (10001) is who the operator runs every pod as (runAsUser/runAsGroup/fsGroup 10001); some
# programs (PostgreSQL, OpenSSH-style tools) refuse a uid that has no passwd entry. Its home is /tmp,
# the one writable place every pod has (the root filesystem is read-only). nonroot (65532) is the
# distroless convention, kept so that the same `runAsUser: 65532` works on every Atrium image.
mkdir -p "$root/etc" "$root/home/nonroot" "$root/tmp"
chmod 1777 "$root/tmp"
cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
atrium:x:10001:10001:atrium:/tmp:/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
nonroot:x:65532:
atrium:x:10001:
EOF
cat > "$root/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
shadow: files
hosts: files dns
networks: files
protocols: files
services: files
EOF
# The packages are Debian's: say so, and scanners match them against Debian's security tracker.
# shellcheck disable=SC1091
debian_version=$(. /etc/os-release 2>/dev/null && echo "${VERSION_ID:-}")
# shellcheck disable=SC1091
debian_codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
cat > "$root/etc/os-release" <<EOF
PRETTY_NAME="$name (Debian GNU/Linux ${debian_version:-?} packages)"
NAME="Debian GNU/Linux"
ID=debian
VERSION_ID="$debian_version"
VERSION_CODENAME=$debian_codename
HOME_URL="https://www.debian.org/"
EOF

# --- 5. every ELF file resolves its libraries inside the tree -----------------------------------
# The tree's own loader lists each program's and library's dependencies, searching the tree's copies
# of the loader's system directories (what it searches at run time when there is no ld.so.cache).
# A library not found, or found only on this machine, fails the build and names the package's file.
# A DT_RUNPATH is searched too; an absolute one points at this machine, so a library it finds here
# counts when the same path exists in the tree. Libraries loaded with dlopen (plugins, NSS, iconv)
# are not seen; the plugins themselves are ELF files in the tree and are checked.
loader=$root/lib64/ld-linux-x86-64.so.2
[[ -e $loader ]] || die "no loader $loader: libc6 must be in the package list"
in_tree() { # whether PATH exists in the tree, symlinks resolved inside it
  local path=$1 hops=0 target
  while [[ -L $root$path ]] && (( hops++ < 16 )); do
    target=$(readlink "$root$path")
    [[ $target == /* ]] && path=$target || path=$(dirname "$path")/$target
  done
  [[ -e $root$path && ! -L $root$path ]]
}
libpath=$root/lib/$triplet:$root/usr/lib/$triplet:$root/lib:$root/usr/lib
problems=()
elves=0
# ELF files are executable or named *.so*: that skips reading the thousands of data files
while IFS= read -r -d '' f; do
  [[ $(head -c4 "$f") == $'\x7fELF' ]] || continue
  # e_type 2 (executable) or 3 (shared object); relocatable objects and core files are not loaded
  type=$(od -An -tu2 -j16 -N2 "$f" | tr -d ' ')
  [[ $type == 2 || $type == 3 ]] || continue
  elves=$((elves + 1))
  rel=/${f#"$root"/}
  listing=$("$loader" --inhibit-cache --library-path "$libpath" --list "$f" 2>&1) \
    || { problems+=("$rel: $listing"); continue; }
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}
    case $line in
      "statically linked"|linux-vdso.so.*) ;;
      *"=> not found"*) problems+=("$rel: ${line%% *} not found") ;;
      /*" => "*) # a program's interpreter (PT_INTERP), which the host resolved: it must be in the tree
        in_tree "${line%% *}" || problems+=("$rel: no interpreter ${line%% *} in the tree") ;;
      /*) # listing a library: the loader itself, as invoked (in the tree)
        [[ ${line%% *} == "$root"/* ]] || in_tree "${line%% *}" || problems+=("$rel: ${line%% *} not in the tree") ;;
      *" => /"*)
        resolved=${line#*=> }
        resolved=$(realpath -m "${resolved%% *}")
        if [[ $resolved != "$root"/* ]] && ! in_tree "$resolved"; then
          problems+=("$rel: ${line%% *} found only on this machine ($resolved)")
        fi
        ;;
      *) problems+=("$rel: unexpected loader output '$line'") ;;
    esac
  done <<< "$listing"
done < <(find "$root" -type f \( -perm -u+x -o -name '*.so' -o -name '*.so.*' \) -print0)
(( ${#problems[@]} == 0 )) || {
  printf '  %s\n' "${problems[@]}" >&2
  die "native libraries missing from the tree: add their Debian packages to the list"
}
say "$elves ELF files resolve their libraries inside the tree"
say "$(wc -l < "$out/packages.txt") packages, $(du -sh --apparent-size "$root" | cut -f1) unpacked:"
sed 's/ [0-9a-f]\{64\}$//; s/^/[rootfs]   /' "$out/packages.txt" >&2
