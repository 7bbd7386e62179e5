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

/* portsec.bpf.c: per-port L2 security on a port's receive path.
 * ==============================================================
 *
 * Two programs, portsec_tc_ingress() for tc ingress (the "system"
 * datapath) and portsec_xdp() for XDP (the "netdev" datapath), turn their
 * context into a struct portsec_pkt and hand it to one always-inline core,
 * portsec_check(), which decides whether to drop the frame.  The maps and
 * their meaning are defined in portsec-dpext.h, shared with ovs-vswitchd.
 *
 * The core repeats, in translation's order, the checks of ovs-vswitchd that
 * depend only on the frame and on the maps:
 *
 *   1. a frame to a reserved bridge group address or to PVST+'s passes
 *      (BPDU guard in ovs-vswitchd must see it);
 *   2. err-disabled port;
 *   3. forged transmits, a secure MAC of another port, learning limit,
 *      all on the Ethernet source;
 *   4. DHCP server messages, dynamic ARP inspection and IP source guard,
 *      on the VLAN that translation assigns to the frame.
 *
 * It must never drop a frame that translation passes, so whatever it does
 * not fully understand passes: truncated or malformed headers, more than
 * two VLAN tags, IPv6 extension headers, IPv4 or IPv6 whose lengths
 * ovs-vswitchd would reject, ARP opcodes over 255.  Every drop is counted
 * in 'portsec_stats'.
 *
 * A frame's VLAN is the VID of its outer 802.1Q or 802.1ad tag, if any and
 * not 0, else the port's native VLAN.  On tc ingress the kernel has already
 * moved the outer tag into skb metadata, so the tag that the core finds in
 * the packet data is then the inner one. */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <stdbool.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "portsec-dpext.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Maps, as described in portsec-dpext.h. */

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PORTSEC_DPEXT_IFACE_SLOTS);
    __type(key, __u32);
    __type(value, struct portsec_dpext_iface);
} portsec_ifaces SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, PORTSEC_DPEXT_MAX_IFACES);
    __uint(map_flags, BPF_F_NO_PREALLOC);  /* Filled by ovs-vswitchd only. */
    __type(key, __u32);
    __type(value, struct portsec_dpext_iface);
} portsec_ifaces_high SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, PORTSEC_DPEXT_MAX_MACS);
    __uint(map_flags, BPF_F_NO_PREALLOC);  /* Filled by ovs-vswitchd only. */
    __type(key, struct portsec_dpext_mac_key);
    __type(value, __u32);
} portsec_macs SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, PORTSEC_DPEXT_MAX_SECURE);
    __uint(map_flags, BPF_F_NO_PREALLOC);  /* Filled by ovs-vswitchd only. */
    __type(key, struct portsec_dpext_secure_key);
    __type(value, __u32);
} portsec_secure SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, PORTSEC_DPEXT_MAX_BINDINGS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct portsec_dpext_bind_key);
    __type(value, __u32);
} portsec_binds SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, PORTSEC_DPEXT_MAX_STATS);
    __type(key, struct portsec_dpext_stats_key);
    __type(value, struct portsec_dpext_stats);
} portsec_stats SEC(".maps");

/* Protocol constants.  The ethertypes are <linux/if_ether.h>'s.  The VLAN
 * ones and IPv4's fragment offset mask are in the kernel's internal
 * headers (<linux/if_vlan.h>, <net/ip.h>), not in the UAPI ones; the DHCP
 * ports in none.  ARPHRD_ETHER is <linux/if_arp.h>'s, which a BPF program
 * cannot include: through <linux/if.h> it includes libc's <sys/socket.h>,
 * which does not build for "-target bpf". */

#define PORTSEC_ARPHRD_ETHER 1      /* ARPHRD_ETHER. */
#define PORTSEC_VLAN_HLEN 4
#define PORTSEC_VLAN_VID_MASK 0x0fff
#define PORTSEC_IP_FRAG_OFFSET 0x1fff
#define PORTSEC_DHCP4_SERVER_PORT 67
#define PORTSEC_DHCP6_SERVER_PORT 547
#define PORTSEC_ARP_OP_MAX 0xff     /* ovs-vswitchd parses only these. */

/* At most 2 VLAN tags, and a maximal IPv4 header with a UDP header: what a
 * tc program may need in the linear area. */
#define PORTSEC_MAX_VLANS 2
#define PORTSEC_PULL_LEN (ETH_HLEN + PORTSEC_MAX_VLANS * PORTSEC_VLAN_HLEN \
                          + 60 + 8)

/* The checks that need the headers past the Ethernet header. */
#define PORTSEC_L3_CHECKS (PORTSEC_DPEXT_DHCP_SERVER_DROP       \
                           | PORTSEC_DPEXT_ARP_INSPECTION       \
                           | PORTSEC_DPEXT_IP_SOURCE_GUARD)

struct portsec_vlan_hdr {
    __be16 tci;
    __be16 proto;               /* Ethertype of what follows. */
};

/* An Ethernet/IPv4 ARP message (RFC 826): <linux/if_arp.h>'s struct
 * arphdr, with the addresses that it leaves out, for the reason above. */
struct portsec_arp {
    __be16 htype;
    __be16 ptype;
    __u8 hlen;
    __u8 plen;
    __be16 op;
    __u8 sha[ETH_ALEN];
    __u8 spa[4];
    __u8 tha[ETH_ALEN];
    __u8 tpa[4];
};

/* A frame, whatever the program type. */
struct portsec_pkt {
    void *data;                 /* Ethernet header. */
    void *data_end;             /* End of the directly accessible bytes. */
    __u32 len;                  /* Bytes of the whole frame from 'data'. */
    __u32 ifindex;
    bool meta_vlan;             /* Outer tag in metadata (tc only)? */
    __be16 meta_vlan_proto;     /* If 'meta_vlan', its TPID. */
    __u16 meta_vlan_tci;        /* If 'meta_vlan', its TCI. */
};

/* Counts a drop of 'pkt' for 'reason' and returns true, so that the checks
 * can "return portsec_drop(...)". */
static __always_inline bool
portsec_drop(const struct portsec_pkt *pkt, enum portsec_dpext_reason reason)
{
    struct portsec_dpext_stats_key key = {
        .ifindex = pkt->ifindex,
        .reason = reason,
    };
    /* The frame as received, with the tag that the kernel moved into
     * metadata, if any. */
    __u32 len = pkt->len + (pkt->meta_vlan ? PORTSEC_VLAN_HLEN : 0);
    struct portsec_dpext_stats *stats;

    stats = bpf_map_lookup_elem(&portsec_stats, &key);
    if (!stats) {
        struct portsec_dpext_stats first = {
            .packets = 1,
            .bytes = len,
        };

        if (!bpf_map_update_elem(&portsec_stats, &key, &first,
                                 BPF_NOEXIST)) {
            return true;
        }
        /* Another CPU inserted it meanwhile, or the map is full. */
        stats = bpf_map_lookup_elem(&portsec_stats, &key);
        if (!stats) {
            return true;
        }
    }
    /* The value is this CPU's own: no atomic operation needed. */
    stats->packets += 1;
    stats->bytes += len;
    return true;
}

static __always_inline bool
portsec_is_vlan_tpid(__be16 tpid)
{
    return (tpid == bpf_htons(ETH_P_8021Q)
            || tpid == bpf_htons(ETH_P_8021AD));
}

static __always_inline bool
portsec_mac_equal(const __u8 *a, const __u8 *b)
{
    return !((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2])
             | (a[3] ^ b[3]) | (a[4] ^ b[4]) | (a[5] ^ b[5]));
}

/* 01:80:c2:00:00:00 to 01:80:c2:00:00:0f (IEEE 802.1Q table 8-1). */
static __always_inline bool
portsec_is_reserved_group(const __u8 *mac)
{
    return (mac[0] == 0x01 && mac[1] == 0x80 && mac[2] == 0xc2
            && !mac[3] && !mac[4] && !(mac[5] & 0xf0));
}

/* 01:00:0c:cc:cc:cd, Cisco's PVST+ BPDUs, which BPDU guard catches too. */
static __always_inline bool
portsec_is_pvst(const __u8 *mac)
{
    return (mac[0] == 0x01 && !mac[1] && mac[2] == 0x0c && mac[3] == 0xcc
            && mac[4] == 0xcc && mac[5] == 0xcd);
}

/* Returns true if 'mac' is one of the secure MACs that 'iface' carries. */
static __always_inline bool
portsec_iface_secure(const struct portsec_dpext_iface *iface,
                     const __u8 *mac)
{
#pragma unroll
    for (int i = 0; i < PORTSEC_DPEXT_IFACE_SECURE; i++) {
        if (i >= iface->n_secure) {
            break;
        }
        if (portsec_mac_equal(iface->secure[i], mac)) {
            return true;
        }
    }
    return false;
}

/* Returns the 'portsec_macs' flags of 'mac' on 'iface''s port in
 * '*flags', and whether it has an entry. */
static __always_inline bool
portsec_mac_lookup(const struct portsec_dpext_iface *iface, const __u8 *mac,
                   __u32 *flags)
{
    struct portsec_dpext_mac_key key;
    __u32 *value;

    __builtin_memset(&key, 0, sizeof key);
    key.port_id = iface->port_id;
    __builtin_memcpy(key.mac, mac, ETH_ALEN);
    value = bpf_map_lookup_elem(&portsec_macs, &key);
    *flags = value ? *value : 0;
    return value != NULL;
}

/* Returns true if 'mac' is a secure MAC of a port of 'iface''s bridge
 * other than 'iface''s. */
static __always_inline bool
portsec_secure_elsewhere(const struct portsec_dpext_iface *iface,
                         const __u8 *mac)
{
    struct portsec_dpext_secure_key key;
    __u32 *owner;

    __builtin_memset(&key, 0, sizeof key);
    key.bridge_id = iface->bridge_id;
    __builtin_memcpy(key.mac, mac, ETH_ALEN);
    owner = bpf_map_lookup_elem(&portsec_secure, &key);
    return owner && *owner != iface->port_id;
}

/* Returns true if ('mac', 'ip', 'vlan') is a binding of 'iface''s port.
 * 'ip' is IPv6, or IPv4-mapped IPv6. */
static __always_inline bool
portsec_is_bound(const struct portsec_dpext_iface *iface, __u16 vlan,
                 const __u8 *mac, struct portsec_dpext_bind_key *key)
{
    key->prefixlen = PORTSEC_DPEXT_BIND_FULL_PREFIX;
    key->port_id_be = bpf_htonl(iface->port_id);
    key->vlan_be = bpf_htons(vlan);
    __builtin_memcpy(key->mac, mac, ETH_ALEN);
    return bpf_map_lookup_elem(&portsec_binds, key) != NULL;
}

/* Returns true if 'iface' carries the binding ('mac', 'ip4', 'vlan'). */
static __always_inline bool
portsec_iface_bound4(const struct portsec_dpext_iface *iface, __u16 vlan,
                     const __u8 *mac, const __u8 *ip4)
{
    __be32 ip;

    __builtin_memcpy(&ip, ip4, sizeof ip);
#pragma unroll
    for (int i = 0; i < PORTSEC_DPEXT_IFACE_HOSTS; i++) {
        const struct portsec_dpext_iface_host *h = &iface->hosts[i];

        if (i >= iface->n_hosts) {
            break;
        }
        if (h->ip4 == ip && h->vlan == vlan
            && h->secure_idx < PORTSEC_DPEXT_IFACE_SECURE
            && portsec_mac_equal(iface->secure[h->secure_idx], mac)) {
            return true;
        }
    }
    return false;
}

static __always_inline bool
portsec_is_bound4(const struct portsec_dpext_iface *iface, __u16 vlan,
                  const __u8 *mac, const __u8 *ip4)
{
    struct portsec_dpext_bind_key key;

    if (portsec_iface_bound4(iface, vlan, mac, ip4)) {
        return true;
    }

    __builtin_memset(&key, 0, sizeof key);
    key.ip[10] = 0xff;
    key.ip[11] = 0xff;
    __builtin_memcpy(&key.ip[12], ip4, 4);
    return portsec_is_bound(iface, vlan, mac, &key);
}

static __always_inline bool
portsec_is_bound6(const struct portsec_dpext_iface *iface, __u16 vlan,
                  const __u8 *mac, const struct in6_addr *ip6)
{
    struct portsec_dpext_bind_key key;

    __builtin_memcpy(key.ip, ip6, sizeof key.ip);
    return portsec_is_bound(iface, vlan, mac, &key);
}

/* Returns true if 'nexthdr' is an IPv6 extension header that the kernel or
 * ovs-vswitchd skips to find the upper-layer protocol. */
static __always_inline bool
portsec_is_ipv6_ext(__u8 nexthdr)
{
    return (nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING
            || nexthdr == IPPROTO_FRAGMENT || nexthdr == IPPROTO_AH
            || nexthdr == IPPROTO_NONE || nexthdr == IPPROTO_DSTOPTS);
}

/* The checks on the Ethernet source 'smac'.  Returns true to drop. */
static __always_inline bool
portsec_check_source(const struct portsec_pkt *pkt,
                     const struct portsec_dpext_iface *iface,
                     const __u8 *smac)
{
    __u32 flags = iface->flags;
    __u32 mac_flags;
    bool known, secure;

    if (!(flags & (PORTSEC_DPEXT_FORGED_REJECT
                   | PORTSEC_DPEXT_SECURE_ELSEWHERE
                   | PORTSEC_DPEXT_LIMIT_FULL))) {
        return false;
    }
    /* A secure MAC of the port passes each of them. */
    if (portsec_iface_secure(iface, smac)) {
        return false;
    }

    known = portsec_mac_lookup(iface, smac, &mac_flags);
    secure = mac_flags & PORTSEC_DPEXT_MAC_SECURE;
    if (flags & PORTSEC_DPEXT_FORGED_REJECT && !secure) {
        return portsec_drop(pkt, PORTSEC_DPEXT_R_FORGED_TRANSMIT);
    }
    /* A MAC secure on this port and on others (owner UINT32_MAX) passes,
     * as in translation. */
    if (flags & PORTSEC_DPEXT_SECURE_ELSEWHERE && !secure
        && portsec_secure_elsewhere(iface, smac)) {
        return portsec_drop(pkt, PORTSEC_DPEXT_R_SECURE_MAC_MOVE);
    }
    if (flags & PORTSEC_DPEXT_LIMIT_FULL && !known) {
        return portsec_drop(pkt, PORTSEC_DPEXT_R_LEARN_LIMIT);
    }
    return false;
}

/* Dynamic ARP inspection of the ARP message at 'off'.  Returns true to
 * drop. */
static __always_inline bool
portsec_check_arp(const struct portsec_pkt *pkt,
                  const struct portsec_dpext_iface *iface, __u32 off,
                  __u16 vlan, const __u8 *smac)
{
    const struct portsec_arp *arp = pkt->data + off;

    if ((void *) (arp + 1) > pkt->data_end
        || arp->htype != bpf_htons(PORTSEC_ARPHRD_ETHER)
        || arp->ptype != bpf_htons(ETH_P_IP)
        || arp->hlen != ETH_ALEN || arp->plen != 4
        || bpf_ntohs(arp->op) > PORTSEC_ARP_OP_MAX) {
        return false;
    }

    if (!portsec_mac_equal(arp->sha, smac)) {
        return portsec_drop(pkt, PORTSEC_DPEXT_R_ARP_INSPECTION);
    }
    if (!(arp->spa[0] | arp->spa[1] | arp->spa[2] | arp->spa[3])) {
        return false;           /* ARP probe (RFC 5227). */
    }
    if (!portsec_is_bound4(iface, vlan, arp->sha, arp->spa)) {
        return portsec_drop(pkt, PORTSEC_DPEXT_R_ARP_INSPECTION);
    }
    return false;
}

/* DHCP snooping and IP source guard for the IPv4 packet at 'off'.  Returns
 * true to drop. */
static __always_inline bool
portsec_check_ipv4(const struct portsec_pkt *pkt,
                   const struct portsec_dpext_iface *iface, __u32 off,
                   __u16 vlan, const __u8 *smac)
{
    const struct iphdr *ip = pkt->data + off;
    const struct udphdr *udp = NULL;
    bool udp_cut = false;
    __u32 ihl_len, tot_len;
    bool later_frag;

    if ((void *) (ip + 1) > pkt->data_end) {
        return false;
    }
    ihl_len = ip->ihl * 4;
    tot_len = bpf_ntohs(ip->tot_len);
    /* ovs-vswitchd ignores the IPv4 header if these do not hold. */
    if (ihl_len < sizeof *ip || tot_len < ihl_len
        || tot_len > pkt->len - off) {
        return false;
    }

    later_frag = ip->frag_off & bpf_htons(PORTSEC_IP_FRAG_OFFSET);
    if (ip->protocol == IPPROTO_UDP && !later_frag) {
        udp = (const void *) ip + ihl_len;
        if ((void *) (udp + 1) > pkt->data_end
            || ihl_len + sizeof *udp > tot_len) {
            /* Cut short: the checks of its ports cannot tell. */
            udp = NULL;
            udp_cut = true;
        }
    }

    if (iface->flags & PORTSEC_DPEXT_DHCP_SERVER_DROP && udp
        && udp->source == bpf_htons(PORTSEC_DHCP4_SERVER_PORT)) {
        return portsec_drop(pkt, PORTSEC_DPEXT_R_DHCP_SERVER);
    }

    if (iface->flags & PORTSEC_DPEXT_IP_SOURCE_GUARD) {
        if (!ip->saddr) {
            __be16 dhcp_server = bpf_htons(PORTSEC_DHCP4_SERVER_PORT);

            if (udp_cut || (udp && udp->dest == dhcp_server)) {
                return false;   /* DHCP client without an address? */
            }
        } else if (portsec_is_bound4(iface, vlan, smac,
                                     (const __u8 *) &ip->saddr)) {
            return false;
        }
        return portsec_drop(pkt, PORTSEC_DPEXT_R_IP_SOURCE_GUARD);
    }
    return false;
}

/* DHCP snooping and IP source guard for the IPv6 packet at 'off'.  Returns
 * true to drop. */
static __always_inline bool
portsec_check_ipv6(const struct portsec_pkt *pkt,
                   const struct portsec_dpext_iface *iface, __u32 off,
                   __u16 vlan, const __u8 *smac)
{
    const struct ipv6hdr *ip6 = pkt->data + off;
    const struct in6_addr *src;
    __u32 plen;

    if ((void *) (ip6 + 1) > pkt->data_end) {
        return false;
    }
    plen = bpf_ntohs(ip6->payload_len);
    /* ovs-vswitchd ignores the IPv6 header if this does not hold. */
    if (plen + sizeof *ip6 > pkt->len - off) {
        return false;
    }

    if (iface->flags & PORTSEC_DPEXT_DHCP_SERVER_DROP
        && ip6->nexthdr == IPPROTO_UDP) {
        const struct udphdr *udp = (const void *) (ip6 + 1);

        if ((void *) (udp + 1) <= pkt->data_end && plen >= sizeof *udp
            && udp->source == bpf_htons(PORTSEC_DHCP6_SERVER_PORT)) {
            return portsec_drop(pkt, PORTSEC_DPEXT_R_DHCP_SERVER);
        }
    }

    if (iface->flags & PORTSEC_DPEXT_IP_SOURCE_GUARD) {
        src = &ip6->saddr;
        if (src->in6_u.u6_addr8[0] == 0xfe
            && (src->in6_u.u6_addr8[1] & 0xc0) == 0x80) {
            return false;       /* Link-local, fe80::/10. */
        }
        if (!(src->in6_u.u6_addr32[0] | src->in6_u.u6_addr32[1]
              | src->in6_u.u6_addr32[2] | src->in6_u.u6_addr32[3])) {
            /* From ::, translation passes ICMPv6 (DAD, MLD), which may
             * follow extension headers (MLD has a hop-by-hop option). */
            if (ip6->nexthdr == IPPROTO_ICMPV6
                || portsec_is_ipv6_ext(ip6->nexthdr)) {
                return false;
            }
        } else if (portsec_is_bound6(iface, vlan, smac, src)) {
            return false;
        }
        return portsec_drop(pkt, PORTSEC_DPEXT_R_IP_SOURCE_GUARD);
    }
    return false;
}

/* Returns the entry of the interface 'ifindex', or NULL if it has none or
 * an entry without flags, which passes every frame. */
static __always_inline const struct portsec_dpext_iface *
portsec_iface_lookup(__u32 ifindex)
{
    const struct portsec_dpext_iface *iface;

    /* Two calls, each with its map as a constant: the verifier inlines
     * only those.  The empty asm keeps clang from merging them into one
     * call whose map depends on the branch. */
    if (ifindex < PORTSEC_DPEXT_IFACE_SLOTS) {
        iface = bpf_map_lookup_elem(&portsec_ifaces, &ifindex);
        asm volatile("" : "+r"(iface));
    } else {
        iface = bpf_map_lookup_elem(&portsec_ifaces_high, &ifindex);
    }
    return iface && iface->flags ? iface : NULL;
}

/* Returns true if 'pkt', received on the interface 'iface', must be
 * dropped; counts the drop. */
static __always_inline bool
portsec_check(const struct portsec_pkt *pkt,
              const struct portsec_dpext_iface *iface)
{
    const struct ethhdr *eth = pkt->data;
    const struct portsec_vlan_hdr *vh;
    __u16 outer_vid = 0;
    __u32 off = sizeof *eth;
    int n_vlans = 0;
    __be16 proto;
    __u16 vlan;

    if ((void *) (eth + 1) > pkt->data_end) {
        return false;
    }
    if (portsec_is_reserved_group(eth->h_dest)
        || portsec_is_pvst(eth->h_dest)) {
        return false;
    }
    if (iface->flags & PORTSEC_DPEXT_ERR_DISABLED) {
        return portsec_drop(pkt, PORTSEC_DPEXT_R_ERR_DISABLED);
    }
    if (portsec_check_source(pkt, iface, eth->h_source)) {
        return true;
    }
    if (!(iface->flags & PORTSEC_L3_CHECKS)) {
        return false;
    }

    /* The frame's VLAN and the ethertype inside at most 2 tags. */
    if (pkt->meta_vlan) {
        if (!portsec_is_vlan_tpid(pkt->meta_vlan_proto)) {
            return false;
        }
        outer_vid = pkt->meta_vlan_tci & PORTSEC_VLAN_VID_MASK;
        n_vlans++;
    }
    proto = eth->h_proto;
#pragma unroll
    for (int i = 0; i < PORTSEC_MAX_VLANS; i++) {
        if (n_vlans >= PORTSEC_MAX_VLANS || !portsec_is_vlan_tpid(proto)) {
            break;
        }
        vh = pkt->data + off;
        if ((void *) (vh + 1) > pkt->data_end) {
            return false;
        }
        if (!n_vlans) {
            outer_vid = bpf_ntohs(vh->tci) & PORTSEC_VLAN_VID_MASK;
        }
        proto = vh->proto;
        off += sizeof *vh;
        n_vlans++;
    }
    vlan = (iface->flags & PORTSEC_DPEXT_BIND_ANY_VLAN
            ? PORTSEC_DPEXT_VLAN_ANY
            : outer_vid ? outer_vid : iface->native_vlan);

    if (proto == bpf_htons(ETH_P_IP)) {
        return portsec_check_ipv4(pkt, iface, off, vlan, eth->h_source);
    } else if (proto == bpf_htons(ETH_P_IPV6)) {
        return portsec_check_ipv6(pkt, iface, off, vlan, eth->h_source);
    } else if (proto == bpf_htons(ETH_P_ARP)
               && iface->flags & PORTSEC_DPEXT_ARP_INSPECTION) {
        return portsec_check_arp(pkt, iface, off, vlan, eth->h_source);
    }
    /* Other ethertypes, including a third VLAN tag, pass. */
    return false;
}

SEC("tc")
int
portsec_tc_ingress(struct __sk_buff *skb)
{
    const struct portsec_dpext_iface *iface;
    __u32 ifindex = skb->ifindex;
    struct portsec_pkt pkt;
    __u32 need;

    iface = portsec_iface_lookup(ifindex);
    if (!iface) {
        return TC_ACT_OK;
    }

    /* Make the headers that the checks read directly accessible, once. */
    need = iface->flags & PORTSEC_L3_CHECKS ? PORTSEC_PULL_LEN : ETH_HLEN;
    if (need > skb->len) {
        need = skb->len;
    }
    if ((void *) (long) skb->data + need > (void *) (long) skb->data_end
        && bpf_skb_pull_data(skb, need)) {
        return TC_ACT_OK;
    }

    pkt.data = (void *) (long) skb->data;
    pkt.data_end = (void *) (long) skb->data_end;
    pkt.len = skb->len;
    pkt.ifindex = ifindex;
    pkt.meta_vlan = skb->vlan_present;
    pkt.meta_vlan_proto = skb->vlan_proto;
    pkt.meta_vlan_tci = skb->vlan_tci;
    return portsec_check(&pkt, iface) ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("xdp")
int
portsec_xdp(struct xdp_md *ctx)
{
    const struct portsec_dpext_iface *iface;
    __u32 ifindex = ctx->ingress_ifindex;
    struct portsec_pkt pkt;

    iface = portsec_iface_lookup(ifindex);
    if (!iface) {
        return XDP_PASS;
    }

    pkt.data = (void *) (long) ctx->data;
    pkt.data_end = (void *) (long) ctx->data_end;
    pkt.len = pkt.data_end - pkt.data;
    pkt.ifindex = ifindex;
    pkt.meta_vlan = false;
    pkt.meta_vlan_proto = 0;
    pkt.meta_vlan_tci = 0;
    return portsec_check(&pkt, iface) ? XDP_DROP : XDP_PASS;
}
