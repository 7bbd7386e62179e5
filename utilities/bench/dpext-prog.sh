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

# A part of the benchmark (utilities/ovs-portsec-bench), sourced after
# utilities/ovs-portsec-lib.sh: datapath-ext's pass path.
#
# bench_dpext_prog OVS_TREE STOCK_TREE
#
# Runs datapath-ext's programs (datapath-ext/portsec.bpf.c) on a benign
# IPv4 frame from a secure MAC with a binding, every check on, through
# BPF_PROG_TEST_RUN, next to an empty program of the same type (XDP and
# tc) in the same run: "tests/test-portsec-dpext --bench REPEAT", with
# REPEAT from DPEXT_PROG_REPEAT (default 1000000).  Prints ns per frame,
# the medians of interleaved rounds, and the difference to the empty
# program (the target is at most 20 ns).  STOCK_TREE is not used: the
# empty program is the baseline.  Needs root and a build with
# datapath-ext; otherwise says why it is skipped.
bench_dpext_prog() {
    local ovs=$1 prog=$1/tests/test-portsec-dpext
    local repeat=${DPEXT_PROG_REPEAT:-1000000}

    if [ ! -x "$prog" ]; then
        echo "datapath-ext pass path: skipped (no $prog: built without" \
             "datapath-ext)"
        return 0
    elif [ "$(id -u)" != 0 ]; then
        echo "datapath-ext pass path: skipped (needs root for" \
             "BPF_PROG_TEST_RUN)"
        return 0
    fi
    echo "datapath-ext pass path: $prog --bench $repeat"
    "$prog" --bench "$repeat" | grep -v '^#'
}
