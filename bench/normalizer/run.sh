#!/usr/bin/env bash
# Normalizer throughput next to a pass-through copy on the same broker, in the same run, in interleaved rounds after
# a warm-up, compared by medians (docs/benchmarks.md; the method is described in NormalizerBench.java).
#   flock /tmp/trackline-mvn.lock bench/normalizer/run.sh [RECORDS per round, default 50000]
# Settings (environment): ROUNDS (default 3), WARMUP_ROUNDS (per side, default 2), BENCH_JAVA_OPTS (JVM options of
# both sides; default those ./trackline gives the services: -Xms64m -Xmx384m -XX:TieredStopAtLevel=1),
# NORMALIZER_JAVA_OPTS (extra options of the normalizer only, e.g.
# -XX:StartFlightRecording=filename=/tmp/norm.jfr,settings=profile). Output also goes to bench/normalizer/results/.
# Needs the packaged normalizer (normalizer/target/quarkus-app) and the test classpath of the normalizer module.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# One benchmark at a time on a shared machine.
if [[ -z ${TRACKLINE_BENCH_LOCKED:-} ]]; then
  exec env TRACKLINE_BENCH_LOCKED=1 flock /tmp/trackline-bench.lock "$0" "$@"
fi
N=${1:-50000}
ROUNDS=${ROUNDS:-3}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-2}
export BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms64m -Xmx384m -XX:TieredStopAtLevel=1}
CP_FILE=$ROOT/normalizer/target/bench.classpath
if [[ ! -f $CP_FILE ]]; then
  (cd "$ROOT" && ./mvnw -B -o -q -pl normalizer dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE")
fi
[[ -f $ROOT/normalizer/target/quarkus-app/quarkus-run.jar ]] || { echo "package the normalizer first" >&2; exit 1; }
# A copy, so a build running meanwhile cannot change the jars under the running normalizer.
WORK=$(mktemp -d /tmp/trackline-bench-normalizer.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp -r "$ROOT/normalizer/target/quarkus-app" "$WORK/quarkus-app"
mkdir -p "$ROOT/bench/normalizer/results"
OUT=$ROOT/bench/normalizer/results/$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# normalizer benchmark $(date -u +%FT%TZ) on $(nproc) cores, $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- normalizer events kafka-support bench/normalizer 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -n 1); $N records per round, $WARMUP_ROUNDS warm-up and $ROUNDS measured rounds per side"
} | tee "$OUT"
java -Xms1g -Xmx1g -cp "$(cat "$CP_FILE")" "$ROOT/bench/normalizer/NormalizerBench.java" run "$N" "$ROUNDS" \
  "$WARMUP_ROUNDS" "$WORK/quarkus-app/quarkus-run.jar" \
  "$ROOT/carrier-samples/src/main/resources/io/trackline/samples/mrspeedy-callback-example.json" \
  "$ROOT/bench/normalizer/NormalizerBench.java" 2>&1 | grep -v -E '^(SLF4J|\s+at |log4j)' | tee -a "$OUT"
