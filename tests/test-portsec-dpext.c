/*
 * Copyright (c) 2026 The ovs-portsec authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* Usage: test-portsec-dpext [--bench [REPEAT]]
 *        test-portsec-dpext --dump-frames
 *        test-portsec-dpext --fill|--unfill MAP DEVICE
 *
 * Loads datapath-ext/portsec.bpf.c through its skeleton, fills its maps
 * with one port's secure MACs, admitted MACs and bindings, and runs each
 * frame of the table below, under the iface flags of its entry:
 *
 *   - through both programs with BPF_PROG_TEST_RUN, on ifindex 1, whose
 *     entry is in the array 'portsec_ifaces';
 *
 *   - then, in a network namespace of its own, through the tc program
 *     attached to the namespace's loopback device, for real: the frame is
 *     sent on "lo" with a packet socket, so that the kernel moves its outer
 *     VLAN tag, if any, into skb metadata before tc ingress, which
 *     BPF_PROG_TEST_RUN cannot do.  The verdict is then read from the drop
 *     counters and from the program's run count;
 *
 *   - again live, padded to PAGED_LEN bytes, so that the headers are out
 *     of the skb's linear area and the program must pull them;
 *
 *   - through both programs with BPF_PROG_TEST_RUN again, in the same
 *     namespace, on a veth device made with ifindex HIGH_IFINDEX, whose
 *     entry is in the hash map 'portsec_ifaces_high'.
 *
 * Every run checks the verdict and that exactly the expected drop counter
 * of 'portsec_stats' moved.  Prints one TAP line per run and exits with
 * status 0 if all passed, 1 otherwise, 77 if the kernel refuses to load or
 * run the programs.
 *
 * With --bench, runs instead a benign IPv4 frame from a secure MAC with a
 * binding, every check on, REPEAT times (default 1000000) through each
 * program and through an empty program of the same type, and prints ns
 * per frame (utilities/bench/dpext-prog.sh).
 *
 * With --dump-frames, prints each frame of the table below (and the one
 * of --bench last), one a line: its test's name, a tab, and its bytes in
 * hexadecimal, without loading anything.  A change to the frame builders
 * can then be checked to build the same frames.
 *
 * With --fill, adds to MAP ("portsec_macs" or "portsec_binds") of the
 * running ovs-vswitchd whose program filters network device DEVICE
 * entries for port id 0, which no port has, until MAP is full; with
 * --unfill, deletes them again (tests/system-port-security.at). */

#define _GNU_SOURCE             /* For unshare(). */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "netlink.h"
#include "netlink-socket.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "portsec-dpext.h"
#include "portsec-test-lib.h"
#include "portsec.skel.h"
#include "util.h"

/* Loopback: BPF_PROG_TEST_RUN needs a real device. */
#define IFINDEX 1

/* A veth device made in the namespace of the live runs, past the array
 * of interface entries. */
#define HIGH_IFINDEX (PORTSEC_DPEXT_IFACE_SLOTS + 7)
#define HIGH_NAME "portsec-high"

#define PORT_A 7                /* The port under test. */
#define PORT_B 8                /* Another port of the same bridge. */
#define BRIDGE 3
#define NATIVE_VLAN 10

/* Source MACs and their state on port A. */
static const uint8_t MAC_SEC[6] = { 2, 0, 0, 0, 0, 0x01 };  /* Secure. */
static const uint8_t MAC_ADM[6] = { 2, 0, 0, 0, 0, 0x02 };  /* Admitted. */
static const uint8_t MAC_UNK[6] = { 2, 0, 0, 0, 0, 0x03 };  /* Unknown. */
static const uint8_t MAC_OTH[6] = { 2, 0, 0, 0, 0, 0x04 };  /* Port B's. */
static const uint8_t MAC_SHR[6] = { 2, 0, 0, 0, 0, 0x05 };  /* A's, B's. */
static const uint8_t MAC_BC[6] = { 2, 0, 0, 0, 0, 0x06 };   /* B's, C's. */

/* 'portsec_secure' owner of a MAC secure on several ports. */
#define SEVERAL_OWNERS UINT32_MAX

/* Destinations. */
static const uint8_t DST_UC[6] = { 2, 0, 0, 0, 0, 0x99 };
static const uint8_t DST_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t DST_STP[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x00 };
static const uint8_t DST_SLOW[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x02 };
static const uint8_t DST_LLDP[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x0e };
static const uint8_t DST_NOT_RSVD[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x10 };
static const uint8_t DST_PVST[6] = { 0x01, 0, 0x0c, 0xcc, 0xcc, 0xcd };

/* Flags of the iface under test. */
#define ERR PORTSEC_DPEXT_ERR_DISABLED
#define FORGED PORTSEC_DPEXT_FORGED_REJECT
#define ELSEWHERE PORTSEC_DPEXT_SECURE_ELSEWHERE
#define FULL PORTSEC_DPEXT_LIMIT_FULL
#define DHCP PORTSEC_DPEXT_DHCP_SERVER_DROP
#define ARP PORTSEC_DPEXT_ARP_INSPECTION
#define ISG PORTSEC_DPEXT_IP_SOURCE_GUARD
#define ANY_VLAN PORTSEC_DPEXT_BIND_ANY_VLAN
#define UNTRUSTED (DHCP | ARP | ISG)

/* Verdicts. */
#define PASS (-1)
#define UNCOUNTED_DROP (-2)
#define DROP(REASON) (PORTSEC_DPEXT_R_##REASON)

/* A frame to build: Ethernet, up to 3 VLAN tags, then IPv4, IPv6 or ARP.
 * Zero or NULL members take the default named in their comment. */
enum frame_l3 { L3_NONE, L3_IPV4, L3_IPV6, L3_ARP };
enum frame_l4 { L4_NONE, L4_UDP, L4_TCP, L4_ICMP6 };

struct frame_spec {
    const uint8_t *dst;         /* NULL: DST_UC. */
    const uint8_t *src;         /* NULL: MAC_ADM. */
    struct {
        uint16_t tpid;          /* 0 ends the tags. */
        uint16_t tci;
    } tags[3];
    uint16_t type;              /* 0: the ethertype of 'l3'. */
    enum frame_l3 l3;

    /* IPv4 and IPv6 ('ip_src' and 'ip_dst' are also ARP's SPA and TPA). */
    const char *ip_src;
    const char *ip_dst;         /* NULL: 192.0.2.254 or 2001:db8::fe. */
    uint8_t ihl;                /* 0: 5; more adds IPv4 options. */
    uint16_t frag;              /* IPv4 flags and fragment offset. */
    int len_extra;              /* Added to the IPv4 or IPv6 length. */
    bool hbh;                   /* IPv6 hop-by-hop options first. */
    enum frame_l4 l4;
    uint16_t sport, dport;      /* UDP or TCP ports. */
    uint8_t icmp6_type;

    /* ARP. */
    const uint8_t *arp_sha;     /* NULL: the Ethernet source. */
    uint8_t arp_hlen;           /* 0: 6. */
    uint16_t arp_op;            /* 0: 1 (request). */

    size_t cut;                 /* Nonzero: truncate the frame to this. */
};

struct test {
    const char *name;
    bool no_iface;              /* No interface entry at all. */
    bool no_inline;             /* The entry carries no secure MAC: the
                                 * program looks them up in
                                 * 'portsec_macs'. */
    uint32_t flags;             /* PORTSEC_DPEXT_* of port A's iface. */
    struct frame_spec frame;
    int expect;                 /* PASS or DROP(reason). */
    const char *no_live;        /* Why not to run it live, if so. */
};

#define TAG_Q(VID) { 0x8100, (VID) }
#define TAG_AD(VID) { 0x88a8, (VID) }

/* An IPv4 UDP or IPv6 UDP frame from 'SRC' with ports 'SP' and 'DP'. */
#define UDP4(SRC, SP, DP) \
    .l3 = L3_IPV4, .ip_src = (SRC), .l4 = L4_UDP, .sport = (SP), \
    .dport = (DP)
#define UDP6(SRC, SP, DP) \
    .l3 = L3_IPV6, .ip_src = (SRC), .l4 = L4_UDP, .sport = (SP), \
    .dport = (DP)
#define ARP4(SPA) .l3 = L3_ARP, .ip_src = (SPA), .ip_dst = "192.0.2.254"

/* Port A's bindings (see fill_maps()):
 *
 *   - static, native VLAN 10, MAC_ADM, 192.0.2.0/24 (::ffff:c000:200/120)
 *     and 2001:db8:1::/64;
 *
 *   - dynamic, MAC_ADM: 198.51.100.7 and 2001:db8:20::7 in VLAN 20,
 *     2001:db8::7 in VLAN 10;
 *
 *   - with PORTSEC_DPEXT_VLAN_ANY (PORTSEC_DPEXT_BIND_ANY_VLAN): 192.0.2.0/24,
 *     198.51.100.7 and 2001:db8:20::7;
 *
 *   - MAC_SEC: 198.51.100.8 in VLAN 10 and in PORTSEC_DPEXT_VLAN_ANY, also
 *     carried by the iface entry (see set_iface()), which carries
 *     198.51.100.9 to .11 for MAC_SEC too, which the map lacks, and is
 *     then full; 198.51.100.12 in VLAN 10 and in PORTSEC_DPEXT_VLAN_ANY,
 *     which only the map has.
 *
 * Port B has 203.0.113.9 for MAC_ADM in VLAN 10. */
static const struct test tests[] = {
    /* No settings. */
    { "no iface entry, unknown MAC, unbound IPv4", .no_iface = true,
      .flags = 0,
      .frame = { .src = MAC_UNK, UDP4("203.0.113.1", 1000, 53) },
      .expect = PASS },
    { "iface without flags, unknown MAC, unbound IPv4", .flags = 0,
      .frame = { .src = MAC_UNK, UDP4("203.0.113.1", 1000, 53) },
      .expect = PASS },

    /* Reserved bridge group addresses and err-disabled. */
    { "err-disabled: STP BPDU to 01:80:c2:00:00:00 passes",
      .flags = ERR | FORGED,
      .frame = { .dst = DST_STP, .src = MAC_UNK, .type = 0x0026 },
      .expect = PASS },
    { "err-disabled: LLDP to 01:80:c2:00:00:0e passes", .flags = ERR,
      .frame = { .dst = DST_LLDP, .type = 0x88cc }, .expect = PASS },
    { "err-disabled: PVST+ BPDU to 01:00:0c:cc:cc:cd passes",
      .flags = ERR | FORGED,
      .frame = { .dst = DST_PVST, .src = MAC_UNK, .type = 0x0032 },
      .expect = PASS },
    { "err-disabled: 01:80:c2:00:00:10 is not reserved", .flags = ERR,
      .frame = { .dst = DST_NOT_RSVD, .type = 0x88cc },
      .expect = DROP(ERR_DISABLED) },
    { "err-disabled: broadcast ARP", .flags = ERR,
      .frame = { .dst = DST_BCAST, ARP4("192.0.2.5") },
      .expect = DROP(ERR_DISABLED) },
    { "err-disabled: secure MAC, bound IPv4", .flags = ERR | UNTRUSTED,
      .frame = { .src = MAC_SEC, UDP4("192.0.2.5", 1000, 53) },
      .expect = DROP(ERR_DISABLED) },
    { "err-disabled: 14-byte frame", .flags = ERR,
      .frame = { .type = 0x0800, .cut = 14 },
      .expect = DROP(ERR_DISABLED) },
    { "forged reject: unknown MAC to 01:80:c2:00:00:02 passes",
      .flags = FORGED | FULL,
      .frame = { .dst = DST_SLOW, .src = MAC_UNK, .type = 0x8809 },
      .expect = PASS },

    /* Forged transmits. */
    { "forged reject: secure MAC", .flags = FORGED,
      .frame = { .src = MAC_SEC, .type = 0x88b5 }, .expect = PASS },
    { "forged reject: admitted MAC is not secure", .flags = FORGED,
      .frame = { .src = MAC_ADM, .type = 0x88b5 },
      .expect = DROP(FORGED_TRANSMIT) },
    { "forged reject: unknown MAC", .flags = FORGED,
      .frame = { .src = MAC_UNK, .type = 0x88b5 },
      .expect = DROP(FORGED_TRANSMIT) },
    { "forged reject: MAC secure here and on another port",
      .flags = FORGED | ELSEWHERE,
      .frame = { .src = MAC_SHR, .type = 0x88b5 }, .expect = PASS },
    { "forged reject: secure MAC, not in the iface entry", .flags = FORGED,
      .no_inline = true,
      .frame = { .src = MAC_SEC, .type = 0x88b5 }, .expect = PASS },
    { "forged reject: MAC secure here and on another port, not in the "
      "iface entry", .flags = FORGED | ELSEWHERE | FULL, .no_inline = true,
      .frame = { .src = MAC_SHR, .type = 0x88b5 }, .expect = PASS },
    { "forged reject, 802.1Q: unknown MAC", .flags = FORGED,
      .frame = { .src = MAC_UNK, .tags = { TAG_Q(20) }, .type = 0x88b5 },
      .expect = DROP(FORGED_TRANSMIT) },

    /* Secure MAC of another port. */
    { "secure elsewhere: MAC owned by another port", .flags = ELSEWHERE,
      .frame = { .src = MAC_OTH, .type = 0x88b5 },
      .expect = DROP(SECURE_MAC_MOVE) },
    { "secure elsewhere: MAC owned by this port", .flags = ELSEWHERE,
      .frame = { .src = MAC_SEC, .type = 0x88b5 }, .expect = PASS },
    { "secure elsewhere: MAC also secure on this port", .flags = ELSEWHERE,
      .frame = { .src = MAC_SHR, .type = 0x88b5 }, .expect = PASS },
    { "secure elsewhere: MAC secure on two other ports",
      .flags = ELSEWHERE,
      .frame = { .src = MAC_BC, .type = 0x88b5 },
      .expect = DROP(SECURE_MAC_MOVE) },
    { "secure elsewhere: MAC secure nowhere", .flags = ELSEWHERE,
      .frame = { .src = MAC_UNK, .type = 0x88b5 }, .expect = PASS },
    { "secure elsewhere: forged reject comes first",
      .flags = ELSEWHERE | FORGED,
      .frame = { .src = MAC_OTH, .type = 0x88b5 },
      .expect = DROP(FORGED_TRANSMIT) },

    /* Learning limit. */
    { "at the limit: admitted MAC", .flags = FULL,
      .frame = { .src = MAC_ADM, .type = 0x88b5 }, .expect = PASS },
    { "at the limit: secure MAC", .flags = FULL,
      .frame = { .src = MAC_SEC, .type = 0x88b5 }, .expect = PASS },
    { "at the limit: unknown MAC", .flags = FULL,
      .frame = { .src = MAC_UNK, .type = 0x88b5 },
      .expect = DROP(LEARN_LIMIT) },
    { "below the limit: unknown MAC", .flags = ELSEWHERE,
      .frame = { .src = MAC_UNK, .type = 0x88b5 }, .expect = PASS },
    { "at the limit: secure MAC move comes first",
      .flags = FULL | ELSEWHERE,
      .frame = { .src = MAC_OTH, .type = 0x88b5 },
      .expect = DROP(SECURE_MAC_MOVE) },
    { "at the limit: before IP source guard", .flags = FULL | ISG,
      .frame = { .src = MAC_UNK, UDP4("192.0.3.1", 1000, 53) },
      .expect = DROP(LEARN_LIMIT) },

    /* DHCP snooping. */
    { "DHCPv4 server", .flags = DHCP,
      .frame = { UDP4("192.0.2.1", 67, 68) }, .expect = DROP(DHCP_SERVER) },
    { "DHCPv4 client from 0.0.0.0", .flags = UNTRUSTED,
      .frame = { .dst = DST_BCAST, UDP4("0.0.0.0", 68, 67),
                 .ip_dst = "255.255.255.255" },
      .expect = PASS },
    { "DHCPv4 server: later fragment", .flags = DHCP,
      .frame = { UDP4("192.0.2.1", 67, 68), .frag = 185 },
      .expect = PASS },
    { "DHCPv4 server: first fragment", .flags = DHCP,
      .frame = { UDP4("192.0.2.1", 67, 68), .frag = 0x2000 },
      .expect = DROP(DHCP_SERVER) },
    { "DHCPv4 server: IPv4 options", .flags = DHCP,
      .frame = { UDP4("192.0.2.1", 67, 68), .ihl = 15 },
      .expect = DROP(DHCP_SERVER) },
    { "DHCPv4 server port over TCP", .flags = DHCP,
      .frame = { .l3 = L3_IPV4, .ip_src = "192.0.2.1", .l4 = L4_TCP,
                 .sport = 67, .dport = 68 },
      .expect = PASS },
    { "DHCPv4 server, 802.1Q VLAN 20", .flags = DHCP,
      .frame = { .tags = { TAG_Q(20) }, UDP4("192.0.2.1", 67, 68) },
      .expect = DROP(DHCP_SERVER) },
    { "DHCPv4 server: UDP header cut short", .flags = DHCP,
      .frame = { UDP4("192.0.2.1", 67, 68), .cut = 14 + 20 + 4 },
      .expect = PASS },
    { "DHCPv4 server: UDP header past the IPv4 length", .flags = DHCP,
      .frame = { UDP4("192.0.2.1", 67, 68), .len_extra = -12 },
      .expect = PASS },
    { "DHCPv4 server from a binding: before IP source guard",
      .flags = DHCP | ISG,
      .frame = { UDP4("192.0.2.1", 67, 68) }, .expect = DROP(DHCP_SERVER) },
    { "DHCPv4 server without DHCP snooping", .flags = ISG | ARP,
      .frame = { UDP4("192.0.2.1", 67, 68) }, .expect = PASS },
    { "DHCPv6 server", .flags = DHCP,
      .frame = { UDP6("2001:db8::7", 547, 546) },
      .expect = DROP(DHCP_SERVER) },
    { "DHCPv6 server from link-local", .flags = UNTRUSTED,
      .frame = { UDP6("fe80::1", 547, 546) }, .expect = DROP(DHCP_SERVER) },
    { "DHCPv6 client from link-local", .flags = UNTRUSTED,
      .frame = { UDP6("fe80::1", 546, 547), .ip_dst = "ff02::1:2" },
      .expect = PASS },
    { "DHCPv6 server after an extension header", .flags = DHCP,
      .frame = { UDP6("2001:db8::7", 547, 546), .hbh = true },
      .expect = PASS },
    { "DHCPv6 server, double-tagged", .flags = DHCP,
      .frame = { .tags = { TAG_AD(20), TAG_Q(30) },
                 UDP6("2001:db8:20::7", 547, 546) },
      .expect = DROP(DHCP_SERVER) },

    /* Dynamic ARP inspection. */
    { "ARP: static binding, native VLAN", .flags = ARP,
      .frame = { .dst = DST_BCAST, ARP4("192.0.2.5") }, .expect = PASS },
    { "ARP reply: static binding", .flags = ARP,
      .frame = { ARP4("192.0.2.5"), .arp_op = 2 }, .expect = PASS },
    { "ARP: sender MAC differs from the source", .flags = ARP,
      .frame = { ARP4("192.0.2.5"), .arp_sha = MAC_SEC },
      .expect = DROP(ARP_INSPECTION) },
    { "ARP probe", .flags = ARP,
      .frame = { .dst = DST_BCAST, ARP4("0.0.0.0"), .src = MAC_UNK },
      .expect = PASS },
    { "ARP probe: sender MAC differs from the source", .flags = ARP,
      .frame = { ARP4("0.0.0.0"), .arp_sha = MAC_UNK },
      .expect = DROP(ARP_INSPECTION) },
    { "ARP: binding of another MAC", .flags = ARP,
      .frame = { .src = MAC_SEC, ARP4("192.0.2.5") },
      .expect = DROP(ARP_INSPECTION) },
    { "ARP: static binding is for the native VLAN only", .flags = ARP,
      .frame = { .tags = { TAG_Q(20) }, ARP4("192.0.2.5") },
      .expect = DROP(ARP_INSPECTION) },
    { "ARP: outside the static /120", .flags = ARP,
      .frame = { ARP4("192.0.3.5") }, .expect = DROP(ARP_INSPECTION) },
    { "ARP: dynamic binding, 802.1Q VLAN 20", .flags = ARP,
      .frame = { .tags = { TAG_Q(20) }, ARP4("198.51.100.7") },
      .expect = PASS },
    { "ARP: dynamic binding of VLAN 20, untagged", .flags = ARP,
      .frame = { ARP4("198.51.100.7") }, .expect = DROP(ARP_INSPECTION) },
    { "ARP: next to the dynamic /128", .flags = ARP,
      .frame = { .tags = { TAG_Q(20) }, ARP4("198.51.100.8") },
      .expect = DROP(ARP_INSPECTION) },
    { "ARP: priority tag is the native VLAN", .flags = ARP,
      .frame = { .tags = { TAG_Q(0x6000) }, ARP4("192.0.2.5") },
      .expect = PASS },
    { "ARP: double-tagged, outer VLAN 20", .flags = ARP,
      .frame = { .tags = { TAG_AD(20), TAG_Q(99) }, ARP4("198.51.100.7") },
      .expect = PASS },
    { "ARP: double-tagged, inner VLAN 20", .flags = ARP,
      .frame = { .tags = { TAG_AD(99), TAG_Q(20) }, ARP4("198.51.100.7") },
      .expect = DROP(ARP_INSPECTION) },
    { "ARP: binding of another port", .flags = ARP,
      .frame = { ARP4("203.0.113.9") }, .expect = DROP(ARP_INSPECTION) },
    { "any VLAN: ARP from a binding of VLAN 20, untagged",
      .flags = ARP | ANY_VLAN,
      .frame = { ARP4("198.51.100.7") }, .expect = PASS },
    { "any VLAN: IPv4 from a binding of VLAN 20, 802.1Q VLAN 30",
      .flags = ISG | ANY_VLAN,
      .frame = { .tags = { TAG_Q(30) }, UDP4("198.51.100.7", 1000, 53) },
      .expect = PASS },
    { "any VLAN: IPv4 bound to another MAC",
      .flags = ISG | ANY_VLAN,
      .frame = { .src = MAC_SEC, UDP4("198.51.100.7", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "any VLAN: unbound IPv6", .flags = ISG | ANY_VLAN,
      .frame = { UDP6("2001:db8:30::7", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "ARP: hardware length 8", .flags = ARP,
      .frame = { ARP4("192.0.3.5"), .arp_hlen = 8 }, .expect = PASS },
    { "ARP: opcode over 255", .flags = ARP,
      .frame = { ARP4("192.0.3.5"), .arp_op = 0x101 }, .expect = PASS },
    { "ARP: cut short", .flags = ARP,
      .frame = { ARP4("192.0.3.5"), .cut = 14 + 20 }, .expect = PASS },
    { "ARP: unbound, without ARP inspection", .flags = DHCP | ISG,
      .frame = { ARP4("192.0.3.5") }, .expect = PASS },

    /* IP source guard, IPv4, bindings that the iface entry carries. */
    { "IPv4: binding of a secure MAC, in the iface entry", .flags = ISG,
      .frame = { .src = MAC_SEC, UDP4("198.51.100.8", 1000, 53) },
      .expect = PASS },
    { "IPv4: binding of a secure MAC, not in the iface entry", .flags = ISG,
      .no_inline = true,
      .frame = { .src = MAC_SEC, UDP4("198.51.100.8", 1000, 53) },
      .expect = PASS },
    { "IPv4: binding in the iface entry only", .flags = ISG,
      .frame = { .src = MAC_SEC, UDP4("198.51.100.9", 1000, 53) },
      .expect = PASS },
    { "IPv4: iface entry's binding, other secure MAC", .flags = ISG,
      .frame = { .src = MAC_SHR, UDP4("198.51.100.8", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4: iface entry's binding, 802.1Q VLAN 20", .flags = ISG,
      .frame = { .src = MAC_SEC, .tags = { TAG_Q(20) },
                 UDP4("198.51.100.8", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4: iface entry's binding, any VLAN", .flags = ISG | ANY_VLAN,
      .frame = { .src = MAC_SEC, .tags = { TAG_Q(20) },
                 UDP4("198.51.100.8", 1000, 53) },
      .expect = PASS },
    { "ARP: iface entry's binding", .flags = ARP,
      .frame = { .src = MAC_SEC, ARP4("198.51.100.8") }, .expect = PASS },
    { "ARP: iface entry's binding, sender MAC differs", .flags = ARP,
      .frame = { .src = MAC_SEC, ARP4("198.51.100.8"), .arp_sha = MAC_SHR },
      .expect = DROP(ARP_INSPECTION) },
    { "IPv4: binding past the iface entry's full hosts", .flags = ISG,
      .frame = { .src = MAC_SEC, UDP4("198.51.100.12", 1000, 53) },
      .expect = PASS },
    { "IPv4: binding past the iface entry's full hosts, any VLAN",
      .flags = ISG | ANY_VLAN,
      .frame = { .src = MAC_SEC, .tags = { TAG_Q(20) },
                 UDP4("198.51.100.12", 1000, 53) },
      .expect = PASS },
    { "ARP: binding past the iface entry's full hosts", .flags = ARP,
      .frame = { .src = MAC_SEC, ARP4("198.51.100.12") }, .expect = PASS },
    { "IPv4: unbound, the iface entry's hosts full", .flags = ISG,
      .frame = { .src = MAC_SEC, UDP4("198.51.100.13", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },

    /* IP source guard, IPv4. */
    { "IPv4: static binding", .flags = ISG,
      .frame = { UDP4("192.0.2.55", 1000, 53) }, .expect = PASS },
    { "IPv4: outside the static /120", .flags = ISG,
      .frame = { UDP4("192.0.3.1", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4: binding of another MAC", .flags = ISG,
      .frame = { .src = MAC_SEC, UDP4("192.0.2.55", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4: static binding, VLAN 20", .flags = ISG,
      .frame = { .tags = { TAG_Q(20) }, UDP4("192.0.2.55", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4: dynamic binding, 802.1Q VLAN 20", .flags = ISG,
      .frame = { .tags = { TAG_Q(20) }, UDP4("198.51.100.7", 1000, 53) },
      .expect = PASS },
    { "IPv4: dynamic binding, 802.1ad VLAN 20", .flags = ISG,
      .frame = { .tags = { TAG_AD(20) }, UDP4("198.51.100.7", 1000, 53) },
      .expect = PASS },
    { "IPv4: dynamic binding of VLAN 20, untagged", .flags = ISG,
      .frame = { UDP4("198.51.100.7", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4: double-tagged, outer VLAN 20", .flags = UNTRUSTED,
      .frame = { .tags = { TAG_AD(20), TAG_Q(99) },
                 .l3 = L3_IPV4, .ip_src = "198.51.100.7", .l4 = L4_TCP },
      .expect = PASS },
    { "IPv4: double-tagged, inner VLAN 20", .flags = UNTRUSTED,
      .frame = { .tags = { TAG_AD(99), TAG_Q(20) },
                 UDP4("198.51.100.7", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4: three tags, unbound", .flags = UNTRUSTED,
      .frame = { .tags = { TAG_AD(99), TAG_Q(20), TAG_Q(30) },
                 UDP4("192.0.3.1", 67, 68) },
      .expect = PASS },
    { "IPv4: priority tag is the native VLAN", .flags = ISG,
      .frame = { .tags = { TAG_Q(0x2000) }, UDP4("192.0.2.55", 1000, 53) },
      .expect = PASS },
    { "IPv4: binding of another port", .flags = ISG,
      .frame = { UDP4("203.0.113.9", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4 from 0.0.0.0: UDP to port 68", .flags = ISG,
      .frame = { UDP4("0.0.0.0", 68, 68) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4 from 0.0.0.0: TCP to port 67", .flags = ISG,
      .frame = { .l3 = L3_IPV4, .ip_src = "0.0.0.0", .l4 = L4_TCP,
                 .sport = 68, .dport = 67 },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4 from 0.0.0.0: later fragment to port 67", .flags = ISG,
      .frame = { UDP4("0.0.0.0", 68, 67), .frag = 0x2001 },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4 from 0.0.0.0: IPv4 length cuts UDP short", .flags = UNTRUSTED,
      .frame = { UDP4("0.0.0.0", 68, 67), .len_extra = -8 },
      .expect = PASS },
    { "IPv4: IPv4 length cuts UDP short, bound", .flags = UNTRUSTED,
      .frame = { UDP4("192.0.2.9", 67, 68), .len_extra = -8 },
      .expect = PASS },
    { "IPv4: IPv4 length cuts UDP short, unbound", .flags = UNTRUSTED,
      .frame = { UDP4("192.0.3.9", 67, 68), .len_extra = -8 },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv4: IHL 4", .flags = UNTRUSTED,
      .frame = { UDP4("192.0.3.1", 67, 68), .ihl = 4 }, .expect = PASS },
    { "IPv4: header cut short", .flags = UNTRUSTED,
      .frame = { UDP4("192.0.3.1", 67, 68), .cut = 14 + 10 },
      .expect = PASS },
    { "IPv4: total length past the frame", .flags = UNTRUSTED,
      .frame = { UDP4("192.0.3.1", 67, 68), .len_extra = 1 },
      .expect = PASS },
    { "IPv4: 14-byte frame", .flags = UNTRUSTED,
      .frame = { .type = 0x0800, .cut = 14 }, .expect = PASS },
    { "IPv4 behind a cut 802.1Q tag", .flags = UNTRUSTED,
      .frame = { .tags = { TAG_Q(20) }, UDP4("192.0.3.1", 67, 68),
                 .cut = 14 + 2 },
      .expect = PASS,
      .no_live = "the kernel drops it before tc ingress" },
    { "IPv4 behind a cut inner 802.1Q tag", .flags = UNTRUSTED,
      .frame = { .tags = { TAG_AD(20), TAG_Q(30) },
                 UDP4("192.0.3.1", 67, 68), .cut = 14 + 4 + 2 },
      .expect = PASS },

    /* IP source guard, IPv6. */
    { "IPv6: dynamic binding", .flags = ISG,
      .frame = { UDP6("2001:db8::7", 1000, 53) }, .expect = PASS },
    { "IPv6: next to the dynamic binding", .flags = ISG,
      .frame = { UDP6("2001:db8::8", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv6: dynamic binding of VLAN 10, VLAN 20", .flags = ISG,
      .frame = { .tags = { TAG_Q(20) }, UDP6("2001:db8::7", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv6: dynamic binding, double-tagged VLAN 20", .flags = UNTRUSTED,
      .frame = { .tags = { TAG_AD(20), TAG_Q(99) },
                 UDP6("2001:db8:20::7", 1000, 53) },
      .expect = PASS },
    { "IPv6: static /64", .flags = ISG,
      .frame = { UDP6("2001:db8:1::abcd", 1000, 53) }, .expect = PASS },
    { "IPv6: static /64 of another MAC", .flags = ISG,
      .frame = { .src = MAC_SEC, UDP6("2001:db8:1::abcd", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv6: link-local", .flags = UNTRUSTED,
      .frame = { .src = MAC_UNK, UDP6("fe80::1", 1000, 53) },
      .expect = PASS },
    { "IPv6: febf::1 is link-local", .flags = ISG,
      .frame = { UDP6("febf::1", 1000, 53) }, .expect = PASS },
    { "IPv6: fec0::1 is not link-local", .flags = ISG,
      .frame = { UDP6("fec0::1", 1000, 53) },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv6 from ::: ICMPv6 NS (DAD)", .flags = UNTRUSTED,
      .frame = { .l3 = L3_IPV6, .ip_src = "::", .l4 = L4_ICMP6,
                 .icmp6_type = 135, .ip_dst = "ff02::1:ff00:7" },
      .expect = PASS },
    { "IPv6 from ::: hop-by-hop, then ICMPv6 MLD report",
      .flags = UNTRUSTED,
      .frame = { .l3 = L3_IPV6, .ip_src = "::", .hbh = true,
                 .l4 = L4_ICMP6, .icmp6_type = 143, .ip_dst = "ff02::16" },
      .expect = PASS },
    { "IPv6 from ::: UDP", .flags = ISG,
      .frame = { UDP6("::", 1000, 53) }, .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv6 from ::: TCP", .flags = UNTRUSTED,
      .frame = { .l3 = L3_IPV6, .ip_src = "::", .l4 = L4_TCP },
      .expect = DROP(IP_SOURCE_GUARD) },
    { "IPv6: RA from link-local", .flags = UNTRUSTED,
      .frame = { .l3 = L3_IPV6, .ip_src = "fe80::1", .l4 = L4_ICMP6,
                 .icmp6_type = 134, .ip_dst = "ff02::1" },
      .expect = PASS },
    { "IPv6: header cut short", .flags = UNTRUSTED,
      .frame = { UDP6("2001:db8::8", 547, 546), .cut = 14 + 20 },
      .expect = PASS },
    { "IPv6: payload length past the frame", .flags = UNTRUSTED,
      .frame = { UDP6("2001:db8::8", 547, 546), .len_extra = 1 },
      .expect = PASS },

    /* Other frames. */
    { "LLDP ethertype to a unicast MAC", .flags = UNTRUSTED,
      .frame = { .src = MAC_UNK, .type = 0x88cc }, .expect = PASS },
    { "802.3 length field", .flags = UNTRUSTED,
      .frame = { .src = MAC_UNK, .type = 0x0040 }, .expect = PASS },
    { "RARP", .flags = UNTRUSTED,
      .frame = { ARP4("192.0.3.5"), .type = 0x8035 }, .expect = PASS },
};

/* The program runs. */
enum run_mode {
    RUN_TC,                     /* tc program, BPF_PROG_TEST_RUN. */
    RUN_XDP,                    /* XDP program, BPF_PROG_TEST_RUN. */
    RUN_LIVE,                   /* tc program on "lo", for real. */
    RUN_LIVE_PAGED,             /* Same, headers out of the linear area. */
    RUN_TC_HIGH,                /* RUN_TC on HIGH_IFINDEX. */
    RUN_XDP_HIGH,               /* RUN_XDP on HIGH_IFINDEX. */
};

static const char *const mode_names[] = {
    "tc", "xdp", "tc live", "tc live paged", "tc high ifindex",
    "xdp high ifindex",
};

static bool
mode_is_xdp(enum run_mode mode)
{
    return mode == RUN_XDP || mode == RUN_XDP_HIGH;
}

/* A frame this long, sent on a packet socket, has only its Ethernet header
 * in the skb's linear area: the rest is in pages. */
#define PAGED_LEN 4096

static const char *const reason_names[PORTSEC_DPEXT_N_REASONS] = {
    [PORTSEC_DPEXT_R_ERR_DISABLED] = "err-disabled",
    [PORTSEC_DPEXT_R_FORGED_TRANSMIT] = "forged-transmit",
    [PORTSEC_DPEXT_R_SECURE_MAC_MOVE] = "secure-mac-move",
    [PORTSEC_DPEXT_R_LEARN_LIMIT] = "learn-limit",
    [PORTSEC_DPEXT_R_DHCP_SERVER] = "dhcp-server",
    [PORTSEC_DPEXT_R_ARP_INSPECTION] = "arp-inspection",
    [PORTSEC_DPEXT_R_IP_SOURCE_GUARD] = "ip-source-guard",
};

static struct portsec *skel;
static int n_cpus;

/* The interface of the runs: IFINDEX or HIGH_IFINDEX. */
static uint32_t run_ifindex = IFINDEX;

/* The state of the live runs. */
static int live_sock = -1;
static int live_stats_fd = -1;

/* Names the checks of test 't' in 'mode' ("MODE: TEST NAME"). */
static void
set_run_name(const struct test *t, enum run_mode mode)
{
    static char name[256];

    snprintf(name, sizeof name, "%s: %s", mode_names[mode], t->name);
    portsec_test_set_name(name);
}

/* Frame building. */

static uint8_t
l4_proto(enum frame_l4 l4)
{
    return (l4 == L4_UDP ? IPPROTO_UDP : l4 == L4_TCP ? IPPROTO_TCP
            : l4 == L4_ICMP6 ? IPPROTO_ICMPV6 : IPPROTO_NONE);
}

/* Appends 's''s UDP, TCP or ICMPv6 header and a little payload. */
static void
put_l4(struct portsec_test_msg *f, const struct frame_spec *s)
{
    switch (s->l4) {
    case L4_UDP:
        portsec_test_msg_put_udp(f, s->sport, s->dport, 4);
        break;
    case L4_TCP:
        portsec_test_msg_put_tcp(f, s->sport, s->dport, TCP_SYN, 1024);
        break;
    case L4_ICMP6:
        portsec_test_msg_put_icmp6(f, s->icmp6_type, 0, 20);
        break;
    case L4_NONE:
        break;
    }
}

/* Builds in 'f' the frame that 's' describes. */
static void
build_frame(const struct frame_spec *s, struct portsec_test_msg *f)
{
    static const uint16_t types[] = {
        [L3_NONE] = 0x88b5, [L3_IPV4] = ETH_TYPE_IP,
        [L3_IPV6] = ETH_TYPE_IPV6, [L3_ARP] = ETH_TYPE_ARP,
    };
    const uint8_t *src = s->src ? s->src : MAC_ADM;
    size_t ofs;

    portsec_test_msg_init(f);
    portsec_test_msg_put_eth(f, s->dst ? s->dst : DST_UC, src);
    for (size_t i = 0; i < ARRAY_SIZE(s->tags) && s->tags[i].tpid; i++) {
        portsec_test_msg_put_vlan(f, s->tags[i].tpid, s->tags[i].tci);
    }
    portsec_test_msg_put_be16(f, s->type ? s->type : types[s->l3]);
    switch (s->l3) {
    case L3_IPV4:
        ofs = portsec_test_msg_put_ipv4(f, s->ihl ? s->ihl : 5, 0x1234,
                                        s->frag, 64, l4_proto(s->l4),
                                        s->ip_src, (s->ip_dst ? s->ip_dst
                                                    : "192.0.2.254"));
        put_l4(f, s);
        portsec_test_msg_ip_end(f, ofs, s->len_extra);
        break;
    case L3_IPV6:
        ofs = portsec_test_msg_put_ipv6(f, (s->hbh ? IPPROTO_HOPOPTS
                                            : l4_proto(s->l4)),
                                        1, s->ip_src, (s->ip_dst ? s->ip_dst
                                                       : "2001:db8::fe"));
        if (s->hbh) {
            portsec_test_msg_put_hbh_router_alert(f, l4_proto(s->l4), 0);
        }
        put_l4(f, s);
        portsec_test_msg_ip_end(f, ofs, s->len_extra);
        break;
    case L3_ARP:
        portsec_test_msg_put_arp(f, s->arp_op ? s->arp_op : ARP_OP_REQUEST,
                                 s->arp_hlen ? s->arp_hlen : ETH_ADDR_LEN,
                                 s->arp_sha ? s->arp_sha : src, s->ip_src,
                                 s->ip_dst);
        break;
    case L3_NONE:
        portsec_test_msg_put(f, NULL, 46);
        break;
    }
    if (s->cut) {
        f->len = s->cut;
    }
}

/* Prints the frame of 'spec' as --dump-frames does, with 'name'. */
static void
dump_frame(const char *name, const struct frame_spec *spec)
{
    struct portsec_test_msg f;

    build_frame(spec, &f);
    printf("%s\t", name);
    for (size_t i = 0; i < f.len; i++) {
        printf("%02x", f.b[i]);
    }
    putchar('\n');
}

/* Maps. */

static void
map_update(struct bpf_map *map, const void *key, const void *value)
{
    if (bpf_map_update_elem(bpf_map__fd(map), key, value, BPF_ANY)) {
        portsec_test_skip_all("updating %s: %s", bpf_map__name(map),
                              ovs_strerror(errno));
    }
}

static void
add_mac(uint32_t port_id, const uint8_t *mac, uint32_t flags)
{
    struct portsec_dpext_mac_key key = { .port_id = port_id };

    memcpy(key.mac, mac, 6);
    map_update(skel->maps.portsec_macs, &key, &flags);
}

static void
add_secure(const uint8_t *mac, uint32_t owner)
{
    struct portsec_dpext_secure_key key = { .bridge_id = BRIDGE };

    memcpy(key.mac, mac, 6);
    map_update(skel->maps.portsec_secure, &key, &owner);
}

/* Adds a binding of 'port_id' for 'mac' and 'prefix' (IPv4 or IPv6, with
 * a length) in 'vlan'. */
static void
add_binding(uint32_t port_id, uint16_t vlan, const uint8_t *mac,
            const char *prefix)
{
    struct portsec_dpext_bind_key key;
    char addr[64];
    uint32_t one = 1;
    int plen;

    memset(&key, 0, sizeof key);
    key.port_id_be = htonl(port_id);
    key.vlan_be = htons(vlan);
    memcpy(key.mac, mac, 6);

    sscanf(prefix, "%63[^/]/%d", addr, &plen);
    if (strchr(addr, ':')) {
        inet_pton(AF_INET6, addr, key.ip);
    } else {
        key.ip[10] = key.ip[11] = 0xff;
        inet_pton(AF_INET, addr, &key.ip[12]);
        plen += 96;
    }
    key.prefixlen = PORTSEC_DPEXT_BIND_KEY_BITS + plen;
    map_update(skel->maps.portsec_binds, &key, &one);
}

static void
fill_maps(void)
{
    add_mac(PORT_A, MAC_SEC, PORTSEC_DPEXT_MAC_SECURE);
    add_mac(PORT_A, MAC_ADM, PORTSEC_DPEXT_MAC_ADMITTED);
    add_mac(PORT_A, MAC_SHR, PORTSEC_DPEXT_MAC_SECURE);
    add_mac(PORT_B, MAC_OTH, PORTSEC_DPEXT_MAC_SECURE);
    add_mac(PORT_B, MAC_SHR, PORTSEC_DPEXT_MAC_SECURE);
    add_mac(PORT_B, MAC_BC, PORTSEC_DPEXT_MAC_SECURE);
    add_mac(PORT_B, MAC_UNK, PORTSEC_DPEXT_MAC_ADMITTED);

    add_secure(MAC_SEC, PORT_A);
    add_secure(MAC_OTH, PORT_B);
    add_secure(MAC_SHR, SEVERAL_OWNERS);
    add_secure(MAC_BC, SEVERAL_OWNERS);

    add_binding(PORT_A, NATIVE_VLAN, MAC_ADM, "192.0.2.0/24");
    add_binding(PORT_A, NATIVE_VLAN, MAC_ADM, "2001:db8:1::/64");
    add_binding(PORT_A, 20, MAC_ADM, "198.51.100.7/32");
    add_binding(PORT_A, 20, MAC_ADM, "2001:db8:20::7/128");
    add_binding(PORT_A, NATIVE_VLAN, MAC_ADM, "2001:db8::7/128");
    add_binding(PORT_B, NATIVE_VLAN, MAC_ADM, "203.0.113.9/32");

    /* What ovs-vswitchd stores for port A with PORTSEC_DPEXT_BIND_ANY_VLAN
     * (XDP): the same, with PORTSEC_DPEXT_VLAN_ANY. */
    add_binding(PORT_A, PORTSEC_DPEXT_VLAN_ANY, MAC_ADM, "192.0.2.0/24");
    add_binding(PORT_A, PORTSEC_DPEXT_VLAN_ANY, MAC_ADM, "198.51.100.7/32");
    add_binding(PORT_A, PORTSEC_DPEXT_VLAN_ANY, MAC_ADM,
                "2001:db8:20::7/128");
    add_binding(PORT_A, NATIVE_VLAN, MAC_SEC, "198.51.100.8/32");
    add_binding(PORT_A, PORTSEC_DPEXT_VLAN_ANY, MAC_SEC, "198.51.100.8/32");
    add_binding(PORT_A, NATIVE_VLAN, MAC_SEC, "198.51.100.12/32");
    add_binding(PORT_A, PORTSEC_DPEXT_VLAN_ANY, MAC_SEC, "198.51.100.12/32");
}

static void
set_iface(const struct test *t)
{
    /* Port A's secure MACs, as ovs-vswitchd puts them in the entry too. */
    struct portsec_dpext_iface iface = {
        .flags = t->flags,
        .port_id = PORT_A,
        .bridge_id = BRIDGE,
        .native_vlan = NATIVE_VLAN,
        .n_secure = t->no_inline ? 0 : 2,
        .n_hosts = t->no_inline ? 0 : PORTSEC_DPEXT_IFACE_HOSTS,
    };

    memcpy(iface.secure[0], MAC_SEC, 6);
    memcpy(iface.secure[1], MAC_SHR, 6);
    for (int i = 0; i < PORTSEC_DPEXT_IFACE_HOSTS; i++) {
        char ip[INET_ADDRSTRLEN];

        snprintf(ip, sizeof ip, "198.51.100.%d", 8 + i);
        inet_pton(AF_INET, ip, &iface.hosts[i].ip4);
        iface.hosts[i].vlan = (t->flags & ANY_VLAN
                               ? PORTSEC_DPEXT_VLAN_ANY : NATIVE_VLAN);
        iface.hosts[i].secure_idx = 0;
    }
    struct bpf_map *map = (run_ifindex < PORTSEC_DPEXT_IFACE_SLOTS
                           ? skel->maps.portsec_ifaces
                           : skel->maps.portsec_ifaces_high);

    if (!t->no_iface) {
        map_update(map, &run_ifindex, &iface);
    } else if (map == skel->maps.portsec_ifaces) {
        /* An array's slot without an entry is all zeros. */
        static const struct portsec_dpext_iface none;

        map_update(map, &run_ifindex, &none);
    } else {
        bpf_map_delete_elem(bpf_map__fd(map), &run_ifindex);
    }
}

/* Reads the drop counters of 'run_ifindex', summed over the CPUs, in
 * packets into 'counters' and in bytes into 'bytes'. */
static void
read_counters(uint64_t counters[PORTSEC_DPEXT_N_REASONS],
              uint64_t bytes[PORTSEC_DPEXT_N_REASONS])
{
    int fd = bpf_map__fd(skel->maps.portsec_stats);
    struct portsec_dpext_stats values[n_cpus];

    for (int r = 0; r < PORTSEC_DPEXT_N_REASONS; r++) {
        struct portsec_dpext_stats_key key = {
            .ifindex = run_ifindex,
            .reason = r,
        };

        counters[r] = bytes[r] = 0;
        if (!bpf_map_lookup_elem(fd, &key, values)) {
            for (int i = 0; i < n_cpus; i++) {
                counters[r] += values[i].packets;
                bytes[r] += values[i].bytes;
            }
        }
    }
}

/* Runs. */

/* Runs 'f' 'repeat' times through 'prog_fd', an XDP program if 'xdp',
 * otherwise a tc one, on 'run_ifindex' with BPF_PROG_TEST_RUN.  Returns 0
 * and the program's verdict in '*retval' and the mean ns per run in
 * '*duration' if successful, otherwise an errno value. */
static int
prog_test_run(int prog_fd, bool xdp, const struct portsec_test_msg *f,
              uint32_t repeat, uint32_t *retval, uint32_t *duration)
{
    struct __sk_buff skb = { .ifindex = run_ifindex };
    struct xdp_md xdp_md = {
        .data_end = f->len,
        .ingress_ifindex = run_ifindex,
    };
    LIBBPF_OPTS(bpf_test_run_opts, opts,
                .data_in = f->b,
                .data_size_in = f->len,
                .repeat = repeat);

    if (xdp) {
        opts.ctx_in = &xdp_md;
        opts.ctx_size_in = sizeof xdp_md;
    } else {
        opts.ctx_in = &skb;
        opts.ctx_size_in = sizeof skb;
    }
    if (bpf_prog_test_run_opts(prog_fd, &opts)) {
        return errno;
    }
    *retval = opts.retval;
    *duration = opts.duration;
    return 0;
}

/* Runs 'f' through the program of 'mode' with BPF_PROG_TEST_RUN and
 * stores in '*dropped' whether it dropped 'f'.  Returns 0 if successful,
 * otherwise an errno value. */
static int
test_run(enum run_mode mode, const struct portsec_test_msg *f, bool *dropped)
{
    bool xdp = mode_is_xdp(mode);
    int prog_fd = bpf_program__fd(xdp ? skel->progs.portsec_xdp
                                  : skel->progs.portsec_tc_ingress);
    uint32_t retval, duration;
    int error = prog_test_run(prog_fd, xdp, f, 1, &retval, &duration);

    if (error) {
        return error;
    } else if (!xdp) {
        *dropped = retval == 2 /* TC_ACT_SHOT */;
        return retval == 0 /* TC_ACT_OK */ || *dropped ? 0 : EPROTO;
    } else {
        *dropped = retval == 1 /* XDP_DROP */;
        return retval == 2 /* XDP_PASS */ || *dropped ? 0 : EPROTO;
    }
}

static uint64_t
prog_run_cnt(int prog_fd)
{
    struct bpf_prog_info info;
    uint32_t len = sizeof info;

    memset(&info, 0, sizeof info);
    if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) {
        return 0;
    }
    return info.run_cnt;
}

/* Sends 'f' on "lo", padded with zeros to PAGED_LEN if 'paged', and waits
 * until the tc program has seen it.  Returns 0 or an errno value; the
 * verdict is in the counters. */
static int
live_run(const struct portsec_test_msg *f, bool paged)
{
    static uint8_t buf[PAGED_LEN];
    size_t len = paged ? PAGED_LEN : f->len;
    int prog_fd = bpf_program__fd(skel->progs.portsec_tc_ingress);
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_ifindex = IFINDEX,
        .sll_halen = 6,
    };
    uint64_t before = prog_run_cnt(prog_fd);

    memset(buf, 0, sizeof buf);
    memcpy(buf, f->b, f->len);
    memcpy(sll.sll_addr, f->b, 6);
    if (sendto(live_sock, buf, len, 0, (struct sockaddr *) &sll,
               sizeof sll) != (ssize_t) len) {
        return errno;
    }
    for (int i = 0; i < 2000; i++) {
        if (prog_run_cnt(prog_fd) > before) {
            return 0;
        }
        nanosleep(&(struct timespec) { .tv_nsec = 1000 * 1000 }, NULL);
    }
    return ETIMEDOUT;
}

/* Judges a run of test 't' in 'mode' that dropped the frame, if
 * 'dropped', and moved the drop counters from 'before' to 'after' and
 * their bytes from 'bytes_before' to 'bytes_after', for a frame of 'len'
 * bytes.  If it went wrong, writes why into 'why', otherwise leaves 'why'
 * alone. */
static void
judge_run(const struct test *t, enum run_mode mode, bool dropped,
          const uint64_t before[PORTSEC_DPEXT_N_REASONS],
          const uint64_t after[PORTSEC_DPEXT_N_REASONS],
          const uint64_t bytes_before[PORTSEC_DPEXT_N_REASONS],
          const uint64_t bytes_after[PORTSEC_DPEXT_N_REASONS],
          size_t len, char *why, size_t why_size)
{
    int verdict = PASS;

    /* Exactly the expected counter moved, by one frame of its length. */
    int moved = PASS;
    for (int r = 0; r < PORTSEC_DPEXT_N_REASONS; r++) {
        uint64_t delta = after[r] - before[r];
        uint64_t bytes = bytes_after[r] - bytes_before[r];

        if ((delta || bytes) && (moved != PASS || delta != 1)) {
            snprintf(why, why_size, "counters moved unexpectedly");
            return;
        } else if (delta && bytes != len) {
            snprintf(why, why_size, "%"PRIu64" bytes counted for a "
                     "frame of %"PRIuSIZE, bytes, len);
            return;
        } else if (delta) {
            moved = r;
        }
    }
    if (mode == RUN_LIVE || mode == RUN_LIVE_PAGED) {
        verdict = moved;
    } else if (dropped) {
        verdict = moved == PASS ? UNCOUNTED_DROP : moved;
    } else if (moved != PASS) {
        snprintf(why, why_size, "passed, but %s counted",
                 reason_names[moved]);
        return;
    }

    if (verdict != t->expect) {
        snprintf(why, why_size, "got %s%s, expected %s%s",
                 verdict == PASS ? "pass" : "drop ",
                 verdict == PASS ? "" : verdict < 0 ? "uncounted"
                 : reason_names[verdict],
                 t->expect == PASS ? "pass" : "drop ",
                 t->expect == PASS ? "" : reason_names[t->expect]);
    }
}

/* Runs test 't' in 'mode' and reports it, as one check. */
static void
run_test(const struct test *t, enum run_mode mode)
{
    uint64_t before[PORTSEC_DPEXT_N_REASONS];
    uint64_t after[PORTSEC_DPEXT_N_REASONS];
    uint64_t bytes_before[PORTSEC_DPEXT_N_REASONS];
    uint64_t bytes_after[PORTSEC_DPEXT_N_REASONS];
    bool dropped = false;
    char why[256] = "";
    struct portsec_test_msg f;
    int error;

    run_ifindex = (mode == RUN_TC_HIGH || mode == RUN_XDP_HIGH
                   ? HIGH_IFINDEX : IFINDEX);
    set_run_name(t, mode);
    set_iface(t);
    build_frame(&t->frame, &f);
    read_counters(before, bytes_before);
    error = (mode == RUN_LIVE || mode == RUN_LIVE_PAGED
             ? live_run(&f, mode == RUN_LIVE_PAGED)
             : test_run(mode, &f, &dropped));
    read_counters(after, bytes_after);

    if (error == EPERM && !portsec_test_n_checks()) {
        portsec_test_skip_all("BPF_PROG_TEST_RUN: %s", ovs_strerror(error));
    } else if (error == EINVAL && (mode == RUN_TC || mode == RUN_TC_HIGH)) {
        /* Linux 6.18 refuses an IPv4 or IPv6 frame whose IP header is cut
         * short.  The live run covers it. */
        portsec_test_skip("BPF_PROG_TEST_RUN refuses the frame");
        return;
    } else if (error) {
        snprintf(why, sizeof why, "run failed: %s", ovs_strerror(error));
    } else {
        judge_run(t, mode, dropped, before, after, bytes_before, bytes_after,
                  mode == RUN_LIVE_PAGED ? PAGED_LEN : f.len,
                  why, sizeof why);
    }
    PORTSEC_CHECKF(!why[0], "%s", why);
}

/* Moves to a network namespace of our own, brings its "lo" up, and
 * attaches the tc program to its ingress.  Returns NULL if successful,
 * otherwise why not. */
static const char *
live_setup(void)
{
    LIBBPF_OPTS(bpf_tc_hook, hook,
                .ifindex = IFINDEX,
                .attach_point = BPF_TC_INGRESS);
    LIBBPF_OPTS(bpf_tc_opts, tc_opts,
                .prog_fd = bpf_program__fd(skel->progs.portsec_tc_ingress),
                .priority = PORTSEC_DPEXT_TC_PRIORITY,
                .handle = PORTSEC_DPEXT_TC_HANDLE);
    struct ifreq ifr;
    int sock, error;

    if (unshare(CLONE_NEWNET)) {
        return "cannot create a network namespace";
    }
    if (if_nametoindex("lo") != IFINDEX) {
        return "\"lo\" is not ifindex 1";
    }

    sock = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&ifr, 0, sizeof ifr);
    ovs_strlcpy(ifr.ifr_name, "lo", sizeof ifr.ifr_name);
    if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
        return "cannot read the flags of \"lo\"";
    }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) {
        return "cannot bring \"lo\" up";
    }
    close(sock);

    live_stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (live_stats_fd < 0) {
        return "cannot enable BPF run statistics";
    }
    error = bpf_tc_hook_create(&hook);
    if (error && error != -EEXIST) {
        return "cannot create the clsact qdisc on \"lo\"";
    }
    if (bpf_tc_attach(&hook, &tc_opts)) {
        return "cannot attach the tc program to \"lo\"";
    }

    live_sock = socket(AF_PACKET, SOCK_RAW, 0);
    if (live_sock < 0) {
        return "cannot open a packet socket";
    }
    return NULL;
}

/* Makes, in the current network namespace, a veth pair whose first device
 * is HIGH_NAME with ifindex HIGH_IFINDEX.  Returns NULL if successful,
 * otherwise why not. */
static const char *
high_setup(void)
{
    struct ofpbuf request;
    struct ifinfomsg *ifi;
    size_t linkinfo;
    int error;

    /* nl_transact() opens its rtnetlink socket now, in this namespace: no
     * earlier step of this program used one. */
    ofpbuf_init(&request, 0);
    nl_msg_put_nlmsghdr(&request, 0, RTM_NEWLINK,
                        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE
                        | NLM_F_EXCL);
    ifi = ofpbuf_put_zeros(&request, sizeof *ifi);
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = HIGH_IFINDEX;
    nl_msg_put_string(&request, IFLA_IFNAME, HIGH_NAME);
    linkinfo = nl_msg_start_nested(&request, IFLA_LINKINFO);
    nl_msg_put_string(&request, IFLA_INFO_KIND, "veth");
    nl_msg_end_nested(&request, linkinfo);
    error = nl_transact(NETLINK_ROUTE, &request, NULL);
    ofpbuf_uninit(&request);

    if (error) {
        return "cannot make a veth pair with a high ifindex";
    } else if (if_nametoindex(HIGH_NAME) != HIGH_IFINDEX) {
        return "the veth device did not get the ifindex asked for";
    }
    return NULL;
}

static void
print_verified_insns(const char *name, const struct bpf_program *prog)
{
    struct bpf_prog_info info;
    uint32_t len = sizeof info;

    memset(&info, 0, sizeof info);
    if (!bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len)) {
        printf("# %s: %u instructions, %u verified\n", name,
               info.xlated_prog_len / 8, info.verified_insns);
    }
}

/* The benchmark (--bench). */

/* Loads a program of 'type' that returns 'verdict' and does nothing else,
 * the baseline of the benchmark.  Returns its fd, or a negative errno
 * value. */
static int
load_empty_prog(enum bpf_prog_type type, int verdict)
{
    const struct bpf_insn insns[] = {
        /* r0 = verdict; exit. */
        { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
          .imm = verdict },
        { .code = BPF_JMP | BPF_EXIT },
    };

    return bpf_prog_load(type, "empty", "Dual BSD/GPL", insns,
                         ARRAY_SIZE(insns), NULL);
}

/* Rounds of the benchmark. */
#define BENCH_ROUNDS 11

static int
compare_u32(const void *a_, const void *b_)
{
    const uint32_t *a = a_;
    const uint32_t *b = b_;

    return *a < *b ? -1 : *a > *b;
}

/* Runs 'f' 'repeat' times through 'prog_fd', of type 'type', and returns
 * the mean ns per run, as BPF_PROG_TEST_RUN measures it, or UINT32_MAX if
 * the run fails or returns other than 'expect'. */
static uint32_t
bench_prog(int prog_fd, enum bpf_prog_type type,
           const struct portsec_test_msg *f, uint32_t repeat,
           uint32_t expect)
{
    uint32_t retval, duration;

    return (prog_test_run(prog_fd, type == BPF_PROG_TYPE_XDP, f, repeat,
                          &retval, &duration) || retval != expect
            ? UINT32_MAX : duration);
}

/* The frame of bench(). */
static const struct frame_spec bench_spec = {
    .src = MAC_SEC, UDP4("198.51.100.8", 40000, 80),
};

/* The pass path of both programs, next to an empty program of each type:
 * a benign IPv4 (UDP) frame from a secure MAC of port A that has a /32
 * binding (as DHCP snooping makes), with every check on.  Prints ns per
 * frame, the median of BENCH_ROUNDS rounds of 'repeat' runs. */
static int
bench(uint32_t repeat)
{
    const uint32_t checks = (FORGED | ELSEWHERE | FULL | DHCP | ARP | ISG);
    struct {
        const char *name;
        enum bpf_prog_type type;
        int prog_fd;
        int empty_fd;
        uint32_t flags;
        uint32_t pass;
    } hooks[] = {
        { "xdp", BPF_PROG_TYPE_XDP,
          bpf_program__fd(skel->progs.portsec_xdp),
          load_empty_prog(BPF_PROG_TYPE_XDP, 2 /* XDP_PASS */),
          checks | ANY_VLAN, 2 /* XDP_PASS */ },
        { "tc", BPF_PROG_TYPE_SCHED_CLS,
          bpf_program__fd(skel->progs.portsec_tc_ingress),
          load_empty_prog(BPF_PROG_TYPE_SCHED_CLS, 0 /* TC_ACT_OK */),
          checks, 0 /* TC_ACT_OK */ },
    };
    struct portsec_test_msg f;
    int status = 0;

    build_frame(&bench_spec, &f);

    printf("datapath-ext pass path, BPF_PROG_TEST_RUN, repeat %"PRIu32", "
           "median of %d rounds, ns/frame:\n", repeat, BENCH_ROUNDS);
    for (size_t i = 0; i < ARRAY_SIZE(hooks); i++) {
        struct test t = { .flags = hooks[i].flags };
        uint32_t empty_ns[BENCH_ROUNDS], prog_ns[BENCH_ROUNDS];
        uint32_t empty, prog;

        if (hooks[i].empty_fd < 0) {
            fprintf(stderr, "loading an empty %s program: %s\n",
                    hooks[i].name, ovs_strerror(-hooks[i].empty_fd));
            return 1;
        }
        set_iface(&t);
        /* Rounds of the two programs alternate, so that both see the same
         * load of the machine. */
        for (int r = 0; r < BENCH_ROUNDS; r++) {
            empty_ns[r] = bench_prog(hooks[i].empty_fd, hooks[i].type, &f,
                                     repeat, hooks[i].pass);
            prog_ns[r] = bench_prog(hooks[i].prog_fd, hooks[i].type, &f,
                                    repeat, hooks[i].pass);
        }
        qsort(empty_ns, BENCH_ROUNDS, sizeof *empty_ns, compare_u32);
        qsort(prog_ns, BENCH_ROUNDS, sizeof *prog_ns, compare_u32);
        empty = empty_ns[BENCH_ROUNDS / 2];
        prog = prog_ns[BENCH_ROUNDS / 2];
        if (empty_ns[BENCH_ROUNDS - 1] == UINT32_MAX
            || prog_ns[BENCH_ROUNDS - 1] == UINT32_MAX) {
            fprintf(stderr, "%s: a run failed or did not pass the frame\n",
                    hooks[i].name);
            status = 1;
        } else {
            printf("  %-3s  empty %4"PRIu32"  portsec %4"PRIu32"  "
                   "difference %+"PRId64"\n", hooks[i].name, empty, prog,
                   (int64_t) prog - empty);
        }
        close(hooks[i].empty_fd);
    }
    return status;
}

/* Filling a map of a running ovs-vswitchd (--fill, --unfill). */

/* Returns an fd of the map named 'name' of the XDP or tc program of
 * ovs-vswitchd on network device 'dev', or exits with a message. */
static int
find_map(const char *dev, const char *name)
{
    LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = BPF_TC_INGRESS);
    LIBBPF_OPTS(bpf_tc_opts, tc_opts,
                .priority = PORTSEC_DPEXT_TC_PRIORITY,
                .handle = PORTSEC_DPEXT_TC_HANDLE);
    LIBBPF_OPTS(bpf_xdp_query_opts, xdp_opts);
    int ifindex = if_nametoindex(dev);
    uint32_t prog_id = 0, map_ids[16], n_maps = ARRAY_SIZE(map_ids);
    struct bpf_prog_info info;
    uint32_t len = sizeof info;
    int prog_fd;

    hook.ifindex = ifindex;
    if (!ifindex) {
        ovs_fatal(errno, "%s", dev);
    } else if (!bpf_xdp_query(ifindex, 0, &xdp_opts) && xdp_opts.prog_id) {
        prog_id = xdp_opts.prog_id;
    } else if (!bpf_tc_query(&hook, &tc_opts)) {
        prog_id = tc_opts.prog_id;
    }
    prog_fd = prog_id ? bpf_prog_get_fd_by_id(prog_id) : -1;
    if (prog_fd < 0) {
        ovs_fatal(0, "%s: no datapath-ext program", dev);
    }
    memset(&info, 0, sizeof info);
    info.nr_map_ids = n_maps;
    info.map_ids = (uintptr_t) map_ids;
    if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) {
        ovs_fatal(errno, "%s: reading its program", dev);
    }
    close(prog_fd);
    for (uint32_t i = 0; i < MIN(info.nr_map_ids, n_maps); i++) {
        struct bpf_map_info map_info;
        uint32_t map_len = sizeof map_info;
        int fd = bpf_map_get_fd_by_id(map_ids[i]);

        memset(&map_info, 0, sizeof map_info);
        if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &map_info, &map_len)
            && !strcmp(map_info.name, name)) {
            return fd;
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    ovs_fatal(0, "%s: its program has no map %s", dev, name);
}

/* Makes the filler key number 'i' of map 'name' in 'key': port id 0,
 * which no port has.  Returns false if 'name' is not a map that
 * --fill knows. */
static bool
filler_key(const char *name, uint32_t i, void *key)
{
    if (!strcmp(name, "portsec_macs")) {
        struct portsec_dpext_mac_key *k = key;

        memset(k, 0, sizeof *k);
        memcpy(&k->mac[2], &i, sizeof i);
    } else if (!strcmp(name, "portsec_binds")) {
        struct portsec_dpext_bind_key *k = key;

        memset(k, 0, sizeof *k);
        k->prefixlen = PORTSEC_DPEXT_BIND_FULL_PREFIX;
        memcpy(&k->ip[12], &i, sizeof i);
    } else {
        return false;
    }
    return true;
}

/* Adds entries for port id 0 to the map 'name' of ovs-vswitchd's program
 * on 'dev' until it is full ('fill'), or deletes them again.  Prints how
 * many. */
static int
fill_map(const char *dev, const char *name, bool fill)
{
    int fd = find_map(dev, name);
    uint32_t value = 1;
    uint8_t key[64];
    uint32_t n = 0;

    if (!filler_key(name, 0, key)) {
        ovs_fatal(0, "%s: not a map that --fill knows", name);
    }
    for (uint32_t i = 0; i < UINT32_MAX; i++) {
        filler_key(name, i, key);
        if (fill ? bpf_map_update_elem(fd, key, &value, BPF_NOEXIST)
                 : bpf_map_delete_elem(fd, key)) {
            break;
        }
        n++;
    }
    printf("%s %"PRIu32" entries %s %s (%s)\n", fill ? "added" : "deleted",
           n, fill ? "to" : "from", name, ovs_strerror(errno));
    close(fd);
    return 0;
}

int
main(int argc, char *argv[])
{
    const char *why_not;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 4 && (!strcmp(argv[1], "--fill")
                      || !strcmp(argv[1], "--unfill"))) {
        return fill_map(argv[3], argv[2], !strcmp(argv[1], "--fill"));
    }
    if (argc == 2 && !strcmp(argv[1], "--dump-frames")) {
        for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
            dump_frame(tests[i].name, &tests[i].frame);
        }
        dump_frame("bench", &bench_spec);
        return 0;
    }
    n_cpus = libbpf_num_possible_cpus();
    if (n_cpus <= 0) {
        portsec_test_skip_all("cannot count the possible CPUs");
    }

    skel = portsec__open_and_load();
    if (!skel) {
        portsec_test_skip_all("loading portsec.bpf.o: %s",
                              ovs_strerror(errno));
    }
    print_verified_insns("portsec_tc_ingress",
                         skel->progs.portsec_tc_ingress);
    print_verified_insns("portsec_xdp", skel->progs.portsec_xdp);

    fill_maps();
    if (argc > 1 && !strcmp(argv[1], "--bench")) {
        int status = bench(argc > 2 ? atoi(argv[2]) : 1000000);

        portsec__destroy(skel);
        return status;
    }
    portsec_test_set_tap();
    for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
        run_test(&tests[i], RUN_TC);
        run_test(&tests[i], RUN_XDP);
    }

    why_not = live_setup();
    for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
        const char *why = why_not ? why_not : tests[i].no_live;

        if (why) {
            set_run_name(&tests[i], RUN_LIVE);
            portsec_test_skip("%s", why);
        } else {
            run_test(&tests[i], RUN_LIVE);
        }
    }

    /* Padding would change the meaning of the frames whose end matters. */
    for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
        const struct test *t = &tests[i];
        const char *why = why_not ? why_not : t->no_live;

        if (t->frame.cut || t->frame.len_extra > 0) {
            continue;
        } else if (why) {
            set_run_name(t, RUN_LIVE_PAGED);
            portsec_test_skip("%s", why);
        } else {
            run_test(t, RUN_LIVE_PAGED);
        }
    }

    /* The interface entry in the hash map, past the array, in the
     * namespace of the live runs. */
    if (!why_not) {
        why_not = high_setup();
    }
    for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
        for (enum run_mode m = RUN_TC_HIGH; m <= RUN_XDP_HIGH; m++) {
            if (why_not) {
                set_run_name(&tests[i], m);
                portsec_test_skip("%s", why_not);
            } else {
                run_test(&tests[i], m);
            }
        }
    }

    if (live_sock >= 0) {
        close(live_sock);
    }
    if (live_stats_fd >= 0) {
        close(live_stats_fd);
    }
    portsec__destroy(skel);
    return portsec_test_report(false);
}
