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

#ifndef PORTSEC_INSPECT_H
#define PORTSEC_INSPECT_H 1

/* Address inspection of frames from untrusted ports.
 * ==================================================
 *
 * The verdicts of dynamic ARP inspection, IP source guard, IPv6 ND
 * inspection and RA guard for one frame, computed from the frame's parsed
 * headers (a 'struct flow' from flow_extract(), which parses ARP and the
 * ND target and link-layer address options, RFC 4861 section 4.6.1) and
 * the port's bindings, which the caller provides as a lookup function.
 *
 * Every function un-wildcards in 'wc' exactly the fields its verdict
 * reads, so that the verdict can be cached in a megaflow: dl_type and, as
 * each check needs them, dl_src, nw_src or ipv6_src, nw_proto, tp_src
 * (the ICMPv6 type), tp_dst (the UDP port or ICMPv6 code), the ARP/ND
 * fields (arp_sha, arp_tha, nd_target).  The caller un-wildcards in_port
 * and the VLAN.
 *
 * Pure functions of their arguments; any thread. */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include "openvswitch/types.h"

struct flow;
struct flow_wildcards;

/* Returns true if the port whose frame is being inspected has a binding
 * for ('mac', 'ip', 'vlan').  'ip' is an IPv6 address or an IPv4-mapped
 * IPv6 address (::ffff:a.b.c.d).  'vlan' is 0 to 4095. */
typedef bool portsec_is_bound_func(const void *aux, struct eth_addr mac,
                                   const struct in6_addr *ip, uint16_t vlan);

/* The port's bindings, as seen by the inspection functions. */
struct portsec_bindings_view {
    uint16_t vlan;                  /* VLAN of the frame (0 to 4095). */
    portsec_is_bound_func *is_bound;
    const void *aux;                /* Passed to 'is_bound'. */
};

/* Returns true if 'ip' is an IPv6 link-local unicast address, fe80::/10
 * (RFC 4291 section 2.5.6): ND inspection and IP source guard let those
 * through without a binding, and ND snooping never binds them.  Pure. */
bool portsec_ipv6_is_link_local(const struct in6_addr *ip);

/* Dynamic ARP inspection.  Returns NULL if the ARP packet in 'flow' may
 * pass, otherwise why not: its sender hardware address differs from the
 * Ethernet source, or its (sender MAC, sender IP, VLAN) is not a binding.
 * An ARP probe (sender IP 0.0.0.0, RFC 5227) passes if its sender MAC is
 * the Ethernet source.  Gratuitous ARP is checked like any ARP.  Returns
 * NULL for a frame that is not ARP. */
const char *portsec_inspect_arp(const struct flow *flow,
                                struct flow_wildcards *wc,
                                const struct portsec_bindings_view *b);

/* IP source guard.  Returns NULL if the IPv4 or IPv6 packet in 'flow' may
 * pass, otherwise why not: its (source MAC, source IP, VLAN) is not a
 * binding.  Passes without a binding, because a guest needs them to get an
 * address:
 *
 *   - DHCPv4 client messages from 0.0.0.0 (UDP to port 67);
 *
 *   - IPv6 packets from a link-local source (fe80::/10), which carry ND,
 *     MLD and DHCPv6 client messages;
 *
 *   - ICMPv6 from the unspecified address (::): Duplicate Address
 *     Detection (RFC 4862 section 5.4) and MLD reports (RFC 3810 section
 *     5.2.13).
 *
 * Returns NULL for a frame that is neither IPv4 nor IPv6. */
const char *portsec_inspect_ip_source(const struct flow *flow,
                                      struct flow_wildcards *wc,
                                      const struct portsec_bindings_view *b);

/* IPv6 ND inspection.  Returns NULL if the Neighbor Solicitation or
 * Neighbor Advertisement in 'flow' may pass, otherwise why not:
 *
 *   - NS: a source link-layer address option that differs from the
 *     Ethernet source, or that is present with the unspecified source
 *     address (forbidden by RFC 4861 section 4.3); a source address that
 *     is neither unspecified, nor link-local, nor bound to the Ethernet
 *     source.
 *
 *   - NA: a target link-layer address option that differs from the
 *     Ethernet source; a target address that is neither link-local nor
 *     bound to the Ethernet source.
 *
 * Returns NULL for any other frame. */
const char *portsec_inspect_nd(const struct flow *flow,
                               struct flow_wildcards *wc,
                               const struct portsec_bindings_view *b);

/* RA guard (RFC 6105).  Returns NULL unless 'flow' is an ICMPv6 Router
 * Advertisement (type 134) or Redirect (type 137), which only routers
 * send, in which case it returns why it must be dropped. */
const char *portsec_inspect_ra(const struct flow *flow,
                               struct flow_wildcards *wc);

/* DHCP traffic, by UDP ports. */
enum portsec_dhcp_class {
    PORTSEC_DHCP_NONE,          /* Not DHCP. */
    PORTSEC_DHCP4_CLIENT,       /* UDP 68 -> 67: client to server. */
    PORTSEC_DHCP4_SERVER,       /* UDP 67 -> any: server or relay agent. */
    PORTSEC_DHCP6_CLIENT,       /* UDP 546 -> 547: client to server. */
    PORTSEC_DHCP6_SERVER,       /* UDP 547 -> any: server or relay agent. */
};

/* Classifies 'flow' by its UDP ports (RFC 2131 section 4.1, RFC 8415
 * section 7.2), un-wildcarding dl_type, nw_proto, nw_frag and the ports
 * it reads.  Later fragments have no ports and are PORTSEC_DHCP_NONE. */
enum portsec_dhcp_class portsec_classify_dhcp(const struct flow *flow,
                                              struct flow_wildcards *wc);

#endif /* portsec-inspect.h */
