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

"""Sends a flood of frames: each needing a datapath flow of its own, or a
broadcast storm.

usage: portsec-flood.py [--rate=PPS] IFACE KIND N [MAC [IP]]

Sends N broadcast frames from IFACE.  KIND is one of:

  macs   UDP datagrams (to port 9), each from a random, locally
         administered source MAC, from IP (default 10.1.1.1);
  ips    UDP datagrams, each from MAC (default f0:00:00:01:01:01) and a
         random source address in 10.0.0.0/8;
  bcast  a broadcast storm: the same UDP datagram from MAC and IP, N times;
  arp    an ARP storm: the same ARP request from MAC and IP, for the
         address .250 of IP's /24, N times.

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


def arp_request(src_mac, src_ip):
    target = socket.inet_aton(src_ip)[:3] + bytes([250])
    arp = (struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + src_mac
           + socket.inet_aton(src_ip) + b"\x00" * 6 + target)
    return b"\xff" * 6 + src_mac + b"\x08\x06" + arp + b"\x00" * 18


def main(argv):
    rate = 0
    if len(argv) > 1 and argv[1].startswith("--rate="):
        rate = int(argv[1][len("--rate="):])
        argv = argv[:1] + argv[2:]
    if len(argv) < 4 or argv[2] not in ("macs", "ips", "bcast", "arp"):
        sys.stderr.write(__doc__)
        return 2
    iface, kind, n = argv[1], argv[2], int(argv[3])
    mac = bytes.fromhex((argv[4] if len(argv) > 4
                         else "f0:00:00:01:01:01").replace(":", ""))
    ip = argv[5] if len(argv) > 5 else "10.1.1.1"

    storm = None
    if kind == "bcast":
        storm = frame(mac, ip)
    elif kind == "arp":
        storm = arp_request(mac, ip)

    rng = random.Random(1)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((iface, 0))
    start = time.monotonic()
    for i in range(n):
        if rate and i % max(1, rate // 1000) == 0:
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        if storm:
            packet = storm
        elif kind == "macs":
            src = bytes([2] + [rng.randrange(256) for _ in range(5)])
            packet = frame(src, ip)
        else:
            srcip = "10.%d.%d.%d" % tuple(rng.randrange(1, 255)
                                          for _ in range(3))
            packet = frame(mac, srcip)
        while True:
            try:
                sock.send(packet)
                break
            except BlockingIOError:
                pass
            except OSError as e:
                if e.errno != 105:      # ENOBUFS: the queue is full.
                    raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
