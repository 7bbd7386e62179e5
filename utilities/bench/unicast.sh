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

# Known-unicast NORMAL on a bridge of PORTS (default 1000) dummy ports:
# frames from MAC A on p1 to MAC B, learned on p2, as a bundle of OpenFlow
# packet-outs with actions=NORMAL, each a full translation that outputs to
# p2 only.  Three configurations, their rounds interleaved, a, b, c, a, b,
# c..., so that the other load of the machine weighs on all three alike:
# (a) stock Open vSwitch from the same upstream source (STOCK_TREE: no
# hooks, none of our files, its own schema and daemons); (b) this build
# with no port security setting; (c) this build with every port set as a
# VM's port usually is, benign traffic passing (its MAC in port_security
# and forged_transmits=reject, not promiscuous).  (b) and (c) share
# daemons, only the policy changes.  Prints the medians of ovs-vswitchd's
# CPU per frame while the bundle commits, which is the translations and
# the outputs and nothing else, and the ratios (b)/(a) and (c)/(a) (the
# target is (c) <= 1.05 x (a)).  Skipped, with a message, without a stock
# build.
#
# The frames are OpenFlow packet-outs with actions=NORMAL and in_port=p1,
# not frames received by netdev-dummy: on a bridge of 1000 dummy ports,
# each iteration of ovs-vswitchd's main loop costs about a millisecond of
# CPU (it polls and checks every port), and netdev-dummy hands the
# datapath one received frame per port and iteration, so that a datapath
# miss's translation would be a few percent of the CPU time measured per
# frame.  A bundle's packet-outs are all translated and executed in one
# iteration, when the bundle is committed, so the CPU time of the commit
# divided by the frames is translation (the same xlate_actions() as for an
# upcall, with the same port security checks at ingress, in NORMAL and on
# output) and execution (the output to p2), and nothing else.
#
# Environment: FRAMES per round (default 20000), PORTS (default 1000).

mac_a=0a:00:00:00:00:01 mac_b=0a:00:00:00:00:02
unicast_policy="port_security=its MAC security_policy:forged_transmits=reject"

# unicast_frame PORT SRC DST: a UDP frame received on OpenFlow port PORT,
# in netdev-dummy/receive's form.
unicast_frame() {
    echo "in_port($1),eth(src=$2,dst=$3),eth_type(0x0800),ipv4(src=10.0.0.$1,dst=10.0.0.9,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)"
}

# unicast_learn: empties the datapath and NORMAL's MAC table, then makes
# NORMAL learn B on p2 and A on p1 (a frame from each), and checks it.
unicast_learn() {
    ovs-appctl revalidator/purge
    ovs-appctl fdb/flush br0 > /dev/null
    ovs-appctl netdev-dummy/receive p2 "$(unicast_frame 2 $mac_b $mac_a)"
    ovs-appctl netdev-dummy/receive p1 "$(unicast_frame 1 $mac_a $mac_b)"
    ovs-appctl revalidator/wait
    if [ "$(ovs-appctl fdb/show br0 | awk -v a=$mac_a -v b=$mac_b '
                ($1 == 1 && $3 == a) || ($1 == 2 && $3 == b)' \
            | wc -l)" != 2 ]; then
        echo "error: NORMAL did not learn $mac_a on p1 and $mac_b on p2:" >&2
        ovs-appctl fdb/show br0 >&2
        exit 1
    fi
}

# unicast_check_trace NAME [POLICY]: checks that NORMAL forwards A->B from
# p1 to the learned port, and only there, and with POLICY "on", that p1
# may not send from another MAC (the policy is in force).
unicast_check_trace() {
    local trace p2
    if [ "${2:-}" = on ] && ! ovs-appctl ofproto/trace br0 \
            "in_port=1,dl_src=0a:00:00:00:ff:ff,dl_dst=$mac_b" \
            | grep -q 'port security: forged transmit'; then
        echo "error: $1: p1 may send from 0a:00:00:00:ff:ff" >&2
        exit 1
    fi
    trace=$(ovs-appctl ofproto/trace br0 "udp,in_port=1,dl_src=$mac_a,dl_dst=$mac_b,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2")
    p2=$(ovs-appctl dpctl/show | awk '$1 == "port" && $3 == "p2" {
                                          print $2 + 0 }')
    if ! grep -q 'forwarding to learned port' <<< "$trace" \
        || [ "$(grep '^Datapath actions:' <<< "$trace")" \
             != "Datapath actions: $p2" ]; then
        echo "error: $1: A->B is not forwarded to p2 (datapath port" \
             "$p2) only:" >&2
        echo "$trace" >&2
        exit 1
    fi
}

# port_tx PORT: the frames that the datapath has sent to PORT.
port_tx() {
    ovs-appctl dpctl/show -s | awk -v port="$1" '
        $1 == "port" { found = $3 == port }
        found && /TX packets:/ { sub(/.*TX packets:/, ""); print $1 }'
}

# unicast_bundle: sends br0 a bundle of $frames packet-outs, A->B in_port=1
# actions=NORMAL, each from a new UDP source port, then commits it, and
# prints the CPU time of ovs-vswitchd's main thread (which handles
# OpenFlow messages and so the commit) during the commit, in ns.
# A client of its own, rather than "ovs-ofctl bundle", since the time must
# be read between the last message added and the commit.
unicast_bundle() {
    python3 - "$OVS_RUNDIR/br0.mgmt" "$vswitchd_pid" "$frames" \
        "$mac_a" "$mac_b" <<'PYTHON'
import socket, struct, sys

path, pid, n, src, dst = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    bytes.fromhex(sys.argv[4].replace(':', '')), \
    bytes.fromhex(sys.argv[5].replace(':', ''))
OFP14 = 5
HELLO, ERROR, ECHO_REQUEST, ECHO_REPLY, PACKET_OUT = 0, 1, 2, 3, 13
BARRIER_REQUEST, BARRIER_REPLY, BUNDLE_CONTROL, BUNDLE_ADD = 20, 21, 33, 34
OPEN, COMMIT = 0, 4                     # Bundle control requests.
BUNDLE_ID = 1

def msg(type_, body, xid=0):
    return struct.pack('!BBHI', OFP14, type_, 8 + len(body), xid) + body

def cpu_ns():
    with open('/proc/%s/task/%s/schedstat' % (pid, pid)) as f:
        return int(f.read().split()[0])

def checksum(data):
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def frame(sport):
    ip = bytearray(struct.pack('!BBHHHBBH4s4s', 0x45, 0, 28, 0, 0, 64, 17, 0,
                               bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])))
    ip[10:12] = struct.pack('!H', checksum(ip))
    return (dst + src + b'\x08\x00' + bytes(ip)
            + struct.pack('!HHHH', sport, 2, 8, 0))

sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.connect(path)
buf = b''

def recv_until(type_, xid):
    global buf
    while True:
        while len(buf) < 8 or len(buf) < struct.unpack('!H', buf[2:4])[0]:
            data = sock.recv(65536)
            if not data:
                sys.exit('ovs-vswitchd closed the OpenFlow connection')
            buf += data
        length = struct.unpack('!H', buf[2:4])[0]
        m, buf = buf[:length], buf[length:]
        version, t, _, x = struct.unpack('!BBHI', m[:8])
        if t == ERROR:
            sys.exit('OpenFlow error type %d code %d for xid %d'
                     % (struct.unpack('!HH', m[8:12]) + (x,)))
        if t == ECHO_REQUEST:
            sock.sendall(msg(ECHO_REPLY, m[8:], x))
        elif t == type_ and (xid is None or x == xid):
            return m

sock.sendall(msg(HELLO, b''))
if struct.unpack('!B', recv_until(HELLO, None)[:1])[0] < OFP14:
    sys.exit('ovs-vswitchd does not speak OpenFlow 1.4')
sock.sendall(msg(BUNDLE_CONTROL, struct.pack('!IHH', BUNDLE_ID, OPEN, 0), 1))
recv_until(BUNDLE_CONTROL, 1)
# ofp_action_output to OFPP_NORMAL.
normal = struct.pack('!HHIH6x', 0, 16, 0xfffffffa, 0)
adds = []
for i in range(n):
    xid = 2 + i
    po = msg(PACKET_OUT, struct.pack('!IIH6x', 0xffffffff, 1, len(normal))
             + normal + frame(i & 0xffff), xid)
    adds.append(msg(BUNDLE_ADD, struct.pack('!IHH', BUNDLE_ID, 0, 0) + po,
                    xid))
sock.sendall(b''.join(adds))
sock.sendall(msg(BARRIER_REQUEST, b'', n + 2))
recv_until(BARRIER_REPLY, n + 2)
start = cpu_ns()
sock.sendall(msg(BUNDLE_CONTROL, struct.pack('!IHH', BUNDLE_ID, COMMIT, 0),
                 n + 3))
recv_until(BUNDLE_CONTROL, n + 3)
print(cpu_ns() - start)
PYTHON
}

# unicast_round NAME POLICY: learns A on p1 and B on p2, checks them (see
# unicast_check_trace), then sends and commits a bundle of $frames
# packet-outs A->B with NORMAL, checks that each went to p2 and none to p3,
# and prints ovs-vswitchd's CPU per frame during the commit, in
# microseconds.
unicast_round() {
    local ns tx2 tx3
    unicast_learn
    unicast_check_trace "$1" "$2"
    tx2=$(port_tx p2) tx3=$(port_tx p3)
    ns=$(unicast_bundle) || vswitchd_failed "the bundle of packet-outs"
    tx2=$(($(port_tx p2) - tx2)) tx3=$(($(port_tx p3) - tx3))
    if [ "$tx2" != "$frames" ] || [ "$tx3" != 0 ]; then
        echo "error: $1: of $frames packet-outs to $mac_b, p2 sent $tx2" \
             "and p3 $tx3" >&2
        exit 1
    fi
    awk -v ns="$ns" -v n="$frames" 'BEGIN {printf "%.2f", ns / 1000 / n}'
}

# unicast_settings ON: sets $unicast_policy on every port (ON "on"), or
# clears it, in one transaction.
unicast_settings() {
    local args=() i mac
    for ((i = 1; i <= ports; i++)); do
        if [ "$1" = on ]; then
            printf -v mac '0a:00:00:00:%02x:%02x' $((i >> 8)) $((i & 255))
            args+=(-- set Port "p$i" "port_security=\"$mac\""
                   security_policy:forged_transmits=reject)
        else
            args+=(-- clear Port "p$i" port_security security_policy)
        fi
    done
    ovs-vsctl --timeout=300 -vtimeval:console:off "${args[@]}" \
        || vswitchd_failed "setting the policy of $ports ports $1"
}

bench_unicast() {
    local ovs=$1 stock=$2 r c policy med base
    local frames=${FRAMES:-20000} ports=${PORTS:-1000}
    local unicast_configs unicast_cpu

    if [ -z "$stock" ]; then
        echo "Known-unicast NORMAL on $ports ports: skipped, no stock build"
        return 0
    fi
    start_daemons "$sandbox/portsec" "$ovs"
    large_bridge "$ports"
    start_daemons "$sandbox/stock" "$stock"
    large_bridge "$ports"
    use_daemons "$sandbox/portsec" "$ovs"

    echo "Known-unicast NORMAL on a bridge of $ports dummy ports: bundles of"
    echo "$frames packet-outs in_port=p1 actions=NORMAL from $mac_a to $mac_b"
    echo "(learned on p2), each forwarded to p2 only; $rounds rounds of each"
    echo "configuration, interleaved.  Medians of ovs-vswitchd CPU per frame"
    echo "while the bundle commits (translation and output), ratios to stock."
    echo "(c) sets on every port: $unicast_policy"
    unicast_configs=(
        "(a) stock $(ovs-vswitchd --version | sed -n 's/.* //p;q')"
        "(b) portsec, no port security setting"
        "(c) portsec, every port set"
    )
    unicast_cpu=("" "" "")
    for ((r = 1; r <= rounds; r++)); do
        for c in 0 1 2; do
            policy=off
            if [ $c = 0 ]; then
                use_daemons "$sandbox/stock" "$stock"
            else
                use_daemons "$sandbox/portsec" "$ovs"
                policy=$([ $c = 2 ] && echo on || echo off)
                unicast_settings "$policy"
            fi
            unicast_cpu[c]+=" $(unicast_round "${unicast_configs[c]}" \
                                              "$policy")"
        done
    done
    for c in 0 1 2; do
        # shellcheck disable=SC2086
        med=$(printf '%s\n' ${unicast_cpu[c]} | median)
        if [ $c = 0 ]; then
            base=$med
        fi
        printf '  %-40s %8s us/frame %7s\n' "${unicast_configs[c]}" "$med" \
            "$(ratio "$med" "$base")"
        echo "      by round:${unicast_cpu[c]}"
    done
    echo "  target (c) <= 1.05 x (a): $(awk -v c="$med" -v a="$base" \
        'BEGIN {print c <= 1.05 * a ? "met" : "NOT met"}')"
}
