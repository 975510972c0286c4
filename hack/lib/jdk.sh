# Sourced by .ci/run and hack/*.sh: exports JAVA_HOME as the newest JDK 21 or later.
# A JAVA_HOME that is already 21+ is kept; otherwise /usr/lib/jvm is searched.

jdk_major() { # prints the major version of the JDK at $1, or nothing
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$1/release" 2>/dev/null)
  [[ -n "$v" && -x "$1/bin/javac" ]] && echo "${v%%.*}"
}

select_jdk() {
  local best="" best_major=0 dir major
  if [[ -n "${JAVA_HOME:-}" ]] && major=$(jdk_major "$JAVA_HOME") && [[ -n "$major" && $major -ge 21 ]]; then
    best=$JAVA_HOME best_major=$major
  else
    for dir in /usr/lib/jvm/*/; do
      dir=${dir%/}
      [[ -L "$dir" ]] && continue
      major=$(jdk_major "$dir") || continue
      if [[ -n "$major" && $major -gt $best_major ]]; then best=$dir best_major=$major; fi
    done
  fi
  if [[ $best_major -lt 21 ]]; then
    echo "error: Atrium needs a JDK 21 or newer; none is in /usr/lib/jvm and JAVA_HOME is '${JAVA_HOME:-}'." >&2
    echo "       Install one (e.g. apt-get install openjdk-21-jdk-headless, or Temurin 21/25) and run again." >&2
    return 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}
