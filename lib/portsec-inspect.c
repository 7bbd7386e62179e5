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

#include <config.h>
#include "portsec-inspect.h"

#include "flow.h"
#include "packets.h"
#include "portsec-dhcp.h"

/* Returns true if 'value' is one of the 'n' values in 'targets' (host byte
 * order).  Un-wildcards in '*mask' only the bits needed to tell: all of
 * them for a match, otherwise, for each target, the bits from the most
 * significant down to the first one in which 'value' differs from it, so
 * that every value that agrees with 'value' on those bits is also none of
 * the targets.  This keeps megaflows for unrelated ports or ICMP types
 * wide, the way the classifier's port prefix tries do. */
static bool
match_be16(ovs_be16 value, ovs_be16 *mask, const uint16_t targets[],
           size_t n)
{
    uint16_t v = ntohs(value);
    uint16_t m = 0;

    for (size_t i = 0; i < n; i++) {
        uint16_t diff = v ^ targets[i];

        if (!diff) {
            *mask = OVS_BE16_MAX;
            return true;
        }
        /* Bits 15 down to the highest bit set in 'diff'. */
        m |= ~((1u << (15 - raw_clz64((uint64_t) diff << 48))) - 1);
    }
    *mask |= htons(m);
    return false;
}

/* Returns true if 'flow''s ICMPv6 type is one of the 'n' 'types', given
 * that 'flow' is ICMPv6. */
static bool
icmp6_type_is(const struct flow *flow, struct flow_wildcards *wc,
              const uint16_t types[], size_t n)
{
    return match_be16(flow->tp_src, &wc->masks.tp_src, types, n);
}

static bool
is_icmp6__(const struct flow *flow, struct flow_wildcards *wc)
{
    WC_MASK_FIELD(wc, dl_type);
    if (flow->dl_type != htons(ETH_TYPE_IPV6)) {
        return false;
    }
    WC_MASK_FIELD(wc, nw_proto);
    return flow->nw_proto == IPPROTO_ICMPV6;
}

static bool
is_bound(const struct portsec_bindings_view *b, struct eth_addr mac,
         const struct in6_addr *ip)
{
    return b->is_bound(b->aux, mac, ip, b->vlan);
}

bool
portsec_ipv6_is_link_local(const struct in6_addr *ip)
{
    /* fe80::/10 (RFC 4291 section 2.5.6). */
    return ip->s6_addr[0] == 0xfe && (ip->s6_addr[1] & 0xc0) == 0x80;
}

const char *
portsec_inspect_arp(const struct flow *flow, struct flow_wildcards *wc,
                    const struct portsec_bindings_view *b)
{
    struct in6_addr ip;

    WC_MASK_FIELD(wc, dl_type);
    if (flow->dl_type != htons(ETH_TYPE_ARP)) {
        return NULL;
    }

    WC_MASK_FIELD(wc, dl_src);
    WC_MASK_FIELD(wc, arp_sha);
    if (!eth_addr_equals(flow->arp_sha, flow->dl_src)) {
        return "ARP inspection: sender MAC differs from the Ethernet source";
    }
    WC_MASK_FIELD(wc, nw_src);
    if (!flow->nw_src) {
        return NULL;            /* ARP probe (RFC 5227). */
    }
    in6_addr_set_mapped_ipv4(&ip, flow->nw_src);
    if (!is_bound(b, flow->arp_sha, &ip)) {
        return "ARP inspection: sender MAC and IP are not a binding of the "
               "input port";
    }
    return NULL;
}

const char *
portsec_inspect_ip_source(const struct flow *flow, struct flow_wildcards *wc,
                          const struct portsec_bindings_view *b)
{
    struct in6_addr ip;

    WC_MASK_FIELD(wc, dl_type);
    if (flow->dl_type == htons(ETH_TYPE_IP)) {
        WC_MASK_FIELD(wc, nw_src);
        if (!flow->nw_src) {
            static const uint16_t dhcp_server_port[] = {
                PORTSEC_DHCP4_SERVER_PORT
            };

            WC_MASK_FIELD(wc, nw_proto);
            WC_MASK_FIELD_MASK(wc, nw_frag, FLOW_NW_FRAG_LATER);
            if (flow->nw_proto == IPPROTO_UDP
                && !(flow->nw_frag & FLOW_NW_FRAG_LATER)
                && match_be16(flow->tp_dst, &wc->masks.tp_dst,
                              dhcp_server_port, 1)) {
                return NULL;    /* DHCP client without an address. */
            }
            return "IP source guard: source 0.0.0.0 is not a binding";
        }
        in6_addr_set_mapped_ipv4(&ip, flow->nw_src);
    } else if (flow->dl_type == htons(ETH_TYPE_IPV6)) {
        WC_MASK_FIELD(wc, ipv6_src);
        ip = flow->ipv6_src;
        if (portsec_ipv6_is_link_local(&ip)) {
            return NULL;
        } else if (!ipv6_addr_is_set(&ip)) {
            WC_MASK_FIELD(wc, nw_proto);
            if (flow->nw_proto == IPPROTO_ICMPV6) {
                return NULL;    /* DAD or MLD. */
            }
            return "IP source guard: source :: is not a binding";
        }
    } else {
        return NULL;
    }

    WC_MASK_FIELD(wc, dl_src);
    if (!is_bound(b, flow->dl_src, &ip)) {
        return "IP source guard: source MAC and IP are not a binding of the "
               "input port";
    }
    return NULL;
}

const char *
portsec_inspect_nd(const struct flow *flow, struct flow_wildcards *wc,
                   const struct portsec_bindings_view *b)
{
    static const uint16_t nd_types[] = {
        ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT
    };

    if (!is_icmp6__(flow, wc) || !icmp6_type_is(flow, wc, nd_types, 2)) {
        return NULL;
    }

    /* flow_extract() parses the ND fields only of messages with code 0,
     * the only ones that hosts accept (RFC 4861 sections 7.1.1, 7.1.2). */
    WC_MASK_FIELD(wc, tp_dst);
    if (flow->tp_dst != htons(0)) {
        return NULL;
    }

    WC_MASK_FIELD(wc, dl_src);
    if (flow->tp_src == htons(ND_NEIGHBOR_SOLICIT)) {
        WC_MASK_FIELD(wc, ipv6_src);
        WC_MASK_FIELD(wc, arp_sha);
        if (!ipv6_addr_is_set(&flow->ipv6_src)) {
            if (!eth_addr_is_zero(flow->arp_sha)) {
                return "ND inspection: NS from :: with a source link-layer "
                       "address option";
            }
            return NULL;
        }
        if (!eth_addr_is_zero(flow->arp_sha)
            && !eth_addr_equals(flow->arp_sha, flow->dl_src)) {
            return "ND inspection: NS source link-layer address differs "
                   "from the Ethernet source";
        }
        if (!portsec_ipv6_is_link_local(&flow->ipv6_src)
            && !is_bound(b, flow->dl_src, &flow->ipv6_src)) {
            return "ND inspection: NS source address is not a binding of "
                   "the input port";
        }
    } else {
        WC_MASK_FIELD(wc, nd_target);
        WC_MASK_FIELD(wc, arp_tha);
        if (!eth_addr_is_zero(flow->arp_tha)
            && !eth_addr_equals(flow->arp_tha, flow->dl_src)) {
            return "ND inspection: NA target link-layer address differs "
                   "from the Ethernet source";
        }
        if (!portsec_ipv6_is_link_local(&flow->nd_target)
            && !is_bound(b, flow->dl_src, &flow->nd_target)) {
            return "ND inspection: NA target address is not a binding of "
                   "the input port";
        }
    }
    return NULL;
}

const char *
portsec_inspect_ra(const struct flow *flow, struct flow_wildcards *wc)
{
    static const uint16_t router_types[] = {
        ND_ROUTER_ADVERT, ND_REDIRECT
    };

    if (is_icmp6__(flow, wc) && icmp6_type_is(flow, wc, router_types, 2)) {
        return (flow->tp_src == htons(ND_ROUTER_ADVERT)
                ? "RA guard: router advertisement from an untrusted port"
                : "RA guard: redirect from an untrusted port");
    }
    return NULL;
}

enum portsec_dhcp_class
portsec_classify_dhcp(const struct flow *flow, struct flow_wildcards *wc)
{
    static const uint16_t server4[] = { PORTSEC_DHCP4_SERVER_PORT };
    static const uint16_t client4[] = { PORTSEC_DHCP4_CLIENT_PORT };
    static const uint16_t server6[] = { PORTSEC_DHCP6_SERVER_PORT };
    static const uint16_t client6[] = { PORTSEC_DHCP6_CLIENT_PORT };
    const uint16_t *server, *client;
    bool ipv4;

    WC_MASK_FIELD(wc, dl_type);
    if (flow->dl_type == htons(ETH_TYPE_IP)) {
        ipv4 = true;
        server = server4;
        client = client4;
    } else if (flow->dl_type == htons(ETH_TYPE_IPV6)) {
        ipv4 = false;
        server = server6;
        client = client6;
    } else {
        return PORTSEC_DHCP_NONE;
    }

    WC_MASK_FIELD(wc, nw_proto);
    if (flow->nw_proto != IPPROTO_UDP) {
        return PORTSEC_DHCP_NONE;
    }
    WC_MASK_FIELD_MASK(wc, nw_frag, FLOW_NW_FRAG_LATER);
    if (flow->nw_frag & FLOW_NW_FRAG_LATER) {
        return PORTSEC_DHCP_NONE;
    }

    if (match_be16(flow->tp_src, &wc->masks.tp_src, server, 1)) {
        return ipv4 ? PORTSEC_DHCP4_SERVER : PORTSEC_DHCP6_SERVER;
    } else if (match_be16(flow->tp_src, &wc->masks.tp_src, client, 1)
               && match_be16(flow->tp_dst, &wc->masks.tp_dst, server, 1)) {
        return ipv4 ? PORTSEC_DHCP4_CLIENT : PORTSEC_DHCP6_CLIENT;
    }
    return PORTSEC_DHCP_NONE;
}
