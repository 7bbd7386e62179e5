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

# ovs-portsec-lib.sh: shell functions shared by the scripts that drive
# ovs-portsec with real traffic between network namespaces ("guests"):
# utilities/ovs-portsec-demo (sources it from its own directory, with
# ovs-portsec-scenario.sh, the scenario that it shares),
# tests/kernel-datapath/guest (both, from ../../utilities),
# utilities/ovs-portsec-bench, and the system tests
# tests/system-port-security*.at (from $abs_top_srcdir/utilities, which
# the build links here).  Bash; it only defines functions and defaults.
#
# Settings, which the sourcing script may change after sourcing:
#
#   BRIDGE       the bridge that guests attach to (default br0)
#   NS_PREFIX    guest NAME lives in network namespace $NS_PREFIX$NAME
#   LINK_PREFIX  whose veth peer $LINK_PREFIX$NAME is a port of $BRIDGE
#                (both default to empty)
#   PS_TRIES     how many times, every 0.5 s, the expect_* and wait_*
#                functions look before they give up (default 10)
#   PYTHON3      the Python 3 that parses JSON (default python3)
#
# The ovs-* commands are whatever ovs-vsctl, ovs-appctl and ovs-ofctl are
# found: the system tests use the build tree's, on $PATH; the scripts call
# ps_use_build_tree.

BRIDGE=${BRIDGE:-br0}
NS_PREFIX=${NS_PREFIX:-}
LINK_PREFIX=${LINK_PREFIX:-}
PS_TRIES=${PS_TRIES:-10}

# ---------------------------------------------------------------------------
# Open vSwitch.

# ps_use_build_tree BUILD TIMEOUT
#
# Makes ovs-vsctl, ovs-appctl and ovs-ofctl the programs of build tree
# BUILD, with ovs-vsctl and ovs-appctl waiting at most TIMEOUT seconds.
ps_use_build_tree() {
    ps_build=$1
    ps_timeout=$2
    ovs-vsctl() {
        "$ps_build/utilities/ovs-vsctl" --timeout="$ps_timeout" "$@"
    }
    ovs-appctl() {
        "$ps_build/utilities/ovs-appctl" --timeout="$ps_timeout" "$@"
    }
    ovs-ofctl() { "$ps_build/utilities/ovs-ofctl" "$@"; }
}

# port_security_show PORT KEY [BRIDGE]
#
# Prints what "ovs-appctl port-security/show --format=json" reports for
# PORT of BRIDGE (default $BRIDGE): with KEY a member of the port's object
# (state, reason, mac_learn_limit, error...), its value; otherwise the
# value of counter KEY from its "statistics", "snooping_statistics",
# "protocol_statistics", "storm_control_statistics",
# "suppression_statistics" or "datapath_ext" (datapath_ext_drops, and
# "status", the kernel filter of each interface).
# Prints nothing if there is no such port or key.  The JSON form is
# documented in ovs-vswitchd.conf.db(5) (Port table) and at port_to_json()
# in ofproto/ofproto-dpif-portsec-unixctl.c.
port_security_show() {
    ovs-appctl port-security/show --format=json "${3:-$BRIDGE}" 2>/dev/null \
        | "${PYTHON3:-python3}" -c '
import json
import sys

port, key = sys.argv[1:]
try:
    bridges = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
for bridge in bridges.values():
    p = bridge["ports"].get(port)
    if p is None:
        continue
    for where in (p, p.get("statistics", {}),
                  p.get("snooping_statistics", {}),
                  p.get("protocol_statistics", {}),
                  p.get("storm_control_statistics", {}),
                  p.get("suppression_statistics", {}),
                  p.get("datapath_ext", {})):
        if key in where:
            value = where[key]
            print(value if isinstance(value, (str, int))
                  else json.dumps(value, sort_keys=True))
            sys.exit(0)' "$1" "$2"
}

# counter PORT KEY: like port_security_show, but prints 0 if not found.
counter() {
    local value
    value=$(port_security_show "$1" "$2")
    echo "${value:-0}"
}

# fdb_macs IFACE [BRIDGE]
#
# Prints the MACs that BRIDGE (default $BRIDGE) has learned on interface
# IFACE, one a line.
fdb_macs() {
    local bridge=${2:-$BRIDGE} ofport
    ofport=$(ovs-vsctl get Interface "$1" ofport)
    ovs-appctl fdb/show "$bridge" | awk -v p="$ofport" '$1 == p { print $3 }'
}

# ---------------------------------------------------------------------------
# Guests.

guests=""                       # Guests created so far, for cleanup.

# add_guest NAME MAC [IP]
#
# Creates namespace $NS_PREFIX$NAME with interface eth0 (MAC, IP/24 if
# given), the other end of which, $LINK_PREFIX$NAME, is a port of $BRIDGE.
# Calls die, which the sourcing script defines, if that fails.
add_guest() {
    local name=$1 mac=$2 ip=${3:-}
    local ns=$NS_PREFIX$name link=$LINK_PREFIX$name

    ip netns add "$ns" || die "cannot create namespace $ns"
    guests="$guests $name"
    # No IPv6: its DAD, MLD and router solicitation frames would make the
    # bridge learn MACs on its own.  Strict ARP: a guest with several
    # interfaces answers ARP for an address only on the one that owns it.
    ip netns exec "$ns" sysctl -q -w \
        net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 \
        net.ipv4.conf.all.arp_ignore=1 \
        net.ipv4.conf.all.arp_announce=2 \
        net.ipv4.conf.all.rp_filter=0 \
        net.ipv4.conf.default.rp_filter=0 2>/dev/null
    ip link add "$link" type veth peer name eth0 netns "$ns" \
        || die "cannot create veth pair $link"
    # The userspace datapath reads the veth with an AF_PACKET socket,
    # which does not cope with TX offloads.
    if test "$(ovs-vsctl get Bridge "$BRIDGE" datapath_type)" = netdev; then
        ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null 2>&1
    fi
    ip netns exec "$ns" ip link set eth0 address "$mac"
    if test -n "$ip"; then
        ip netns exec "$ns" ip addr add "$ip/24" dev eth0
    fi
    ip netns exec "$ns" ip link set eth0 up
    ip netns exec "$ns" ip link set lo up
    ip link set "$link" up
    ovs-vsctl add-port "$BRIDGE" "$link" || die "cannot add port $link"
}

# add_macvlan GUEST DEV MAC IP
#
# Gives GUEST one more source MAC: macvlan interface DEV on its eth0.
add_macvlan() {
    local ns=$NS_PREFIX$1
    ip netns exec "$ns" ip link add "$2" link eth0 address "$3" \
        type macvlan mode bridge
    ip netns exec "$ns" ip addr add "$4/24" dev "$2"
    ip netns exec "$ns" ip link set "$2" up
}

# can_ping GUEST DEV DST
#
# Succeeds if GUEST, sending from interface DEV (its MAC and address),
# gets a reply from DST.  Takes about a second if it does not.
can_ping() {
    ip netns exec "$NS_PREFIX$1" \
        ping -q -c 2 -i 0.2 -W 1 -I "$2" "$3" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------
# Checks that print "PASS: what", "FAIL: what" or "SKIP: what (why)" (with
# colors if the sourcing script sets $green, $red, $bold and $plain),
# counted in $n_pass, $n_fail and $n_skip.

n_pass=0
n_fail=0
n_skip=0

section() {
    echo
    echo "${bold:-}== $* ==${plain:-}"
}

say() {
    echo "   $*"
}

pass() {
    n_pass=$((n_pass + 1))
    echo "${green:-}PASS${plain:-}: $*"
}

skip() {
    n_skip=$((n_skip + 1))
    echo "SKIP: $*"
}

fail() {
    n_fail=$((n_fail + 1))
    echo "${red:-}FAIL${plain:-}: $*"
}

# check WHAT COMMAND...: PASS if COMMAND succeeds, else FAIL.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

# Runs a command, showing it, indented.
show() {
    echo "   \$ $*"
    "$@" 2>&1 | sed 's/^/     /'
}

# expect_ping GUEST DEV DST [WHY]: PASS if the ping works, else FAIL.
expect_ping() {
    local what="$1 ($2) can ping $3${4:+: $4}"
    if can_ping "$1" "$2" "$3"; then pass "$what"; else fail "$what"; fi
}

# expect_no_ping GUEST DEV DST [WHY]: PASS if the ping fails, else FAIL.
expect_no_ping() {
    local what="$1 ($2) cannot ping $3${4:+: $4}"
    if can_ping "$1" "$2" "$3"; then fail "$what"; else pass "$what"; fi
}

# expect_ping_soon GUEST DEV DST [WHY]: PASS if the ping works within a
# few seconds (for right after a state change).
expect_ping_soon() {
    local what="$1 ($2) can ping $3${4:+: $4}"
    for _ in 1 2 3 4 5; do
        if can_ping "$1" "$2" "$3"; then
            pass "$what"
            return
        fi
    done
    fail "$what"
}

# expect_equal WHAT GOT EXPECTED
expect_equal() {
    if test "$2" = "$3"; then
        pass "$1 is $3"
    else
        fail "$1 is $3 (got \"$2\")"
    fi
}

# expect_counter_grows PORT KEY BEFORE: PASS if counter KEY of PORT gets
# above BEFORE within $PS_TRIES half-seconds (drops of packets handled by
# cached datapath flows are counted when the revalidators collect their
# statistics).
expect_counter_grows() {
    local value
    for _ in $(seq 1 "$PS_TRIES"); do
        value=$(counter "$1" "$2")
        if test "$value" -gt "$3" 2>/dev/null; then
            pass "$1 $2 grew from $3 to $value"
            return
        fi
        sleep 0.5
    done
    fail "$1 $2 grew from $3 (still $value)"
}

# wait_state PORT STATE: PASS if PORT reaches STATE within $PS_TRIES
# half-seconds.
wait_state() {
    local state
    for _ in $(seq 1 "$PS_TRIES"); do
        state=$(port_security_show "$1" state)
        if test "$state" = "$2"; then
            pass "$1 is $2"
            return
        fi
        sleep 0.5
    done
    fail "$1 is $2 (got \"$state\")"
}

# wait_true CONDITION: succeeds if the shell command CONDITION (evaluated)
# succeeds within $PS_TRIES half-seconds.  For check: check WHAT wait_true
# CONDITION.
wait_true() {
    for _ in $(seq 1 "$PS_TRIES"); do
        if eval "$1"; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

# check_bystanders: the ordinary guests alice (10.1.1.1) and bob
# (10.1.1.2) keep talking whatever happens to the others.
check_bystanders() {
    expect_ping alice eth0 10.1.1.2 "ordinary guests are not affected"
    expect_ping bob eth0 10.1.1.1 "ordinary guests are not affected"
}
