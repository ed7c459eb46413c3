#!/usr/bin/env bash
# Benchmark of ingest-webhooks next to a lean receiver (bench/ingest-webhooks/LeanReceiver.java: Vert.x, HMAC check,
# plain KafkaProducer) and a bare producer sending the same records, on one broker, in one run, in interleaved
# rounds after a warm-up, reported as medians (docs/benchmarks.md). Everything on 127.0.0.1, bounded in time.
#
#   flock /tmp/trackline-mvn.lock bench/ingest-webhooks/run.sh     (from the repository root; about 6 minutes)
#
# Needs: Java 17, wrk (apt-get install -y wrk), a build (./mvnw -B install -DskipTests -pl local-infra,ingest-webhooks
# -am). It starts its own Kafka broker (KRaft, ports 19092/19093), ingest-webhooks (port 18081) and the lean receiver
# (port 18082), so it does not disturb ./trackline, and stops all of them when it ends. Settings (environment):
#   ROUNDS (default 3), DURATION (s per round and side, default 20), WARMUP (s per side, default 40),
#   CONNECTIONS (default 64; the bare producer keeps as many records in flight), THREADS (wrk, default 2),
#   BODIES (distinct signed callbacks, default 60), POINTS (points of delivery per callback, 2 = about 2.3 KB),
#   SERVICE_JAVA_OPTS (JVM options of both receivers and the bare producer; default those ./trackline gives
#   ingest-webhooks: -Xms64m -Xmx384m, the tiered JIT; the other services run C1 only, add -XX:TieredStopAtLevel=1 to
#   measure that), INGEST_JAVA_OPTS (extra options of ingest-webhooks only,
#   e.g. -XX:StartFlightRecording=filename=/tmp/ingest.jfr,settings=profile to profile it), INGEST_APP (the
#   quarkus-app directory of the build to measure, default ingest-webhooks/target/quarkus-app).
# Results go to bench/ingest-webhooks/results/<UTC time>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/ingest-webhooks
# One benchmark at a time on a shared machine.
if [[ -z ${TRACKLINE_BENCH_LOCKED:-} ]]; then
  exec env TRACKLINE_BENCH_LOCKED=1 flock /tmp/trackline-bench.lock "$0" "$@"
fi

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-40}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BODIES=${BODIES:-60}
POINTS=${POINTS:-2}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:--Xms64m -Xmx384m}
KAFKA_PORT=19092
HTTP_PORT=18081
LEAN_PORT=18082
SECRET=bench-callback-secret-not-real
LIB="$ROOT/local-infra/target/lib/*"
APP=${INGEST_APP:-$ROOT/ingest-webhooks/target/quarkus-app}/quarkus-run.jar
WORK=$(mktemp -d /tmp/trackline-bench-webhooks.XXXXXX)
RESULTS=$HERE/results
mkdir -p "$RESULTS"
OUT=$RESULTS/$(date -u +%Y%m%dT%H%M%SZ).txt
PIDS=()

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
[[ -f $APP && -d $ROOT/local-infra/target/lib ]] || { echo "build first: ./mvnw -B install -DskipTests" >&2; exit 1; }

cleanup() {
  local pid
  exec 4>&- 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_until() { # seconds, command...
  local seconds=$1 i; shift
  for ((i = 0; i < seconds * 2; i++)); do "$@" && return 0; sleep 0.5; done
  return 1
}
say() { printf '%s\n' "$*" | tee -a "$OUT"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

say "# ingest-webhooks benchmark $(date -u +%FT%TZ) on $(nproc) cores, $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- ingest-webhooks events bench/ingest-webhooks 2>/dev/null || echo ' (with uncommitted changes)')"
say "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -n 1)"
say "JVM options of both receivers and the bare producer: $SERVICE_JAVA_OPTS${INGEST_JAVA_OPTS:+; ingest-webhooks also $INGEST_JAVA_OPTS}"
say "ingest-webhooks build: $(dirname "$APP") ($(date -u -r "$APP" +%FT%TZ))"
# --- Kafka (KRaft, one node), the same way ./trackline runs it ------------------------------------------------
cat >"$WORK/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$WORK/kafka-data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
printf 'rootLogger.level=WARN\nrootLogger.appenderRef.stdout.ref=STDOUT\nappender.stdout.type=Console\nappender.stdout.name=STDOUT\nappender.stdout.layout.type=PatternLayout\nappender.stdout.layout.pattern=%%m%%n\n' >"$WORK/log4j2.properties"
KAFKA_OPTS=(-Xms512m -Xmx512m -Dlog4j2.configurationFile="$WORK/log4j2.properties" -cp "$LIB")
cluster=$(java "${KAFKA_OPTS[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
java "${KAFKA_OPTS[@]}" kafka.tools.StorageTool format -t "$cluster" -c "$WORK/server.properties" >"$WORK/kafka.log" 2>&1
java "${KAFKA_OPTS[@]}" kafka.Kafka "$WORK/server.properties" >>"$WORK/kafka.log" 2>&1 &
PIDS+=($!)
wait_until 60 bash -c "(exec 3<>/dev/tcp/127.0.0.1/$KAFKA_PORT) 2>/dev/null" || { cat "$WORK/kafka.log"; exit 1; }
java -cp "$LIB:$ROOT/local-infra/target/trackline-local-infra-0.1.0-SNAPSHOT.jar" io.trackline.infra.LocalInfra \
  create-topics --bootstrap "127.0.0.1:$KAFKA_PORT" --partitions 6 >/dev/null
say "Kafka 4.1.2 (KRaft, 1 node, 6 partitions) on 127.0.0.1:$KAFKA_PORT"

# --- ingest-webhooks (account 'bench' from environment variables only) and the lean receiver ------------------
# A copy, so a build running meanwhile cannot change the jars under the running service.
cp -r "$(dirname "$APP")" "$WORK/quarkus-app"
# shellcheck disable=SC2086
TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_BENCH_SECRET=$SECRET KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT \
  java $SERVICE_JAVA_OPTS ${INGEST_JAVA_OPTS:-} -Dquarkus.http.port=$HTTP_PORT -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.log.level=WARN -jar "$WORK/quarkus-app/quarkus-run.jar" >"$WORK/ingest.log" 2>&1 &
INGEST_PID=$!
PIDS+=($INGEST_PID)
# The lean receiver runs on the service's own Vert.x, Netty and Kafka client jars.
# shellcheck disable=SC2086
java $SERVICE_JAVA_OPTS -cp "$WORK/quarkus-app/lib/main/*:$(echo "$WORK"/quarkus-app/lib/boot/*lz4*.jar)" "$HERE/LeanReceiver.java" \
  $LEAN_PORT "127.0.0.1:$KAFKA_PORT" trackline.raw.v1 "$SECRET" >"$WORK/lean.log" 2>&1 &
LEAN_PID=$!
PIDS+=($LEAN_PID)
wait_until 120 curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" -o /dev/null || { cat "$WORK/ingest.log"; exit 1; }
wait_until 60 grep -q "lean receiver on" "$WORK/lean.log" || { cat "$WORK/lean.log"; exit 1; }
say "ingest-webhooks on 127.0.0.1:$HTTP_PORT and the lean receiver on 127.0.0.1:$LEAN_PORT, ready"

# --- data: distinct signed callbacks, one order each ------------------------------------------------------------
# BenchTool builds the records with the events module the service runs (its jar in the copy, ahead of the rest).
TOOL_CP="$(echo "$WORK"/quarkus-app/lib/main/io.trackline.trackline-events-*.jar):$LIB"
java -cp "$TOOL_CP" "$HERE/BenchTool.java" gen "$WORK/bodies.tsv" "$BODIES" "$BODIES" "$SECRET" "$POINTS" | tee -a "$OUT"
export BENCH_BODIES=$WORK/bodies.tsv
INGEST_URL="http://127.0.0.1:$HTTP_PORT/webhooks/mrspeedy/bench"
LEAN_URL="http://127.0.0.1:$LEAN_PORT/webhooks/mrspeedy/bench"

# --- the bare producer: one long-lived JVM, one round per line written to fd 4 ----------------------------------
mkfifo "$WORK/producer.in"
# shellcheck disable=SC2086
java $SERVICE_JAVA_OPTS -cp "$TOOL_CP" "$HERE/BenchTool.java" produce "127.0.0.1:$KAFKA_PORT" trackline.raw.v1 \
  "$WORK/bodies.tsv" "$CONNECTIONS" <"$WORK/producer.in" >"$WORK/producer.out" 2>&1 &
PRODUCER_PID=$!
PIDS+=($PRODUCER_PID)
exec 4>"$WORK/producer.in"
wait_until 60 grep -q READY "$WORK/producer.out" || { cat "$WORK/producer.out"; exit 1; }

# wrk against one receiver; prints "rate p50_ms p99_ms non2xx_and_errors"; the full output goes to the results file.
http_round() { # url seconds label
  local out=$WORK/wrk.out
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency -s "$HERE/callbacks.lua" "$1" >"$out"
  printf '\n### %s\n' "$3" >>"$OUT"
  cat "$out" >>"$OUT"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ {rate = $2}
    /^ +50%/ {p50 = ms($2)}
    /^ +99%/ {p99 = ms($2)}
    /Non-2xx/ {bad += $NF}
    /Socket errors/ {gsub(/[^0-9 ]/, " "); split($0, e, " +"); for (i in e) bad += e[i]}
    END {printf "%.0f %.2f %.2f %d\n", rate, p50, p99, bad}' "$out"
}
producer_round() { # seconds label
  local before
  before=$(grep -c '^RESULT' "$WORK/producer.out" || true)
  echo "$1" >&4
  wait_until $(($1 + 60)) bash -c "[[ \$(grep -c '^RESULT' '$WORK/producer.out') -gt $before ]]" || { cat "$WORK/producer.out"; exit 1; }
  local line
  line=$(grep '^RESULT' "$WORK/producer.out" | tail -n 1)
  printf '\n### %s\n%s\n' "$2" "$line" >>"$OUT"
  awk '{printf "%s %s %s %d\n", $2, $5, $8, $NF}' <<<"$line"
}
# Highest RSS of a process while a command runs, sampled every half second; prints it after the command's output.
with_rss() { # pid command...
  local pid=$1 file=$WORK/rss.$1; shift
  : >"$file"
  (while kill -0 "$pid" 2>/dev/null; do rss_mib "$pid" >>"$file"; echo >>"$file"; sleep 0.5; done) &
  local sampler=$!
  local result
  result=$("$@")
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  echo "$result $(sort -n "$file" | tail -n 1)"
}

# --- warm-up: every side as long as a round or longer, not counted --------------------------------------------
say ""
say "## warm-up: ${WARMUP} s each (lean receiver, ingest-webhooks, bare producer), not counted"
read -r r _ _ _ < <(http_round "$LEAN_URL" "$WARMUP" "warm-up: lean receiver")
say "lean receiver warm-up: $r callbacks/s"
read -r r _ _ _ < <(http_round "$INGEST_URL" "$WARMUP" "warm-up: ingest-webhooks")
say "ingest-webhooks warm-up: $r callbacks/s"
read -r r _ _ _ < <(producer_round "$WARMUP" "warm-up: bare producer")
say "bare producer warm-up: $r records/s"

# --- measured rounds, interleaved --------------------------------------------------------------------------------
say ""
say "## $ROUNDS rounds of ${DURATION} s per side, interleaved; wrk -t$THREADS -c$CONNECTIONS --latency; the bare producer with $CONNECTIONS in flight"
say "| round | side | callbacks or records/s | p50 ms | p99 ms | non-2xx, errors | RSS MiB (max) |"
say "|---|---|---|---|---|---|---|"
LEAN_RATES="" LEAN_P99S="" INGEST_RATES="" INGEST_P99S="" BARE_RATES="" BARE_P99S="" INGEST_RSS="" LEAN_RSS=""
for ((round = 1; round <= ROUNDS; round++)); do
  read -r rate p50 p99 bad rss < <(with_rss "$LEAN_PID" http_round "$LEAN_URL" "$DURATION" "round $round: lean receiver")
  say "| $round | lean receiver | $rate | $p50 | $p99 | $bad | $rss |"
  LEAN_RATES+=" $rate" LEAN_P99S+=" $p99" LEAN_RSS+=" $rss"
  read -r rate p50 p99 bad rss < <(with_rss "$INGEST_PID" http_round "$INGEST_URL" "$DURATION" "round $round: ingest-webhooks")
  say "| $round | ingest-webhooks | $rate | $p50 | $p99 | $bad | $rss |"
  INGEST_RATES+=" $rate" INGEST_P99S+=" $p99" INGEST_RSS+=" $rss"
  read -r rate p50 p99 bad < <(producer_round "$DURATION" "round $round: bare producer")
  say "| $round | bare producer | $rate | $p50 | $p99 | $bad failed | |"
  BARE_RATES+=" $rate" BARE_P99S+=" $p99"
done

lean=$(median <<<"$LEAN_RATES") ingest=$(median <<<"$INGEST_RATES") bare=$(median <<<"$BARE_RATES")
lean99=$(median <<<"$LEAN_P99S") ingest99=$(median <<<"$INGEST_P99S") bare99=$(median <<<"$BARE_P99S")
say ""
say "## medians of $ROUNDS rounds"
say "lean receiver:   $lean callbacks/s, p99 $lean99 ms, RSS max $(tr ' ' '\n' <<<"$LEAN_RSS" | sort -n | tail -n 1) MiB"
say "ingest-webhooks: $ingest callbacks/s, p99 $ingest99 ms, RSS max $(tr ' ' '\n' <<<"$INGEST_RSS" | sort -n | tail -n 1) MiB"
say "bare producer:   $bare records/s, p99 $bare99 ms"
say "$(awk -v i="$ingest" -v l="$lean" -v b="$bare" -v i99="$ingest99" -v l99="$lean99" 'BEGIN {
  printf "RESULT ingest/lean rate %.2f (target >= 0.75), ingest/lean p99 %.2f (target <= 2), ingest/bare rate %.2f", i / l, i99 / l99, i / b }')"
metrics=$(curl -s "http://127.0.0.1:$HTTP_PORT/q/metrics")
say "ingest-webhooks metrics: accepted $(awk '/^trackline_webhooks_callbacks_accepted_total/ {s += $2} END {print s + 0}' <<<"$metrics"), rejected $(awk '/^trackline_webhooks_callbacks_rejected_total/ {s += $2} END {print s + 0}' <<<"$metrics") (warm-up included)"
say ""
say "results written to ${OUT#$ROOT/}"
