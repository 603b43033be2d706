#!/bin/sh
# Runs the korea CLI on a Jenkins agent, in this order: $KOREA_CLI; `korea` on PATH; the jar of this library's
# version ($KOREA_CLI_VERSION) fetched from $KOREA_CLI_URL ({version} filled in) and run only when its SHA-256
# equals $KOREA_CLI_SHA256. Written to the workspace by the koreaCli step; all inputs come from the environment.
# The defaults below are the library's own: set them when you publish a release of the library and its jar.
set -eu
: "${KOREA_CLI_VERSION:=0.1.0}"
: "${KOREA_CLI_URL:=}"
: "${KOREA_CLI_SHA256:=}"
# A result file left by an earlier command must never be read as this command's result; KOREA_CLEAR names other
# files this command writes (space-separated workspace paths, e.g. scan renderings), cleared for the same reason.
if [ -n "${KOREA_OUTPUT:-}" ]; then rm -f "$KOREA_OUTPUT"; fi
set -f
for stale in ${KOREA_CLEAR:-}; do rm -f -- "$stale"; done
set +f
if [ -n "${KOREA_CLI:-}" ]; then
  exec "$KOREA_CLI" "$@"
fi
if command -v korea >/dev/null 2>&1; then
  exec korea "$@"
fi
version=${KOREA_CLI_VERSION:-}
url=${KOREA_CLI_URL:-}
want=$(printf '%s' "${KOREA_CLI_SHA256:-}" | tr 'A-F' 'a-f')
if [ -z "$url" ] || [ -z "$want" ] || [ -z "$version" ]; then
  echo "korea: no CLI on this agent: set KOREA_CLI to its path, put 'korea' on PATH, or set KOREA_CLI_URL and" \
       "KOREA_CLI_SHA256 (koreaPipeline cliUrl/cliSha256) to fetch korea $version" >&2
  exit 2
fi
case $url in
  *'{version}'*) url="${url%%\{version\}*}$version${url#*\{version\}}" ;;
esac
sha() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
cache=${KOREA_CLI_CACHE:-${HOME:-/tmp}/.cache/korea}
jar="$cache/korea-$version.jar"
if [ ! -f "$jar" ] || [ "$(sha "$jar")" != "$want" ]; then
  mkdir -p "$cache"
  tmp="$jar.part.$$"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL -o "$tmp" "$url" || { rm -f "$tmp"; echo "korea: cannot fetch $url" >&2; exit 1; }
  else
    wget -q -O "$tmp" "$url" || { rm -f "$tmp"; echo "korea: cannot fetch $url" >&2; exit 1; }
  fi
  got=$(sha "$tmp")
  if [ "$got" != "$want" ]; then
    rm -f "$tmp"
    echo "korea: refusing $url: SHA-256 is $got, expected $want" >&2
    exit 1
  fi
  mv "$tmp" "$jar"
fi
# A class-data-sharing archive of this jar (docs/performance.md), made by the first run on this agent and used by
# the later ones when complete (its recorded size) and newer than the jar; the JVM silently ignores one of another
# JDK (-Xshare:auto, CDS log off). KOREA_CDS=off turns it off.
jsa="$cache/korea-$version.jsa"
quiet="-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
# bin/korea's JVM flags (a CLI that starts often and runs briefly; docs/performance.md) unless KOREA_JAVA_OPTS is set,
# and the main class named rather than read from the jar's manifest (one read of its directory fewer per start)
opts=${KOREA_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms24m}
main=com.koreapublicdata.pipeline.cli.Main
if [ "${KOREA_CDS:-on}" = off ]; then
  exec java $opts -cp "$jar" $main "$@"
fi
if [ -f "$jsa" ] && [ -f "$jsa.size" ] && [ "$jsa" -nt "$jar" ] \
    && [ "$(wc -c < "$jsa" | tr -d ' ')" = "$(cat "$jsa.size")" ]; then
  exec java $opts -XX:SharedArchiveFile="$jsa" $quiet -cp "$jar" $main "$@"
fi
part="$jsa.part.$$"
set +e
java $opts -XX:ArchiveClassesAtExit="$part" $quiet -cp "$jar" $main "$@"
rc=$?
set -e
if [ -s "$part" ]; then
  wc -c < "$part" | tr -d ' ' > "$jsa.size.$$" && mv "$jsa.size.$$" "$jsa.size" && mv "$part" "$jsa" || rm -f "$part" "$jsa.size.$$"
else
  rm -f "$part"
fi
exit "$rc"
