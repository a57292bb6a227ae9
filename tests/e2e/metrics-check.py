#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""metrics-check.py SCRAPE SERVICES CONFIG [DASHBOARD]

A scrape (node_exporter's, or drlbd's /metrics) parsed with the Prometheus
client library's own parser, checked against drctl -j -s service show
(SERVICES) and drctl -j -s config show (CONFIG) taken with no traffic in
between: every family of the contract is there with its type, and every
value agrees. With DASHBOARD (docs/grafana-drlb.json), every drlb_ metric
its queries use exists in the scrape. Prints what disagrees; exit 1 if
anything does.
"""
import json
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

# The contract (README, drctl.8): name -> type. The parser names a counter's
# family without its _total.
FAMILIES = {
    "drlb_connections_total": "counter",
    "drlb_incoming_packets_total": "counter",
    "drlb_incoming_bytes_total": "counter",
    "drlb_conn_table_entries": "gauge",
    "drlb_conn_table_limit": "gauge",
    "drlb_stateless_total": "counter",
    "drlb_table_full_total": "counter",
    "drlb_icmp_errors_forwarded_total": "counter",
    "drlb_drops_total": "counter",
    "drlb_hook_packets_total": "counter",
    "drlb_service_connections_total": "counter",
    "drlb_service_incoming_packets_total": "counter",
    "drlb_service_incoming_bytes_total": "counter",
    "drlb_service_backends": "gauge",
    "drlb_backend_connections_total": "counter",
    "drlb_backend_incoming_packets_total": "counter",
    "drlb_backend_incoming_bytes_total": "counter",
    "drlb_backend_connections_active": "gauge",
    "drlb_backend_connections_inactive": "gauge",
    "drlb_backend_weight": "gauge",
    "drlb_backend_health": "gauge",
    "drlb_info": "gauge",
}

problems = []


def check(what, got, want):
    if got != want:
        problems.append(f"{what}: scrape has {got}, drctl {want}")


def main():
    scrape = open(sys.argv[1]).read()
    services = json.load(open(sys.argv[2]))
    cfg = json.load(open(sys.argv[3]))
    families = {f.name: f for f in text_string_to_metric_families(scrape)}
    samples = {}
    for f in families.values():
        for s in f.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value

    for name, kind in FAMILIES.items():
        fam = families.get(name[:-len("_total")] if kind == "counter" else name)
        if fam is None:
            problems.append(f"no family {name}")
        elif fam.type != kind:
            problems.append(f"{name} is a {fam.type}, not a {kind}")

    def value(name, **labels):
        return samples.get((name, tuple(sorted(labels.items()))))

    st = cfg["stats"]
    check("connections", value("drlb_connections_total"), st["conns"])
    check("packets", value("drlb_incoming_packets_total"), st["packets"])
    check("bytes", value("drlb_incoming_bytes_total"), st["bytes"])
    check("table entries", value("drlb_conn_table_entries"), cfg["conn_count"])
    check("table limit", value("drlb_conn_table_limit"), cfg["conn_max"])
    check("stateless", value("drlb_stateless_total"), st["stateless"])
    check("table full", value("drlb_table_full_total"), st["drop_table_full"])
    check("icmp", value("drlb_icmp_errors_forwarded_total"), st["icmp"])
    for reason in ("no_backend", "unreachable", "backend_gone", "too_big", "ttl"):
        check(f"drops {reason}", value("drlb_drops_total", reason=reason),
              st["drop_" + reason])
    for hook in ("prerouting", "ingress", "xdp"):
        check(f"hook {hook}", value("drlb_hook_packets_total", hook=hook),
              st["hook_" + hook])
    check("hooks add up to the packets",
          st["hook_prerouting"] + st["hook_ingress"] + st["hook_xdp"], st["packets"])
    check("info", value("drlb_info", version=cfg["version"]), 1)
    if ("node_textfile_scrape_error", ()) in samples:
        check("node_exporter's textfile errors",
              value("node_textfile_scrape_error"), 0)

    for svc in services:
        key = dict(proto=svc["protocol"], vip=svc["vip"], port=str(svc["port"]))
        for m, k in (("connections", "conns"), ("incoming_packets", "packets"),
                     ("incoming_bytes", "bytes")):
            check(f"service {m}", value(f"drlb_service_{m}_total", **key),
                  svc["stats"][k])
        check("service backends", value("drlb_service_backends", **key),
              len(svc["backends"]))
        for be in svc["backends"]:
            bk = dict(key, backend=be["address"])
            for m, k in (("connections", "conns"), ("incoming_packets", "packets"),
                         ("incoming_bytes", "bytes")):
                check(f"{be['address']} {m}", value(f"drlb_backend_{m}_total", **bk),
                      be["stats"][k])
            for m in ("active", "inactive"):
                check(f"{be['address']} {m}",
                      value(f"drlb_backend_connections_{m}", **bk), be[m])
            check(f"{be['address']} weight", value("drlb_backend_weight", **bk),
                  be["weight"])
            for state in ("up", "down", "unchecked"):
                check(f"{be['address']} health {state}",
                      value("drlb_backend_health", state=state, **bk),
                      1 if be["health"] == state else 0)

    if len(sys.argv) > 4:
        names = {s[0] for s in samples} | set(families)
        board = json.load(open(sys.argv[4]))
        # The panels' queries and the variables' alike.
        exprs = [t["expr"] for p in board["panels"] for t in p.get("targets", [])]
        exprs += [v["query"] for v in board["templating"]["list"] if v["type"] == "query"]
        used = {m for e in exprs for m in re.findall(r"\bdrlb_[a-z_]+", e)}
        if not used:
            problems.append("the dashboard queries no drlb_ metric")
        for m in sorted(used - names):
            problems.append(f"the dashboard queries {m}, which no scrape has")

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
