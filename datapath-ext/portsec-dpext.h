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

#ifndef DATAPATH_EXT_PORTSEC_DPEXT_H
#define DATAPATH_EXT_PORTSEC_DPEXT_H 1

/* datapath-ext: the maps that ovs-vswitchd and the kernel share.
 * ===============================================================
 *
 * portsec.bpf.c runs on the receive path of a port's netdev (tc ingress for
 * the "system" datapath, XDP for the "netdev" one) and drops, before they
 * cost an upcall, frames that translation in ovs-vswitchd would drop
 * anyway.  It never drops a frame that translation would pass: anything it
 * does not fully parse, or that ovs-vswitchd must see (DHCP client
 * messages, ND, RA, frames to the reserved bridge group addresses, the
 * first frame over a learning limit with policy "shutdown"), is passed.
 *
 * This header is the ABI between the two: it is included by the BPF
 * program (compiled with clang -target bpf) and by ovs-vswitchd, so it
 * uses only fixed-size types from <linux/types.h>.  All multi-byte fields
 * are in host byte order unless their name ends in "_be".
 *
 * Identifiers:
 *
 *   - an "ifindex" is the netdev on which a program runs (one per
 *     Interface of a Port: a bond has several);
 *
 *   - a "port id" (1...PORTSEC_DPEXT_MAX_PORTS) names a Port, which owns
 *     secure MACs, admitted MACs and bindings, whatever its interfaces;
 *
 *   - a "bridge id" names a bridge: a secure MAC of one port must not be
 *     used as a source by another port of the same bridge. */

#include <linux/types.h>

/* The maps' sizes, fixed when ovs-vswitchd loads the programs, before it
 * reads its configuration, and shared by all bridges and ports.  They are
 * bounds, not a promise: mac_learn_limit goes to 1,000,000 per port, and
 * a host's ports together may hold more MACs or bindings than these.  A
 * map update that fails because its map is full (or for any other reason)
 * makes the port's filter stop the checks that would read the missing
 * entries, which translation then makes alone, and the port's
 * security_status:datapath_ext says "degraded" until the entries fit
 * again (ofproto/ofproto-dpif-portsec-dpext.c): the kernel never drops
 * what translation passes.  Sizing the maps from the configuration would
 * mean reloading the programs and replacing every filter whenever a limit
 * grows, and the hash maps' buckets take kernel memory in proportion to
 * their size, used or not (16 bytes each: 4 MB for 262,144 entries).
 * Past a few hundred thousand MACs on a host, every new MAC already costs
 * an upcall, which the kernel's copy cannot save. */
#define PORTSEC_DPEXT_MAX_IFACES 4096   /* Interfaces with an entry. */
#define PORTSEC_DPEXT_IFACE_SLOTS 16384 /* Entries of 'portsec_ifaces'. */
#define PORTSEC_DPEXT_MAX_PORTS 4096    /* Largest port id. */
#define PORTSEC_DPEXT_MAX_MACS 262144   /* Entries of 'portsec_macs'. */
#define PORTSEC_DPEXT_MAX_SECURE 65536  /* Entries of 'portsec_secure'. */
#define PORTSEC_DPEXT_MAX_BINDINGS 262144   /* Of 'portsec_binds'. */

/* struct portsec_dpext_iface 'flags'. */
enum {
    /* Drop every frame (the port is err-disabled). */
    PORTSEC_DPEXT_ERR_DISABLED = 1 << 0,

    /* forged_transmits=reject: drop a frame whose Ethernet source is not a
     * secure MAC of the port (a 'portsec_macs' entry of the port with
     * PORTSEC_DPEXT_MAC_SECURE). */
    PORTSEC_DPEXT_FORGED_REJECT = 1 << 1,

    /* Drop a frame whose Ethernet source is a secure MAC of another port
     * of the same bridge: it has a 'portsec_secure' entry whose owner is
     * not this port, and it is not a secure MAC of this port (its
     * 'portsec_macs' entry, if any, lacks PORTSEC_DPEXT_MAC_SECURE; a MAC
     * that is secure on several ports has owner UINT32_MAX).  Set on
     * every port with port security settings. */
    PORTSEC_DPEXT_SECURE_ELSEWHERE = 1 << 2,

    /* mac_learn_limit with policy "drop", and the port is at its limit:
     * drop a frame whose Ethernet source has no 'portsec_macs' entry of
     * the port (secure or admitted).  ovs-vswitchd sets and clears it as
     * the number of admitted MACs reaches and leaves the limit. */
    PORTSEC_DPEXT_LIMIT_FULL = 1 << 3,

    /* The checks of an untrusted port, as in translation:
     * DHCP snooping: drop DHCPv4 and DHCPv6 server messages (UDP source
     * port 67 or 547, not a later fragment). */
    PORTSEC_DPEXT_DHCP_SERVER_DROP = 1 << 4,

    /* Dynamic ARP inspection: drop ARP (Ethernet/IPv4) whose sender MAC
     * differs from the Ethernet source, or whose (sender MAC, sender IP,
     * VLAN) is not a binding; an ARP probe (sender IP 0.0.0.0) passes if
     * its sender MAC is the Ethernet source. */
    PORTSEC_DPEXT_ARP_INSPECTION = 1 << 5,

    /* IP source guard: drop IPv4 and IPv6 whose (Ethernet source, IP
     * source, VLAN) is not a binding.  Passed without a binding: IPv4 from
     * 0.0.0.0 that is UDP to port 67 (not a later fragment); IPv6 from
     * fe80::/10; ICMPv6 from ::. */
    PORTSEC_DPEXT_IP_SOURCE_GUARD = 1 << 6,

    /* Binding lookups use PORTSEC_DPEXT_VLAN_ANY whatever the frame's
     * VLAN, and ovs-vswitchd stores every binding of the port with
     * PORTSEC_DPEXT_VLAN_ANY: the kernel then checks (MAC, IP) only, and
     * translation the VLAN too.
     * For XDP, which cannot see a VLAN tag that the driver or the sending
     * device (veth) left in packet metadata. */
    PORTSEC_DPEXT_BIND_ANY_VLAN = 1 << 7,

    /* All of them: 'flags'' lowest byte (see 'portsec_ifaces'). */
    PORTSEC_DPEXT_ALL_FLAGS = 0xff,
};

/* The VLAN of the bindings of a port with PORTSEC_DPEXT_BIND_ANY_VLAN, and
 * of the lookups of its frames: outside 802.1Q's 0...4095. */
#define PORTSEC_DPEXT_VLAN_ANY 0xffff

/* Secure MACs of a port, and IPv4 bindings of those, that its
 * 'portsec_ifaces' entries carry. */
#define PORTSEC_DPEXT_IFACE_SECURE 4
#define PORTSEC_DPEXT_IFACE_HOSTS 4

/* An IPv4 address bound to a secure MAC that an interface entry
 * carries. */
struct portsec_dpext_iface_host {
    __be32 ip4;
    __u16 vlan;                 /* As in 'portsec_binds'. */
    __u16 secure_idx;           /* Its MAC: an index in 'secure'. */
};

/* An interface's entry, key __u32 ifindex, is in one of two maps:
 *
 *   - 'portsec_ifaces', an array indexed by ifindex, if the ifindex is
 *     below PORTSEC_DPEXT_IFACE_SLOTS: its lookup is a bounds check and an
 *     address computation that the JIT inlines, where a hash lookup is a
 *     call into the kernel, which took 25 of the 37 ns that the pass path
 *     added to an empty program when this was measured
 *     (utilities/bench/dpext-prog.sh).  1.25 MB of kernel memory (80 bytes
 *     a slot), allocated when the programs are loaded.
 *
 *   - 'portsec_ifaces_high', a hash map, if the ifindex is larger, which a
 *     host that has created and deleted many interfaces reaches.
 *
 * Together they hold at most PORTSEC_DPEXT_MAX_IFACES entries, which
 * ovs-vswitchd enforces (the size of 'portsec_stats' follows from it).
 * No entry, or an entry whose 'flags' are 0 (every slot of the array that
 * ovs-vswitchd has not filled): the program passes every frame.  Frames to
 * 01:80:c2:00:00:00-0f and to 01:00:0c:cc:cc:cd (PVST+) always pass: BPDU
 * guard must see them.
 *
 * A program may read an entry while ovs-vswitchd writes it, and a write
 * to an array is a copy in place, not atomic: the program may see some
 * bytes old and some new.  All the flags are in 'flags'' lowest byte, so
 * that the program sees either the old or the new flags, and ovs-vswitchd
 * writes an entry in up to three steps such that each write changes
 * 'port_id', 'bridge_id' and 'native_vlan' (the fields that decide which
 * entries of the other maps a check reads) only while the flags are 0 on
 * both sides of it: the entry with its old fields and no flags, then with
 * its new fields and no flags, then with its new flags (dpext.c).  The
 * MACs and bindings that an entry carries (below) only spare lookups in
 * the other maps, which hold those of the old entry and of the new one
 * while it is written: a mix of them may pass a frame that translation
 * drops, as any lag of the maps does, but never drops one.  What is left
 * is a program run that spans two of those writes (separate bpf()
 * calls); a program runs in well under a microsecond, with bottom halves
 * disabled.
 *
 * 'secure' holds up to PORTSEC_DPEXT_IFACE_SECURE of the port's secure
 * MACs, which also have their 'portsec_macs' entries: a frame from one of
 * them passes the checks of its source MAC without a 'portsec_macs'
 * lookup, which is what most frames of a port with a secure MAC need.
 * Likewise 'hosts' holds up to PORTSEC_DPEXT_IFACE_HOSTS of the port's
 * bindings of one IPv4 address to one of those MACs, which are also in
 * 'portsec_binds': a frame that one of them binds needs no lookup of that
 * LPM trie, the costliest step of the programs' pass path. */
struct portsec_dpext_iface {
    __u32 flags;                /* PORTSEC_DPEXT_* above. */
    __u32 port_id;              /* Key of the port's MACs and bindings. */
    __u32 bridge_id;            /* Key of the bridge's secure MACs. */
    __u16 native_vlan;          /* VLAN of untagged and priority-tagged
                                 * frames (the port's "tag", 0 on a
                                 * trunk). */
    __u16 n_secure;             /* 0...PORTSEC_DPEXT_IFACE_SECURE. */
    __u8 secure[PORTSEC_DPEXT_IFACE_SECURE][6];
    __u32 n_hosts;              /* 0...PORTSEC_DPEXT_IFACE_HOSTS. */
    struct portsec_dpext_iface_host hosts[PORTSEC_DPEXT_IFACE_HOSTS];
};

/* 'portsec_macs': hash map of the secure MACs of a port with settings,
 * and, if it has a learning limit with policy "drop", of the MACs that it
 * admitted. */
struct portsec_dpext_mac_key {
    __u32 port_id;
    __u8 mac[6];
    __u16 pad;                  /* Zero. */
};

enum {
    PORTSEC_DPEXT_MAC_ADMITTED = 1 << 0,    /* Admitted under the limit (in
                                             * any VLAN). */
    PORTSEC_DPEXT_MAC_SECURE = 1 << 1,      /* A secure MAC of the port. */
};

/* Value of 'portsec_macs': __u32, PORTSEC_DPEXT_MAC_* flags. */

/* 'portsec_secure': hash map of the secure MACs of every port of a
 * bridge, with or without settings, to the port that owns them. */
struct portsec_dpext_secure_key {
    __u32 bridge_id;
    __u8 mac[6];
    __u16 pad;                  /* Zero. */
};

/* Value of 'portsec_secure': __u32 port id of the owner, UINT32_MAX if
 * several ports have that secure MAC. */

/* 'portsec_binds': LPM trie of a port's bindings, static (port_security,
 * native VLAN only, IP prefix) and dynamic (DHCP snooping, one address).
 * Fields in prefix order; 'prefixlen' counts bits from 'port_id':
 *
 *     32 + 16 + 48 + (IP prefix length, 0...128).
 *
 * IPv4 addresses are IPv4-mapped IPv6 (::ffff:a.b.c.d), prefix 96...128.
 * VLAN PORTSEC_DPEXT_VLAN_ANY with PORTSEC_DPEXT_BIND_ANY_VLAN.
 * A lookup uses the full length, PORTSEC_DPEXT_BIND_FULL_PREFIX. */
struct portsec_dpext_bind_key {
    __u32 prefixlen;
    __u32 port_id_be;           /* Network byte order, as LPM compares. */
    __u16 vlan_be;              /* 0...4095 or PORTSEC_DPEXT_VLAN_ANY,
                                 * network order. */
    __u8 mac[6];
    __u8 ip[16];
};
#define PORTSEC_DPEXT_BIND_KEY_BITS (32 + 16 + 48)
#define PORTSEC_DPEXT_BIND_FULL_PREFIX (PORTSEC_DPEXT_BIND_KEY_BITS + 128)

/* Value of 'portsec_binds': __u32, always 1. */

/* Why the program dropped a frame: 'portsec_stats' keys, each the
 * counterpart of a security_statistics key. */
enum portsec_dpext_reason {
    PORTSEC_DPEXT_R_ERR_DISABLED,       /* err_disabled_drops. */
    PORTSEC_DPEXT_R_FORGED_TRANSMIT,    /* forged_transmit_drops. */
    PORTSEC_DPEXT_R_SECURE_MAC_MOVE,    /* secure_mac_move_drops. */
    PORTSEC_DPEXT_R_LEARN_LIMIT,        /* learn_limit_drops. */
    PORTSEC_DPEXT_R_DHCP_SERVER,        /* dhcp_server_drops. */
    PORTSEC_DPEXT_R_ARP_INSPECTION,     /* arp_inspection_drops. */
    PORTSEC_DPEXT_R_IP_SOURCE_GUARD,    /* ip_source_guard_drops. */
    PORTSEC_DPEXT_N_REASONS
};

/* 'portsec_stats': per-CPU hash map of the frames dropped, key and value
 * below. */
struct portsec_dpext_stats_key {
    __u32 ifindex;
    __u32 reason;               /* enum portsec_dpext_reason. */
};

struct portsec_dpext_stats {
    __u64 packets;
    __u64 bytes;                /* Of whole frames, from the Ethernet
                                 * header. */
};
#define PORTSEC_DPEXT_MAX_STATS \
    (PORTSEC_DPEXT_MAX_IFACES * PORTSEC_DPEXT_N_REASONS)

/* Priority and handle of our tc filter on the clsact (or ingress) qdisc's
 * ingress hook.  OVS's own tc users keep out of this priority: hw-offload
 * reserves priorities 1 to 3 and allocates flower priorities upward from
 * 4, one per match shape; ingress_policing_rate without hw-offload uses a
 * "basic" filter at priority 49.  Running after them is what we want:
 * policing comes first, and a frame that an offloaded flow matches was
 * already allowed by translation.  Only a filter with both values is
 * ours. */
#define PORTSEC_DPEXT_TC_PRIORITY 0xfff0
#define PORTSEC_DPEXT_TC_HANDLE 0x0bf5ec

#endif /* datapath-ext/portsec-dpext.h */
