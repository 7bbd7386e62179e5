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

# ARP suppression (security_policy:arp_suppression): N guests, each bound
# to its address by port_security (a static binding), resolving each
# other, every guest asking for every other one with a broadcast ARP
# request, once with suppression off on every port and once on, in the same
# run, on a bridge of its own (dummy ports; daemons of their own).  Counts
# the broadcast requests that the other guests' ports were sent (the
# flood that suppression removes), the replies that the requesters got
# from the switch, and the upcalls, and checks with the datapath's
# hit/missed counters that every request was processed.  Then the same
# requests again, to show that the answers come from the megaflows: no
# upcall.
#
# Environment: SUPPRESS_GUESTS guests (default 20).

# suppress_arp_request I J: the hex of guest I's broadcast ARP request for
# guest J's address (guest K: MAC 0a:5a:00:00:00:KK, IP 10.90.0.K; K up
# to 100, the most frames that a dummy port queues).
suppress_arp_request() {
    # Ethernet (broadcast), then ARP: Ethernet/IPv4, request, sender,
    # target (RFC 826).
    printf 'ffffffffffff0a5a000000%02x0806' "$1"
    printf '0001080006040001''0a5a000000%02x0a5a00%02x''000000000000''0a5a00%02x\n' \
        "$1" "$1" "$2"
}

# suppress_tx: prints the frames that each guest port has been sent, one
# number a line, guest 1 first.
suppress_tx() {
    local i
    ovs-appctl dpctl/show -s | awk -v n="$suppress_guests" '
        $1 == "port" { port = $3; next }
        /TX packets:/ && port ~ /^sup[0-9]+$/ {
            sub(/.*TX packets:/, "")
            tx[substr(port, 4) + 0] = $1
        }
        END { for (i = 1; i <= n; i++) print tx[i] + 0 }'
}

# suppress_round: every guest asks for every other one.  Prints the
# requests sent, the frames that the other guests were sent, the replies
# that the requesters got, the datapath's lookups (hits + misses) and its
# misses (upcalls).
suppress_round() {
    local i j args hit0 miss0 hit1 miss1 others=0 replies=0 tx0 tx1
    local sent=$((suppress_guests * (suppress_guests - 1)))
    read -r hit0 miss0 _ < <(dp_stats sup1)
    for ((i = 1; i <= suppress_guests; i++)); do
        mapfile -t tx0 < <(suppress_tx)
        args=()
        for ((j = 1; j <= suppress_guests; j++)); do
            [ "$i" != "$j" ] && args+=("$(suppress_arp_request "$i" "$j")")
        done
        ovs-appctl netdev-dummy/receive "sup$i" "${args[@]}" > /dev/null
        # The main loop processes a port's queue 32 frames at a time.
        sleep 0.2
        ovs-appctl revalidator/wait
        mapfile -t tx1 < <(suppress_tx)
        for ((j = 1; j <= suppress_guests; j++)); do
            if [ "$i" = "$j" ]; then
                replies=$((replies + tx1[j - 1] - tx0[j - 1]))
            else
                others=$((others + tx1[j - 1] - tx0[j - 1]))
            fi
        done
    done
    read -r hit1 miss1 _ < <(dp_stats sup1)
    if [ $((hit1 - hit0 + miss1 - miss0)) -ne "$sent" ]; then
        echo "warning: $sent requests sent, but the datapath processed" \
             "$((hit1 - hit0 + miss1 - miss0))" >&2
    fi
    echo "$sent $others $replies $((hit1 - hit0 + miss1 - miss0))" \
         "$((miss1 - miss0))"
}

bench_suppress() {
    local ovs=$1 i on pass sent others replies processed upcalls
    local suppress_guests=${SUPPRESS_GUESTS:-20}

    start_daemons "$sandbox/suppress" "$ovs"
    # A round takes longer than the default max-idle of 10 s: keep the
    # flows for the second pass.
    ovs-vsctl --timeout=10 set Open_vSwitch . other_config:max-idle=60000 \
        -- add-br brs -- set Bridge brs datapath_type=dummy \
        fail-mode=standalone
    for ((i = 1; i <= suppress_guests; i++)); do
        ovs-vsctl add-port brs "sup$i" -- set Interface "sup$i" type=dummy \
            -- set Port "sup$i" \
            "port_security=\"$(printf '0a:5a:00:00:00:%02x 10.90.0.%d' \
                                   "$i" "$i")\""
    done
    echo "ARP suppression: $suppress_guests guests bound by port_security," \
         "each resolving every other one"
    for on in false true; do
        for ((i = 1; i <= suppress_guests; i++)); do
            ovs-vsctl set Port "sup$i" security_policy:arp_suppression=$on
        done
        ovs-appctl revalidator/purge
        for pass in first again; do
            read -r sent others replies processed upcalls \
                < <(suppress_round)
            printf '  %-3s %-5s %5d requests %5d processed %6d frames to' \
                "$( [ $on = true ] && echo on || echo off)" "$pass" \
                "$sent" "$processed" "$others"
            printf ' other guests %5d replies %5d upcalls\n' \
                "$replies" "$upcalls"
        done
    done
}
