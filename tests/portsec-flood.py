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

usage: portsec-flood.py [--rate=PPS] IFACE KIND N [MAC [IP]]

Sends N broadcast UDP datagrams (to port 9) from IFACE, all different:

  macs   each from a random, locally administered source MAC, from IP
         (default 10.1.1.1);
  ips    each from MAC (default f0:00:00:01:01:01) and a random source
         address in 10.0.0.0/8.

With --rate, at most PPS frames per second (in bursts of 1 ms' worth),
otherwise as fast as the interface takes them.

The frames are the same for the same arguments (the generator is seeded),
so that runs compare.  They are built here and sent on an AF_PACKET
socket, a hundred thousand in seconds even in an emulated guest, which
scapy could not do.  Needs root (CAP_NET_RAW).
"""

import random
import socket
import struct
import sys
import time


def ipv4_checksum(header):
    total = sum(struct.unpack("!10H", header))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def frame(src_mac, src_ip):
    udp = struct.pack("!HHHH", 1024, 9, 8 + 4, 0) + b"ping"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                     0, socket.inet_aton(src_ip),
                     socket.inet_aton("10.255.255.255"))
    ip = ip[:10] + struct.pack("!H", ipv4_checksum(ip)) + ip[12:]
    return b"\xff" * 6 + src_mac + b"\x08\x00" + ip + udp


def main(argv):
    rate = 0
    if len(argv) > 1 and argv[1].startswith("--rate="):
        rate = int(argv[1][len("--rate="):])
        argv = argv[:1] + argv[2:]
    if len(argv) < 4 or argv[2] not in ("macs", "ips"):
        sys.stderr.write(__doc__)
        return 2
    iface, kind, n = argv[1], argv[2], int(argv[3])
    mac = bytes.fromhex((argv[4] if len(argv) > 4
                         else "f0:00:00:01:01:01").replace(":", ""))
    ip = argv[5] if len(argv) > 5 else "10.1.1.1"

    rng = random.Random(1)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((iface, 0))
    start = time.monotonic()
    for i in range(n):
        if rate and i % max(1, rate // 1000) == 0:
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        if kind == "macs":
            src = bytes([2] + [rng.randrange(256) for _ in range(5)])
            srcip = ip
        else:
            src = mac
            srcip = "10.%d.%d.%d" % tuple(rng.randrange(1, 255)
                                          for _ in range(3))
        while True:
            try:
                sock.send(frame(src, srcip))
                break
            except BlockingIOError:
                pass
            except OSError as e:
                if e.errno != 105:      # ENOBUFS: the queue is full.
                    raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
