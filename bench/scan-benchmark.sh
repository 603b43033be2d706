#!/usr/bin/env bash
# Benchmark of `korea scan --format json` against jq computing the same counts on a large Trivy report.
# Not a test: run it by hand (bash bench/scan-benchmark.sh [SIZE_MB]); it prints the speed ratio and peak memory.
# Needs python3, jq and GNU time (/usr/bin/time): apt-get update && apt-get install -y jq time
set -euo pipefail

size_mb=${1:-320}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${KOREA_BENCH_DIR:-/tmp/korea-bench}
report="$work/trivy-${size_mb}mb.json"
jar=${KOREA_JAR:-"$root/target/korea.jar"}
# korea runs through bin/korea, with the JVM flags a pipeline gets; KOREA_BENCH_JAVA_OPTS tries others
launcher="$root/bin/korea"
java_opts=${KOREA_BENCH_JAVA_OPTS:-}
flags=${java_opts:-"bin/korea's flags: $(sed -n 's/.*KOREA_JAVA_OPTS:-\([^}]*\)}.*/\1/p' "$launcher")"}
# the goals of issue 17 (Scan gate)
goal_ratio=8
goal_rss_mb=128

for tool in python3 jq /usr/bin/time java; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "scan-benchmark: $tool is missing (apt-get update && apt-get install -y jq time)" >&2
    exit 2
  fi
done
if [ ! -f "$jar" ]; then
  echo "scan-benchmark: building $jar" >&2
  mvn -q -B -f "$root/pom.xml" package -DskipTests >&2
fi
mkdir -p "$work"
if [ ! -f "$report" ]; then
  python3 "$here/generate-trivy-report.py" "$size_mb" "$report"
fi
bytes=$(stat -c %s "$report")
echo "report: $report ($((bytes / 1024 / 1024)) MB)"

# one warm-up read each, so both start from the page cache
cat "$report" > /dev/null

measure() { # name, output file, command... ; prints exit code, wall seconds, peak RSS (KB), CPU seconds
  local name=$1 out=$2; shift 2
  local log="$work/$name.time"
  set +e
  /usr/bin/time -v "$@" > "$out" 2> "$log"
  local rc=$?
  set -e
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
  echo "$name exit=$rc wall=$wall cpu=${cpu}s peakRSS=${rss}KB" >&2
  printf '%s %s %s %s\n' "$rc" "$(to_seconds "$wall")" "$rss" "$cpu"
}
to_seconds() { # h:mm:ss or m:ss.cc
  echo "$1" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'
}

# shellcheck disable=SC2086
read -r korea_rc korea_s korea_rss korea_cpu < <(measure korea "$work/korea.json" \
  env KOREA_JAR="$jar" ${java_opts:+KOREA_JAVA_OPTS="$java_opts"} "$launcher" scan --report "$report" --format json \
  --no-color)
if [ "$korea_rc" != 10 ] && [ "$korea_rc" != 0 ]; then
  echo "scan-benchmark: korea scan failed (exit $korea_rc); see $work/korea.time" >&2
  exit 1
fi

jq_program='
  def bysev(s): reduce s as $x ({CRITICAL:0,HIGH:0,MEDIUM:0,LOW:0,UNKNOWN:0}; .[$x] += 1);
  {vulnerabilities: bysev(.Results[]?.Vulnerabilities[]?.Severity),
   misconfigurations: bysev(.Results[]?.Misconfigurations[]? | select(.Status == "FAIL") | .Severity),
   secrets: bysev(.Results[]?.Secrets[]?.Severity)}'
read -r jq_rc jq_s jq_rss jq_cpu < <(measure jq "$work/jq.json" jq -c "$jq_program" "$report")
if [ "$jq_rc" != 0 ]; then
  echo "scan-benchmark: jq failed (exit $jq_rc); see $work/jq.time" >&2
  exit 1
fi

python3 - "$work/korea.json" "$work/jq.json" <<'PY'
import json, sys
korea = json.load(open(sys.argv[1]))["counts"]
jq = json.load(open(sys.argv[2]))
for kind in ("vulnerabilities", "misconfigurations", "secrets"):
    if korea[kind] != jq[kind]:
        sys.exit("counts differ for %s: korea %s, jq %s" % (kind, korea[kind], jq[kind]))
print("counts agree: " + json.dumps({k: korea[k] for k in ("vulnerabilities", "misconfigurations", "secrets")}))
PY

ratio=$(awk -v a="$jq_s" -v b="$korea_s" 'BEGIN { printf "%.1f", a / b }')
cpu_ratio=$(awk -v a="$jq_cpu" -v b="$korea_cpu" 'BEGIN { printf "%.1f", a / b }')
echo "korea scan: ${korea_s}s wall, ${korea_cpu}s CPU, peak RSS $((korea_rss / 1024)) MB ($flags)"
echo "jq $(jq --version):   ${jq_s}s wall, ${jq_cpu}s CPU, peak RSS $((jq_rss / 1024)) MB"
echo "ratio: korea is ${ratio}x faster than jq (wall clock), ${cpu_ratio}x (CPU time); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v r="$ratio" -v m="$korea_rss" -v gr="$goal_ratio" -v gm="$goal_rss_mb" 'BEGIN {
  speed = r >= gr ? "met" : "NOT met"; memory = m <= gm * 1024 ? "met" : "NOT met"
  printf "goals: >= %dx faster than jq (wall clock): %s; peak RSS <= %d MB: %s\n", gr, speed, gm, memory }'
