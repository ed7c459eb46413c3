#!/usr/bin/env python3
"""Writes Trackline's Grafana dashboards (deploy/grafana/dashboards/*.json) from one description.

The JSON files are what Grafana's file provisioning reads (deploy/grafana/provisioning/dashboards/trackline.yml);
they are generated, so that the three carrier dashboards stay alike and every query is written once. Edit this
file, then run it: python3 deploy/grafana/dashboards.py (deploy/check.sh fails when the JSON is not what it writes).

Every query uses the Prometheus names of metrics the services export (docs/metrics.md) or the recording rules of
deploy/prometheus/rules/recording.yml.
"""

import json
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent / "dashboards"
DS = {"type": "prometheus", "uid": "${datasource}"}
SERVICES = "ingest-webhooks|pollers|normalizer|status-store|carrier-sim"
CARRIERS = {"mrspeedy": "MrSpeedy", "all24": "all24", "247express": "247Express"}


class Board:
    def __init__(self, uid, title, description, tags, variables=()):
        self.uid, self.title, self.description, self.tags = uid, title, description, tags
        self.variables = list(variables)
        self.panels = []
        self.x = self.y = 0
        self.row_height = 0

    def row(self, title):
        self._newline()
        self.panels.append({
            "type": "row", "title": title, "collapsed": False, "panels": [],
            "id": len(self.panels) + 1, "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y},
        })
        self.y += 1

    def _newline(self):
        if self.x:
            self.x = 0
            self.y += self.row_height
            self.row_height = 0

    def panel(self, title, targets, kind="timeseries", unit="short", width=12, height=8, description="",
              stacked=False, thresholds=None, mappings=None, decimals=None):
        if self.x + width > 24:
            self._newline()
        defaults = {"unit": unit}
        if decimals is not None:
            defaults["decimals"] = decimals
        if thresholds:
            defaults["thresholds"] = {"mode": "absolute", "steps": [
                {"color": color, "value": value} for value, color in thresholds]}
        if mappings:
            defaults["mappings"] = mappings
        if kind == "timeseries":
            defaults["custom"] = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
                                  "stacking": {"mode": "normal" if stacked else "none", "group": "A"}}
        options = {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
                   "tooltip": {"mode": "multi", "sort": "desc"}} if kind == "timeseries" else {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "background", "graphMode": "none", "textMode": "auto", "orientation": "auto"}
        self.panels.append({
            "id": len(self.panels) + 1, "type": kind, "title": title, "description": description,
            "datasource": DS, "gridPos": {"h": height, "w": width, "x": self.x, "y": self.y},
            "fieldConfig": {"defaults": defaults, "overrides": []}, "options": options,
            "targets": [{"datasource": DS, "refId": chr(ord("A") + i), "expr": expr, "legendFormat": legend,
                         "range": True, "instant": False} for i, (expr, legend) in enumerate(targets)],
        })
        self.x += width
        self.row_height = max(self.row_height, height)

    def json(self):
        return {
            "uid": self.uid, "title": self.title, "description": self.description, "tags": ["trackline"] + self.tags,
            "editable": True, "graphTooltip": 1, "schemaVersion": 39, "version": 1, "timezone": "utc",
            "time": {"from": "now-3h", "to": "now"}, "refresh": "30s", "fiscalYearStartMonth": 0,
            "annotations": {"list": [{
                "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True,
                "hide": True, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"}]},
            "links": [{"type": "dashboards", "tags": ["trackline"], "asDropdown": True, "title": "Trackline",
                       "includeVars": False, "keepTime": True}],
            "templating": {"list": [{
                "name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
                "current": {"text": "Trackline Prometheus", "value": "trackline-prometheus"}, "hide": 0,
                "refresh": 1, "regex": "", "options": []}] + self.variables},
            "panels": self.panels,
        }


def query_variable(name, label, query, multi=True):
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
            "definition": query, "refresh": 2, "includeAll": True, "multi": multi, "allValue": ".*",
            "current": {"text": "All", "value": "$__all"}, "sort": 1, "hide": 0, "regex": "", "options": []}


UP_MAPPINGS = [{"type": "value", "options": {"0": {"text": "DOWN", "color": "red"},
                                             "1": {"text": "UP", "color": "green"}}}]


def overview():
    b = Board("trackline-overview", "Trackline: pipeline overview",
              "Flow through every stage, consumer lag, stuck partitions, errors, dead letters, freshness per carrier.",
              ["overview"])
    b.row("Services")
    b.panel("Services up", [(f'up{{job=~"{SERVICES}"}}', "{{job}} {{instance}}")], kind="stat", width=24, height=4,
            thresholds=[(None, "red"), (1, "green")], mappings=UP_MAPPINGS,
            description="1 when Prometheus scraped the service's /q/metrics. Alert: TracklineServiceDown.")
    b.row("Flow")
    b.panel("Records per second, per stage", [("trackline:stage_records:rate5m", "{{stage}}")], unit="ops",
            description="Callbacks accepted (ingest-webhooks), changed poll answers published (pollers), raw records "
                        "read and canonical events emitted (normalizer), events stored (status-store).")
    b.panel("Raw records per carrier, last 15 minutes", [("trackline:carrier_raw_records:increase15m", "{{carrier}}")],
            description="Raw records the normalizer read per carrier. Alert: TracklineCarrierSilent (0 for 15 more "
                        "minutes).")
    b.panel("Freshness: time since a carrier's last event", [
        ("trackline:carrier_freshness_seconds:min", "{{carrier}}")], unit="s",
        description="Seconds since status-store last read a canonical event of the carrier (the freshest instance; "
                    "since its start before the first). Alert: TracklineCarrierNoEvents over 20 minutes.")
    b.panel("Canonical events per status", [(
        "sum by (status) (rate(trackline_normalizer_events_emitted_total[5m]))", "{{status}}")], unit="ops",
        stacked=True)
    b.row("Consumers")
    b.panel("Consumer lag (records)", [("trackline:consumer_lag_records:sum", "{{group}} {{topic}}")],
            description="End offset minus the group's committed offset, per group and topic, read from the broker by "
                        "the service that runs the group. Alert: TracklineConsumerLagHigh.")
    b.panel("Consumer lag (seconds)", [("trackline:consumer_lag_seconds:max", "{{group}} {{topic}}")], unit="s",
            description="Age of the oldest record the group has not consumed (now minus its timestamp), the worst "
                        "partition of each topic; 0 when nothing waits. Alert: TracklineConsumerLagSeconds.")
    b.panel("Consumer lag per partition (records)", [(
        "max by (group, topic, partition) (trackline_normalizer_group_lag_records "
        "or trackline_store_group_lag_records or trackline_pollers_group_lag_records)",
        "{{group}} {{topic}}/{{partition}}")], width=8)
    b.panel("Stuck partitions", [("trackline:consumer_stuck_partitions:sum", "{{group}} {{topic}}")], width=8,
            description="Partitions with records waiting and the group's committed offset unmoved for 60 s or more. "
                        "Alert: TracklineConsumerStuck.")
    b.panel("Dead letters, last 10 minutes", [("trackline:dead_lettered:increase10m", "{{topic}} {{reason}}")],
            width=8, description="Records parked on trackline.raw.dlq.v1 and trackline.events.dlq.v1, by reason. "
                                 "Alert: TracklineDeadLettersGrowing.")
    b.panel("Failures", [
        ("sum by (reason) (rate(trackline_webhooks_callbacks_rejected_total[5m]))", "callback refused: {{reason}}"),
        ("sum(rate(trackline_webhooks_publish_seconds_count{outcome!=\"acked\"}[5m]))", "callback not stored in Kafka"),
        ("sum(rate(trackline_store_batch_write_failures_total[5m]))", "status-store batch write failed (retried)"),
        ("sum(rate(trackline_store_dead_letter_publish_failures_total[5m]))", "status-store dead letter not written"),
        ("sum by (carrier) (rate(trackline_pollers_polls_total{outcome=\"carrier_error\"}[5m]))",
         "{{carrier}} look-up failed"),
    ], width=8, unit="ops")
    return b


def carrier(cid, name):
    sel = f'carrier="{cid}"'
    b = Board(f"trackline-carrier-{cid}", f"Trackline: {name}",
              f"{name}: what reaches Trackline from it, look-ups and their outcomes, quota burn-down, mapping.",
              ["carrier", cid],
              [query_variable("account", "Account", f'label_values(trackline_pollers_quota_left{{{sel}}}, account)')])
    acc = f'{sel},account=~"$account"'
    if cid == "mrspeedy":
        b.row("Callbacks")
        b.panel("Callbacks received and accepted", [
            (f'sum by (account) (rate(trackline_webhooks_callbacks_received_total{{{sel}}}[5m]))', "received {{account}}"),
            (f'sum by (account) (rate(trackline_webhooks_callbacks_accepted_total{{{sel}}}[5m]))', "accepted {{account}}"),
        ], unit="ops")
        b.panel("Callback rejections by reason", [(
            f'sum by (reason) (rate(trackline_webhooks_callbacks_rejected_total{{{sel}}}[5m]))', "{{reason}}")],
            unit="ops", stacked=True,
            description="invalid_signature and missing_signature drive TracklineSignatureFailuresSpike.")
        b.panel("Signatures matched, by secret", [(
            f'sum by (account, secret) (rate(trackline_webhooks_signature_matched_total{{{sel}}}[5m]))',
            "{{account}} {{secret}}")], unit="ops", width=8,
            description="current or previous secret: after a rotation, previous should fall to 0.")
        b.panel("Time to store a callback in Kafka (p99)", [(
            f'histogram_quantile(0.99, sum by (le, outcome) (rate(trackline_webhooks_publish_seconds_bucket{{{sel}}}[5m])))',
            "{{outcome}}")], unit="s", width=8)
        b.panel("Callbacks waiting for Kafka", [("sum(trackline_webhooks_callbacks_inflight)", "in flight")], width=8)
    b.row("Look-ups")
    b.panel("Poll outcomes", [(
        f'sum by (outcome) (rate(trackline_pollers_polls_total{{{acc}}}[5m]))', "{{outcome}}")], unit="ops",
        stacked=True, description="tracked, not_found, foreign, invalid_request, rate_limited, quota_exhausted, "
                                  "unauthorized, carrier_error, no_token. Alert: TracklineCarrierErrors.")
    b.panel("Requests sent, by result", [(
        f'sum by (result) (rate(trackline_pollers_carrier_requests_total{{{acc}}}[5m]))', "{{result}}")], unit="ops",
        stacked=True, description="Every attempt of a retry counts; no_token: refused by the quota before sending.")
    b.panel("Answers published and unchanged", [
        (f'sum(rate(trackline_pollers_answers_published_total{{{acc}}}[5m]))', "published (changed)"),
        (f'sum(rate(trackline_pollers_answers_unchanged_total{{{acc}}}[5m]))', "unchanged"),
    ], unit="ops", width=8)
    b.panel("Detection delay (p50, p95)", [
        (f'histogram_quantile(0.5, sum by (le) (rate(trackline_pollers_detection_delay_seconds_bucket{{{sel}}}[30m])))', "p50"),
        (f'histogram_quantile(0.95, sum by (le) (rate(trackline_pollers_detection_delay_seconds_bucket{{{sel}}}[30m])))', "p95"),
    ], unit="s", width=8, description="From the change as the carrier dated it to the publication of the answer "
                                      "that first carried it.")
    b.panel("Subscriptions polled, by status", [(
        f'max by (status) (trackline_pollers_subscriptions_active{{{sel}}})', "{{status}}")], width=8, stacked=True)
    if cid == "mrspeedy":
        b.panel("Reconciliation requests", [(
            'sum by (step, outcome) (rate(trackline_pollers_mrspeedy_reconcile_requests_total{account=~"$account"}[5m]))',
            "{{step}} {{outcome}}")], unit="ops", width=24)
    b.row("Quota")
    b.panel("Quota left today (burn-down)", [
        (f'max by (account) (trackline_pollers_quota_left{{{acc}}})', "left {{account}}"),
        (f'max by (account) (trackline_pollers_quota_budget{{{acc},window="daily"}})', "daily budget {{account}}"),
    ], description="Look-ups the account may still make before the carrier's next local midnight (shared by every "
                   "instance through PostgreSQL). Alert: TracklineQuotaNearlySpent below 10 %.")
    b.panel("Time to exhaustion at the current rate", [(
        f'max by (account) (trackline_pollers_quota_left{{{acc}}}) '
        f'/ on (account) sum by (account) (trackline:quota_taken:rate15m{{{acc}}})', "{{account}}")], unit="s",
        description="Quota left divided by look-ups taken per second over 15 minutes (all instances).")
    b.panel("Quota refused, by reason", [(
        f'sum by (reason) (rate(trackline_pollers_quota_refused_total{{{acc}}}[5m]))', "{{reason}}")], unit="ops",
        width=8, stacked=True)
    b.panel("Cooling down / stopped", [
        (f'max by (account, reason) (trackline_pollers_quota_cooling_down{{{acc}}})', "cooling down {{account}} {{reason}}"),
        (f'max by (account, reason) (trackline_pollers_quota_stopped{{{acc}}})', "stopped {{account}} {{reason}}"),
    ], width=8, description="1 while the account cools down (429, spent carrier quota) or is stopped (401). "
                            "Alert: TracklineCarrierAccountStopped.")
    b.panel("Look-ups taken per second", [(f'trackline:quota_taken:rate15m{{{acc}}}', "{{account}}")], unit="ops",
            width=8)
    b.row("Normalization")
    b.panel("Canonical events per status", [(
        f'sum by (status) (rate(trackline_normalizer_events_emitted_total{{{sel}}}[5m]))', "{{status}}")],
        unit="ops", stacked=True)
    b.panel("Dead letters by reason, last 10 minutes", [(
        f'sum by (reason) (increase(trackline_normalizer_raw_dead_lettered_total{{{sel}}}[10m]))', "{{reason}}")])
    b.panel("Duplicates suppressed", [(
        f'sum(rate(trackline_normalizer_events_duplicate_total{{{sel}}}[5m]))', "duplicates")], unit="ops", width=8)
    b.panel("Carrier error answers", [(
        f'sum by (code) (rate(trackline_normalizer_carrier_errors_total{{{sel}}}[5m]))', "{{code}}")], unit="ops",
        width=8)
    b.panel("Codes without a mapping (UNKNOWN), last hour", [(
        f'sum by (field) (increase(trackline_normalizer_codes_unmapped_total{{{sel}}}[1h]))', "{{field}}")], width=8)
    return b


def status_store():
    b = Board("trackline-status-store", "Trackline: status-store",
              "Writes to PostgreSQL, batch latency, the database pool, its consumer and dead letters, the query API.",
              ["status-store"])
    job = 'job="status-store"'
    b.row("Writes")
    b.panel("Events stored and duplicates", [
        ("sum(rate(trackline_store_events_stored_total[5m]))", "stored (new)"),
        ("sum(rate(trackline_store_events_duplicate_total[5m]))", "duplicate (redelivered)"),
    ], unit="ops", width=8)
    b.panel("Batch write latency", [
        ("histogram_quantile(0.5, sum by (le) (rate(trackline_store_batch_write_seconds_bucket[5m])))", "p50"),
        ("histogram_quantile(0.99, sum by (le) (rate(trackline_store_batch_write_seconds_bucket[5m])))", "p99"),
        ("max(trackline_store_batch_write_seconds_max)", "max"),
    ], unit="s", width=8, description="One batch's transaction, commit included.")
    b.panel("Events per batch", [(
        "sum(rate(trackline_store_batch_size_events_sum[5m])) / sum(rate(trackline_store_batch_size_events_count[5m]))",
        "mean"), ("max(trackline_store_batch_size_events_max)", "max")], width=8)
    b.panel("Write failures (transient, retried)", [
        ("sum(rate(trackline_store_batch_write_failures_total[5m]))", "batch write failures")], unit="ops", width=8)
    b.panel("Dead letters by reason, last 10 minutes", [(
        "sum by (reason) (increase(trackline_store_events_dead_lettered_total[10m]))", "{{reason}}")], width=8)
    b.panel("Dead letters not written", [(
        "sum(increase(trackline_store_dead_letter_publish_failures_total[10m]))", "failures")], width=8)
    b.row("Database pool")
    b.panel("Connections in use and idle", [
        (f'sum by (instance) (sql_pool_active{{{job}}})', "active {{instance}}"),
        (f'sum by (instance) (sql_pool_idle{{{job}}})', "idle {{instance}}"),
    ], width=8)
    b.panel("Waiting for a connection", [
        (f'sum by (instance) (sql_pool_queue_size{{{job}}})', "queued {{instance}}"),
    ], width=8)
    b.panel("Wait for a connection and time held", [
        (f'sum(rate(sql_pool_queue_delay_seconds_sum{{{job}}}[5m])) / sum(rate(sql_pool_queue_delay_seconds_count{{{job}}}[5m]))',
         "mean wait"),
        (f'sum(rate(sql_pool_usage_seconds_sum{{{job}}}[5m])) / sum(rate(sql_pool_usage_seconds_count{{{job}}}[5m]))',
         "mean time held"),
    ], unit="s", width=8)
    b.row("Consumer")
    b.panel("Lag per partition (records)", [(
        "max by (partition) (trackline_store_group_lag_records)", "{{partition}}")], width=8,
        description="trackline.events.v1, group trackline-status-store. Alert: TracklineConsumerLagHigh.")
    b.panel("Lag per partition (seconds)", [(
        "max by (partition) (trackline_store_group_lag_seconds)", "{{partition}}")], unit="s", width=8,
        description="Age of the oldest event not yet stored. Alert: TracklineConsumerLagSeconds.")
    b.panel("Stuck partitions", [('trackline:consumer_stuck_partitions:sum{group="trackline-status-store"}', "stuck")],
            width=8, description="Alert: TracklineConsumerStuck.")
    b.row("Query API")
    b.panel("Requests by path and status", [(
        f'sum by (uri, status) (rate(http_server_requests_seconds_count{{{job}}}[5m]))', "{{uri}} {{status}}")],
        unit="reqps")
    b.panel("Request latency (mean)", [(
        f'sum by (uri) (rate(http_server_requests_seconds_sum{{{job}}}[5m])) '
        f'/ sum by (uri) (rate(http_server_requests_seconds_count{{{job}}}[5m]))', "{{uri}}")], unit="s")
    return b


def jvm():
    b = Board("trackline-jvm", "Trackline: JVM", "Heap, GC, threads, CPU and worker pools of every service.", ["jvm"],
              [query_variable("job", "Service", f'label_values(jvm_info_total{{job=~"{SERVICES}"}}, job)'),
               query_variable("instance", "Instance", 'label_values(jvm_info_total{job=~"$job"}, instance)')])
    sel = 'job=~"$job",instance=~"$instance"'
    b.panel("Uptime", [(f'process_uptime_seconds{{{sel}}}', "{{job}} {{instance}}")], kind="stat", unit="s", width=24,
            height=4, thresholds=[(None, "yellow"), (300, "green")])
    b.panel("Heap used", [(f'sum by (job, instance) (jvm_memory_used_bytes{{{sel},area="heap"}})', "{{job}} {{instance}}")],
            unit="bytes")
    b.panel("Heap max and committed", [
        (f'sum by (job, instance) (jvm_memory_max_bytes{{{sel},area="heap"}})', "max {{job}} {{instance}}"),
        (f'sum by (job, instance) (jvm_memory_committed_bytes{{{sel},area="heap"}})', "committed {{job}} {{instance}}"),
    ], unit="bytes")
    b.panel("Non-heap used", [(f'sum by (job, instance) (jvm_memory_used_bytes{{{sel},area="nonheap"}})',
                               "{{job}} {{instance}}")], unit="bytes", width=8)
    b.panel("GC pause time per second", [(f'sum by (job, instance) (rate(jvm_gc_pause_seconds_sum{{{sel}}}[5m]))',
                                          "{{job}} {{instance}}")], unit="percentunit", width=8)
    b.panel("Allocation rate", [(f'sum by (job, instance) (rate(jvm_gc_memory_allocated_bytes_total{{{sel}}}[5m]))',
                                 "{{job}} {{instance}}")], unit="Bps", width=8)
    b.panel("Process CPU", [(f'process_cpu_usage{{{sel}}}', "{{job}} {{instance}}")], unit="percentunit", width=8)
    b.panel("Live threads", [(f'jvm_threads_live_threads{{{sel}}}', "{{job}} {{instance}}")], width=8)
    b.panel("Open files", [(f'process_files_open_files{{{sel}}}', "{{job}} {{instance}}")], width=8)
    b.panel("Worker pool: busy and queued", [
        (f'sum by (job, instance) (worker_pool_active{{{sel}}})', "active {{job}} {{instance}}"),
        (f'sum by (job, instance) (worker_pool_queue_size{{{sel}}})', "queued {{job}} {{instance}}"),
    ], width=24)
    return b


def boards():
    yield overview()
    for cid, name in CARRIERS.items():
        yield carrier(cid, name)
    yield status_store()
    yield jvm()


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for board in boards():
        path = OUT / f"{board.uid}.json"
        text = json.dumps(board.json(), indent=2) + "\n"
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            OUT.mkdir(exist_ok=True)
            path.write_text(text)
    if stale:
        sys.exit("deploy/grafana/dashboards/ is not what deploy/grafana/dashboards.py writes: " + ", ".join(stale))


if __name__ == "__main__":
    main()
