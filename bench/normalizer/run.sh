#!/usr/bin/env bash
# Normalizer throughput next to a pass-through copy on the same broker, in the same run (docs/benchmarks.md).
#   flock /tmp/trackline-bench.lock bench/normalizer/run.sh [RECORDS]
# Needs the packaged normalizer (normalizer/target/quarkus-app) and the test classpath of the normalizer module.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
N=${1:-50000}
CP_FILE=$ROOT/normalizer/target/bench.classpath
if [[ ! -f $CP_FILE ]]; then
  (cd "$ROOT" && flock /tmp/trackline-mvn.lock ./mvnw -B -o -q -pl normalizer dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE")
fi
[[ -f $ROOT/normalizer/target/quarkus-app/quarkus-run.jar ]] || { echo "package the normalizer first" >&2; exit 1; }
exec java -Xmx1g -cp "$(cat "$CP_FILE")" "$ROOT/bench/normalizer/NormalizerBench.java" "$N" \
  "$ROOT/normalizer/target/quarkus-app/quarkus-run.jar" \
  "$ROOT/normalizer/src/test/resources/samples/mrspeedy-callback-example.json"
