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

# datapath-ext: the MAC flood and the IP spoofing flood of the slowpath
# part, now on real devices: a veth from a network namespace on a
# userspace (netdev) bridge, where datapath-ext's XDP program runs, with
# datapath-ext on and off in the same run, interleaved.  For each: frames
# sent (DPEXT_FRAMES at DPEXT_RATE per second, tests/portsec-flood.py:
# the userspace datapath loses frames from AF_PACKET beyond about that
# when each is an upcall), upcalls, datapath flows after the flood, frames
# dropped in the kernel, and ovs-vswitchd CPU per frame processed (a
# datapath hit or miss, or a kernel drop).  Needs root (namespaces, XDP)
# and a build with datapath-ext; skipped otherwise.
#
# Environment: DPEXT_FRAMES (default 100000) and DPEXT_RATE (default
# 10000 a second).

# dpext_drops: the frames that datapath-ext has dropped from bench-p1.
dpext_drops() {
    local drops
    drops=$(port_security_show bench-p1 datapath_ext_drops brx)
    echo "${drops:-0}"
}

# dpext_round KIND ON: floods bench-p1 with $dpext_frames frames of KIND
# (macs, ips) with datapath-ext ON (true, false), and prints CPU
# microseconds per frame, upcalls, datapath flows and kernel drops.
dpext_round() {
    local kind=$1 on=$2 t0 hit0 hit1 miss0 miss1 drops0 drops1 status \
          flows i
    ovs-vsctl set Open_vSwitch . other_config:datapath-ext="$on"
    for ((i = 0; i < 100; i++)); do
        status=$(ovs-vsctl get Port bench-p1 security_status:datapath_ext)
        case $on/$status in
            true/*"attached (XDP"*|false/*"not attached"*) break ;;
        esac
        sleep 0.1
    done
    ovs-appctl revalidator/purge
    ovs-appctl fdb/flush brx > /dev/null
    read -r hit0 miss0 _ _ _ < <(dp_stats bench-p1)
    drops0=$(dpext_drops)
    t0=$(cpu_ticks)
    veth_flood --rate="$dpext_rate" eth0 "$kind" "$dpext_frames"
    # Let ovs-vswitchd catch up with the upcalls, then count.
    sleep 2
    ovs-appctl revalidator/wait
    read -r hit1 miss1 _ flows _ < <(dp_stats bench-p1)
    drops1=$(dpext_drops)
    # Every frame sent was processed: by the datapath (a hit or a miss) or
    # dropped in the kernel by datapath-ext.
    local processed=$((hit1 - hit0 + miss1 - miss0 + drops1 - drops0))
    if [ "$processed" -lt $((dpext_frames * 99 / 100)) ]; then
        echo "warning: only $processed of $dpext_frames frames were" \
             "processed (datapath-ext $on, $kind)" >&2
    fi
    echo "$(awk -v t=$(($(cpu_ticks) - t0)) -v hz="$clk_tck" \
                -v n="$processed" 'BEGIN {printf "%.2f", t * 1e6 / hz / n}')" \
         "$((miss1 - miss0))" "$flows" "$((drops1 - drops0))"
}

bench_dpext() {
    local ovs=$1 kind r on c u f k off_cpu med
    local dpext_frames=${DPEXT_FRAMES:-100000}
    local dpext_rate=${DPEXT_RATE:-10000}

    veth_bench_ok "datapath-ext floods" || return 0
    veth_bridge_start "$sandbox/dpext"

    echo "datapath-ext: floods of $dpext_frames frames ($dpext_rate a second) from a"
    echo "veth on a netdev bridge (XDP), port with mac_learn_limit=64 and"
    echo "ip_source_guard, medians of $rounds rounds, on and off interleaved;"
    echo "CPU per frame processed"
    for kind in macs ips; do
        local -A dx_cpu=() dx_up=() dx_fl=() dx_kd=()
        for ((r = 1; r <= rounds; r++)); do
            for on in true false; do
                read -r c u f k < <(dpext_round "$kind" "$on")
                dx_cpu[$on]+="$c " dx_up[$on]+="$u "
                dx_fl[$on]+="$f " dx_kd[$on]+="$k "
            done
        done
        # shellcheck disable=SC2086
        off_cpu=$(printf '%s\n' ${dx_cpu[false]} | median)
        for on in false true; do
            # shellcheck disable=SC2086
            med=$(printf '%s\n' ${dx_cpu[$on]} | median)
            # shellcheck disable=SC2086
            printf '  %-23s %-3s %6s us CPU/frame %7s upcalls %6s flows' \
                "random $( [ $kind = macs ] && echo source MACs \
                                           || echo source IPs)" \
                "$( [ $on = true ] && echo on || echo off)" "$med" \
                "$(printf '%s\n' ${dx_up[$on]} | median)" \
                "$(printf '%s\n' ${dx_fl[$on]} | median)"
            # shellcheck disable=SC2086
            printf ' %7s kernel drops  %s\n' \
                "$(printf '%s\n' ${dx_kd[$on]} | median)" \
                "$(ratio "$med" "$off_cpu")"
        done
        unset dx_cpu dx_up dx_fl dx_kd
    done
}
