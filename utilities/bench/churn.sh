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

# DHCP snooping's binding churn: LEASES (default 1000) leases granted in
# a burst to clients on untrusted p2 by a server on trusted p1, then
# released after traffic used them, counting the datapath revalidations
# that the binding changes cause, the IP_Source_Binding transactions, and
# ovs-vswitchd's CPU time per DHCP message.

# churn_send_hex PORT FILE: makes PORT receive the hex packets in FILE.
churn_send_hex() {
    local port=$1 file=$2
    xargs -n $batch ovs-appctl netdev-dummy/receive "$port" < "$file" \
        > /dev/null
}

# churn_phase NAME N_MSGS COMMAND...: runs COMMAND and prints what it
# cost: wall time, ovs-vswitchd CPU per message (of N_MSGS), datapath
# revalidations for binding changes (portsec_binding_revalidate) and in all
# (rev_reconfigure), and the IP_Source_Binding transactions once the
# writes have settled.
churn_phase() {
    local name=$1 start_cpu end_cpu start_ns end_ns rev0 rev1 all0 all1 \
          txn0 txn1 n_msgs=$2
    shift 2
    rev0=$(coverage_counter portsec_binding_revalidate)
    all0=$(coverage_counter rev_reconfigure)
    txn0=$(coverage_counter bridge_portsec_binding_txn)
    start_cpu=$(cpu_ticks)
    start_ns=$(date +%s%N)
    "$@"
    ovs-appctl revalidator/wait
    end_ns=$(date +%s%N)
    end_cpu=$(cpu_ticks)
    sleep 2.5                   # Let the batched database writes finish.
    ovs-appctl revalidator/wait
    rev1=$(coverage_counter portsec_binding_revalidate)
    all1=$(coverage_counter rev_reconfigure)
    txn1=$(coverage_counter bridge_portsec_binding_txn)
    printf '  %-34s %5d ms  %4d us CPU/msg  revalidations %d (all: %d)  db txns %d  bindings %d\n' \
        "$name" $(( (end_ns - start_ns) / 1000000 )) \
        $(( (end_cpu - start_cpu) * 1000000 / clk_tck / n_msgs )) \
        $((rev1 - rev0)) $((all1 - all0)) $((txn1 - txn0)) \
        "$(ovs-appctl port-security/bindings br0 | grep -c ' dhcp ' || true)"
}

# churn_client I: sets $mac and $ip to the MAC and the address of DHCP
# client I.
churn_client() {
    printf -v mac '0a:01:00:00:%02x:%02x' $(($1 >> 8)) $(($1 & 255))
    ip=10.1.$(($1 >> 8)).$(($1 & 255 | 1))
}

# churn_use_bindings: each client sends one frame from its address, so
# that cached flows use every binding and their removal must revalidate.
churn_use_bindings() {
    local args=() mac ip i
    for ((i = 0; i < leases; i++)); do
        churn_client $i
        args+=("in_port(2),eth(src=$mac,dst=0a:00:00:00:00:fe),eth_type(0x0800),ipv4(src=$ip,dst=10.0.0.254,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)")
    done
    printf '%s\n' "${args[@]}" | xargs -n $batch \
        ovs-appctl netdev-dummy/receive p2 > /dev/null
}

# churn_leases_burst: every client's request on p2, each followed by the
# server's ack on p1, in batches.
churn_leases_burst() {
    local f
    split -l $batch "$packets/request" "$packets/request."
    split -l $batch "$packets/ack" "$packets/ack."
    for f in "$packets"/request.*; do
        churn_send_hex p2 "$f"
        churn_send_hex p1 "$packets/ack.${f##*.}"
    done
}

bench_churn() {
    local ovs=$1 kind args mac ip i
    local leases=${LEASES:-1000} packets=$sandbox/churn/packets
    local inspect="security_policy:dhcp_snooping=true security_policy:arp_inspection=true security_policy:ip_source_guard=true security_policy:nd_inspection=true security_policy:ra_guard=true"

    start_daemons "$sandbox/churn" "$ovs"
    small_bridge

    echo "Binding churn: $leases DHCP clients on untrusted p2, server on trusted p1"
    ovs-appctl revalidator/purge
    ovs-vsctl set Port p1 security_policy:trusted=true \
        -- set Port p2 $inspect security_policy:max_bindings=1024 \
           security_policy:dhcp_rate_limit=0
    mkdir "$packets"
    for kind in request ack release; do
        args=()
        for ((i = 0; i < leases; i++)); do
            churn_client $i
            case $kind in
            request) args+=(dhcp4 type=request xid=$((i + 1)) src=$mac --) ;;
            ack) args+=(dhcp4 type=ack xid=$((i + 1)) chaddr=$mac yiaddr=$ip
                        lease=3600 server_id=10.0.0.254 src=0a:00:00:00:00:fe
                        --) ;;
            release) args+=(dhcp4 type=release xid=$((i + 100000)) src=$mac
                            sip=$ip ciaddr=$ip dip=10.0.0.254 --) ;;
            esac
        done
        unset 'args[${#args[@]}-1]'
        /usr/bin/python3 "$ovs/tests/portsec-packet.py" "${args[@]}" \
            > "$packets/$kind"
    done

    churn_phase "$leases leases (request + ack)" $((2 * leases)) \
        churn_leases_burst
    churn_phase "traffic from every binding" "$leases" churn_use_bindings
    churn_phase "$leases releases of used bindings" "$leases" \
        churn_send_hex p2 "$packets/release"
    echo "  (without the stale-flow tracking and the 100 ms coalescing, each of"
    echo "  the $((2 * leases)) binding changes would be a full revalidation)"
}
