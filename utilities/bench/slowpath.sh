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

# The slow-path cost of port security: ovs-vswitchd CPU time per upcall
# under floods, each frame a datapath miss translated by NORMAL, for the
# same build with the policy off (baseline) and on, in one run.  Prints the
# median of $rounds rounds, the ratio to the baseline and translations per
# CPU-second.  The figure includes netdev-dummy's parsing of each frame
# from its text form, the same in every configuration, so ratios
# understate differences in translation alone.
#
# The megaflow hit path needs no benchmark: no port security code runs
# there (tests/port-security.at checks that benign traffic gets the same
# megaflows with the policy on as off).
#
# Environment: FRAMES per round (default 20000).

bench_slowpath() {
    local ovs=$1 config vary name settings baseline results med ratio \
          rate r p
    local frames=${FRAMES:-20000}

    start_daemons "$sandbox/slowpath" "$ovs"
    small_bridge

    # Each configuration: which address varies, a name, then the ovs-vsctl
    # "set Port p1" arguments that make it (none for a baseline).  "All
    # checks on" runs every check on every frame (ingress, learning limit,
    # output to ports with a policy) but lets the same frames through as
    # the baseline, so that only the cost of the checks differs.
    local secure="port_security='\"0a:00:00:00:00:01\"'"
    local bound="port_security='\"0a:00:00:00:00:01 10.0.0.1\"'"
    local inspect="security_policy:dhcp_snooping=true security_policy:arp_inspection=true security_policy:ip_source_guard=true security_policy:nd_inspection=true security_policy:ra_guard=true"
    local configs=(
        "src|policy off (stock NORMAL)|"
        "src|mac_learn_limit=64 drop|mac_learn_limit=64"
        "src|mac_learn_limit=64 allow|mac_learn_limit=64 mac_learn_limit_policy=allow"
        "src|forged_transmits=reject|$secure security_policy:forged_transmits=reject"
        "dst|policy off (stock NORMAL)|"
        "dst|all checks on|mac_learn_limit=64 $secure security_policy:forged_transmits=reject security_policy:mac_changes=reject -- set Port p2 mac_learn_limit=64 -- set Port p3 mac_learn_limit=64"
        "dst|address checks on|$bound $inspect"
        "ip|policy off (stock NORMAL)|"
        "ip|ip_source_guard=true|$bound $inspect"
    )

    echo "ovs-portsec-bench: $frames datapath misses per round, $rounds rounds;"
    echo "ovs-vswitchd CPU per frame (median), ratio to the baseline above it,"
    echo "and translations per CPU-second"
    baseline=
    for config in "${configs[@]}"; do
        vary=${config%%|*}
        config=${config#*|}
        name=${config%%|*}
        settings=${config#*|}
        clear_small_bridge
        if [ -z "$settings" ]; then
            baseline=
            if [ "$vary" = src ]; then
                echo "MAC flood: each frame from a new source MAC"
            elif [ "$vary" = dst ]; then
                echo "Benign: a secure source MAC, each frame to a new destination"
            else
                echo "IP spoofing: each frame from a new source IP (stock NORMAL"
                echo "does not match the source IP: its frames are megaflow hits)"
            fi
        else
            eval "ovs-vsctl set Port p1 $settings"
        fi
        results=()
        for ((r = 1; r <= rounds; r++)); do
            results+=("$(flood "$r" "$vary")")
        done
        med=$(printf '%s\n' "${results[@]}" | median)
        baseline=${baseline:-$med}
        ratio=$(awk -v m="$med" -v b="$baseline" \
                'BEGIN {printf "%.2f", b ? m / b : 0}')
        rate=$(awk -v m="$med" 'BEGIN {printf "%d", m ? 1000000 / m : 0}')
        printf '  %-28s %6s us/frame  %5sx  %7s/s   (rounds: %s)\n' \
            "$name" "$med" "$ratio" "$rate" "${results[*]}"
    done
}
