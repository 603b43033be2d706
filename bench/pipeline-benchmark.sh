#!/usr/bin/env bash
# korea's own overhead in a koreaPipeline run on develop: runs the harness's real develop pipeline
# (RealKoreaStepsTest, every korea command real, through bin/korea and target/korea.jar with its CDS archive), so
# the command sequence is exactly the one koreaPipeline issues, never a hand-copied list. Prints each korea run and
# the total without the `korea build` runs (the user's test and build commands). Goal (issue 17): <= 6 s.
# Not a test: bash bench/pipeline-benchmark.sh. Needs git and Maven (offline is fine once the build has run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${KOREA_BENCH_DIR:-/tmp/korea-bench}
mkdir -p "$work"
log="$work/pipeline-develop.tsv"
rm -f "$log"
if [ ! -f "$root/target/korea.jar" ]; then
  mvn -q -B -f "$root/pom.xml" package -DskipTests >&2
fi
mvn -q -o -B -f "$root/pom.xml" test -Dtest='RealKoreaStepsTest#shouldRunTheWholePipelineOnDevelopWithTheRealCli' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dkorea.bench.cli="$root/bin/korea" -Dkorea.bench.out="$log" >&2
[ -s "$log" ] || { echo "pipeline-benchmark: the develop pipeline test wrote no log ($log)" >&2; exit 1; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' '
  { printf "%-8s exit=%s %6.2fs%s\n", $1, $2, $3 / 1000, ($1 == "build" ? "  (user test/build: not counted)" : "") }
  $1 != "build" { own += $3; n++ } $1 == "build" { user += $3 }
  END {
    printf "korea own total: %.2fs in %d processes (goal <= 6 s); korea build (user commands inside): %.2fs\n", own / 1000, n, user / 1000
    print (own <= 6000 ? "goal met" : "goal NOT met here: see the load average above")
  }' "$log"
