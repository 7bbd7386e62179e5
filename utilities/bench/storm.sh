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

# Storm control: a broadcast storm from bench-p1 (STORM_FRAMES identical
# UDP broadcasts at STORM_RATE per second, tests/portsec-flood.py) on the
# datapath-ext part's bridge (see veth_bridge_start in common.sh, here
# with datapath-ext on), now with two more guests, bench-p2 and bench-p3,
# that receive it.  Three configurations, their rounds interleaved: no
# limit; security_policy:storm_control_broadcast=STORM_LIMIT (a datapath
# meter that translation puts in the megaflow); and the same limit written
# as OpenFlow, as a controller would (an OpenFlow 1.3 meter and a flow
# "in_port=bench-p1,dl_dst=ff:ff:ff:ff:ff:ff actions=meter:1,NORMAL").
# For each: ovs-vswitchd CPU (ms for the whole storm, and us per frame
# that the datapath processed, hits and misses), upcalls, and the frames
# that each receiving guest got per second of storm.  Needs root and a
# build with datapath-ext; skipped otherwise.
#
# Environment: STORM_FRAMES (default 100000), STORM_RATE (default 50000 a
# second) and STORM_LIMIT (default 1000 a second).

# storm_rx GUEST: the frames that guest GUEST (2, 3) has received.
storm_rx() {
    ip netns exec "$veth_ns-$1" cat /sys/class/net/eth0/statistics/rx_packets
}

# storm_config HOW: "off", "portsec" or "openflow", as above.
storm_config() {
    ovs-ofctl -O OpenFlow13 del-flows brx
    ovs-ofctl -O OpenFlow13 del-meters brx 2> /dev/null || true
    ovs-vsctl remove Port bench-p1 security_policy storm_control_broadcast
    case $1 in
        portsec)
            ovs-vsctl set Port bench-p1 \
                security_policy:storm_control_broadcast="$storm_limit"
            ;;
        openflow)
            ovs-ofctl -O OpenFlow13 add-meter brx \
                "meter=1,pktps,burst,stats,bands=type=drop,rate=$storm_limit,burst_size=$storm_limit"
            ovs-ofctl -O OpenFlow13 add-flow brx \
                "priority=10,in_port=bench-p1,dl_dst=ff:ff:ff:ff:ff:ff,actions=meter:1,NORMAL"
            ;;
    esac
    ovs-ofctl -O OpenFlow13 add-flow brx "priority=0,actions=NORMAL"
    ovs-appctl revalidator/purge
}

# storm_round HOW: a storm under configuration HOW; prints ms of CPU, us
# of CPU per frame processed, upcalls, and frames per second received by
# guests 2 and 3.
storm_round() {
    local t0 t1 hit0 hit1 miss0 miss1 rx2 rx3 start secs processed
    storm_config "$1"
    read -r hit0 miss0 _ _ _ < <(dp_stats bench-p1)
    rx2=$(storm_rx 2) rx3=$(storm_rx 3)
    t0=$(cpu_ticks)
    start=$(date +%s.%N)
    veth_flood --rate="$storm_rate" eth0 bcast "$storm_frames" \
        f0:00:00:01:01:01 10.1.1.1
    secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')
    sleep 1
    t1=$(cpu_ticks)
    read -r hit1 miss1 _ _ _ < <(dp_stats bench-p1)
    processed=$((hit1 - hit0 + miss1 - miss0))
    if [ "$processed" -lt $((storm_frames * 99 / 100)) ]; then
        echo "warning: only $processed of $storm_frames frames were" \
             "processed (storm control $1)" >&2
    fi
    awk -v t=$((t1 - t0)) -v hz="$clk_tck" -v n="$processed" \
        -v up=$((miss1 - miss0)) -v s="$secs" \
        -v r2=$(($(storm_rx 2) - rx2)) -v r3=$(($(storm_rx 3) - rx3)) \
        'BEGIN {printf "%.0f %.3f %d %.0f %.0f\n", t * 1e3 / hz,
                t * 1e6 / hz / (n ? n : 1), up, r2 / s, r3 / s}'
}

bench_storm() {
    local ovs=$1 g r how ms us up r2 r3 off_ms med
    local storm_frames=${STORM_FRAMES:-100000}
    local storm_rate=${STORM_RATE:-50000}
    local storm_limit=${STORM_LIMIT:-1000}

    veth_bench_ok "storm control" || return 0
    veth_bridge_start "$sandbox/storm"
    for g in 2 3; do
        veth_guest_add $g
    done
    ovs-vsctl set Open_vSwitch . other_config:datapath-ext=true

    echo "storm control: broadcast storms of $storm_frames frames ($storm_rate a"
    echo "second) from a veth on a netdev bridge, limit $storm_limit a second,"
    echo "medians of $rounds rounds, configurations interleaved"
    declare -A st_ms=() st_us=() st_up=() st_r2=() st_r3=()
    for ((r = 1; r <= rounds; r++)); do
        for how in off portsec openflow; do
            read -r ms us up r2 r3 < <(storm_round "$how")
            st_ms[$how]+="$ms " st_us[$how]+="$us " st_up[$how]+="$up "
            st_r2[$how]+="$r2 " st_r3[$how]+="$r3 "
        done
    done
    storm_config off
    off_ms=$(printf '%s\n' ${st_ms[off]} | median)
    for how in off portsec openflow; do
        med=$(printf '%s\n' ${st_ms[$how]} | median)
        printf '  %-34s %6s ms CPU (%s us/frame) %4s upcalls' \
            "$(case $how in off) echo "no limit" ;;
                            portsec) echo "storm_control_broadcast=$storm_limit" ;;
                            openflow) echo "OpenFlow meter, same limit" ;; esac)" \
            "$med" "$(printf '%s\n' ${st_us[$how]} | median)" \
            "$(printf '%s\n' ${st_up[$how]} | median)"
        printf '  delivered/s: %6s %6s  %s\n' \
            "$(printf '%s\n' ${st_r2[$how]} | median)" \
            "$(printf '%s\n' ${st_r3[$how]} | median)" "$(ratio "$med" "$off_ms")"
    done
}
