#!/usr/bin/env bash
# Builds jrcmgr and runs the JMH suite (issue 8) on each JDK, then writes the report:
#
#   benchmarks/run.sh                 the default JDK (JAVA_HOME, else `java` on the PATH), then
#                                     Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64 when installed
#   benchmarks/run.sh JDK_HOME...     those JDKs instead
#
# Writes benchmarks/results/results-jdkNN.json (JMH's JSON), results-jdkNN-env.json (where and
# when it ran) and RESULTS.md (every figure with its peers, one column pair per JDK, and the
# targets). About 6 minutes per JDK on the 2-core build machine.
#
# Overrides, for a quicker or narrower run (JMH's own defaults are far longer):
#   BENCH_INCLUDE=regex        benchmarks to run (default: all, org\.jrcmgr\.benchmarks\..*)
#   BENCH_FORKS=1 BENCH_WARMUP=3 BENCH_ITERATIONS=5 BENCH_TIME=1   forks, iterations, seconds each
#   BENCH_MVN_OPTS="-o"        extra Maven options
set -euo pipefail
cd "$(dirname "$0")/.."

TEMURIN_25=/usr/lib/jvm/temurin-25-jdk-amd64

if (($# > 0)); then
  jdks=("$@")
else
  if [[ -n "${JAVA_HOME:-}" ]]; then
    jdks=("$JAVA_HOME")
  else
    jdks=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  if [[ -x "$TEMURIN_25/bin/java" && "$(readlink -f "${jdks[0]}")" != "$(readlink -f "$TEMURIN_25")" ]]; then
    jdks+=("$TEMURIN_25")
  fi
fi

props=()
[[ -n "${BENCH_INCLUDE:-}" ]] && props+=("-Dbench.include=$BENCH_INCLUDE")
[[ -n "${BENCH_FORKS:-}" ]] && props+=("-Dbench.forks=$BENCH_FORKS")
[[ -n "${BENCH_WARMUP:-}" ]] && props+=("-Dbench.warmup=$BENCH_WARMUP")
[[ -n "${BENCH_ITERATIONS:-}" ]] && props+=("-Dbench.iterations=$BENCH_ITERATIONS")
[[ -n "${BENCH_TIME:-}" ]] && props+=("-Dbench.time=$BENCH_TIME")
# shellcheck disable=SC2206
mvn_opts=(${BENCH_MVN_OPTS:-})

start=$SECONDS
for jdk in "${jdks[@]}"; do
  if [[ ! -x "$jdk/bin/java" ]]; then
    echo "!! $jdk is not a JDK (no bin/java)" >&2
    exit 1
  fi
  echo "== benchmarks on $("$jdk/bin/java" -version 2>&1 | head -1) ($jdk); load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  t0=$SECONDS
  # One reactor build per JDK: the suite runs against the api, impl and offheap built here, then
  # RESULTS.md is rewritten from every results-jdkNN.json present.
  JAVA_HOME="$jdk" mvn -B -q "${mvn_opts[@]}" -Pbenchmarks -pl benchmarks -am package -DskipTests \
    -Dbench.phase=package "${props[@]}"
  echo "== done on $jdk in $((SECONDS - t0)) s"
done
echo "== all done in $((SECONDS - start)) s: benchmarks/results/RESULTS.md"
