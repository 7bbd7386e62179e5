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

"""Prints the packets that the port security tests send, as hex for
netdev-dummy/receive, one per line.

usage: portsec-packet.py KIND [KEY=VALUE]... [-- KIND [KEY=VALUE]...]...

Common keys: src, dst (Ethernet addresses), vlan (802.1Q VID, none if
unset).

  dhcp4   type=discover|offer|request|decline|ack|nak|release|inform
          xid chaddr (default src) ciaddr yiaddr sip dip lease server_id
          requested_ip overload=1|2|3 (puts the options in 'file'/'sname')
          sport dport
  dhcp6   type=solicit|advertise|request|renew|reply|release|decline|
          reconfigure|relay-repl
          xid sip dip addr=IP[,VALID]... (IA_NA addresses) status sport dport
  arp     op=1|2 sha spa tha tpa
  ip4     sip dip proto=udp|icmp sport dport
  ip6     sip dip
  ns      sip dip target sll (source link-layer option, none if unset)
  na      sip dip target tll
  ra      sip
  rs      sip
  redirect sip

Requires scapy (Debian's python3-scapy).
"""

import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (ARP, BOOTP, DHCP, Dot1Q, Ether, ICMP, IP, IPv6, UDP,
                       raw)
from scapy.layers.dhcp6 import (DHCP6OptIA_NA, DHCP6OptIAAddress,
                                DHCP6OptStatusCode, DHCP6_Advertise,
                                DHCP6_Decline, DHCP6_Reconf, DHCP6_RelayReply,
                                DHCP6_Release, DHCP6_Renew, DHCP6_Reply,
                                DHCP6_Request, DHCP6_Solicit)
from scapy.layers.inet6 import (ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA,
                                ICMPv6ND_RS, ICMPv6ND_Redirect,
                                ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr)

DHCP4_TYPES = {"discover": 1, "offer": 2, "request": 3, "decline": 4,
               "ack": 5, "nak": 6, "release": 7, "inform": 8}
DHCP6_TYPES = {"solicit": DHCP6_Solicit, "advertise": DHCP6_Advertise,
               "request": DHCP6_Request, "renew": DHCP6_Renew,
               "reply": DHCP6_Reply, "release": DHCP6_Release,
               "decline": DHCP6_Decline, "reconfigure": DHCP6_Reconf}


def ether(args, default_dst="ff:ff:ff:ff:ff:ff"):
    pkt = Ether(src=args.get("src", "50:54:00:00:00:01"),
                dst=args.get("dst", default_dst))
    if "vlan" in args:
        pkt = pkt / Dot1Q(vlan=int(args["vlan"]))
    return pkt


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def dhcp4(args):
    msg_type = args.get("type", "discover")
    server = msg_type in ("offer", "ack", "nak")
    options = [("message-type", DHCP4_TYPES[msg_type])]
    for key, opt in (("server_id", "server_id"),
                     ("requested_ip", "requested_addr")):
        if key in args:
            options.append((opt, args[key]))
    if "lease" in args:
        options.append(("lease_time", int(args["lease"])))
    options.append("end")

    chaddr = mac_bytes(args.get("chaddr", args.get("src",
                                                   "50:54:00:00:00:01")))
    bootp = BOOTP(op=2 if server else 1, xid=int(args.get("xid", "1"), 0),
                  ciaddr=args.get("ciaddr", "0.0.0.0"),
                  yiaddr=args.get("yiaddr", "0.0.0.0"),
                  chaddr=chaddr + b"\0" * 10)
    overload = int(args.get("overload", "0"))
    if overload:
        # Option 52 in the options field, everything else in 'file' (1),
        # 'sname' (2), or split between both (3).
        body = raw(DHCP(options=options))
        if overload == 2:
            bootp.sname = body.ljust(64, b"\0")
        elif overload == 1:
            bootp.file = body.ljust(128, b"\0")
        else:
            bootp.file = raw(DHCP(options=options[:1] + ["end"])).ljust(
                128, b"\0")
            bootp.sname = raw(DHCP(options=options[1:])).ljust(64, b"\0")
        options = [(52, bytes([overload])), "end"]
    pkt = ether(args, args.get("dst", "ff:ff:ff:ff:ff:ff"))
    pkt = pkt / IP(src=args.get("sip", "10.0.0.254" if server
                                else "0.0.0.0"),
                   dst=args.get("dip", "255.255.255.255"))
    pkt = pkt / UDP(sport=int(args.get("sport", 67 if server else 68)),
                    dport=int(args.get("dport", 68 if server else 67)))
    return pkt / bootp / DHCP(options=options)


def dhcp6(args):
    msg_type = args.get("type", "solicit")
    server = msg_type in ("advertise", "reply", "reconfigure", "relay-repl")
    if msg_type == "relay-repl":
        msg = DHCP6_RelayReply()
    else:
        msg = DHCP6_TYPES[msg_type](trid=int(args.get("xid", "1"), 0))
    addrs = [a for k, a in args.items() if k == "addr" or k.startswith("addr")]
    if addrs:
        iaaddrs = []
        for a in addrs:
            ip, _, valid = a.partition(",")
            valid = int(valid) if valid else 3600
            iaaddrs.append(DHCP6OptIAAddress(addr=ip, preflft=valid,
                                             validlft=valid))
        msg = msg / DHCP6OptIA_NA(iaid=1, T1=0, T2=0, ianaopts=iaaddrs)
    if "status" in args:
        msg = msg / DHCP6OptStatusCode(statuscode=int(args["status"]))
    pkt = ether(args, args.get("dst", "33:33:00:01:00:02"))
    pkt = pkt / IPv6(src=args.get("sip", "fe80::1"),
                     dst=args.get("dip", "ff02::1:2"))
    pkt = pkt / UDP(sport=int(args.get("sport", 547 if server else 546)),
                    dport=int(args.get("dport", 546 if server else 547)))
    return pkt / msg


def arp(args):
    src = args.get("src", "50:54:00:00:00:01")
    return ether(args) / ARP(op=int(args.get("op", "1")),
                             hwsrc=args.get("sha", src),
                             psrc=args.get("spa", "10.0.0.1"),
                             hwdst=args.get("tha", "00:00:00:00:00:00"),
                             pdst=args.get("tpa", "10.0.0.2"))


def ip4(args):
    pkt = ether(args, "50:54:00:00:00:99") / IP(
        src=args.get("sip", "10.0.0.1"), dst=args.get("dip", "10.0.0.2"))
    if args.get("proto", "udp") == "icmp":
        return pkt / ICMP()
    return pkt / UDP(sport=int(args.get("sport", "1000")),
                     dport=int(args.get("dport", "2000")))


def ip6(args):
    return (ether(args, "50:54:00:00:00:99")
            / IPv6(src=args.get("sip", "2001:db8::1"),
                   dst=args.get("dip", "2001:db8::2"))
            / UDP(sport=1000, dport=2000))


def ns(args):
    pkt = (ether(args, "33:33:ff:00:00:02")
           / IPv6(src=args.get("sip", "2001:db8::1"),
                  dst=args.get("dip", "ff02::1:ff00:2"), hlim=255)
           / ICMPv6ND_NS(tgt=args.get("target", "2001:db8::2")))
    if "sll" in args:
        pkt = pkt / ICMPv6NDOptSrcLLAddr(lladdr=args["sll"])
    return pkt


def na(args):
    pkt = (ether(args, "33:33:00:00:00:01")
           / IPv6(src=args.get("sip", "2001:db8::1"),
                  dst=args.get("dip", "ff02::1"), hlim=255)
           / ICMPv6ND_NA(tgt=args.get("target", "2001:db8::1"), R=0, S=0,
                         O=1))
    if "tll" in args:
        pkt = pkt / ICMPv6NDOptDstLLAddr(lladdr=args["tll"])
    return pkt


def ra(args):
    return (ether(args, "33:33:00:00:00:01")
            / IPv6(src=args.get("sip", "fe80::1"), dst="ff02::1", hlim=255)
            / ICMPv6ND_RA())


def rs(args):
    return (ether(args, "33:33:00:00:00:02")
            / IPv6(src=args.get("sip", "fe80::1"), dst="ff02::2", hlim=255)
            / ICMPv6ND_RS())


def redirect(args):
    return (ether(args, "50:54:00:00:00:99")
            / IPv6(src=args.get("sip", "fe80::1"), dst="fe80::2", hlim=255)
            / ICMPv6ND_Redirect(tgt="fe80::3", dst="2001:db8::9"))


KINDS = {"dhcp4": dhcp4, "dhcp6": dhcp6, "arp": arp, "ip4": ip4, "ip6": ip6,
         "ns": ns, "na": na, "ra": ra, "rs": rs, "redirect": redirect}


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 1
    groups = [[]]
    for arg in argv:
        if arg == "--":
            groups.append([])
        else:
            groups[-1].append(arg)
    for group in groups:
        kind, args = group[0], {}
        for i, kv in enumerate(group[1:]):
            key, _, value = kv.partition("=")
            if key == "addr" and key in args:
                key = "addr%d" % i
            args[key] = value
        if kind not in KINDS:
            sys.stderr.write("unknown packet kind %s\n" % kind)
            return 1
        print(raw(KINDS[kind](args)).hex())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
