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

"""A minimal OpenFlow controller that answers paused packets, as
ovn-controller's pinctrl answers DHCP, DHCPv6 and Router Solicitations.

usage: portsec-ofresume.py SOCKET ANSWER [KEY=VALUE]...

Connects to SOCKET, a bridge's OpenFlow management socket (BRIDGE.mgmt),
as a service controller that receives packet-ins in the NXT_PACKET_IN2
format, prints "ready", then answers each NXT_PACKET_IN2 that carries a
continuation (a "controller(pause)" action) with NXT_RESUME: the packet
replaced by ANSWER, which keeps the request's Ethernet, IP and UDP headers
(only the IPv4 destination becomes the offered address, as pinctrl sets
it), and every other property, the continuation included, unchanged.
After 'count' answers it waits for a barrier reply, prints "resumed N" and
exits with status 0, or 1 if the switch sent an OpenFlow error.

ANSWER, to a DHCPv4 request:
  ack yiaddr=IP lease=SECONDS [server_id=IP]
  nak
to a DHCPv6 request:
  reply addr=IP[,VALID]          (an IA_NA with the address)
to a Router Solicitation:
  ra

Other keys: count=N (default 1) answers before exiting; chaddr=MAC for a
DHCPv4 answer to another client than the requester (default: the
request's chaddr).

Requires scapy (Debian's python3-scapy).
"""

import socket
import struct
import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import BOOTP, DHCP, Ether, ICMPv6ND_RA, IP, IPv6, UDP, raw
from scapy.layers.dhcp6 import (DHCP6OptIA_NA, DHCP6OptIAAddress,
                                DHCP6_Reply)

OFP10_VERSION = 0x01    # Nicira extensions work with any version.
OFPT_HELLO, OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY = 0, 1, 2, 3
OFPT_VENDOR, OFPT_SET_CONFIG = 4, 9
OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY = 18, 19
NX_VENDOR_ID = 0x00002320
NXT_SET_PACKET_IN_FORMAT, NXT_RESUME, NXT_PACKET_IN2 = 16, 28, 30
NXPIF_NXT_PACKET_IN2 = 2
NXPINT_PACKET, NXPINT_FULL_LEN, NXPINT_CONTINUATION = 0, 1, 8


class Switch:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.xid = 0

    def send(self, msg_type, body=b"", xid=None):
        if xid is None:
            self.xid += 1
            xid = self.xid
        self.sock.sendall(struct.pack("!BBHI", OFP10_VERSION, msg_type,
                                      8 + len(body), xid) + body)

    def send_nx(self, subtype, body):
        self.send(OFPT_VENDOR, struct.pack("!II", NX_VENDOR_ID, subtype)
                  + body)

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                sys.exit("connection closed by the switch")
            data += chunk
        return data

    def recv(self):
        """Returns the next message other than an echo request, as (type,
        xid, body), answering echo requests and exiting on an error."""
        while True:
            _, msg_type, length, xid = struct.unpack("!BBHI", self._read(8))
            body = self._read(length - 8)
            if msg_type == OFPT_ECHO_REQUEST:
                self.send(OFPT_ECHO_REPLY, body, xid)
            elif msg_type == OFPT_ERROR:
                sys.exit("OpenFlow error from the switch: type %d code %d"
                         % struct.unpack("!HH", body[:4]))
            else:
                return msg_type, xid, body

    def barrier(self):
        self.send(OFPT_BARRIER_REQUEST)
        while self.recv()[0] != OFPT_BARRIER_REPLY:
            pass


def properties(data):
    """Yields the (type, value) of each property in 'data'."""
    while data:
        prop_type, length = struct.unpack("!HH", data[:4])
        yield prop_type, data[4:length]
        data = data[(length + 7) // 8 * 8:]


def put_property(prop_type, value):
    length = 4 + len(value)
    return (struct.pack("!HH", prop_type, length) + value
            + b"\0" * ((length + 7) // 8 * 8 - length))


def header(pkt, layer):
    """Returns a copy of the 'layer' header of 'pkt', without its payload
    and with its lengths and checksum left for scapy to compute."""
    h = pkt[layer].copy()
    h.remove_payload()
    for field in ("len", "plen", "chksum"):
        if field in h.fields:
            delattr(h, field)
    return h


def answer(request, kind, args):
    """Returns the packet that answers 'request' (bytes) with 'kind'."""
    pkt = Ether(request)
    if kind in ("ack", "nak"):
        bootp = pkt[BOOTP]
        options = [("message-type", kind)]
        if kind == "ack":
            options += [("server_id", args.get("server_id", "10.0.0.254")),
                        ("lease_time", int(args["lease"]))]
        chaddr = bootp.chaddr
        if "chaddr" in args:
            chaddr = bytes.fromhex(args["chaddr"].replace(":", "")).ljust(
                16, b"\0")
        yiaddr = args.get("yiaddr", "0.0.0.0")
        ip = header(pkt, IP)
        ip.dst = yiaddr if kind == "ack" else "255.255.255.255"
        return raw(header(pkt, Ether) / ip / header(pkt, UDP)
                   / BOOTP(op=2, xid=bootp.xid, flags=bootp.flags,
                           yiaddr=yiaddr, chaddr=chaddr)
                   / DHCP(options=options + ["end"]))
    elif kind == "reply":
        addr, _, valid = args["addr"].partition(",")
        valid = int(valid) if valid else 3600
        ia_na = DHCP6OptIA_NA(iaid=1, T1=0, T2=0, ianaopts=[
            DHCP6OptIAAddress(addr=addr, preflft=valid, validlft=valid)])
        return raw(header(pkt, Ether) / header(pkt, IPv6) / header(pkt, UDP)
                   / DHCP6_Reply(trid=pkt[UDP].payload.trid) / ia_na)
    elif kind == "ra":
        return raw(header(pkt, Ether) / header(pkt, IPv6) / ICMPv6ND_RA())
    sys.exit("unknown answer %s" % kind)


def main(argv):
    if len(argv) < 2 or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 1
    path, kind = argv[0], argv[1]
    args = dict(kv.partition("=")[::2] for kv in argv[2:])
    count = int(args.get("count", "1"))

    switch = Switch(path)
    switch.send(OFPT_HELLO)
    switch.send_nx(NXT_SET_PACKET_IN_FORMAT,
                   struct.pack("!I", NXPIF_NXT_PACKET_IN2))
    # Service connections get packet-ins only with a miss_send_len.
    switch.send(OFPT_SET_CONFIG, struct.pack("!HH", 0, 0xffff))
    switch.barrier()
    print("ready", flush=True)

    resumed = 0
    while resumed < count:
        msg_type, _, body = switch.recv()
        if msg_type != OFPT_VENDOR:
            continue
        vendor, subtype = struct.unpack("!II", body[:8])
        if vendor != NX_VENDOR_ID or subtype != NXT_PACKET_IN2:
            continue
        props = list(properties(body[8:]))
        if not any(t == NXPINT_CONTINUATION for t, _ in props):
            continue
        packet = next(v for t, v in props if t == NXPINT_PACKET)
        out = put_property(NXPINT_PACKET, answer(packet, kind, args))
        for prop_type, value in props:
            if prop_type not in (NXPINT_PACKET, NXPINT_FULL_LEN):
                out += put_property(prop_type, value)
        switch.send_nx(NXT_RESUME, out)
        resumed += 1
    switch.barrier()
    print("resumed %d" % resumed, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
