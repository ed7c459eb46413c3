#!/usr/bin/env bash
# status-store write-path benchmark: batched transactions next to one transaction per event, same run.
# Run from the repository root, holding the benchmark lock, with status-store compiled:
#   flock /tmp/trackline-mvn.lock ./mvnw -B -o -pl status-store -am compile   (or install)
#   flock /tmp/trackline-bench.lock bench/status-store/run.sh [batchedEvents] [naiveEvents] [batchSize]
# Uses PostgreSQL on 127.0.0.1:5432 (user postgres, trust), in a database of its own, dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
BATCHED=${1:-100000}
NAIVE=${2:-10000}
BATCH=${3:-500}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
DB=trackline_bench_store_$$
WORK=$(mktemp -d /tmp/store-bench.XXXXXX)
psql_() { psql -h "$PGHOST" -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
cleanup() {
  psql_ -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -s status-store/target/bench-classpath.txt ]; then
  echo "status-store/target/bench-classpath.txt missing: run (under the Maven lock)" >&2
  echo "  ./mvnw -B -o -pl status-store dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt" >&2
  exit 2
fi
CP="status-store/target/classes:$(cat status-store/target/bench-classpath.txt)"
javac -d "$WORK" -cp "$CP" bench/status-store/StoreBench.java
psql_ -d postgres -c "CREATE DATABASE $DB"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; PostgreSQL $(psql_ -d postgres -c 'SHOW server_version')"
java -Xmx512m -cp "$WORK:$CP" StoreBench "$PGHOST" "$PGPORT" "$DB" "$BATCHED" "$NAIVE" "$BATCH"
