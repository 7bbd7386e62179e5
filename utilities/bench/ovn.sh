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

# Port security under OVN: the latency from a northbound change to its
# enforcement on a chassis, ours next to OVN's own port_security, and
# ovs-portsec-ovn-agent with 1000 VIFs on the chassis (CPU, memory).  A
# Python program, ovn.py next to this file, whose docstring says more;
# skipped without Debian's ovn-central and ovn-host.
#
# Environment: CHANGES, PORTS, CHANGES_1000, OVN_BINDIR and OVN_SCHEMADIR
# (see ovn.py).

bench_ovn() {
    /usr/bin/python3 "$top_srcdir/utilities/bench/ovn.py" "$1"
}
