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

/* ARP and ND suppression.
 *
 * A port with security_policy:arp_suppression=true has its broadcast ARP
 * requests for an address that another port of its bridge owns, in the
 * same VLAN, answered by the switch: the request goes no further, and the
 * reply is what the owner would send (RFC 826 as Linux answers: to the
 * requester's sender hardware address, from the owner's MAC).  Likewise,
 * nd_suppression=true answers multicast Neighbor Solicitations with the
 * owner's Neighbor Advertisement (RFC 4861 section 7.2.4).  A port owns
 * an address if it alone has a binding for it, with one MAC
 * (portsec_owner_find(), PORTSEC_OWNER_ADDRESS): a contested address is
 * not answered for.
 *
 * Both are decided in translation, so that the verdict is cached in the
 * megaflow, which matches on the target address and the VLAN.  The ARP
 * reply is made of datapath actions: the request rewritten into the reply
 * with set actions and output to the input port, so that the megaflow
 * itself answers every later request of the same requester for the same
 * target.  Only the userspace datapath can set ARP fields
 * (commit_set_arp_action() reports SLOW_ACTION for the others): on the
 * kernel datapath, the megaflow sends each request to ovs-vswitchd, which
 * executes the same actions.  An NA cannot be made from an NS by set
 * actions (the ICMPv6 type and the option change), so ND answers are
 * always slow-pathed: each solicitation reaches ovs-vswitchd, whose
 * translation composes the advertisement from the packet and queues it
 * for the main thread, which sends it out of the requesting interface
 * (portsec_suppress_run()). */

#include <config.h>
#include "ofproto-dpif-portsec-private.h"

#include <stdlib.h>

#include "coverage.h"
#include "dp-packet.h"
#include "dpif.h"
#include "dpif-netdev.h"
#include "flow.h"
#include "netlink.h"
#include "odp-util.h"
#include "ofproto/ofproto-dpif-trace.h"
#include "ofproto/ofproto-dpif-xlate.h"
#include "ofproto/ofproto-dpif.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-binding.h"
#include "seq.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec_suppress);

COVERAGE_DEFINE(portsec_arp_suppressed);
COVERAGE_DEFINE(portsec_nd_suppressed);
COVERAGE_DEFINE(portsec_nd_answer_overflow);

/* The most Neighbor Advertisements waiting for the main thread.  Beyond
 * them, a solicitation is forwarded as if it were not suppressed. */
#define MAX_ANSWERS 1024

/* The datapath ports of a port's interfaces, immutable once published. */
struct portsec_odp_ports {
    size_t n;
    struct {
        ofp_port_t ofp_port;
        odp_port_t odp_port;
    } ports[];
};

/* A Neighbor Advertisement to send. */
struct nd_answer {
    struct ovs_list node;           /* In 'answers'. */
    const struct ofproto *ofproto;  /* Compared only, in the main thread. */
    ofp_port_t ofp_port;            /* The solicitation's input port. */
    struct dp_packet *packet;
};

static struct ovs_mutex answers_mutex = OVS_MUTEX_INITIALIZER;
static struct ovs_list answers OVS_GUARDED_BY(answers_mutex)
    = OVS_LIST_INITIALIZER(&answers);
static size_t n_answers OVS_GUARDED_BY(answers_mutex);

/* Changes when an answer is queued, to wake the main thread.  Created by
 * the main thread when a port first gets nd_suppression, before the
 * policy that makes handlers queue answers is published. */
static struct seq *answers_seq;

/* Datapath ports. */

static bool
odp_ports_equal(const struct portsec_odp_ports *a,
                const struct portsec_odp_ports *b)
{
    if (!a || !b) {
        return a == b;
    }
    return (a->n == b->n
            && !memcmp(a->ports, b->ports, a->n * sizeof a->ports[0]));
}

void
portsec_suppress_port_configure(struct portsec_port *port,
                                const struct ofproto *ofproto,
                                const struct portsec_policy *policy)
{
    struct portsec_odp_ports *old, *new = NULL;

    old = ovsrcu_get_protected(struct portsec_odp_ports *, &port->odp_ports);
    if (policy && policy->has_settings && policy->nd_suppression
        && !answers_seq) {
        answers_seq = seq_create();
    }
    if (policy && policy->has_settings
        && (policy->arp_suppression || policy->nd_suppression)) {
        struct dpif *dpif = port->br->ofproto_dpif->backer->dpif;

        new = xmalloc(sizeof *new + policy->n_ifaces * sizeof new->ports[0]);
        new->n = 0;
        for (size_t i = 0; i < policy->n_ifaces; i++) {
            struct ofproto_port ofproto_port;
            struct dpif_port dpif_port;

            if (ofproto_port_query_by_name(ofproto, policy->ifaces[i],
                                           &ofproto_port)) {
                continue;
            }
            if (!dpif_port_query_by_name(dpif, policy->ifaces[i],
                                         &dpif_port)) {
                new->ports[new->n].ofp_port = ofproto_port.ofp_port;
                new->ports[new->n].odp_port = dpif_port.port_no;
                new->n++;
                dpif_port_destroy(&dpif_port);
            }
            ofproto_port_destroy(&ofproto_port);
        }
    }

    if (odp_ports_equal(old, new)) {
        free(new);
        return;
    }
    ovsrcu_set(&port->odp_ports, new);
    ovsrcu_postpone(free, old);
}

void
portsec_suppress_port_destroy(struct portsec_port *port)
{
    free(ovsrcu_get_protected(struct portsec_odp_ports *, &port->odp_ports));
}

/* Returns the datapath port of 'port''s interface with OpenFlow port
 * number 'ofp_port', or ODPP_NONE if it is unknown. */
static odp_port_t
port_odp_port(struct portsec_port *port, ofp_port_t ofp_port)
{
    const struct portsec_odp_ports *ports
        = ovsrcu_get(struct portsec_odp_ports *, &port->odp_ports);

    for (size_t i = 0; ports && i < ports->n; i++) {
        if (ports->ports[i].ofp_port == ofp_port) {
            return ports->ports[i].odp_port;
        }
    }
    return ODPP_NONE;
}

/* Translation. */

/* Reports 'format' in the trace of 'xin', if it is traced. */
static void OVS_PRINTF_FORMAT(2, 3)
suppress_report(const struct xlate_in *xin, const char *format, ...)
{
    if (OVS_UNLIKELY(xin->trace)) {
        struct ds s = DS_EMPTY_INITIALIZER;
        va_list args;

        va_start(args, format);
        ds_put_format_valist(&s, format, args);
        va_end(args);
        oftrace_report(xin->trace, OFT_DETAIL, ds_cstr(&s));
        ds_destroy(&s);
    }
}

/* Returns the port that owns 'ip' in 'vlan' for a request from 'port', with
 * its MAC in '*mac', if the request is to be answered: an owner that is
 * not 'port' itself and not err-disabled.  Otherwise NULL. */
static struct portsec_port *
answering_owner(const struct xlate_in *xin, struct portsec_port *port,
                const struct in6_addr *ip, uint16_t vlan,
                struct eth_addr *mac)
{
    bool contested;
    struct portsec_port *owner = portsec_owner_find(port->br, ip, vlan,
                                                    PORTSEC_OWNER_ADDRESS,
                                                    NULL, true, mac,
                                                    &contested);
    if (contested) {
        suppress_report(xin, "suppression: the target is claimed by more "
                        "than one port or MAC, not answered");
        return NULL;
    } else if (owner == port) {
        suppress_report(xin, "suppression: the target is the requester's "
                        "own address, not answered");
        return NULL;
    } else if (owner && portsec_port_is_err_disabled(owner)) {
        suppress_report(xin, "suppression: the target's port %s is "
                        "err-disabled, not answered", owner->name);
        return NULL;
    }
    return owner;
}

/* ARP suppression. */
static const char *
suppress_arp(const struct xlate_in *xin, struct portsec_port *port,
             const struct portsec_policy *policy, const struct flow *flow,
             struct flow_wildcards *wc, enum slow_path_reason *slow)
{
    struct portsec_port *owner;
    struct eth_addr owner_mac;
    struct in6_addr target;
    odp_port_t odp_port;
    uint16_t vlan;

    WC_MASK_FIELD(wc, dl_type);
    if (flow->dl_type != htons(ETH_TYPE_ARP)) {
        return NULL;
    }
    WC_MASK_FIELD(wc, dl_dst);
    WC_MASK_FIELD_MASK(wc, nw_proto, 0xff);
    if (!eth_addr_is_broadcast(flow->dl_dst)
        || flow->nw_proto != ARP_OP_REQUEST) {
        return NULL;
    }

    WC_MASK_FIELD(wc, nw_dst);
    vlan = portsec_frame_vlan(flow, wc, policy);
    in6_addr_set_mapped_ipv4(&target, flow->nw_dst);
    owner = answering_owner(xin, port, &target, vlan, &owner_mac);
    if (!owner) {
        return NULL;
    }

    /* RFC 5227: a probe (sender 0.0.0.0) and an announcement (gratuitous:
     * sender = target) detect and resolve conflicts; they must reach the
     * owner.  A reply goes to the sender hardware address, which must be a
     * host's. */
    WC_MASK_FIELD(wc, nw_src);
    WC_MASK_FIELD(wc, arp_sha);
    if (!flow->nw_src || flow->nw_src == flow->nw_dst
        || eth_addr_is_multicast(flow->arp_sha)
        || eth_addr_is_zero(flow->arp_sha)) {
        suppress_report(xin, "ARP suppression: a probe, announcement or "
                        "odd sender, not answered");
        return NULL;
    }

    odp_port = port_odp_port(port, flow->in_port.ofp_port);
    if (odp_port == ODPP_NONE) {
        suppress_report(xin, "ARP suppression: the input interface has no "
                        "known datapath port, not answered");
        return NULL;
    }

    /* The reply, as the owner would send it, out of the input port with
     * the request's VLAN tag.  commit_odp_actions() sets only the fields
     * that 'wc' matches (as a set_field action un-wildcards its field):
     * all of those that the reply changes, which include the requester's
     * addresses. */
    WC_MASK_FIELD(wc, dl_src);
    WC_MASK_FIELD(wc, arp_tha);
    if (xin->odp_actions) {
        const struct dpif_backer *backer = xin->ofproto->backer;
        struct flow base = *flow;
        struct flow reply = *flow;
        enum slow_path_reason reason;

        reply.dl_src = owner_mac;
        reply.dl_dst = flow->arp_sha;
        reply.nw_proto = ARP_OP_REPLY;
        reply.arp_sha = owner_mac;
        reply.nw_src = flow->nw_dst;
        reply.arp_tha = flow->arp_sha;
        reply.nw_dst = flow->nw_src;
        reason = commit_odp_actions(&reply, &base, xin->odp_actions, wc,
                                    backer->rt_support.masked_set_action,
                                    false, false, NULL);
        if (!dpif_is_netdev(backer->dpif)) {
            *slow |= reason;
        }
        nl_msg_put_odp_port(xin->odp_actions, OVS_ACTION_ATTR_OUTPUT,
                            odp_port);
    }

    COVERAGE_INC(portsec_arp_suppressed);
    portsec_port_count(xin, port, PORTSEC_STAT_ARP_SUPPRESSED);
    suppress_report(xin, "ARP suppression: "IP_FMT" is at "ETH_ADDR_FMT
                    " on port %s, replying on the input port",
                    IP_ARGS(flow->nw_dst), ETH_ADDR_ARGS(owner_mac),
                    owner->name);
    return "ARP suppression: request answered, not forwarded";
}

/* ND suppression. */

/* Composes the Neighbor Advertisement that the owner of 'target', with
 * 'owner_mac', sends in answer to the solicitation that 'flow' describes
 * (RFC 4861 section 7.2.4: to the solicitation's source, S and O set, R
 * clear since nothing says that the owner is a router, the owner's MAC in
 * the target link-layer address option, hop limit 255), with the
 * solicitation's VLAN tags. */
static struct dp_packet *
compose_answer(const struct flow *flow, struct eth_addr owner_mac,
               const struct in6_addr *target)
{
    struct dp_packet *packet = dp_packet_new(128);
    struct eth_addr dst = (eth_addr_is_zero(flow->arp_sha)
                           ? flow->dl_src : flow->arp_sha);

    compose_nd_na(packet, owner_mac, dst, target, &flow->ipv6_src,
                  htonl(ND_RSO_SOLICITED | ND_RSO_OVERRIDE));
    for (int i = FLOW_MAX_VLAN_HEADERS - 1; i >= 0; i--) {
        if (flow->vlans[i].tci & htons(VLAN_CFI)) {
            eth_push_vlan(packet, flow->vlans[i].tpid, flow->vlans[i].tci);
        }
    }
    return packet;
}

/* Queues 'packet' to be sent out of 'ofp_port' of 'ofproto'.  Returns
 * false, freeing it, if there are too many waiting. */
static bool
queue_answer(const struct ofproto *ofproto, ofp_port_t ofp_port,
             struct dp_packet *packet)
{
    struct nd_answer *answer;

    ovs_mutex_lock(&answers_mutex);
    if (n_answers >= MAX_ANSWERS) {
        ovs_mutex_unlock(&answers_mutex);
        dp_packet_delete(packet);
        return false;
    }
    answer = xmalloc(sizeof *answer);
    answer->ofproto = ofproto;
    answer->ofp_port = ofp_port;
    answer->packet = packet;
    ovs_list_push_back(&answers, &answer->node);
    n_answers++;
    ovs_mutex_unlock(&answers_mutex);

    seq_change(answers_seq);
    return true;
}

static const char *
suppress_nd(const struct xlate_in *xin, struct portsec_port *port,
            const struct portsec_policy *policy, const struct flow *flow,
            struct flow_wildcards *wc, enum slow_path_reason *slow)
{
    char target_s[INET6_ADDRSTRLEN];
    struct portsec_port *owner;
    struct eth_addr owner_mac;
    uint16_t vlan;

    /* A valid solicitation (RFC 4861 section 7.1.1), to a multicast
     * (solicited-node) address: a unicast one reaches the owner alone. */
    if (!is_nd(flow, wc) || flow->tp_src != htons(ND_NEIGHBOR_SOLICIT)) {
        return NULL;
    }
    wc->masks.dl_dst.ea[0] |= 0x01;
    WC_MASK_FIELD(wc, nw_ttl);
    if (!eth_addr_is_multicast(flow->dl_dst) || flow->nw_ttl != 255) {
        return NULL;
    }

    WC_MASK_FIELD(wc, nd_target);
    vlan = portsec_frame_vlan(flow, wc, policy);
    owner = answering_owner(xin, port, &flow->nd_target, vlan, &owner_mac);
    if (!owner) {
        return NULL;
    }

    /* A trusted port may be a router (RA guard lets trusted ports alone
     * advertise), whose answer has the R flag, which we cannot know: a
     * clear R would make hosts drop it from their default routers (RFC
     * 4861 section 7.2.5). */
    if (ovsrcu_get(struct portsec_policy *, &owner->policy)->trusted) {
        suppress_report(xin, "ND suppression: the target's port %s is "
                        "trusted, maybe a router, not answered",
                        owner->name);
        return NULL;
    }

    /* Duplicate address detection (source ::) must reach the owner. */
    WC_MASK_FIELD(wc, ipv6_src);
    if (!ipv6_addr_is_set(&flow->ipv6_src)) {
        suppress_report(xin, "ND suppression: duplicate address detection, "
                        "not answered");
        return NULL;
    }

    /* Every solicitation of the megaflow comes to ovs-vswitchd, which
     * answers it from the packet. */
    *slow |= SLOW_ACTION;
    ipv6_string_mapped(target_s, &flow->nd_target);
    if (xin->packet && xin->allow_side_effects && !xin->trace) {
        struct dp_packet *answer = compose_answer(flow, owner_mac,
                                                  &flow->nd_target);

        if (!queue_answer(&xin->ofproto->up, flow->in_port.ofp_port,
                          answer)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            COVERAGE_INC(portsec_nd_answer_overflow);
            VLOG_WARN_RL(&rl, "port %s: too many Neighbor Advertisements "
                         "waiting to be sent, forwarding a solicitation "
                         "for %s", port->name, target_s);
            return NULL;
        }
        portsec_port_count_n(port, PORTSEC_STAT_ND_SUPPRESSED, 1);
    }
    COVERAGE_INC(portsec_nd_suppressed);
    suppress_report(xin, "ND suppression: %s is at "ETH_ADDR_FMT" on port "
                    "%s, advertising it on the input port", target_s,
                    ETH_ADDR_ARGS(owner_mac), owner->name);
    return "ND suppression: solicitation answered, not forwarded";
}

const char *
portsec_suppress_xlate(const struct xlate_in *xin, struct portsec_port *port,
                       const struct portsec_policy *policy,
                       const struct flow *flow, struct flow_wildcards *wc,
                       enum slow_path_reason *slow)
{
    const char *reason = NULL;

    if (policy->arp_suppression) {
        reason = suppress_arp(xin, port, policy, flow, wc, slow);
    }
    if (!reason && policy->nd_suppression) {
        reason = suppress_nd(xin, port, policy, flow, wc, slow);
    }
    return reason;
}

/* Sending. */

/* Returns the ofproto-dpif of the bridge 'ofproto' if port security still
 * knows it, otherwise NULL. */
static struct ofproto_dpif *
known_ofproto(const struct ofproto *ofproto)
{
    struct portsec_bridge *br;

    HMAP_FOR_EACH (br, node, &portsec_bridges) {
        if (br->ofproto == ofproto) {
            return br->ofproto_dpif;
        }
    }
    return NULL;
}

void
portsec_suppress_run(void)
{
    struct ovs_list queue = OVS_LIST_INITIALIZER(&queue);
    struct nd_answer *answer;

    ovs_mutex_lock(&answers_mutex);
    ovs_list_push_back_all(&queue, &answers);
    n_answers = 0;
    ovs_mutex_unlock(&answers_mutex);

    LIST_FOR_EACH_POP (answer, node, &queue) {
        struct ofproto_dpif *ofproto = known_ofproto(answer->ofproto);
        struct ofport_dpif *ofport = (ofproto
                                      ? ofp_port_to_ofport(ofproto,
                                                           answer->ofp_port)
                                      : NULL);

        if (ofport) {
            ofproto_dpif_send_packet(ofport, false, answer->packet);
        }
        dp_packet_delete(answer->packet);
        free(answer);
    }
}

void
portsec_suppress_wait(void)
{
    bool empty;

    if (!answers_seq) {
        return;
    }
    seq_wait(answers_seq, seq_read(answers_seq));
    ovs_mutex_lock(&answers_mutex);
    empty = ovs_list_is_empty(&answers);
    ovs_mutex_unlock(&answers_mutex);
    if (!empty) {
        poll_immediate_wake();
    }
}
