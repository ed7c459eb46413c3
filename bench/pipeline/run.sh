#!/usr/bin/env bash
# The end-to-end pipeline benchmark (docs/benchmarks.md, "pipeline (end to end)"): signed MrSpeedy callbacks at a
# fixed rate through ingest-webhooks -> trackline.raw.v1 -> normalizer -> trackline.events.v1 -> status-store
# (PostgreSQL) -> the timeline API, run by carrier-sim's load tool (io.trackline.sim.load.LoadTool,
# docs/carrier-sim.md "The load tool"). The pipeline runs as a user runs it: ./trackline up -d (the launcher's JVM
# settings), with carrier-sim's own traffic switched off so that only the load reaches the pipeline. Everything on
# 127.0.0.1, bounded in count and time.
#
#   bench/pipeline/run.sh                                        (from the repository root)
#   RATE=1000 WARMUP=90s DURATION=300s bench/pipeline/run.sh     the target: 1,000 events/s, 5 minutes measured
#   SCENARIO=check bench/pipeline/run.sh                         the counting check (below)
#
# It takes /tmp/trackline-bench.lock, then /tmp/trackline-mvn.lock, itself (in that order, as every benchmark does:
# started under the Maven lock it would wait for the benchmark lock while holding the other, so it refuses to); under
# both locks already, set TRACKLINE_BENCH_LOCKED=1.
#
# Scenarios (SCENARIO):
#   sustained (default)  RATE callbacks/s (each adds one event: 1 callback/s = 1 event/s) for WARMUP (default 90s:
#                        past the services' cold start, docs/benchmarks.md), then DURATION measured; passes when every
#                        callback is answered 200, no event is lost or duplicated.
#   check                a short run (RATE 200, 20 s) that proves the counting on the real pipeline: WITHHOLD (20)
#                        callbacks are counted as expected but never sent, so the audit must report exactly that many
#                        lost; RESEND (50) callbacks are sent twice (as MrSpeedy does), so it must report 0 duplicated.
# Settings (environment): RATE, WARMUP (90s), DURATION (60s), SAMPLE_EVERY (100: one order in this many is watched
# for the latency), POLL_INTERVAL (10ms), SETTLE (120s), LOAD_ARGS (more --name=value for the tool),
# TRAFFIC (off: carrier-sim sends nothing of its own; on: the local run's demo and background traffic as well),
# TRACKLINE_JAVA_OPTS (extra JVM options of every service, passed to ./trackline), TRACKLINE_<SERVICE>_JAVA_OPTS (one
# service's, e.g. TRACKLINE_STATUS_STORE_JAVA_OPTS; see ./trackline), KEEP_UP (1: leave the pipeline running
# afterwards), ANALYZE_EVERY (15s: status-store's tables are analyzed this often during the load, see below),
# LOAD_JAVA_OPTS (the tool's JVM, default -Xms128m -Xmx512m), BENCH_CODE (the commit measured, printed
# in the results; default git's HEAD, for a tree without .git such as one made by git archive).
# Needs a build: ./mvnw -B package -DskipTests (what ./trackline builds). Refuses to run while ./trackline already runs
# (its settings would not be those of the benchmark). Results: bench/pipeline/results/<UTC time>.txt.
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
cd "$ROOT"

SCENARIO=${SCENARIO:-sustained}
case $SCENARIO in
  sustained) RATE=${RATE:-1000}; WARMUP=${WARMUP:-90s}; DURATION=${DURATION:-60s}; CHECK_ARGS=() ;;
  check) RATE=${RATE:-200}; WARMUP=${WARMUP:-5s}; DURATION=${DURATION:-20s}
    CHECK_ARGS=(--withhold="${WITHHOLD:-20}" --resend="${RESEND:-50}") ;;
  *) echo "unknown SCENARIO $SCENARIO (sustained, check)" >&2; exit 2 ;;
esac
SAMPLE_EVERY=${SAMPLE_EVERY:-100}
POLL_INTERVAL=${POLL_INTERVAL:-10ms}
SETTLE=${SETTLE:-120s}
TRAFFIC=${TRAFFIC:-off}
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--Xms128m -Xmx512m}
RESULTS=$ROOT/bench/pipeline/results
mkdir -p "$RESULTS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$RESULTS/$STAMP.txt

for app in ingest-webhooks normalizer status-store pollers carrier-sim; do
  [[ -f $app/target/quarkus-app/quarkus-run.jar ]] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 1; }
done
if ./trackline status >/dev/null 2>&1; then
  echo "./trackline is already running: stop it (./trackline down) so the benchmark starts it with its settings" >&2
  exit 1
fi

extra=${TRACKLINE_JAVA_OPTS:-}
if [[ $TRAFFIC == off ]]; then
  # carrier-sim's demo callbacks and background shipments would add traffic the tool does not count.
  extra="$extra -Dtrackline.sim.demo.enabled=false -Dtrackline.sim.traffic.mrspeedy.count=0"
  extra="$extra -Dtrackline.sim.traffic.all24.count=0 -Dtrackline.sim.traffic.247express.count=0"
fi
cleanup() {
  [[ -z ${analyzer:-} ]] || kill "$analyzer" 2>/dev/null || true
  [[ -n ${KEEP_UP:-} ]] || ./trackline down >/dev/null 2>&1 || true
}
trap cleanup EXIT

{
  echo "# pipeline benchmark $STAMP, scenario $SCENARIO"
  echo "code: ${BENCH_CODE:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)} in $ROOT; the builds measured (jar times) and the files changed since:"
  for app in ingest-webhooks normalizer status-store carrier-sim; do
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
      changed="$(git status --short -- "$app/src" events/src kafka-support/src 2>/dev/null | wc -l) files"
    else
      changed="none (no git work tree: an exported commit)"
    fi
    echo "  $app built $(date -u -r "$app/target/quarkus-app/quarkus-run.jar" +%H:%M:%SZ); uncommitted: $changed"
  done
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -n 1)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "services: ./trackline up -d: -Xms64m -Xmx384m, C1 only (-XX:TieredStopAtLevel=1) except ingest-webhooks (C2); extra: ${extra:-none}"
  for v in STATUS_STORE NORMALIZER INGEST_WEBHOOKS POLLERS CARRIER_SIM; do
    own=TRACKLINE_${v}_JAVA_OPTS
    [[ -z ${!own:-} ]] || echo "  $own: ${!own}"
  done
  echo "tool: java $LOAD_JAVA_OPTS (C2)"
} | tee "$OUT"

# The services run detached: they must not inherit the descriptors of /tmp/trackline-*.lock (flock's), or they would
# hold the locks after this script ends. This script holds them while it runs.
without_locks() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      [[ $(readlink "$fd") == /tmp/trackline-*.lock ]] && eval "exec ${fd##*/}>&-"
    done
    exec "$@"
  )
}
TRACKLINE_JAVA_OPTS="$extra" without_locks ./trackline up -d >>"$OUT" 2>&1 || { tail -n 30 "$OUT"; exit 1; }
ps -o pid=,rss=,args= -C java | awk '{printf "started: pid %s rss %d MiB %s\n", $1, $2/1024, $NF}' >>"$OUT"

# Fresh planner statistics for status-store's tables. This machine's PostgreSQL runs with autovacuum off, so nothing
# else analyzes them: with the statistics of a small table the lookup of a shipment by carrier, account and reference
# (every timeline read) scans the (carrier, account, updated_at) index instead of (carrier, reference) — 0.8 s per
# read at 124,000 shipments, measured — and the reads alone saturate the machine. A server with autovacuum analyzes
# by itself, and again as the tables grow (after 50 + 10 % of a table's rows changed: every few seconds at 1,000
# events/s). Once before the load is not enough when the database is new: the statistics of empty tables gave the
# same scan, 33 ms per read at 65,000 shipments (run 20261201T203402Z). So the tables are analyzed before the load and
# every ANALYZE_EVERY (15s; 0: only before) while it runs, as autovacuum's analyze would; they are not vacuumed.
DB_HOST=${TRACKLINE_DB_HOST:-127.0.0.1}
DB_PORT=${TRACKLINE_DB_PORT:-5432}
DB_USER=${TRACKLINE_DB_USER:-postgres}
if command -v psql >/dev/null; then
  echo "PostgreSQL autovacuum: $(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d trackline -Atc 'SHOW autovacuum' 2>&1); ANALYZE shipment, timeline_event: $(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d trackline -Atc 'ANALYZE shipment, timeline_event' 2>&1 && echo done)" >>"$OUT"
else
  echo "psql not found: planner statistics not refreshed (see the comment in run.sh)" >>"$OUT"
fi

# CPU seconds of each process of the pipeline (utime + stime), to see which one the load costs most.
cpu_seconds() {
  local pid name tick
  tick=$(getconf CLK_TCK)
  for pid in $(pgrep -x java || true) $(pgrep -x postgres || true); do
    [[ -r /proc/$pid/stat ]] || continue
    name=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | awk '
      match($0, /[a-z-]+\/target\/quarkus-app/) { split(substr($0, RSTART, RLENGTH), p, "/"); print p[1]; exit }
      /kafka\/server.properties/ { print "kafka"; exit }
      /postgres/ { print "postgres"; exit }
      { print "other"; exit }') || true
    awk -v n="${name:-other}" -v t="$tick" '{printf "%s %.1f\n", n, ($14 + $15) / t}' "/proc/$pid/stat" 2>/dev/null || true
  done | awk '{s[$1] += $2} END {for (n in s) printf "%s %.1f\n", n, s[n]}' | sort
}
cpu_seconds >"$OUT.cpu-before"

ANALYZE_EVERY=${ANALYZE_EVERY:-15s}
analyzer=
if command -v psql >/dev/null && [[ ${ANALYZE_EVERY%s} != 0 ]]; then
  # Its own PID goes to a file: without_locks runs it in a subshell, so $! is not the loop's.
  without_locks bash -c 'echo $$ >"$5"; while sleep "$1"; do
      psql -h "$2" -p "$3" -U "$4" -d trackline -Atqc "ANALYZE shipment, timeline_event" >/dev/null 2>&1 && echo x
    done' analyzer "${ANALYZE_EVERY%s}" "$DB_HOST" "$DB_PORT" "$DB_USER" "$OUT.analyzer-pid" >"$OUT.analyzed" \
    2>/dev/null &
  for _ in 1 2 3 4 5 6 7 8 9 10; do [[ -s $OUT.analyzer-pid ]] && break; sleep 0.2; done
  analyzer=$(cat "$OUT.analyzer-pid" 2>/dev/null || true)
  rm -f "$OUT.analyzer-pid"
fi

CP="$ROOT/carrier-sim/target/classes:$ROOT/carrier-sim/target/quarkus-app/lib/main/*:$ROOT/carrier-sim/target/quarkus-app/lib/boot/*"
set +e
# shellcheck disable=SC2086
java $LOAD_JAVA_OPTS -cp "$CP" io.trackline.sim.load.LoadTool --rate="$RATE" --warmup="$WARMUP" \
  --duration="$DURATION" --sample-every="$SAMPLE_EVERY" --poll-interval="$POLL_INTERVAL" --settle="$SETTLE" \
  "${CHECK_ARGS[@]}" ${LOAD_ARGS:-} 2>&1 | tee -a "$OUT"
rc=${PIPESTATUS[0]}
set -e
if [[ -n $analyzer ]]; then
  kill "$analyzer" 2>/dev/null || true
  echo "ANALYZE shipment, timeline_event during the load: every ${ANALYZE_EVERY%s} s, $(wc -l <"$OUT.analyzed") times" >>"$OUT"
fi
rm -f "$OUT.analyzed"
cpu_seconds >"$OUT.cpu-after"
{
  echo "CPU seconds during the load (tool run, audit included), by process (the tool's own JVM not included):"
  join -a 2 "$OUT.cpu-before" "$OUT.cpu-after" | awk 'NF == 3 {printf "  %-20s %7.1f s\n", $1, $3 - $2} NF == 2 {printf "  %-20s %7.1f s (started during the run)\n", $1, $2}'
  rm -f "$OUT.cpu-before" "$OUT.cpu-after"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  ps -o pid=,rss=,args= -C java | awk '{printf "after: pid %s rss %d MiB %s\n", $1, $2/1024, $NF}'
  for port in 8083 8084; do
    curl -s "http://127.0.0.1:$port/q/metrics" | grep -E '^trackline_(store|normalizer)_consumer_lag_records' | sed "s/^/:$port /"
  done
} >>"$OUT"
if [[ $SCENARIO == check ]]; then
  # The check passes when the tool found exactly what was withheld, and nothing duplicated.
  echo "check: the tool must report lost ${WITHHOLD:-20} and duplicated 0 (exit $rc)" | tee -a "$OUT"
fi
echo "results: $OUT"
exit "$rc"
