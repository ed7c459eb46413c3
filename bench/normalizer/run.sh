#!/usr/bin/env bash
# Normalizer (Kafka Streams) throughput next to pass-through copies on the same broker, in the same run, in
# interleaved rounds after a warm-up, compared by medians: with exactly-once (exactly_once_v2 against a transactional
# copy) and without (at_least_once against a plain copy); at the end the state store's size per shipment
# (docs/benchmarks.md; the method is described in NormalizerBench.java).
#   bench/normalizer/run.sh [RECORDS per round, default 50000]
# It takes /tmp/trackline-bench.lock, then /tmp/trackline-mvn.lock, itself (in that order, as every benchmark does;
# started under the Maven lock alone it refuses); under both locks already, set TRACKLINE_BENCH_LOCKED=1.
# Settings (environment): ROUNDS (default 3), WARMUP_ROUNDS (per side, default 2), BENCH_JAVA_OPTS (JVM options of
# all sides; default those ./trackline gives the services: -Xms64m -Xmx384m -XX:TieredStopAtLevel=1),
# NORMALIZER_JAVA_OPTS (extra options of the two normalizers only, e.g. -Dkafka-streams.commit.interval.ms=200; a
# JFR option here gives both one file name, and JDK 17 does not expand %p in it), COPY_COMMIT_INTERVAL_MS (the transactional
# copy's commit interval, default 100 as Kafka Streams' under exactly-once), BENCH_CODE (the commit measured, printed
# when the tree has no .git, e.g. a `git archive` copy). Output also goes to bench/normalizer/results/.
# Needs the packaged normalizer (normalizer/target/quarkus-app) and the test classpath of the normalizer module.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ -z ${TRACKLINE_BENCH_LOCKED:-} ]]; then
  for fd in /proc/$$/fd/*; do
    if [[ $(readlink "$fd") == /tmp/trackline-mvn.lock ]]; then
      echo "started under /tmp/trackline-mvn.lock: run it without flock (it takes the benchmark lock, then that one)," \
        "or under both with TRACKLINE_BENCH_LOCKED=1" >&2
      exit 2
    fi
  done
  exec env TRACKLINE_BENCH_LOCKED=1 flock /tmp/trackline-bench.lock flock /tmp/trackline-mvn.lock "$0" "$@"
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
  if git -C "$ROOT" rev-parse HEAD >/dev/null 2>&1; then
    CODE="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- normalizer events kafka-support bench/normalizer || echo ' (with uncommitted changes)')"
  else
    CODE="${BENCH_CODE:-unknown} (a tree without .git: $ROOT)"
  fi
  echo "# normalizer benchmark $(date -u +%FT%TZ) on $(nproc) cores, code $CODE"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -n 1); $N records per round, $WARMUP_ROUNDS warm-up and $ROUNDS measured rounds per side"
} | tee "$OUT"
java -Xms1g -Xmx1g -cp "$(cat "$CP_FILE")" "$ROOT/bench/normalizer/NormalizerBench.java" run "$N" "$ROUNDS" \
  "$WARMUP_ROUNDS" "$WORK/quarkus-app/quarkus-run.jar" \
  "$ROOT/carrier-samples/src/main/resources/io/trackline/samples/mrspeedy-callback-example.json" \
  "$ROOT/bench/normalizer/NormalizerBench.java" 2>&1 | grep -v -E '^(SLF4J|\s+at |log4j)' | tee -a "$OUT"
