#!/usr/bin/env python3
"""The metric selectors of Trackline's alert and recording rules and Grafana dashboards, and two checks on them.

A Prometheus rule or a Grafana panel on a misspelled metric is no error anywhere: the rule evaluates as healthy with
an empty result, the panel says "No data". So every selector is checked against what exists:

  selectors.py list                      every metric selector, with where it is used
  selectors.py documented docs/metrics.md
                                         every metric name is a recording rule or is listed in docs/metrics.md
                                         (a timer or summary as its base name: `x_seconds` covers x_seconds_bucket,
                                         _count, _sum and _max); offline, deploy/check.sh runs it
  selectors.py live http://127.0.0.1:9099 [--absent-ok NAME...]
                                         every metric name has series in that Prometheus (/api/v1/series), except the
                                         names given after --absent-ok (counters that appear only at their first
                                         event); a full selector (with its label matchers) without series is only
                                         noted, since a label value may not have occurred yet
                                         (deploy/live-check.sh runs it against the running pipeline)

Standard library only (Python 3.8+). PyYAML is used when present (Debian's docker-compose depends on it), else a
minimal reader of the rule files' `expr:` lines.
"""

import json
import pathlib
import re
import sys
import urllib.parse
import urllib.request

DEPLOY = pathlib.Path(__file__).resolve().parent
RULES = sorted((DEPLOY / "prometheus" / "rules").glob("*.yml"))
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))

KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
            "inf", "nan", "start", "end"}
GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
RANGE = re.compile(r"\[[^\]]*\]")
TOKEN = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^}]*\})?")
MATCHER = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*")\s*,?')


def rule_expressions():
    for path in RULES:
        try:
            import yaml  # noqa: PLC0415

            doc = yaml.safe_load(path.read_text())
            for group in doc["groups"]:
                for rule in group["rules"]:
                    yield f"{path.relative_to(DEPLOY)}: {rule.get('record') or rule.get('alert')}", rule["expr"]
        except ImportError:
            yield from _expr_lines(path)


def _expr_lines(path):
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"\s*expr:\s*(.*)", line)
        if not m:
            continue
        text = m.group(1)
        if text in (">-", ">", "|", "|-"):
            indent = len(lines[i + 1]) - len(lines[i + 1].lstrip())
            parts = []
            for nxt in lines[i + 1:]:
                if nxt.strip() and len(nxt) - len(nxt.lstrip()) < indent:
                    break
                parts.append(nxt.strip())
            text = " ".join(parts)
        yield f"{path.relative_to(DEPLOY)}:{i + 1}", text


def dashboard_expressions():
    for path in DASHBOARDS:
        board = json.loads(path.read_text())
        for panel in board["panels"]:
            for target in panel.get("targets", []):
                yield f"{path.relative_to(DEPLOY)}: {panel['title']}", target["expr"]
        for var in board["templating"]["list"]:
            if var["type"] == "query":
                q = var["query"]["query"] if isinstance(var["query"], dict) else var["query"]
                m = re.match(r"label_values\((.*),\s*\w+\)$", q)
                if m:
                    yield f"{path.relative_to(DEPLOY)}: variable {var['name']}", m.group(1)


def selectors(expr):
    """(metric name, label matchers text) of every vector selector in a PromQL expression."""
    # Strings first (they may hold anything), kept as placeholders so that matchers can be restored.
    strings = []

    def keep(m):
        strings.append(m.group(0))
        return f'"{len(strings) - 1}"'

    text = STRING.sub(keep, expr)
    text = RANGE.sub(" ", text)
    text = GROUPING.sub(" ", text)
    found = []
    for m in TOKEN.finditer(text):
        name, braces = m.group(1), m.group(2)
        rest = text[m.end():].lstrip()
        if name.lower() in KEYWORDS or (not braces and rest.startswith("(")):
            continue
        if re.match(r"^\d", name):
            continue
        before = text[:m.start()].rstrip()
        if before.endswith(".") or re.search(r"\d$", before):  # part of a number such as 1e3
            continue
        matchers = re.sub(r'"(\d+)"', lambda s: strings[int(s.group(1))], braces[1:-1]) if braces else ""
        found.append((name, matchers.strip()))
    return found


def all_selectors():
    seen = {}
    for where, expr in list(rule_expressions()) + list(dashboard_expressions()):
        for name, matchers in selectors(expr):
            seen.setdefault((name, matchers), []).append(where)
    return seen


def recorded_names():
    return {name for where, _ in rule_expressions() for name in [where.split(": ")[-1]] if ":" in name}


def concrete(matchers):
    """The label matchers without those on Grafana variables ($account), which only Grafana can fill in."""
    kept = [f"{label}{op}{value}" for label, op, value in MATCHER.findall(matchers) if "$" not in value]
    return ",".join(kept)


def series_count(base, selector):
    url = f"{base.rstrip('/')}/api/v1/series?" + urllib.parse.urlencode({"match[]": selector})
    with urllib.request.urlopen(url, timeout=10) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise RuntimeError(f"{selector}: {body}")
    return len(body["data"])


def main(argv):
    if len(argv) < 1 or argv[0] not in ("list", "documented", "live"):
        sys.exit(__doc__)
    found = all_selectors()
    names = sorted({name for name, _ in found})
    if argv[0] == "list":
        for (name, matchers), where in sorted(found.items()):
            print(f"{name}{{{matchers}}}  <- {'; '.join(sorted(set(where)))}")
        return 0
    if argv[0] == "documented":
        doc = pathlib.Path(argv[1]).read_text()
        listed = set(re.findall(r"`([a-z_:][a-z0-9_:]*)`", doc))
        suffixes = ("_bucket", "_count", "_sum", "_max")
        missing = [n for n in names if ":" not in n and n not in listed
                   and not any(n.endswith(x) and n[: -len(x)] in listed for x in suffixes)]
        for n in missing:
            print(f"not in {argv[1]}: {n}  <- {'; '.join(sorted({w for (k, _), ws in found.items() if k == n for w in ws}))}")
        print(f"{len(names)} metric names in {len(RULES)} rule files and {len(DASHBOARDS)} dashboards;"
              f" {len(missing)} undocumented")
        return 1 if missing else 0
    base = argv[1]
    absent_ok = set(argv[argv.index("--absent-ok") + 1:]) if "--absent-ok" in argv else set()
    failed, absent = 0, set()
    for name in names:
        if series_count(base, name) == 0:
            absent.add(name)
            uses = sorted({w for (k, _), ws in found.items() if k == name for w in ws})
            if name in absent_ok:
                print(f"absent, allowed (appears at its first event): {name}")
            else:
                failed += 1
                print(f"NO SERIES  {name}  <- {'; '.join(uses)}")
    for (name, matchers), where in sorted(found.items()):
        sel = concrete(matchers)
        if name not in absent and sel and series_count(base, f"{name}{{{sel}}}") == 0:
            print(f"note: {name} has series, none yet with {{{sel}}}")
    print(f"{len(names)} metric names checked against {base}: {failed} without series"
          + (f", {len(absent & absent_ok)} absent as allowed" if absent & absent_ok else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
