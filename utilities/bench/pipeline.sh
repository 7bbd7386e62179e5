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

# The learning limit by pipeline: the MAC flood on a port with
# mac_learn_limit=64 next to the same flood without a limit, under NORMAL
# and under an output-only pipeline ("in_port=1 actions=output:2" and
# back, no NORMAL): CPU per frame, upcalls, frames processed, and datapath
# flows (and how many drop) after the flood.
#
# Admission runs at ingress, before the OpenFlow pipeline, so the limit
# holds whatever the pipeline does: over it, each frame from a new MAC
# gets a drop megaflow that matches its exact source MAC.  Under NORMAL
# each new MAC is an upcall anyway, limit or not; under an output-only
# pipeline without a limit the whole flood hits one megaflow that ignores
# the source MAC, so there the limit turns megaflow hits into upcalls, a
# real trade-off that this measures.  Each round starts with no admitted
# MAC, no learned MAC and no datapath flow.  The per-frame figures divide
# by the frames that the datapath processed (hits + misses), checked
# against the frames sent.
#
# Environment: PIPELINE_FRAMES per round (default 5000).

bench_pipeline() {
    local ovs=$1 fmt config pipeline name settings revals r n missing \
          sent processed lost ticks rx hit miss nlost flows med_cpu \
          med_upcall_rate med_flow_rate base_cpu base_upcall_rate \
          base_flow_rate
    local frames=${PIPELINE_FRAMES:-5000}
    local cpu upcalls upcall_rate nflows flow_rate drops

    start_daemons "$sandbox/pipeline" "$ovs"
    small_bridge

    echo "MAC flood by pipeline: $frames frames per round on p1, each from a new"
    echo "source MAC, $rounds rounds.  Medians of ovs-vswitchd CPU per frame"
    echo "processed, upcalls (datapath misses), datapath flows after the flood"
    echo "and those of them that drop; ratios per frame processed to the same"
    echo "pipeline without a limit"
    fmt='  %-11s %-7s %15s %8s %6s %8s %6s %6s %6s %6s\n'
    printf "$fmt" pipeline limit processed/sent us/frame ratio upcalls ratio \
        flows drops ratio
    local pipeline_configs=(
        "NORMAL|none|"
        "NORMAL|64 drop|mac_learn_limit=64 mac_learn_limit_policy=drop"
        "output-only|none|"
        "output-only|64 drop|mac_learn_limit=64 mac_learn_limit_policy=drop"
    )
    for config in "${pipeline_configs[@]}"; do
        pipeline=${config%%|*}
        config=${config#*|}
        name=${config%%|*}
        settings=${config#*|}
        ovs-ofctl del-flows br0
        if [ "$pipeline" = NORMAL ]; then
            ovs-ofctl add-flow br0 actions=normal
        else
            printf '%s\n' "in_port=1 actions=output:2" \
                          "in_port=2 actions=output:1" \
                | ovs-ofctl add-flows br0 -
        fi
        vsctl clear Port p1 mac_learn_limit mac_learn_limit_policy
        if [ -n "$settings" ]; then
            vsctl set Port p1 $settings
        fi
        cpu=() upcalls=() upcall_rate=() nflows=() flow_rate=() drops=()
        sent=0 processed=0 lost=0 missing=
        revals=$(revalidations)
        for ((r = 1; r <= rounds; r++)); do
            if [ -n "$settings" ]; then
                ovs-appctl port-security/clear-macs p1 > /dev/null
            fi
            # Frames lost are reported below, instead of flood()'s warning.
            flood "$r" src > /dev/null \
                2> >(grep -v '^warning: p1 received only' >&2)
            kill -0 "$vswitchd_pid" 2> /dev/null \
                || vswitchd_failed "the flood"
            read -r ticks rx hit miss nlost flows < "$sandbox/flood.stats"
            n=$((hit + miss))
            if [ "$n" != "$frames" ]; then
                missing+="${missing:+,} $((frames - n)) in round $r"
                if [ "$rx" != "$n" ]; then
                    missing+=" (p1 received $rx)"
                fi
            fi
            if [ "$n" = 0 ]; then
                echo "error: the datapath processed no frame" >&2
                exit 1
            fi
            cpu+=("$(awk -v t="$ticks" -v hz="$clk_tck" -v n="$n" \
                     'BEGIN {printf "%.1f", t * 1000000 / hz / n}')")
            upcalls+=("$miss")
            upcall_rate+=("$(per_frame "$miss" "$n")")
            nflows+=("$flows")
            flow_rate+=("$(per_frame "$flows" "$n")")
            drops+=("$(ovs-appctl dpctl/dump-flows \
                       | grep -c 'actions:drop$' || true)")
            sent=$((sent + frames))
            processed=$((processed + n))
            lost=$((lost + nlost))
        done
        med_cpu=$(printf '%s\n' "${cpu[@]}" | median)
        med_upcall_rate=$(printf '%s\n' "${upcall_rate[@]}" | median)
        med_flow_rate=$(printf '%s\n' "${flow_rate[@]}" | median)
        if [ -z "$settings" ]; then
            base_cpu=$med_cpu base_upcall_rate=$med_upcall_rate
            base_flow_rate=$med_flow_rate
        fi
        printf "$fmt" "$pipeline" "$name" "$processed/$sent" "$med_cpu" \
            "$(ratio "$med_cpu" "$base_cpu")" \
            "$(printf '%s\n' "${upcalls[@]}" | median)" \
            "$(ratio "$med_upcall_rate" "$base_upcall_rate")" \
            "$(printf '%s\n' "${nflows[@]}" | median)" \
            "$(printf '%s\n' "${drops[@]}" | median)" \
            "$(ratio "$med_flow_rate" "$base_flow_rate")"
        revals=$(( ($(revalidations) - revals) / rounds ))
        echo "      us/frame by round: ${cpu[*]};" \
             "full revalidations per round: $revals"
        if [ -n "$missing" ]; then
            echo "      warning: frames sent but not processed, dropped by"
            echo "      netdev-dummy's 100-frame queue:$missing"
        fi
        if [ "$lost" != 0 ]; then
            echo "      warning: $lost upcalls lost"
        fi
    done
}
