#!/usr/bin/env bash
# The pollers' simulated-day benchmark (docs/benchmarks.md, "pollers"): three scheduling policies side by side in one
# run, each polling carrier-sim's all24 and 247Express within the same fixed quota, on the same seeded traffic, its
# compressed days refereed by carrier-sim (/sim/truth/*). Everything on 127.0.0.1, bounded in time.
#
#   flock /tmp/trackline-mvn.lock bench/pollers/run.sh            (from the repository root; about 13 minutes)
#   SIM_ONLY=1 flock /tmp/trackline-mvn.lock bench/pollers/run.sh the carrier-sim half alone (no Kafka, no pollers):
#                                                                 traffic, truth and the analysis of what was served
#
# A lane per policy: its own carrier-sim (same seed and settings in every lane, so the same shipments change at the
# same simulated instants), its own pollers instance (own database, own consumer groups, one broker shared), and its
# own account name at both carriers:
#   adaptive     policy adaptive          account bench-adaptive  carrier-sim 18090  pollers 18082
#   round-robin  policy round-robin       account bench-rr        carrier-sim 18190  pollers 18182
#   fixed-2h     policy fixed-interval 2h account bench-2h        carrier-sim 18290  pollers 18282
# plus one Kafka broker (KRaft, 19092/19093), one normalizer (18083: the pollers learn final statuses from
# trackline.events.v1) and PostgreSQL (the one on TRACKLINE_DB_HOST:TRACKLINE_DB_PORT, default 127.0.0.1:5432, else an
# embedded one on 15432). PollersBench.java subscribes every shipment a lane's simulator creates at the lane's pollers
# as it appears, collects the referee's truth at the end and computes the figures.
#
# Settings (environment):
#   SIM_DAY (real duration of a simulated day, default 6m: factor 240), START (the simulators' clock.start, default
#   2026-11-30T04:00:00+07:00, a Monday), WARMUP_HOURS (simulated, default 20: the window starts at Tuesday midnight),
#   WINDOW_HOURS (measured, default 24), PER_DAY (new shipments per simulated day per lane and carrier, default 400),
#   QUOTA (look-ups per account and simulated day at each carrier, default 2500: carrier-sim refuses beyond it, the
#   pollers keep their margin below it), TICK (the pollers' scheduler tick, real time, default 1s: quarkus-scheduler
#   runs nothing more often), SEED,
#   SERVICE_JAVA_OPTS (JVM options of every service; default those ./trackline gives them: -Xms64m -Xmx384m
#   -XX:TieredStopAtLevel=1), POLLERS_JAVA_OPTS (extra options of the pollers only, e.g. a flight recording),
#   BENCH_CODE (what code is measured, for the results' first line, when the folder is no git work tree).
# Needs Java 17 and a build: ./mvnw -B install -DskipTests -pl local-infra,carrier-sim,normalizer,pollers -am
# Results go to bench/pollers/results/<UTC time>.txt, the referee's truth and the services' logs to
# <UTC time>-truth.tar.gz beside it (bench/pollers/PollersBench.java analyze <its truth folder> reads it again).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/pollers
# One benchmark at a time on a shared machine.
if [[ -z ${TRACKLINE_BENCH_LOCKED:-} ]]; then
  exec env TRACKLINE_BENCH_LOCKED=1 flock /tmp/trackline-bench.lock "$0" "$@"
fi

SIM_DAY=${SIM_DAY:-6m}
START=${START:-2026-11-30T04:00:00+07:00}
WARMUP_HOURS=${WARMUP_HOURS:-20}
WINDOW_HOURS=${WINDOW_HOURS:-24}
PER_DAY=${PER_DAY:-400}
QUOTA=${QUOTA:-2500}
TICK=${TICK:-1s}
SEED=${SEED:-20261130}
SIM_ONLY=${SIM_ONLY:-}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:--Xms64m -Xmx384m -XX:TieredStopAtLevel=1}
KAFKA_PORT=19092
NORMALIZER_PORT=18083
DB_HOST=${TRACKLINE_DB_HOST:-127.0.0.1}
DB_PORT=${TRACKLINE_DB_PORT:-5432}
DB_USER=${TRACKLINE_DB_USER:-postgres}
API_KEY=bench-pollers-api-key-not-real
# label policy account
LANES=("adaptive adaptive bench-adaptive" "round-robin round-robin bench-rr" "fixed-2h fixed-interval bench-2h")
LIB="$ROOT/local-infra/target/lib/*"
INFRA_CP="$LIB:$ROOT/local-infra/target/trackline-local-infra-0.1.0-SNAPSHOT.jar"
WORK=$(mktemp -d /tmp/trackline-bench-pollers.XXXXXX)
RESULTS=$HERE/results
mkdir -p "$RESULTS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$RESULTS/$STAMP.txt
PIDS=()
DATABASES=()

apps=(carrier-sim)
[[ -n $SIM_ONLY ]] || apps+=(normalizer pollers)
for app in "${apps[@]}"; do
  [[ -f $ROOT/$app/target/quarkus-app/quarkus-run.jar ]] \
    || { echo "build first: ./mvnw -B install -DskipTests -pl local-infra,carrier-sim,normalizer,pollers -am" >&2; exit 1; }
done
[[ -d $ROOT/local-infra/target/lib ]] || { echo "build local-infra first" >&2; exit 1; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${#DATABASES[@]} -gt 0 ]]; then
    java -cp "$WORK/classes:$INFRA_CP" PollersBench drop-db "$DB_HOST" "$DB_PORT" "$DB_USER" "${DATABASES[@]}" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_until() { # seconds, command...
  local seconds=$1 i; shift
  for ((i = 0; i < seconds * 2; i++)); do "$@" && return 0; sleep 0.5; done
  return 1
}
say() { printf '%s\n' "$*" | tee -a "$OUT"; }
ready() { curl -sf -o /dev/null "http://127.0.0.1:$1/q/health/ready"; }
# Healthy, or stop waiting when the process died.
ready_or_dead() { kill -0 "$2" 2>/dev/null || return 0; ready "$1"; }
started() { # name port pid log
  wait_until 180 ready_or_dead "$2" "$3" && kill -0 "$3" 2>/dev/null && ready "$2" && return 0
  say "$1 did not become ready; the end of $4:"
  tail -n 40 "$4" | tee -a "$OUT"
  exit 1
}

javac -d "$WORK/classes" -cp "$INFRA_CP" "$HERE/PollersBench.java"
bench() { java -cp "$WORK/classes:$INFRA_CP" PollersBench "$@"; }
bench selftest >/dev/null

if [[ -n ${BENCH_CODE:-} ]]; then
  COMMIT=$BENCH_CODE
else
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
  git -C "$ROOT" diff --quiet HEAD -- carrier-sim normalizer pollers events kafka-support http-edge bench/pollers 2>/dev/null \
    || COMMIT+=" (with uncommitted changes)"
fi
say "# pollers benchmark $(date -u +%FT%TZ) on $(nproc) cores, $COMMIT${SIM_ONLY:+, carrier-sim only}"
say "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -n 1)"
say "simulated day $SIM_DAY; clock.start $START; warm-up $WARMUP_HOURS h, window $WINDOW_HOURS h (simulated);"
say "$PER_DAY new shipments per simulated day per lane at all24 and at 247Express; quota $QUOTA look-ups per account and"
say "simulated day at each carrier (carrier-sim: 247Express daily-limit, calendar day in Asia/Ho_Chi_Minh; all24 rate"
say "$QUOTA in any 24 h; quota windows on simulated time); pollers tick $TICK; seed $SEED"
say "JVM options of every service: $SERVICE_JAVA_OPTS${POLLERS_JAVA_OPTS:+; the pollers also $POLLERS_JAVA_OPTS}"

# --- copies of the packaged services, so a build meanwhile cannot change the jars under them ---------------------
for app in "${apps[@]}"; do cp -r "$ROOT/$app/target/quarkus-app" "$WORK/$app"; done

if [[ -z $SIM_ONLY ]]; then
  # --- Kafka (KRaft, one node), as ./trackline runs it ----------------------------------------------------------
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
  java -cp "$INFRA_CP" io.trackline.infra.LocalInfra create-topics --bootstrap "127.0.0.1:$KAFKA_PORT" --partitions 6 >/dev/null
  # Each lane's subscriptions on a topic of its own (compacted, as trackline.subscriptions.v1), so that no instance
  # reads another lane's accounts.
  topics=()
  for lane in "${LANES[@]}"; do
    read -r label _ _ <<<"$lane"
    topics+=("bench.subscriptions.$label")
  done
  bench compacted-topics "127.0.0.1:$KAFKA_PORT" "${topics[@]}"
  say "Kafka 4.1.2 (KRaft, 1 node, 6 partitions, -Xms512m -Xmx512m) on 127.0.0.1:$KAFKA_PORT"

  # --- PostgreSQL: the local one, else an embedded one; a fresh database per lane --------------------------------
  if ! java -cp "$INFRA_CP" io.trackline.infra.LocalInfra answers --host "$DB_HOST" --port "$DB_PORT" 2>/dev/null; then
    DB_HOST=127.0.0.1 DB_PORT=15432
    java -Xmx128m -cp "$INFRA_CP" io.trackline.infra.LocalInfra postgres --port "$DB_PORT" --data "$WORK/postgres" \
      >"$WORK/postgres.log" 2>&1 &
    PIDS+=($!)
    wait_until 60 java -cp "$INFRA_CP" io.trackline.infra.LocalInfra answers --host "$DB_HOST" --port "$DB_PORT" \
      || { cat "$WORK/postgres.log"; exit 1; }
  fi
  for lane in "${LANES[@]}"; do
    read -r label _ _ <<<"$lane"
    DATABASES+=("trackline_bench_pollers_${label//-/_}")
  done
  bench reset-db "$DB_HOST" "$DB_PORT" "$DB_USER" "${DATABASES[@]}"
  say "PostgreSQL on $DB_HOST:$DB_PORT, databases ${DATABASES[*]} (fresh, dropped afterwards)"

  # --- the normalizer: raw records of every lane to trackline.events.v1 ------------------------------------------
  # shellcheck disable=SC2086
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT java $SERVICE_JAVA_OPTS -Dquarkus.http.port=$NORMALIZER_PORT \
    -Dquarkus.http.host=127.0.0.1 -jar "$WORK/normalizer/quarkus-run.jar" >"$WORK/normalizer.log" 2>&1 &
  NORMALIZER_PID=$!
  PIDS+=($NORMALIZER_PID)
fi

# --- the simulators: one per lane, the same seed and settings, the lane's account at all24 and 247Express ----------
# One clock for every lane: simulated time was START at the wall instant ANCHOR, in every simulator and every pollers
# instance (clock.anchor-wall, trackline.pollers.clock.anchor-*), and each simulator's traffic begins at START.
ANCHOR=$(date -u +%FT%T.%3NZ)
START_UTC=$(date -u -d "$START" +%FT%TZ)
SIM_PIDS=()
i=0
for lane in "${LANES[@]}"; do
  read -r label _ account <<<"$lane"
  port=$((18090 + 100 * i))
  # shellcheck disable=SC2086
  java $SERVICE_JAVA_OPTS -Dquarkus.http.port=$port -Dquarkus.http.host=127.0.0.1 \
    -Dtrackline.sim.seed="$SEED" -Dtrackline.sim.clock.start="$START" -Dtrackline.sim.clock.anchor-wall="$ANCHOR" \
    -Dtrackline.sim.clock.simulated-day="$SIM_DAY" \
    -Dtrackline.sim.quota.clock=simulated -Dtrackline.sim.demo.enabled=false \
    -Dtrackline.sim.traffic.all24.per-day=$((2 * PER_DAY)) -Dtrackline.sim.traffic.all24.count=1000000 \
    -Dtrackline.sim.traffic.247express.per-day=$((2 * PER_DAY)) -Dtrackline.sim.traffic.247express.count=1000000 \
    -Dtrackline.sim.traffic.mrspeedy.count=0 -Dtrackline.sim.mrspeedy.accounts.demo.callback-url= \
    -Dtrackline.sim.all24.accounts.$account.api-key=$account-all24-key-not-real \
    -Dtrackline.sim.all24.accounts.$account.customer-id=55555 \
    -Dtrackline.sim.all24.accounts.$account.rate-requests="$QUOTA" -Dtrackline.sim.all24.accounts.$account.rate-window=24h \
    -Dtrackline.sim.247express.accounts.$account.api-key=$account-247express-key-not-real \
    -Dtrackline.sim.247express.accounts.$account.daily-limit="$QUOTA" \
    -jar "$WORK/carrier-sim/quarkus-run.jar" >"$WORK/sim-$label.log" 2>&1 &
  SIM_PIDS+=($!)
  PIDS+=($!)
  i=$((i + 1))
done
i=0
for lane in "${LANES[@]}"; do
  read -r label _ _ <<<"$lane"
  started "carrier-sim ($label)" $((18090 + 100 * i)) "${SIM_PIDS[i]}" "$WORK/sim-$label.log"
  i=$((i + 1))
done
say "carrier-sim x ${#LANES[@]} on 127.0.0.1:18090, 18190, 18290, clock $START at $ANCHOR (each keeps a half of its"
say "  traffic for its demo account, which no lane polls: the bench account sorts first, so every lane gets the same half)"

# --- the pollers, each on its simulator's clock ------------------------------------------------------------------
POLLER_PIDS=()
if [[ -z $SIM_ONLY ]]; then
  i=0
  for lane in "${LANES[@]}"; do
    read -r label policy account <<<"$lane"
    sim=http://127.0.0.1:$((18090 + 100 * i))
    port=$((18082 + 100 * i))
    mapfile -t groups < <(bench overrides "$WORK/pollers" "$label")
    # shellcheck disable=SC2086
    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT TRACKLINE_DB_USER=$DB_USER \
      TRACKLINE_DB_JDBC_URL="jdbc:postgresql://$DB_HOST:$DB_PORT/${DATABASES[i]}" \
      java $SERVICE_JAVA_OPTS ${POLLERS_JAVA_OPTS:-} -Dquarkus.http.port=$port -Dquarkus.http.host=127.0.0.1 \
      "${groups[@]}" -Dtrackline.pollers.subscriptions.topic="bench.subscriptions.$label" \
      -Dquarkus.rest-client.all24.url="$sim/all24" -Dquarkus.rest-client.247express.url="$sim/247express" \
      -Dquarkus.rest-client.mrspeedy.url="$sim/mrspeedy/api/business/1.0" \
      -Dtrackline.pollers.all24.accounts.$account.api-key=$account-all24-key-not-real \
      -Dtrackline.pollers.247express.accounts.$account.api-key=$account-247express-key-not-real \
      -Dtrackline.pollers.quota.all24.accounts.$account.daily-limit="$QUOTA" \
      -Dtrackline.pollers.quota.247express.accounts.$account.daily-limit="$QUOTA" \
      -Dtrackline.pollers.scheduling.policy="$policy" -Dtrackline.pollers.scheduling.fixed-interval=2h \
      -Dtrackline.pollers.scheduling.tick="$TICK" \
      -Dtrackline.pollers.clock.simulated-day="$SIM_DAY" -Dtrackline.pollers.clock.anchor-wall="$ANCHOR" \
      -Dtrackline.pollers.clock.anchor-simulated="$START_UTC" \
      -Dtrackline.api.keys.bench="$API_KEY" \
      -jar "$WORK/pollers/quarkus-run.jar" >"$WORK/pollers-$label.log" 2>&1 &
    POLLER_PIDS+=($!)
    PIDS+=($!)
    say "pollers ($label): policy $policy on 127.0.0.1:$port, subscriptions topic bench.subscriptions.$label," \
      "${groups[*]:-no consumer group found}"
    i=$((i + 1))
  done
fi

# --- drive: subscribe as shipments appear, collect the truth at the end --------------------------------------------
DRIVE_ARGS=()
i=0
for lane in "${LANES[@]}"; do
  read -r label _ account <<<"$lane"
  pollers=-
  [[ -n $SIM_ONLY ]] || pollers=http://127.0.0.1:$((18082 + 100 * i))
  DRIVE_ARGS+=("$label,http://127.0.0.1:$((18090 + 100 * i)),$pollers,$account,$API_KEY")
  i=$((i + 1))
done
bench drive "$WORK/truth" "$START" "$WARMUP_HOURS" "$WINDOW_HOURS" "${DRIVE_ARGS[@]}" >"$WORK/drive.log" 2>&1 &
DRIVE_PID=$!
PIDS+=($DRIVE_PID)

if [[ -z $SIM_ONLY ]]; then
  started normalizer $NORMALIZER_PORT "$NORMALIZER_PID" "$WORK/normalizer.log"
  i=0
  for lane in "${LANES[@]}"; do
    read -r label _ _ <<<"$lane"
    started "pollers ($label)" $((18082 + 100 * i)) "${POLLER_PIDS[i]}" "$WORK/pollers-$label.log"
    i=$((i + 1))
  done
  say "normalizer and pollers ready $(date -u +%T) (the simulators at $(bench anchor http://127.0.0.1:18090 | cut -d' ' -f2))"
fi

# Watch: a service that dies ends the run, since its lane's figures would mean nothing.
while kill -0 "$DRIVE_PID" 2>/dev/null; do
  for pid in "${SIM_PIDS[@]}" "${POLLER_PIDS[@]}" ${NORMALIZER_PID:-}; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "a service (pid $pid) died during the run; logs in the results file"
      for log in "$WORK"/*.log; do printf '\n### %s\n' "${log##*/}" >>"$OUT"; tail -n 60 "$log" >>"$OUT"; done
      exit 1
    fi
  done
  sleep 2
done
wait "$DRIVE_PID" || { cat "$WORK/drive.log" | tee -a "$OUT"; exit 1; }
# Where each pollers instance's threads stand at the end (a stuck tick shows here), kept with the logs.
i=0
for pid in "${POLLER_PIDS[@]}"; do
  read -r label _ _ <<<"${LANES[i]}"
  jcmd "$pid" Thread.print >"$WORK/pollers-$label.threads.log" 2>&1 || true
  i=$((i + 1))
done
cat "$WORK/drive.log" >>"$OUT"
say "collected $(date -u +%T)"

# --- the figures ----------------------------------------------------------------------------------------------------
say ""
bench analyze "$WORK/truth" | tee -a "$OUT"
if [[ -z $SIM_ONLY ]]; then
  say ""
  say "records on the topics at the end: $(bench topic-counts "127.0.0.1:$KAFKA_PORT" trackline.raw.v1 trackline.events.v1 \
    trackline.raw.dlq.v1 "${topics[@]}" | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
  say ""
  say "## the pollers' own counts at the end (trackline_pollers_* meters of /q/metrics)"
  for lane in "${LANES[@]}"; do
    read -r label _ _ <<<"$lane"
    say "### $label"
    grep -E '^trackline_pollers_' "$WORK/truth/$label/pollers-metrics.txt" | grep -v -E '_bucket\{' | sort | tee -a "$OUT" || true
    say "log lines WARN/ERROR: $(grep -c -E ' (WARN|ERROR) ' "$WORK/pollers-$label.log" || true), by message:"
    grep -E ' (WARN|ERROR) ' "$WORK/pollers-$label.log" | sed -E 's/^[0-9-]+ [0-9:,]+ //; s/\([^)]*\) //' | cut -c1-110 \
      | sort | uniq -c | sort -rn | head -n 8 | tee -a "$OUT" || true
  done
fi
for log in "$WORK"/*.log; do
  [[ $log != *.threads.log ]] || continue
  printf '\n### last lines of %s\n' "${log##*/}" >>"$OUT"
  tail -n 15 "$log" >>"$OUT"
done
mkdir -p "$WORK/truth/logs"
cp "$WORK"/*.log "$WORK/truth/logs/"
tar -C "$WORK" -czf "$RESULTS/$STAMP-truth.tar.gz" truth
say ""
say "results written to ${OUT#$ROOT/}, the truth to bench/pollers/results/$STAMP-truth.tar.gz"
