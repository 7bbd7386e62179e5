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

# Bridge-wide defaults on a bridge of PORTS (default 1000) dummy ports:
# the ovs-vswitchd CPU time (the reconfiguration of every port) and the
# full revalidations that one change of a Bridge's default
# (other_config:port-security-mac_learn_limit=64, inherited by every port)
# costs, next to the same setting written on every Port in one
# transaction, as a script would without defaults; each the median of
# $rounds rounds.  Needs no stock build.

# defaults_phase: runs its arguments as an ovs-vsctl command and prints the
# CPU time (ms) and the full revalidations that it cost ovs-vswitchd.
defaults_phase() {
    local t0 r0
    r0=$(revalidations)
    t0=$(cpu_ticks)
    ovs-vsctl --timeout=300 -vtimeval:console:off "$@" \
        || vswitchd_failed "ovs-vsctl $1 ..."
    echo "$(( ($(cpu_ticks) - t0) * 1000 / clk_tck ))" \
         "$(( $(revalidations) - r0 ))"
}

# defaults_port_args VALUE: the arguments that set (VALUE "set") or clear
# the same setting on each port.
defaults_port_args() {
    local i
    for ((i = 1; i <= ports; i++)); do
        if [ "$1" = set ]; then
            echo "-- set Port p$i mac_learn_limit=64"
        else
            echo "-- clear Port p$i mac_learn_limit"
        fi
    done
}

bench_defaults() {
    local ovs=$1 r i ms n inherited dcpu pcpu
    local ports=${PORTS:-1000}
    local defaults_cpu=() defaults_rev=() ports_cpu=() ports_rev=()

    start_daemons "$sandbox/defaults" "$ovs"
    large_bridge "$ports"
    for ((r = 1; r <= rounds; r++)); do
        read -r ms n < <(defaults_phase set Bridge br0 \
                             other_config:port-security-mac_learn_limit=64)
        defaults_cpu+=("$ms") defaults_rev+=("$n")
        # security_status follows the configuration within a main loop
        # iteration or two.
        for ((i = 0; i < 100; i++)); do
            inherited=$(ovs-vsctl get Port "p$ports" \
                            security_status:inherited 2> /dev/null \
                        | tr -d '"')
            [ "$inherited" = mac_learn_limit ] && break
            sleep 0.1
        done
        if [ "$inherited" != mac_learn_limit ]; then
            echo "error: p$ports does not inherit mac_learn_limit" >&2
            exit 1
        fi
        defaults_phase remove Bridge br0 other_config \
            port-security-mac_learn_limit > /dev/null
        # shellcheck disable=SC2046
        read -r ms n < <(defaults_phase $(defaults_port_args set))
        ports_cpu+=("$ms") ports_rev+=("$n")
        # shellcheck disable=SC2046
        defaults_phase $(defaults_port_args clear) > /dev/null
    done
    echo "Bridge-wide defaults on $ports ports: mac_learn_limit=64 for every"
    echo "port, medians of $rounds rounds"
    dcpu=$(printf '%s\n' "${defaults_cpu[@]}" | median)
    pcpu=$(printf '%s\n' "${ports_cpu[@]}" | median)
    printf '  %-44s %6s ms CPU %3s revalidations\n' \
        "one Bridge default, inherited" "$dcpu" \
        "$(printf '%s\n' "${defaults_rev[@]}" | median)"
    printf '  %-44s %6s ms CPU %3s revalidations  %s\n' \
        "the same on each Port, one transaction" "$pcpu" \
        "$(printf '%s\n' "${ports_rev[@]}" | median)" \
        "$(ratio "$pcpu" "$dcpu")"
    echo "      ms by round: defaults ${defaults_cpu[*]};" \
         "ports ${ports_cpu[*]}"
}
