#!/usr/bin/env bash
# Start-up benchmark: median wall time of N runs of `korea plan` on the example and of `korea version`, through
# bin/korea (with the class-data-sharing archive when target/korea.jsa is there, and with KOREA_CDS=off), beside
# `kubectl version --client` measured in the same run. Prints each median and the ratio to kubectl.
# Not a test: bash bench/startup-benchmark.sh [RUNS]. Goals (issue 17): plan <= 0.25 s, version <= 0.15 s.
set -euo pipefail
runs=${1:-11}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
korea="$root/bin/korea"
example="$root/examples/monorepo/korea.yaml"
if [ ! -f "${KOREA_JAR:-$root/target/korea.jar}" ]; then
  mvn -q -B -f "$root/pom.xml" package -DskipTests >&2
fi
median() { # wall seconds of "$@", median of $runs runs (interleaving is done by the caller's loop order)
  local t=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    e=$(date +%s%N)
    t+=("$(( (e - s) / 1000000 ))")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)] / 1000}'
}
plan=(plan --config "$example" --branch develop --changed be/app.py --changed fe/src/greeting.js
      --commit 0123456789abcdef0123456789abcdef01234567 --format json)
kubectl_s=$(median kubectl version --client)
version_s=$(median "$korea" version)
plan_s=$(median "$korea" "${plan[@]}")
version_nocds=$(KOREA_CDS=off median "$korea" version)
plan_nocds=$(KOREA_CDS=off median "$korea" "${plan[@]}")
kubectl_after=$(median kubectl version --client)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
k=$(awk -v a="$kubectl_s" -v b="$kubectl_after" 'BEGIN { printf "%.3f", (a + b) / 2 }')
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "kubectl version --client: ${k}s median (before ${kubectl_s}s, after ${kubectl_after}s; $runs runs each)"
echo "korea version:            ${version_s}s ($(ratio "$version_s" "$k")x kubectl); without CDS ${version_nocds}s ($(ratio "$version_nocds" "$k")x)"
echo "korea plan (example):     ${plan_s}s ($(ratio "$plan_s" "$k")x kubectl); without CDS ${plan_nocds}s ($(ratio "$plan_nocds" "$k")x)"
awk -v p="$plan_s" -v v="$version_s" 'BEGIN { if (p <= 0.25 && v <= 0.15) print "goals met: plan <= 0.25 s, version <= 0.15 s";
  else print "goals NOT met here (plan <= 0.25 s, version <= 0.15 s): see the load average above" }'
