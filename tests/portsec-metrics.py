#! /usr/bin/python3
# Copyright (c) 2026 The ovs-portsec authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

"""Checks port-security/show --format=openmetrics and --format=prometheus
with python3-prometheus-client's parsers, for the port security tests.

usage: portsec-metrics.py check OPENMETRICS PROMETHEUS SHOW-JSON PORTS-JSON
       portsec-metrics.py free-port
       portsec-metrics.py scrape PORT
       portsec-metrics.py compare-scrape SCRAPE PROMETHEUS

check: parses OPENMETRICS with the strict OpenMetrics 1.0 parser and
PROMETHEUS with the text format 0.0.4 parser, which must give the same
families; checks them against SHOW-JSON (port-security/show --format=json)
and PORTS-JSON (ovs-vsctl --format=json --columns=name,security_statistics
list Port): every security_statistics key is exported, with the value that
the JSON shows, and so are each port's state, limit, last violation and
configuration error.  Prints each family's name, type and number of
samples.

free-port: prints a TCP port of 127.0.0.1 that is free now.

scrape: prints what node_exporter on 127.0.0.1:PORT serves at /metrics.

compare-scrape: checks that the ovs_portsec_* families of SCRAPE (from
node_exporter) are those of PROMETHEUS, with the same types, help, labels
and values, and prints their names and types.

Exits with status 1 and a message on the first difference.
"""

import calendar
import json
import re
import socket
import sys
import time
import urllib.request

from prometheus_client import parser as text_parser
from prometheus_client.openmetrics import parser as openmetrics_parser


def fail(message):
    sys.stderr.write("portsec-metrics.py: %s\n" % message)
    sys.exit(1)


def families(parser, file_name):
    """Returns what 'parser' (a module of prometheus_client) makes of
    'file_name', as {name: (type, help, [(sample name, labels, value)...])}
    for the families named ovs_portsec_*."""
    result = {}
    try:
        for family in parser.text_string_to_metric_families(
                open(file_name).read()):
            if not family.name.startswith("ovs_portsec_"):
                continue
            if family.name in result:
                fail("%s: family %s twice" % (file_name, family.name))
            result[family.name] = (family.type, family.documentation,
                                   [(s.name, s.labels, s.value)
                                    for s in family.samples])
    except ValueError as e:
        fail("%s: %s: %s" % (file_name, parser.__name__, e))
    return result


def stat_sample(key):
    """Returns the sample name and its extra labels that export the
    security_statistics key 'key'."""
    singles = {
        "learn_limit_forwarded": "ovs_portsec_learn_limit_forwarded_total",
        "err_disabled_count": "ovs_portsec_err_disable_events_total",
        "datapath_ext_drops": "ovs_portsec_datapath_ext_drops_total",
        "datapath_ext_drop_bytes":
        "ovs_portsec_datapath_ext_drop_bytes_total",
        "macs_learned": "ovs_portsec_macs_learned",
        "bindings": "ovs_portsec_bindings",
    }
    if key in singles:
        return singles[key], {}
    if key in ("arp_suppressed", "nd_suppressed"):
        return "ovs_portsec_suppressed_total", {"protocol": key.split("_")[0]}
    if key.endswith("_drops"):
        return "ovs_portsec_drops_total", {"reason": key[:-len("_drops")]}
    fail("security_statistics key %s is not exported" % key)


def port_samples(fams, bridge, port):
    """Returns {(sample name, extra labels as a sorted tuple): value} for
    'port' of 'bridge' in 'fams'."""
    result = {}
    for _, _, samples in fams.values():
        for name, labels, value in samples:
            if labels.get("bridge") == bridge and labels.get("port") == port:
                extra = tuple(sorted((k, v) for k, v in labels.items()
                                     if k not in ("bridge", "port")))
                if (name, extra) in result:
                    fail("%s %s twice" % (name, labels))
                result[(name, extra)] = value
    return result


def by_name(samples, name):
    """Returns {extra labels as a sorted tuple: value} of the samples named
    'name' in 'samples' (from port_samples())."""
    return {extra: v for (n, extra), v in samples.items() if n == name}


def expect(what, got, want):
    if got != want:
        fail("%s: %r, expected %r" % (what, got, want))


def check_port(samples, bridge, name, port, db_stats):
    where = "%s %r" % (bridge, name)

    # Every security_statistics key, with the value that the JSON shows.
    shown = {}
    for key, value in port.items():
        if key.endswith("statistics"):
            shown.update(value)
    for key in sorted(db_stats):
        sample, extra = stat_sample(key)
        extra = tuple(sorted(extra.items()))
        if (sample, extra) not in samples:
            fail("%s: no %s%r for %s" % (where, sample, extra, key))
        if key in shown:
            expect("%s: %s" % (where, key), samples[(sample, extra)],
                   shown[key])

    causes = by_name(samples, "ovs_portsec_err_disabled")
    expect(where + ": causes", sorted(c[0][1] for c in causes),
           ["bpdu_guard", "mac_learn_limit", "storm_control"])
    expect(where + ": err-disabled", sum(causes.values()),
           int(port["state"] == "err-disabled"))

    limit = by_name(samples, "ovs_portsec_mac_learn_limit")
    expect(where + ": mac_learn_limit", limit,
           {(("policy", port["mac_learn_limit_policy"]),):
            port["mac_learn_limit"]} if "mac_learn_limit" in port else {})

    violation = by_name(samples,
                        "ovs_portsec_last_violation_timestamp_seconds")
    if "last_violation" in port:
        v = port["last_violation"]
        when, ms = v["time"].rstrip("Z").split(".")
        when = calendar.timegm(time.strptime(when, "%Y-%m-%dT%H:%M:%S"))
        expect(where + ": last violation", list(violation),
               [(("reason", v["reason"]),)])
        expect(where + ": last violation time",
               round(list(violation.values())[0] * 1000),
               when * 1000 + int(ms))
    else:
        expect(where + ": last violation", violation, {})

    expect(where + ": error",
           by_name(samples, "ovs_portsec_config_error"),
           {(): int("error" in port)})

    meters = port.get("storm_control_meters", {})
    classes = [key[len("storm_control_"):] for key in port["security_policy"]
               if key.startswith("storm_control_")
               and key != "storm_control_action"]
    storm = {(("class", c),): int(c in meters) for c in classes}
    expect(where + ": storm control",
           by_name(samples, "ovs_portsec_storm_control_enforced"), storm)

    status = port.get("datapath_ext", {}).get("status", "")
    expect(where + ": datapath-ext",
           by_name(samples, "ovs_portsec_datapath_ext_attached"),
           {(("interface", iface),): int(not negation)
            for iface, negation in re.findall(
                r"(?:^|, )(\S+): (not )?attached", status)})


def check(om_file, prom_file, show_file, ports_file):
    om = families(openmetrics_parser, om_file)
    prom = families(text_parser, prom_file)
    if om != prom:
        fail("the two formats differ:\n%r\n%r" % (om, prom))

    show = json.load(open(show_file))
    table = json.load(open(ports_file))
    names = table["headings"].index("name")
    stats = table["headings"].index("security_statistics")
    db_stats = {row[names]: dict(row[stats][1]) for row in table["data"]}

    ports = set()
    for bridge, br in show.items():
        for name, port in br["ports"].items():
            ports.add((bridge, name))
            check_port(port_samples(om, bridge, name), bridge, name, port,
                       db_stats[name])
    for name, (_, _, samples) in om.items():
        for _, labels, _ in samples:
            if (labels["bridge"], labels["port"]) not in ports:
                fail("%s for %r, which has no port security" % (name,
                                                                labels))

    for name, (typ, _, samples) in om.items():
        print(name, typ, len(samples))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def scrape(port):
    # No proxy, whatever the environment says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open("http://127.0.0.1:%s/metrics" % port, timeout=5) as r:
        sys.stdout.write(r.read().decode())


def compare_scrape(scrape_file, prom_file):
    scraped = families(text_parser, scrape_file)
    prom = families(text_parser, prom_file)

    def key(sample):
        return (sample[0], sorted(sample[1].items()))

    for name in sorted(set(scraped) | set(prom)):
        if name not in scraped or name not in prom:
            fail("family %s only in %s" % (name, scrape_file
                                            if name in scraped
                                            else prom_file))
        (typ, doc, samples), (typ2, doc2, samples2) = scraped[name], prom[name]
        expect(name + ": type", typ, typ2)
        expect(name + ": help", doc, doc2)
        expect(name + ": samples", sorted(samples, key=key),
               sorted(samples2, key=key))
        print(name, typ)


def main():
    commands = {"check": (check, 4), "free-port": (free_port, 0),
                "scrape": (scrape, 1), "compare-scrape": (compare_scrape, 2)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands \
       or len(sys.argv) - 2 != commands[sys.argv[1]][1]:
        sys.stderr.write(__doc__)
        sys.exit(2)
    commands[sys.argv[1]][0](*sys.argv[2:])


if __name__ == "__main__":
    main()
