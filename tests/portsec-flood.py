#! /usr/bin/python3
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

"""Sends a flood of frames that each need a datapath flow of their own.

usage: portsec-flood.py IFACE KIND N [MAC [IP]]

Sends N broadcast UDP datagrams (to port 9) from IFACE, all different:

  macs   each from a random, locally administered source MAC, from IP
         (default 10.1.1.1);
  ips    each from MAC (default f0:00:00:01:01:01) and a random source
         address in 10.0.0.0/8.

The frames are the same for the same arguments (the generator is seeded),
so that runs compare.  Requires scapy (Debian's python3-scapy).
"""

import random
import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import Ether, IP, UDP, sendp


def main(argv):
    if len(argv) < 4 or argv[2] not in ("macs", "ips"):
        sys.stderr.write(__doc__)
        return 2
    iface, kind, n = argv[1], argv[2], int(argv[3])
    mac = argv[4] if len(argv) > 4 else "f0:00:00:01:01:01"
    ip = argv[5] if len(argv) > 5 else "10.1.1.1"

    rng = random.Random(1)
    frames = []
    for _ in range(n):
        if kind == "macs":
            src = "02:" + ":".join("%02x" % rng.randrange(256)
                                   for _ in range(5))
            srcip = ip
        else:
            src = mac
            srcip = "10.%d.%d.%d" % tuple(rng.randrange(1, 255)
                                          for _ in range(3))
        frames.append(Ether(src=src, dst="ff:ff:ff:ff:ff:ff")
                      / IP(src=srcip, dst="10.255.255.255")
                      / UDP(sport=1024, dport=9))
    sendp(frames, iface=iface, verbose=0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
