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

"""ovn.py: port security under OVN, measured.

usage: utilities/bench/ovn.py OVS_TREE
   or: utilities/ovs-portsec-bench OVS_TREE STOCK_TREE ovn (bench/ovn.sh)

Runs OVN in a sandbox directory, as OVN's own testsuite does (one chassis
whose ovs-vswitchd, from OVS_TREE, has the dummy datapath, so no root is
needed): NB and SB ovsdb-servers, Debian's ovn-northd and ovn-controller,
and ovs-portsec-ovn-agent.  Then, in one run:

1. Latency from a northbound change to enforcement on the chassis, over
   CHANGES (default 100) changes of each kind, median and p99:
     - ours: Logical_Switch_Port external_ids:port-security-mac_learn_limit
       set to a new value, until ovs-vswitchd enforces it (its
       port-security/show gives the new limit for the VIF);
     - OVN's own: Logical_Switch_Port port_security set to a new MAC,
       until ovn-controller has installed it (a flow of br-int matches
       dl_src=MAC).
   Both are timed from just before the ovn-nbctl that makes the change to
   the first poll that sees it; each poll runs ovs-appctl or ovs-ofctl,
   so both have the same resolution (a few ms).
2. The agent with PORTS (default 1000) VIFs on the chassis, on
   python3-openvswitch if it is installed, as in production: the time and
   the agent's CPU to write the first 1000 Logical_Port_Security rows, then its
   CPU time and memory (RSS, and its peak) over CHANGES_1000 (default
   1000) northbound changes, one port each, in separate ovn-nbctl
   transactions, and the time until all are on the chassis.

Environment: CHANGES, PORTS, CHANGES_1000; OVN_BINDIR (default /usr/bin)
and OVN_SCHEMADIR (default /usr/share/ovn), Debian's ovn-central and
ovn-host."""

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

# The agent runs on python3-openvswitch, whose python-ovs parses JSON in
# C (ovs._json), as it does where our packages are installed, rather than
# on the build tree's copy, which has no C extension: parsing the database
# updates in Python costs it several times the CPU.
SYSTEM_PYTHON_OVS = subprocess.run(
    ["/usr/bin/python3", "-c", "import ovs.json, sys; "
     "sys.exit(ovs.json.PARSER != ovs.json.PARSER_C)"],
    cwd="/", env={"PATH": "/usr/bin:/bin"}).returncode == 0

OVN_BINDIR = os.environ.get("OVN_BINDIR", "/usr/bin")
OVN_SCHEMADIR = os.environ.get("OVN_SCHEMADIR", "/usr/share/ovn")


class Sandbox(object):
    """The daemons, each with its directory under 'base'."""

    def __init__(self, build, base):
        self.build = build
        self.base = base
        self.pidfiles = []

    def env(self, d):
        e = dict(os.environ)
        for v in ("OVS_RUNDIR", "OVS_DBDIR", "OVS_LOGDIR", "OVS_SYSCONFDIR",
                  "OVN_RUNDIR", "OVN_DBDIR", "OVN_LOGDIR",
                  "OVN_SYSCONFDIR"):
            e[v] = d
        if not SYSTEM_PYTHON_OVS:
            e["PYTHONPATH"] = os.path.join(self.build, "python")
        return e

    def ovs(self, prog):
        sub = {"ovsdb-server": "ovsdb", "ovsdb-tool": "ovsdb",
               "ovs-vswitchd": "vswitchd"}.get(prog, "utilities")
        return os.path.join(self.build, sub, prog)

    def run(self, d, args, check=True):
        prog = args[0]
        if prog.startswith("ovn-"):
            args = [os.path.join(OVN_BINDIR, prog)] + args[1:]
        elif prog.startswith("ovs") and "/" not in prog:
            args = [self.ovs(prog)] + args[1:]
        r = subprocess.run(args, env=self.env(d), capture_output=True,
                           text=True)
        if check and r.returncode:
            sys.exit("%s failed: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def daemon(self, d, name, args):
        pidfile = os.path.join(d, name + ".pid")
        self.run(d, args + ["--detach", "--no-chdir", "--pidfile=" + pidfile,
                            "--log-file=" + os.path.join(d, name + ".log")])
        self.pidfiles.append(pidfile)
        return pidfile

    def dir(self, name):
        d = os.path.join(self.base, name)
        os.makedirs(d, exist_ok=True)
        return d

    def stop(self):
        for pidfile in reversed(self.pidfiles):
            try:
                pid = int(open(pidfile).read())
                os.kill(pid, signal.SIGTERM)
            except (OSError, ValueError):
                pass
        time.sleep(0.5)


def wait_until(what, cond, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.01)
    sys.exit("timed out waiting for " + what)


def start(sb, n_ports):
    central = sb.dir("central")
    for db in ("nb", "sb"):
        sb.run(central, ["ovsdb-tool", "create",
                         os.path.join(central, db + ".db"),
                         os.path.join(OVN_SCHEMADIR,
                                      "ovn-%s.ovsschema" % db)])
        sb.daemon(central, db, [
            "ovsdb-server", "--remote=punix:%s/%s.sock" % (central, db),
            "--unixctl=%s/%s.ctl" % (central, db),
            os.path.join(central, db + ".db")])
    nb = "unix:%s/nb.sock" % central
    sbdb = "unix:%s/sb.sock" % central
    sb.daemon(central, "northd", ["ovn-northd", "--ovnnb-db=" + nb,
                                  "--ovnsb-db=" + sbdb,
                                  "--unixctl=%s/northd.ctl" % central])

    hv = sb.dir("hv1")
    sb.run(hv, ["ovsdb-tool", "create", os.path.join(hv, "conf.db"),
                os.path.join(sb.build, "vswitchd", "vswitch.ovsschema")])
    sb.daemon(hv, "ovsdb-server", [
        "ovsdb-server", "--remote=punix:%s/db.sock" % hv,
        os.path.join(hv, "conf.db")])
    sb.run(hv, ["ovs-vsctl", "--no-wait", "init", "--", "set",
                "Open_vSwitch", ".", "external_ids:system-id=hv1",
                "external_ids:ovn-remote=" + sbdb,
                "external_ids:ovn-encap-type=geneve",
                "external_ids:ovn-encap-ip=127.0.0.1"])
    sb.daemon(hv, "ovs-vswitchd", ["ovs-vswitchd", "--enable-dummy=override",
                                   "--disable-system",
                                   "--disable-system-route"])
    sb.run(hv, ["ovs-vsctl", "add-br", "br-int", "--", "set", "Bridge",
                "br-int", "fail-mode=secure",
                "other_config:disable-in-band=true"])
    sb.daemon(hv, "ovn-controller", ["ovn-controller",
                                     "unix:%s/db.sock" % hv])
    agent = sb.daemon(hv, "ovs-portsec-ovn-agent", [
        "/usr/bin/python3",
        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "..", "ovs-portsec-ovn-agent"),
        "--ovs-db=unix:%s/db.sock" % hv])

    nbctl = ["ovn-nbctl", "--db=" + nb, "ls-add", "ls0"]
    vsctl = ["ovs-vsctl", "--timeout=120"]
    for i in range(n_ports):
        nbctl += ["--", "lsp-add", "ls0", "lsp%d" % i, "--",
                  "lsp-set-addresses", "lsp%d" % i, "%s 10.0.%d.%d"
                  % (mac(i), i // 250, i % 250 + 1)]
        vsctl += ["--", "add-port", "br-int", "p%d" % i, "--", "set",
                  "Interface", "p%d" % i, "type=dummy",
                  "external_ids:iface-id=lsp%d" % i]
    sb.run(central, nbctl)
    sb.run(hv, vsctl)
    return central, hv, nb, agent


def mac(i):
    return "f0:00:00:00:%02x:%02x" % (i >> 8, i & 255)


def nbctl(sb, central, nb, *args):
    sb.run(central, ["ovn-nbctl", "--db=" + nb] + list(args))


def limit_of(sb, hv, port):
    out = sb.run(hv, ["ovs-appctl", "port-security/show", "--format=json",
                      "br-int"], check=False)
    try:
        return json.loads(out)["br-int"]["ports"][port].get(
            "mac_learn_limit")
    except (ValueError, KeyError):
        return None


def has_flow(sb, hv, m):
    return ("dl_src=" + m) in sb.run(hv, ["ovs-ofctl", "dump-flows",
                                          "br-int"], check=False)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * len(values)
                                                   + 0.5)) - 1)]


def latency(sb, central, hv, nb, changes):
    ours = []
    for i in range(changes):
        limit = 100 + i
        t0 = time.time()
        nbctl(sb, central, nb, "set", "Logical_Switch_Port", "lsp0",
              "external_ids:port-security-mac_learn_limit=%d" % limit)
        wait_until("limit %d" % limit,
                   lambda: limit_of(sb, hv, "p0") == limit)
        ours.append((time.time() - t0) * 1000)
    theirs = []
    for i in range(changes):
        m = "f2:00:00:01:%02x:%02x" % (i >> 8, i & 255)
        t0 = time.time()
        nbctl(sb, central, nb, "lsp-set-port-security", "lsp1",
              "%s 10.0.0.2" % m)
        wait_until("port_security %s" % m, lambda: has_flow(sb, hv, m))
        theirs.append((time.time() - t0) * 1000)
    print("Latency from a northbound change to enforcement on the chassis, "
          "%d changes each:" % changes)
    for what, v in (("ovs-portsec key (LSP external_ids)", ours),
                    ("OVN's own port_security", theirs)):
        print("  %-36s median %6.1f ms   p99 %6.1f ms"
              % (what, statistics.median(v), pct(v, 99)))
    print("  ratio of the medians, ours / OVN's: %.2f"
          % (statistics.median(ours) / statistics.median(theirs)))


def proc_usage(pidfile):
    pid = int(open(pidfile).read())
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = hwm = 0
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return cpu, rss, hwm


def rows(sb, hv):
    """Returns the chassis' Logical_Port_Security rows as {iface_id:
    settings}."""
    out = sb.run(hv, ["ovs-vsctl", "--format=json",
                      "--columns=iface_id,settings", "list",
                      "Logical_Port_Security"])
    return {row[0]: dict(row[1][1]) for row in json.loads(out)["data"]}


def scale(sb, central, hv, nb, agent, n_ports, changes):
    # Every port gets a setting through one global default.
    t0 = time.time()
    cpu0, _, _ = proc_usage(agent)
    nbctl(sb, central, nb, "set", "NB_Global", ".",
          "options:port-security-forged_transmits=reject")
    wait_until("%d rows" % n_ports,
               lambda: sum(1 for r in rows(sb, hv).values()
                           if r.get("forged_transmits") == "reject")
               == n_ports, timeout=300)
    cpu1, rss1, _ = proc_usage(agent)
    print("\nThe agent with %d VIFs on the chassis (python-ovs %s):"
          % (n_ports, "of python3-openvswitch, JSON parsed in C"
             if SYSTEM_PYTHON_OVS else "of the build tree, JSON parsed in "
             "Python"))
    print("  one global default to every port: %.1f s until the %d rows "
          "are written, agent CPU %.2f s" % (time.time() - t0, n_ports,
                                               cpu1 - cpu0))

    others = {os.path.basename(f)[:-4]: f for f in sb.pidfiles
              if not f.endswith("ovs-portsec-ovn-agent.pid")}
    others_cpu0 = {name: proc_usage(f)[0] for name, f in others.items()}
    t0 = time.time()
    for i in range(changes):
        nbctl(sb, central, nb, "set", "Logical_Switch_Port",
              "lsp%d" % (i % n_ports),
              "external_ids:port-security-mac_learn_limit=%d" % (i + 1))
    sent = time.time() - t0
    # The last value that each port was given.
    final = {"lsp%d" % (i % n_ports): str(i + 1) for i in range(changes)}
    wait_until("%d changes" % changes,
               lambda: all(rows(sb, hv).get(lsp, {}).get("mac_learn_limit")
                           == value for lsp, value in final.items()),
               timeout=300)
    cpu2, rss2, hwm2 = proc_usage(agent)
    print("  %d changes, one port each: sent in %.1f s, all on the chassis "
          "%.1f s after the first" % (changes, sent, time.time() - t0))
    print("  agent CPU for them: %.2f s (%.2f ms a change); RSS %.1f MB "
          "before, %.1f MB after, peak %.1f MB"
          % (cpu2 - cpu1, (cpu2 - cpu1) * 1000 / changes, rss1 / 1024,
             rss2 / 1024, hwm2 / 1024))
    print("  the others' CPU for them: %s" % ", ".join(
        "%s %.1f s" % (name, proc_usage(f)[0] - others_cpu0[name])
        for name, f in sorted(others.items())))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build = os.path.abspath(sys.argv[1])
    for prog in ("ovn-northd", "ovn-controller", "ovn-nbctl"):
        if not os.access(os.path.join(OVN_BINDIR, prog), os.X_OK):
            print("OVN: skipped, %s is not installed"
                  % prog)
            return
    changes = int(os.environ.get("CHANGES", "100"))
    n_ports = int(os.environ.get("PORTS", "1000"))
    changes_1000 = int(os.environ.get("CHANGES_1000", "1000"))

    # Stop the daemons (below) whatever ends the run.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    base = tempfile.mkdtemp(prefix="ovs-portsec-bench-ovn.")
    sb = Sandbox(build, base)
    try:
        central, hv, nb, agent = start(sb, 10)
        nbctl(sb, central, nb, "--wait=hv", "sync")
        nbctl(sb, central, nb, "set", "NB_Global", ".",
              "options:port-security-bpdu_guard@ls0=true")
        wait_until("the agent", lambda: "bpdu_guard"
                   in rows(sb, hv).get("lsp0", {}))
        latency(sb, central, hv, nb, changes)
        sb.stop()

        sb = Sandbox(build, os.path.join(base, "scale"))
        central, hv, nb, agent = start(sb, n_ports)
        nbctl(sb, central, nb, "--wait=sb", "sync")
        wait_until("%d rows" % n_ports,
                   lambda: len(rows(sb, hv)) == n_ports, timeout=300)
        scale(sb, central, hv, nb, agent, n_ports, changes_1000)
    finally:
        sb.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
