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
# figure.  Prints ns per lookup, the median of 5 runs, and the ratio of
# the two port counts; the target is at most 1.1.  No stock baseline: stock
# Open vSwitch has no such lookup.
#
# Usage: bench_owner OVS_TREE [STOCK_TREE]

bench_owner() {
    local prog=$1/tests/test-portsec-owner
    local many=${OWNER_PORTS:-2000}
    local kind n ns
    declare -A owner_ns=()

    if [ ! -x "$prog" ]; then
        echo "warning: $prog is missing: the owner lookup part is" \
             "skipped" >&2
        return 0
    fi
    for n in 10 "$many"; do
        while read -r kind _ ns; do
            owner_ns[$kind,$n]=$ns
        done < <("$prog" "$n" "${OWNER_SECONDS:-2}")
    done

    echo "owner of an address (VLAN, IP) on a bridge: ns per lookup with 10"
    echo "and $many ports on the host, medians of 5 runs" \
         "(target: ratio <= 1.1)"
    for kind in suppression snooping; do
        printf '  %-40s %8s ns %8s ns  ratio %s\n' \
            "$(case $kind in
                   suppression) echo "ARP/ND suppression (owner to answer)" ;;
                   snooping) echo "ARP/ND snooping (duplicate detection)" ;;
               esac)" \
            "${owner_ns[$kind,10]}" "${owner_ns[$kind,$many]}" \
            "$(awk -v m="${owner_ns[$kind,$many]}" \
                   -v b="${owner_ns[$kind,10]}" 'BEGIN {
                   r = b ? m / b : 0
                   printf (r >= 100 ? "%.0fx" : "%.2fx"), r
               }')"
    done
}
