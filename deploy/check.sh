#!/usr/bin/env bash
# Offline checks of deploy/ and docker-compose.yml (CI runs them from .ci/run; no daemon, no network needed):
#   - Prometheus: the configs and rules parse (promtool check config / check rules), and the alert unit tests pass
#     (promtool test rules: each alert fires at its for: boundary and not one evaluation earlier); every alert has
#     a severity, a for:, a summary and a section in docs/runbook.md;
#   - Grafana: the dashboards are valid JSON and exactly what deploy/grafana/dashboards.py writes;
#   - every metric a rule or a panel reads is a recording rule or is listed in docs/metrics.md (deploy/selectors.py);
#   - docker-compose.yml is a valid Compose file for docker-compose 1.29 (docker-compose config -q).
# Needs promtool (Debian: prometheus), docker-compose (Debian: docker-compose) and python3.
# The live check, which asks a running Prometheus for every selector's series, is deploy/live-check.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for tool in promtool docker-compose python3; do
  command -v "$tool" >/dev/null || { echo "deploy/check.sh: $tool is required" >&2; exit 1; }
done

step() { printf '==> %s\n' "$*"; }

step "promtool check config"
promtool check config deploy/prometheus/prometheus.yml
promtool check config deploy/prometheus/prometheus-compose.yml

step "promtool check rules"
promtool check rules deploy/prometheus/rules/*.yml

step "promtool test rules"
promtool test rules deploy/prometheus/tests/*.yml

step "every alert has a severity, a for:, a summary and a section in docs/runbook.md"
python3 - <<'PY'
import re
rules = open("deploy/prometheus/rules/alerts.yml").read()
runbook = open("docs/runbook.md").read()
sections = {h.strip().lower() for h in re.findall(r"^### (\S+)$", runbook, re.M)}
bad = 0
blocks = re.split(r"\n(?=      - alert: )", rules)[1:]
for block in blocks:
    name = re.search(r"- alert: (\S+)", block).group(1)
    for key in ("severity: ", "for: ", "summary: ", f"runbook_url: docs/runbook.md#{name.lower()}"):
        if key not in block:
            print(f"  {name}: no {key.strip()}")
            bad += 1
    if name.lower() not in sections:
        print(f"  {name}: no section '### {name}' in docs/runbook.md")
        bad += 1
print(f"  {len(blocks)} alerts")
raise SystemExit(1 if bad else 0)
PY

step "Grafana dashboards: JSON, provisioning, generated from deploy/grafana/dashboards.py"
for f in deploy/grafana/dashboards/*.json; do
  python3 - "$f" <<'EOF'
import json, sys
path = sys.argv[1]
board = json.load(open(path))
for key in ("uid", "title", "panels", "schemaVersion", "templating"):
    assert key in board, f"{path}: no {key}"
ids = [p["id"] for p in board["panels"]]
assert len(ids) == len(set(ids)), f"{path}: panel ids repeat"
for p in board["panels"]:
    for t in p.get("targets", []):
        assert t.get("expr"), f"{path}: panel {p['title']} has a target without expr"
print(f"  {path}: {len(board['panels'])} panels")
EOF
done
python3 deploy/grafana/dashboards.py --check

step "every metric of the rules and dashboards is documented in docs/metrics.md"
python3 deploy/selectors.py documented docs/metrics.md

step "docker-compose config -q"
docker-compose -f docker-compose.yml config -q
echo "  docker-compose.yml: valid ($(docker-compose -f docker-compose.yml config --services | wc -l) services)"

step "deploy checks passed"
