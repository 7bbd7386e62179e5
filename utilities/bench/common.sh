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

# common.sh: what the parts of utilities/ovs-portsec-bench share, sourced
# by it after utilities/ovs-portsec-lib.sh and before the parts.  Bash; it
# only defines functions and settings.
#
# Settings the driver sets before sourcing: $top_srcdir, the top of the
# source tree, $ovs, the build tree whose programs stop_daemons runs, and
# $sandbox, an empty directory that it removes at the end.  Each part runs
# in a subshell of its own, with "set -e", and keeps its daemons in
# "$sandbox/PART" (see start_daemons).
#
# Environment: ROUNDS, the rounds of each measurement (default 5).

rounds=${ROUNDS:-5}
clk_tck=$(getconf CLK_TCK)
system_path=$PATH

# netdev-dummy queues at most 100 received frames per port and drops the
# rest; the main loop takes up to 32 per iteration, one ovs-appctl command
# per iteration, so batches of 32 keep up.  The per-frame figures divide by
# the frames that the port really received, all the same.
batch=32

# ---------------------------------------------------------------------------
# Daemons.

# stop_daemons: stops the ovs-vswitchd and ovsdb-server of every
# directory under $sandbox that still has them.
stop_daemons() {
    local dir d
    for dir in "$sandbox"/*/; do
        dir=${dir%/}
        for d in ovs-vswitchd ovsdb-server; do
            if [ -f "$dir/$d.pid" ]; then
                "$ovs/utilities/ovs-appctl" \
                    -t "$dir/$d.$(cat "$dir/$d.pid").ctl" \
                    exit > /dev/null 2>&1 || true
            fi
        done
    done
}

# use_daemons DIR TREE: the commands that follow run TREE's programs and
# talk to the daemons in DIR.
use_daemons() {
    export OVS_RUNDIR=$1 OVS_LOGDIR=$1 OVS_DBDIR=$1 OVS_SYSCONFDIR=$1
    export PATH=$2/utilities:$2/vswitchd:$2/ovsdb:$system_path
    if [ -f "$1/ovs-vswitchd.pid" ]; then
        vswitchd_pid=$(cat "$1/ovs-vswitchd.pid")
    fi
}

# start_daemons DIR TREE: starts TREE's ovsdb-server, with a database of
# TREE's schema, and ovs-vswitchd in DIR, and uses them.
start_daemons() {
    local dir=$1 tree=$2
    mkdir -p "$dir"
    use_daemons "$dir" "$tree"
    ovsdb-tool create "$dir/conf.db" "$tree/vswitchd/vswitch.ovsschema"
    ovsdb-server --detach --no-chdir --pidfile --log-file -vconsole:off \
        --remote="punix:$dir/db.sock" "$dir/conf.db" 2> /dev/null
    ovs-vswitchd --enable-dummy --disable-system --detach --no-chdir \
        --pidfile --log-file -vconsole:off -vfile:info 2> /dev/null
    vswitchd_pid=$(cat "$dir/ovs-vswitchd.pid")
}

# vswitchd_failed WHAT: exits, saying that WHAT failed, whether
# ovs-vswitchd is still running, and the end of its log.
vswitchd_failed() {
    if kill -0 "$vswitchd_pid" 2> /dev/null; then
        echo "error: $1 failed; the end of ovs-vswitchd's log:" >&2
    else
        echo "error: ovs-vswitchd exited (during $1); the end of its log:" >&2
    fi
    tail -20 "$OVS_LOGDIR/ovs-vswitchd.log" >&2
    exit 1
}

# vsctl ARG...: ovs-vsctl, failing rather than waiting forever for an
# ovs-vswitchd that no longer runs.
vsctl() {
    ovs-vsctl --timeout=60 "$@" || vswitchd_failed "ovs-vsctl $*"
}

# ---------------------------------------------------------------------------
# Bridges.

# small_bridge: br0 on the dummy datapath, with dummy ports p1, p2 and p3
# (OpenFlow ports 1, 2, 3) and room for a million learned MACs.
small_bridge() {
    ovs-vsctl --timeout=10 add-br br0 -- set Bridge br0 datapath_type=dummy \
        fail-mode=standalone other_config:mac-table-size=1000000
    for i in 1 2 3; do
        ovs-vsctl add-port br0 p$i -- set Interface p$i type=dummy \
            ofport_request=$i
    done
}

# large_bridge N: br0, with N dummy ports p1, p2... (OpenFlow port I is
# pI) in one transaction.
large_bridge() {
    local args=() i
    for ((i = 1; i <= $1; i++)); do
        args+=(-- add-port br0 "p$i" -- set Interface "p$i" type=dummy
               "ofport_request=$i")
    done
    ovs-vsctl --timeout=300 -vtimeval:console:off add-br br0 \
        -- set Bridge br0 datapath_type=dummy fail-mode=standalone \
        "${args[@]}" || vswitchd_failed "adding $1 ports"
}

# clear_small_bridge: no port security setting on p1, p2 and p3.
clear_small_bridge() {
    for p in p1 p2 p3; do
        ovs-vsctl clear Port $p mac_learn_limit mac_learn_limit_policy \
            security_policy port_security
    done
}

# ---------------------------------------------------------------------------
# What ovs-vswitchd and its datapath did.

# dp_stats PORT: prints the datapath's lookups (hit, missed, lost), its
# number of flows, and the frames that PORT has received.  Every frame
# that the datapath processes is either a hit or a miss (an upcall); lost
# counts the misses whose upcall failed.
dp_stats() {
    ovs-appctl dpctl/show -s | awk -v port="$1" '
        $1 == "lookups:" {
            for (i = 2; i <= NF; i++) {
                split($i, kv, ":")
                lookups[kv[1]] = kv[2]
            }
        }
        $1 == "flows:" { flows = $2 }
        $1 == "port" && $3 == port { found = 1; next }
        found && /RX packets:/ {
            sub(/.*RX packets:/, "")
            rx = $1
            found = 0
        }
        END { print lookups["hit"], lookups["missed"], lookups["lost"],
                    flows, rx }'
}

# cpu_ticks: ovs-vswitchd's user+system CPU time, in clock ticks.
cpu_ticks() {
    awk '{print $14 + $15}' "/proc/$vswitchd_pid/stat"
}

# coverage_counter NAME: the value of ovs-vswitchd's coverage counter NAME
# (not to be confused with ovs-portsec-lib.sh's counter, a port's
# port security counter).
coverage_counter() {
    ovs-appctl coverage/read-counter "$1"
}

# revalidations: the datapath revalidations so far for a change in
# NORMAL's MAC learning table or in the configuration (which includes the
# admission table), once ovs-vswitchd's threads have added their counts
# to the totals (they do every second).
revalidations() {
    sleep 1.1
    echo $(( $(coverage_counter rev_mac_learning) \
             + $(coverage_counter rev_reconfigure) ))
}

# ---------------------------------------------------------------------------
# Traffic.

# flood ROUND VARY: sends $frames frames on p1 of br0, each a datapath
# miss, and prints the CPU time it cost ovs-vswitchd, in microseconds per
# frame.  Writes to $sandbox/flood.stats what the round cost and did: CPU
# ticks, frames received by p1, datapath hits, misses and lost upcalls,
# and the datapath's flows at the end.
# VARY "src": each from a new source MAC, to broadcast (a MAC flood);
# VARY "dst": all from 0a:00:00:00:00:01, each to a new unknown unicast
# destination (benign traffic that passes every check);
# VARY "ip": all from 0a:00:00:00:00:01 to 0a:00:00:00:00:02, each from a
# new source IP (an IP spoofing flood).
flood() {
    local round=$1 vary=$2 start end args=() n=0 mac src dst rx0 rx1 \
          hit0 hit1 miss0 miss1 lost0 lost1 flows
    ovs-appctl revalidator/purge
    ovs-appctl fdb/flush br0 > /dev/null
    read -r hit0 miss0 lost0 flows rx0 < <(dp_stats p1)
    start=$(cpu_ticks)
    for ((i = 0; i < frames; i++)); do
        printf -v mac '0a:%02x:%02x:%02x:%02x:%02x' "$round" \
            $((i >> 24 & 255)) $((i >> 16 & 255)) $((i >> 8 & 255)) \
            $((i & 255))
        sip=10.0.0.1
        if [ "$vary" = src ]; then
            src=$mac dst=ff:ff:ff:ff:ff:ff
        elif [ "$vary" = dst ]; then
            src=0a:00:00:00:00:01 dst=$mac
        else
            src=0a:00:00:00:00:01 dst=0a:00:00:00:00:02
            sip=$((10 + round)).$((i >> 16 & 255)).$((i >> 8 & 255)).$((i & 255))
        fi
        args+=("in_port(1),eth(src=$src,dst=$dst),eth_type(0x0800),ipv4(src=$sip,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)")
        n=$((n + 1))
        if [ $n = $batch ]; then
            ovs-appctl netdev-dummy/receive p1 "${args[@]}"
            args=()
            n=0
        fi
    done
    if [ $n -gt 0 ]; then
        ovs-appctl netdev-dummy/receive p1 "${args[@]}"
    fi
    ovs-appctl revalidator/wait
    end=$(cpu_ticks)
    read -r hit1 miss1 lost1 flows rx1 < <(dp_stats p1)
    echo "$((end - start)) $((rx1 - rx0)) $((hit1 - hit0)) $((miss1 - miss0))" \
         "$((lost1 - lost0)) $flows" > "$sandbox/flood.stats"
    if [ $((rx1 - rx0)) -lt $((frames * 99 / 100)) ]; then
        echo "warning: p1 received only $((rx1 - rx0)) of $frames frames" >&2
    fi
    echo $(( (end - start) * 1000000 / clk_tck / (rx1 - rx0) ))
}

# ---------------------------------------------------------------------------
# Figures.

# median: the median of the numbers on standard input, one a line.
median() {
    sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

# ratio M B: M / B, as "1.23x" (or "123x" from 100 on).
ratio() {
    awk -v m="$1" -v b="$2" 'BEGIN {
        r = b ? m / b : 0
        printf (r >= 100 ? "%.0fx" : "%.2fx"), r
    }'
}

# per_frame X N: X / N, with 9 significant digits.
per_frame() {
    awk -v x="$1" -v n="$2" 'BEGIN {printf "%.9g", x / n}'
}

# ---------------------------------------------------------------------------
# Real devices: a userspace (netdev) bridge whose ports are veths from
# network namespaces.  Root only.

veth_ns=ovs-portsec-bench-$$

# veth_bench_ok WHAT: succeeds if this is root and $ovs was built with
# datapath-ext; otherwise says that WHAT is skipped and fails.
veth_bench_ok() {
    if [ "$(id -u)" != 0 ] \
       || ! grep -q '^#define HAVE_PORTSEC_DATAPATH_EXT 1' "$ovs/config.h"
    then
        echo "$1: skipped (needs root and a build with datapath-ext)"
        return 1
    fi
}

# veth_bridge_start DIR: starts $ovs's daemons in DIR with bridge brx of
# the userspace datapath and its port bench-p1, a veth whose peer is eth0
# (f0:00:00:01:01:01) in namespace $veth_ns, with mac_learn_limit=64,
# port_security "f0:00:00:01:01:01 10.1.1.1" and ip_source_guard.  Makes
# the subshell's exit remove them all (veth_bridge_cleanup).
veth_bridge_start() {
    veth_dir=$1
    trap veth_bridge_cleanup EXIT
    start_daemons "$veth_dir" "$ovs"
    ovs-vsctl --timeout=10 add-br brx -- set Bridge brx datapath_type=netdev \
        fail-mode=standalone
    ip netns add "$veth_ns"
    ip link add bench-p1 type veth peer name eth0 netns "$veth_ns"
    ip netns exec "$veth_ns" ip link set eth0 address f0:00:00:01:01:01
    ip netns exec "$veth_ns" ip link set eth0 up
    ip link set bench-p1 up
    ovs-vsctl add-port brx bench-p1 -- set Port bench-p1 mac_learn_limit=64 \
        'port_security="f0:00:00:01:01:01 10.1.1.1"' \
        security_policy:ip_source_guard=true
}

# veth_guest_add G: one more guest, namespace $veth_ns-G whose eth0
# (f0:00:00:01:01:0G) is the peer of port bench-pG of brx.
veth_guest_add() {
    ip netns add "$veth_ns-$1"
    ip link add bench-p$1 type veth peer name eth0 netns "$veth_ns-$1"
    ip netns exec "$veth_ns-$1" ip link set eth0 address f0:00:00:01:01:0$1
    ip netns exec "$veth_ns-$1" ip link set eth0 up
    ip link set bench-p$1 up
    ovs-vsctl add-port brx bench-p$1
}

# veth_bridge_cleanup: removes what veth_bridge_start and veth_guest_add
# made.  The userspace datapath leaves its devices (ovs-netdev, brx)
# behind unless its bridge is deleted before ovs-vswitchd exits.
veth_bridge_cleanup() {
    local ns
    use_daemons "$veth_dir" "$ovs"
    ovs-vsctl --timeout=10 --if-exists del-br brx 2> /dev/null || true
    ovs-appctl -t ovs-vswitchd exit --cleanup 2> /dev/null || true
    for ns in $(ip netns list | awk -v ns="$veth_ns" '
                    $1 == ns || index($1, ns "-") == 1 { print $1 }'); do
        ip netns del "$ns" 2> /dev/null || true
    done
    ip link del bench-p1 2> /dev/null || true
}

# veth_flood ARG...: runs tests/portsec-flood.py ARG... in namespace
# $veth_ns, with the system's python3.
veth_flood() {
    ip netns exec "$veth_ns" "$(PATH=$system_path command -v python3)" \
        "$top_srcdir/tests/portsec-flood.py" "$@"
}
