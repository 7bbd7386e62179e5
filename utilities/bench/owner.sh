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

# A part of "make bench" (a bash fragment that the benchmark driver
# sources): the cost of deciding "who owns IP X in VLAN V on this bridge",
# which ARP and ND suppression and ARP and ND snooping's duplicate address
# detection ask in translation, with 10 and with OWNER_PORTS (default 2000)
# ports with port security on the host, half of them on the bridge asked.
#
# The lookup is isolated by a microbenchmark (tests/test-portsec-owner):
# on the dummy datapath, each main-loop iteration with 2,000 ports costs
# about 4 ms in stock Open vSwitch as in ours, which drowns a per-trace
# figure.  Prints ns per lookup, the median of OWNER_ROUNDS (default 5)
# rounds of a process per port count (each the median of its own 5 runs,
# OWNER_SECONDS in all, default 1), and the ratio of the two port counts;
# the target is at most 1.1.  Before the per-bridge index (commit
# 720380c, both lookups walking every port of every bridge), it measured
# 184x to 314x for suppression and 134x to 223x for snooping on the
# development machine.  No stock baseline: stock
# Open vSwitch has no such lookup.
#
# Usage: bench_owner OVS_TREE [STOCK_TREE]

bench_owner() {
    local prog=$1/tests/test-portsec-owner
    local many=${OWNER_PORTS:-2000}
    local rounds=${OWNER_ROUNDS:-5}
    local kind n ns r
    declare -A owner_ns=()

    if [ ! -x "$prog" ]; then
        echo "warning: $prog is missing: the owner lookup part is" \
             "skipped" >&2
        return 0
    fi
    # Rounds alternate the two port counts, so that both see the same
    # load from the rest of the machine.
    for ((r = 1; r <= rounds; r++)); do
        for n in 10 "$many"; do
            while read -r kind _ ns; do
                owner_ns[$kind,$n]+="$ns "
            done < <("$prog" "$n" "${OWNER_SECONDS:-1}")
        done
    done

    echo "owner of an address (VLAN, IP) on a bridge: ns per lookup with 10"
    echo "and $many ports on the host, medians of $rounds rounds" \
         "(target: ratio <= 1.1)"
    for kind in suppression snooping; do
        local few_ns many_ns
        few_ns=$(printf '%s\n' ${owner_ns[$kind,10]} | sort -g \
                 | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
        many_ns=$(printf '%s\n' ${owner_ns[$kind,$many]} | sort -g \
                  | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
        printf '  %-40s %8s ns %8s ns  ratio %s\n' \
            "$(case $kind in
                   suppression) echo "ARP/ND suppression (owner to answer)" ;;
                   snooping) echo "ARP/ND snooping (duplicate detection)" ;;
               esac)" "$few_ns" "$many_ns" \
            "$(awk -v m="$many_ns" -v b="$few_ns" 'BEGIN {
                   r = b ? m / b : 0
                   printf (r >= 100 ? "%.0fx" : "%.2fx"), r
               }')"
    done
}
