#!/usr/bin/env bash
# The live check of Trackline's rules and dashboards: a real Prometheus (Debian's prometheus package) on 127.0.0.1
# scrapes the running local pipeline under demo traffic, evaluates every rule and every dashboard query, and is
# asked (/api/v1/series) for the series of every metric they read. A metric without series fails the check: a rule
# on a misspelled metric evaluates as healthy with an empty result, so evaluation alone proves nothing.
#
#   ./trackline up -d && deploy/live-check.sh && ./trackline down
#   deploy/live-check.sh --up        # starts the pipeline itself and stops it again at the end
#
# Environment: LIVE_CHECK_PORT (Prometheus' port, default 9099), LIVE_CHECK_WAIT (seconds of scraping before the
# questions, default 150: a rate needs two scrapes, the recording rules an evaluation after them, and the
# pollers their first look-ups).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PORT=${LIVE_CHECK_PORT:-9099}
WAIT=${LIVE_CHECK_WAIT:-150}
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d "${TMPDIR:-/tmp}/trackline-live-check.XXXXXX")
started_pipeline=false
prom_pid=

cleanup() {
  if [[ -n $prom_pid ]] && kill -0 "$prom_pid" 2>/dev/null; then
    kill "$prom_pid" 2>/dev/null || true
    wait "$prom_pid" 2>/dev/null || true
  fi
  if $started_pipeline; then ./trackline down >/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v prometheus >/dev/null || { echo "live-check: prometheus is required (Debian: apt-get install prometheus)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "live-check: python3 is required" >&2; exit 1; }

if [[ ${1:-} == --up ]]; then
  ./trackline up -d
  started_pipeline=true
fi
for port in 8081 8082 8083 8084 8090; do
  curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" \
    || { echo "live-check: nothing healthy on port $port: start the pipeline first (./trackline up -d)" >&2; exit 1; }
done

echo "==> Prometheus on $BASE (data in $WORK)"
# The config's rule_files are relative to it: run from a copy of deploy/prometheus so the rules come along.
cp -r deploy/prometheus "$WORK/config"
prometheus --config.file="$WORK/config/prometheus.yml" --web.listen-address="127.0.0.1:$PORT" \
  --storage.tsdb.path="$WORK/data" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
prom_pid=$!
for _ in $(seq 1 30); do curl -sf -o /dev/null "$BASE/-/ready" && break; sleep 1; done
curl -sf -o /dev/null "$BASE/-/ready" || { cat "$WORK/prometheus.log" >&2; exit 1; }

echo "==> Demo traffic for ${WAIT}s: carrier-sim's callbacks and carriers, the pollers' look-ups, status-store queries,"
echo "    one callback with a wrong signature and one with a status MrSpeedy's mapping table does not know"
body='{"event_datetime":"2019-02-16T17:30:13+07:00","order":{"order_id":1250032,"order_name":"50032","status":"available","points":[]}}'
curl -s -o /dev/null -H 'Content-Type: application/json' -H 'X-DV-Signature: 00' --data-binary "$body" \
  http://127.0.0.1:8081/webhooks/mrspeedy/demo || true
# The local demo account's fake secret (ingest-webhooks' %local profile, README "Send a test callback").
secret=demo-callback-secret-not-real
body='{"event_datetime":"2019-02-16T17:30:13+07:00","order":{"order_id":1259990,"order_name":"59990","status":"live_check_unmapped","points":[]}}'
sig=$(python3 -c 'import hashlib, hmac, sys; print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).hexdigest())' "$secret" "$body")
curl -s -o /dev/null -H 'Content-Type: application/json' -H "X-DV-Signature: $sig" --data-binary "$body" \
  http://127.0.0.1:8081/webhooks/mrspeedy/demo || true
for ((i = 0; i < WAIT; i += 10)); do
  curl -s -o /dev/null -H 'X-API-Key: demo-api-key-not-real' \
    'http://127.0.0.1:8084/api/v1/shipments?carrier=mrspeedy&limit=5' || true
  sleep 10
done

echo "==> Scrape targets"
python3 - "$BASE/api/v1/targets" <<'PY'
import json, sys, urllib.request
bad = 0
for t in json.load(urllib.request.urlopen(sys.argv[1], timeout=10))["data"]["activeTargets"]:
    print(f"  {t['labels']['job']:16} {t['health']:5} {t['lastError']}")
    bad += t["health"] != "up"
sys.exit(1 if bad else 0)
PY

echo "==> Every rule evaluated without error"
python3 - "$BASE/api/v1/rules" <<'PY'
import json, sys, urllib.request
bad = n = 0
for g in json.load(urllib.request.urlopen(sys.argv[1], timeout=10))["data"]["groups"]:
    for r in g["rules"]:
        n += 1
        if r.get("health") != "ok":
            bad += 1
            print(f"  {r['name']}: {r.get('health')} {r.get('lastError', '')}")
        elif r["type"] == "alerting" and r["state"] != "inactive":
            print(f"  {r['name']}: {r['state']} ({len(r['alerts'])} alert(s))")
print(f"  {n} rules, {bad} unhealthy")
sys.exit(1 if bad else 0)
PY

echo "==> Every dashboard query evaluated without error"
python3 - "$BASE" <<'PY'
import json, pathlib, re, sys, urllib.parse, urllib.request
base = sys.argv[1]
bad = n = 0
for path in sorted(pathlib.Path("deploy/grafana/dashboards").glob("*.json")):
    board = json.loads(path.read_text())
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            n += 1
            expr = re.sub(r"\$\w+", ".*", target["expr"])
            url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
            try:
                with urllib.request.urlopen(url, timeout=10) as answer:
                    body = json.load(answer)
                ok = body["status"] == "success"
            except Exception as e:  # an HTTP 400 is a query Prometheus cannot parse
                ok, body = False, str(e)
            if not ok:
                bad += 1
                print(f"  {path.name}: {panel['title']}: {body}")
print(f"  {n} queries, {bad} failed")
sys.exit(1 if bad else 0)
PY

echo "==> Every metric the rules and dashboards read has series"
# Counters that exist only after their first occurrence, which demo traffic does not produce: a carrier's error
# answer reaching the normalizer.
python3 deploy/selectors.py live "$BASE" --absent-ok trackline_normalizer_carrier_errors_total
