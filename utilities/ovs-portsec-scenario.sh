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

# ovs-portsec-scenario.sh: the demo's scenario, which
# utilities/ovs-portsec-demo plays on the userspace datapath and
# tests/kernel-datapath/guest on the kernel datapath: daemons from a build
# tree in a sandbox, the cast of guests, and the scenes that both play
# alike.  Bash; it only defines functions.  Source it after
# ovs-portsec-lib.sh, whose guests and checks it uses.
#
# The sourcing script sets $build, the build tree, and defines die, which
# gives up with a message.  sandbox_create sets $sandbox.

# ---------------------------------------------------------------------------
# Daemons.

# sandbox_create NAME: makes $sandbox, a new directory /tmp/NAME.XXXXXX,
# where the daemons keep their database, sockets, pid files and logs.
sandbox_create() {
    sandbox=$(mktemp -d "/tmp/$1.XXXXXX") || die "mktemp failed"
    export OVS_RUNDIR=$sandbox OVS_LOGDIR=$sandbox OVS_DBDIR=$sandbox
    export OVS_SYSCONFDIR=$sandbox OVS_PKGDATADIR=$sandbox
    cp "$build/vswitchd/vswitch.ovsschema" "$sandbox/"
}

# start_ovsdb: creates the database in $sandbox and starts ovsdb-server
# from $build on it.
start_ovsdb() {
    "$build/ovsdb/ovsdb-tool" create "$sandbox/conf.db" \
        "$sandbox/vswitch.ovsschema" || die "ovsdb-tool create failed"
    "$build/ovsdb/ovsdb-server" --remote="punix:$sandbox/db.sock" \
        --pidfile --detach -vconsole:off --log-file "$sandbox/conf.db" \
        || die "ovsdb-server failed to start (see $sandbox/ovsdb-server.log)"
    ovs-vsctl --no-wait init || die "ovs-vsctl init failed"
}

# start_vswitchd [ARG...]: starts ovs-vswitchd from $build, with ARGs
# (--disable-system, say).
start_vswitchd() {
    "$build/vswitchd/ovs-vswitchd" "$@" --pidfile --detach -vconsole:off \
        --log-file "unix:$sandbox/db.sock" \
        || die "ovs-vswitchd failed to start (see $sandbox/ovs-vswitchd.log)"
}

# ---------------------------------------------------------------------------
# The cast.

# add_cast N: guests alice (10.1.1.1) and bob (10.1.1.2), ordinary; flood
# (10.1.1.10) with N more MACs, macvlans mac1...macN (0a:00:00:00:00:11...,
# 10.1.1.11...); and forge (10.1.1.20), which will forge its source MAC.
add_cast() {
    local i
    add_guest alice 0a:00:00:00:00:01 10.1.1.1
    add_guest bob   0a:00:00:00:00:02 10.1.1.2
    add_guest flood 0a:00:00:00:00:10 10.1.1.10
    for i in $(seq 1 "$1"); do
        add_macvlan flood mac$i 0a:00:00:00:00:1$i 10.1.1.1$i
    done
    add_guest forge 0a:00:00:00:00:20 10.1.1.20
}

# ---------------------------------------------------------------------------
# Scenes.

# scene_ordinary: with no policy, every guest talks.
scene_ordinary() {
    check_bystanders
    expect_ping flood eth0 10.1.1.1 "no policy yet"
    expect_ping forge eth0 10.1.1.2 "no policy yet"
}

# scene_forged_transmits [CHECK...]: forge's port gets its MAC and address
# in port_security and forged_transmits=reject; frames from another MAC
# are dropped and counted.  CHECK, a command, runs while forge uses the
# forged MAC 0a:00:00:00:00:66.
scene_forged_transmits() {
    local port=${LINK_PREFIX}forge before
    show ovs-vsctl set Port $port \
        'port_security="0a:00:00:00:00:20 10.1.1.20"' \
        security_policy:forged_transmits=reject
    expect_ping forge eth0 10.1.1.2 "source is its secure MAC"
    before=$(counter $port forged_transmit_drops)
    say "forge changes its MAC to 0a:00:00:00:00:66:"
    ip netns exec ${NS_PREFIX}forge ip link set eth0 address 0a:00:00:00:00:66
    expect_no_ping forge eth0 10.1.1.2 "forged source MAC"
    expect_counter_grows $port forged_transmit_drops "$before"
    if test $# != 0; then
        "$@"
    fi
    check_bystanders
    say "forge goes back to its real MAC:"
    ip netns exec ${NS_PREFIX}forge ip link set eth0 address 0a:00:00:00:00:20
    expect_ping_soon forge eth0 10.1.1.2 "back to its secure MAC"
}

# ---------------------------------------------------------------------------
# DHCP.

# dhcp_setup TIMEOUT: dhclient's configuration for dhcp_lease, which gives
# up after TIMEOUT seconds.  dhclient's own dhclient-script would rewrite
# the host's /etc/resolv.conf: this one only sets the address.
dhcp_setup() {
    printf '%s\n' '#! /bin/sh' 'case $reason in' \
        'BOUND|RENEW|REBIND|REBOOT)' \
        '    ip addr replace $new_ip_address/$new_subnet_mask dev $interface ;;' \
        'esac' 'exit 0' > "$sandbox/dhclient-script"
    chmod +x "$sandbox/dhclient-script"
    echo "timeout $1;" > "$sandbox/dhclient.conf"
}

# dnsmasq_start GUEST RANGE: a DHCP server (only) in GUEST, leasing
# addresses FIRST,LAST of RANGE for an hour.
dnsmasq_start() {
    ip netns exec "$NS_PREFIX$1" dnsmasq --conf-file=/dev/null --port=0 \
        --user=root --interface=eth0 --bind-interfaces \
        --dhcp-range="$2,255.255.255.0,1h" --dhcp-authoritative --no-ping \
        --dhcp-leasefile="$sandbox/$1.leases" \
        --pid-file="$sandbox/$1.dhcp.pid" --log-facility="$sandbox/$1.log" \
        || die "cannot start dnsmasq in $1"
}

# dhcp_lease GUEST SERVER: GUEST asks for an address with dhclient (after
# dhcp_setup), which sets client_ip to the address it got.  PASS if it
# is one that SERVER (a description) leases, 10.1.1.100 to 10.1.1.149.
dhcp_lease() {
    ip netns exec "$NS_PREFIX$1" dhclient -1 -cf "$sandbox/dhclient.conf" \
        -pf "$sandbox/$1.dhcp.pid" -lf "$sandbox/$1.leases" \
        -sf "$sandbox/dhclient-script" eth0 >/dev/null 2>&1
    client_ip=$(ip netns exec "$NS_PREFIX$1" ip -4 -o addr show dev eth0 \
                | awk '{print $4}' | cut -d/ -f1)
    case $client_ip in
        10.1.1.1[0-4][0-9])
            pass "$1 got $client_ip from $2" ;;
        *)
            fail "$1 got an address from $2 (got \"$client_ip\")" ;;
    esac
}

# scene_arp_claim GUEST IP MAC: GUEST, whose MAC is MAC and whose port has
# arp_inspection, claims IP, another guest's address, with gratuitous ARP:
# its port counts arp_inspection_drops, and bob's ARP entry for IP does
# not get MAC.  GUEST keeps IP on its eth0.
scene_arp_claim() {
    local port=$LINK_PREFIX$1 before neigh
    before=$(counter $port arp_inspection_drops)
    ip netns exec "$NS_PREFIX$1" ip addr add "$2/32" dev eth0
    ip netns exec "$NS_PREFIX$1" arping -q -U -c 2 -I eth0 -s "$2" \
        "$2" >/dev/null 2>&1
    expect_counter_grows $port arp_inspection_drops "$before"
    neigh=$(ip netns exec ${NS_PREFIX}bob ip neigh show "$2" \
            | awk '{print $5}')
    if test "$neigh" != "$3"; then
        pass "bob's ARP entry for $2 is not poisoned (${neigh:-none})"
    else
        fail "bob's ARP entry for $2 is not poisoned"
    fi
}
