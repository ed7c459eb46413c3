#!/usr/bin/env bash
# Benchmark of ingest-webhooks: verified MrSpeedy callbacks per second (wrk, 2-3 KB signed bodies) next to a bare
# Kafka producer sending the same records to the same broker, in one run. Everything on 127.0.0.1, bounded in time.
#
#   bench/ingest-webhooks/run.sh            (from the repository root; takes about 3 minutes)
#
# Needs: Java 17, wrk (apt-get install -y wrk), a build (./mvnw -B install -DskipTests). It starts its own Kafka
# broker (KRaft, ports 19092/19093) and ingest-webhooks (port 18081), so it does not disturb ./trackline, and stops
# both when it ends. Settings: DURATION (s, default 30), CONNECTIONS (default 32), THREADS (default 2),
# PRODUCER_COUNT (default 60000; each producer run also stops after DURATION s), INGEST_JAVA_OPTS (extra JVM options
# of the service, e.g. -XX:StartFlightRecording=... to profile it). Results go to
# bench/ingest-webhooks/results/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/ingest-webhooks
# One benchmark at a time on a shared machine.
if [[ -z ${TRACKLINE_BENCH_LOCKED:-} ]]; then
  exec env TRACKLINE_BENCH_LOCKED=1 flock /tmp/trackline-bench.lock "$0" "$@"
fi

DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PRODUCER_COUNT=${PRODUCER_COUNT:-60000}
KAFKA_PORT=19092
HTTP_PORT=18081
SECRET=bench-callback-secret-not-real
LIB="$ROOT/local-infra/target/lib/*"
APP=$ROOT/ingest-webhooks/target/quarkus-app/quarkus-run.jar
WORK=$(mktemp -d /tmp/trackline-bench-webhooks.XXXXXX)
RESULTS=$HERE/results
mkdir -p "$RESULTS"
OUT=$RESULTS/$(date -u +%Y%m%dT%H%M%SZ).txt
PIDS=()

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
[[ -f $APP && -d $ROOT/local-infra/target/lib ]] || { echo "build first: ./mvnw -B install -DskipTests" >&2; exit 1; }

cleanup() {
  local pid
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

say "# ingest-webhooks benchmark $(date -u +%FT%TZ) on $(nproc) cores, $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"

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

# --- ingest-webhooks, account 'bench' from environment variables only ----------------------------------------
# A copy, so a build running meanwhile cannot change the jars under the running service.
cp -r "$(dirname "$APP")" "$WORK/quarkus-app"
TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_BENCH_SECRET=$SECRET KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT \
  java -Xms256m -Xmx512m ${INGEST_JAVA_OPTS:-} -Dquarkus.http.port=$HTTP_PORT -Dquarkus.http.host=127.0.0.1 -Dquarkus.log.level=WARN \
  -jar "$WORK/quarkus-app/quarkus-run.jar" >"$WORK/ingest.log" 2>&1 &
PIDS+=($!)
wait_until 120 curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" -o /dev/null || { cat "$WORK/ingest.log"; exit 1; }
say "ingest-webhooks on 127.0.0.1:$HTTP_PORT, ready"

# --- data: 5,000 signed callbacks over 500 orders ---------------------------------------------------------------
java -cp "$LIB" "$HERE/BenchTool.java" gen "$WORK/bodies.tsv" 5000 500 "$SECRET" | tee -a "$OUT"
export BENCH_BODIES=$WORK/bodies.tsv
URL="http://127.0.0.1:$HTTP_PORT/webhooks/mrspeedy/bench"

# --- HTTP: warm-up, then the measured run ----------------------------------------------------------------------
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$HERE/callbacks.lua" "$URL" >/dev/null
say ""
say "## wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency (verified, stored, 200)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/callbacks.lua" "$URL" | tee -a "$OUT"
accepted=$(curl -s "http://127.0.0.1:$HTTP_PORT/q/metrics" | awk '/^trackline_webhooks_callbacks_accepted_total/ {s += $2} END {print s}')
rejected=$(curl -s "http://127.0.0.1:$HTTP_PORT/q/metrics" | awk '/^trackline_webhooks_callbacks_rejected_total/ {s += $2} END {print s + 0}')
say "receiver metrics: accepted $accepted, rejected $rejected (warm-up included)"

# --- bare producer, same records, same broker; receiver idle -------------------------------------------------
say ""
say "## bare KafkaProducer, same records and settings, same broker"
java -Xms256m -Xmx512m -cp "$LIB" "$HERE/BenchTool.java" produce "127.0.0.1:$KAFKA_PORT" trackline.raw.v1 \
  "$WORK/bodies.tsv" "$PRODUCER_COUNT" "$CONNECTIONS" "$DURATION" | tee -a "$OUT"
java -Xms256m -Xmx512m -cp "$LIB" "$HERE/BenchTool.java" produce "127.0.0.1:$KAFKA_PORT" trackline.raw.v1 \
  "$WORK/bodies.tsv" "$PRODUCER_COUNT" 0 "$DURATION" | tee -a "$OUT"
say ""
say "results written to ${OUT#$ROOT/}"
