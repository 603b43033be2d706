#!/usr/bin/env bash
# korea's own overhead in a koreaPipeline run on develop: runs the harness's real develop pipeline
# (RealKoreaStepsTest, every korea command real, through bin/korea and target/korea.jar with its CDS archive), so
# the command sequence is exactly the one koreaPipeline issues, never a hand-copied list. Prints each korea run and
# korea's own total: every run's wall time minus the user's test and build commands korea build ran (their
# durations from its JSON result, tests.commands). Goal (issue 17): <= 6 s.
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
  { own = $3 - $4; total += $3; user += $4; mine += own; n++
    printf "%-8s exit=%s %6.2fs wall, %6.2fs korea own%s\n", $1, $2, $3 / 1000, own / 1000,
      ($4 > 0 ? sprintf(" (user test/build commands %.2fs: not counted)", $4 / 1000) : "") }
  END {
    printf "korea own total: %.2fs in %d processes (goal <= 6 s); user commands inside korea build: %.2fs; wall %.2fs\n",
      mine / 1000, n, user / 1000, total / 1000
    print (mine <= 6000 ? "goal met" : "goal NOT met here: see the load average above")
  }' "$log"
