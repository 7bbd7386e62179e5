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
#include "ofproto-dpif-portsec-private.h"

#include <stdlib.h>

#include "coverage.h"
#include "dp-packet.h"
#include "flow.h"
#include "hash.h"
#include "mac-learning.h"
#include "netdev.h"
#include "ofproto/ofproto-dpif.h"
#include "ofproto/ofproto-dpif-rid.h"
#include "ofproto/ofproto-dpif-xlate.h"
#include "ofproto/ofproto-provider.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-admission.h"
#include "portsec-binding.h"
#include "portsec-dhcp.h"
#include "portsec-inspect.h"
#include "seq.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec_snoop);

COVERAGE_DEFINE(portsec_dhcp_server_drop);
COVERAGE_DEFINE(portsec_dhcp_rate_drop);
COVERAGE_DEFINE(portsec_dhcp_malformed_drop);
COVERAGE_DEFINE(portsec_arp_inspection_drop);
COVERAGE_DEFINE(portsec_ip_source_guard_drop);
COVERAGE_DEFINE(portsec_nd_inspection_drop);
COVERAGE_DEFINE(portsec_ra_guard_drop);
COVERAGE_DEFINE(portsec_binding_limit_drop);
COVERAGE_DEFINE(portsec_snoop_bind);
COVERAGE_DEFINE(portsec_snoop_limit);
COVERAGE_DEFINE(portsec_snoop_duplicate);
COVERAGE_DEFINE(portsec_snoop_controller);

/* How long a DHCP client's request is remembered, waiting for the server's
 * answer, in ms.  RFC 2131 section 4.1 has clients retransmit within 64
 * seconds. */
#define PENDING_MS (60 * 1000)

/* The most requests remembered per bridge, and per port (the port's
 * max_bindings, but at least MIN_PENDING_PER_PORT), so that a port that
 * floods DHCP requests from many MACs cannot keep the other ports' clients
 * from getting bindings.
 *
 * A port at its share forgets its oldest request to remember a new one,
 * rather than refusing the new one: only requests from MACs that the port
 * admits and within its dhcp_rate_limit get here, so a burst can displace
 * a request only by arriving faster than the server answers it (a DHCP
 * exchange takes milliseconds; the burst is limited to dhcp_rate_limit a
 * second), and the port's clients that ask after the burst, or retransmit
 * (RFC 2131 section 4.1), are always snooped.  Refusing new requests
 * instead let one burst keep every later client of the port unbound for
 * PENDING_MS. */
#define MAX_PENDING 4096
#define MIN_PENDING_PER_PORT 16

/* A DHCP client's request, seen on an untrusted port with dhcp_snooping,
 * waiting for the server's answer on a trusted port. */
struct pending_request {
    struct hmap_node node;          /* In 'br->pending'. */
    struct ovs_list port_node;      /* In its port's 'pending', oldest
                                     * first. */
    struct eth_addr mac;            /* Client MAC (chaddr, Ethernet
                                     * source). */
    bool ipv6;                      /* DHCPv6 rather than DHCPv4? */
    uint32_t xid;                   /* Transaction ID. */
    struct portsec_port *port;      /* The client's port, referenced. */
    uint16_t vlan;                  /* VLAN of the request. */
    long long int when;             /* time_msec() of the request. */
};

static void
pending_remove(struct portsec_bridge *br, struct pending_request *req)
    OVS_REQUIRES(br->pending_mutex)
{
    req->port->n_pending--;
    ovs_list_remove(&req->port_node);
    hmap_remove(&br->pending, &req->node);
    portsec_port_unref(req->port);
    free(req);
}

/* Forgets the DHCP requests older than PENDING_MS and, if 'port' is
 * nonnull, all of 'port''s. */
void
portsec_snoop_forget(struct portsec_bridge *br,
                     const struct portsec_port *port)
    OVS_EXCLUDED(br->pending_mutex)
{
    long long int now = time_msec();
    struct pending_request *req;

    ovs_mutex_lock(&br->pending_mutex);
    HMAP_FOR_EACH_SAFE (req, node, &br->pending) {
        if (req->port == port || now - req->when >= PENDING_MS) {
            pending_remove(br, req);
        }
    }
    ovs_mutex_unlock(&br->pending_mutex);
}

/* Counts the packet that 'xin' carries, a slow-pathed DHCP message, for
 * 'stat' of 'port', unless it is being traced.  Such a verdict is made
 * anew for every packet, so it is never counted through the xlate
 * cache. */
static void
port_count_packet(const struct xlate_in *xin, struct portsec_port *port,
                  enum portsec_stat stat)
{
    if (!xin->trace) {
        portsec_port_count_n(port, stat, 1);
    }
}

/* The binding lookup of the inspection functions. */
struct bound_aux {
    struct portsec_port *port;
    const struct portsec_policy *policy;
};

static bool
port_is_bound(const void *aux_, struct eth_addr mac,
              const struct in6_addr *ip, uint16_t vlan)
{
    const struct bound_aux *aux = aux_;

    if ((vlan == aux->policy->native_vlan
         && portsec_policy_static_binding(aux->policy, mac, ip))
        || portsec_binding_lookup(aux->port->bindings, mac, ip, vlan)) {
        return true;
    }
    portsec_binding_note_denied(aux->port->bindings, mac, ip, vlan);
    return false;
}

static uint32_t
pending_hash(struct eth_addr mac, bool ipv6)
{
    return hash_bytes(&mac, sizeof mac, ipv6);
}

/* Remembers a request with 'xid' from client 'mac' on 'port', whose
 * policy is 'policy', in 'vlan'. */
static void
pending_record(struct portsec_port *port, const struct portsec_policy *policy,
               struct eth_addr mac, bool ipv6, uint32_t xid, uint16_t vlan)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct portsec_bridge *br = port->br;
    uint32_t hash = pending_hash(mac, ipv6);
    long long int now = time_msec();
    struct pending_request *req;

    ovs_mutex_lock(&br->pending_mutex);
    HMAP_FOR_EACH_WITH_HASH (req, node, hash, &br->pending) {
        if (eth_addr_equals(req->mac, mac) && req->ipv6 == ipv6) {
            if (req->port != port) {
                /* The client moved: count it against its new port. */
                pending_remove(br, req);
                break;
            }
            ovs_list_remove(&req->port_node);
            goto found;
        }
    }
    if (port->n_pending >= MAX(policy->max_bindings, MIN_PENDING_PER_PORT)) {
        struct pending_request *oldest;

        oldest = CONTAINER_OF(ovs_list_front(&port->pending),
                              struct pending_request, port_node);
        VLOG_WARN_RL(&rl, "port %s: too many DHCP requests pending, "
                     "forgetting the oldest, from "ETH_ADDR_FMT, port->name,
                     ETH_ADDR_ARGS(oldest->mac));
        pending_remove(br, oldest);
    } else if (hmap_count(&br->pending) >= MAX_PENDING) {
        ovs_mutex_unlock(&br->pending_mutex);
        VLOG_WARN_RL(&rl, "port %s: too many DHCP requests pending on the "
                     "bridge, not snooping the request of "ETH_ADDR_FMT,
                     port->name, ETH_ADDR_ARGS(mac));
        return;
    }
    req = xzalloc(sizeof *req);
    req->mac = mac;
    req->ipv6 = ipv6;
    req->port = portsec_port_ref(port);
    hmap_insert(&br->pending, &req->node, hash);
    port->n_pending++;

found:
    ovs_list_push_back(&port->pending, &req->port_node);
    req->xid = xid;
    req->vlan = vlan;
    req->when = now;
    ovs_mutex_unlock(&br->pending_mutex);
}

/* Finds the request that a server's message with 'xid' to client 'mac'
 * answers.  Returns the client's port with its active policy in
 * '*policyp' and its VLAN in '*vlan', or NULL if there is none, the port
 * no longer snoops DHCP, or 'to_port' is nonnull and the request is not
 * one of 'to_port''s.  Any thread, in an RCU read section. */
static struct portsec_port *
pending_find(struct portsec_bridge *br, const struct portsec_port *to_port,
             struct eth_addr mac, bool ipv6, uint32_t xid, uint16_t *vlan,
             const struct portsec_policy **policyp)
{
    struct portsec_port *port = NULL;
    struct pending_request *req;

    /* The request's reference keeps 'port' until an RCU grace period after
     * the request goes, so it may be read after the unlock. */
    ovs_mutex_lock(&br->pending_mutex);
    HMAP_FOR_EACH_WITH_HASH (req, node, pending_hash(mac, ipv6),
                             &br->pending) {
        if (eth_addr_equals(req->mac, mac) && req->ipv6 == ipv6
            && req->xid == xid && time_msec() - req->when < PENDING_MS) {
            port = req->port;
            *vlan = req->vlan;
            break;
        }
    }
    ovs_mutex_unlock(&br->pending_mutex);

    port = portsec_port_with_settings(port, policyp);
    if (port && port->br == br && (!to_port || port == to_port)
        && portsec_policy_inspects(*policyp) && (*policyp)->dhcp_snooping) {
        return port;
    }
    return NULL;
}

static void
log_binding(const struct portsec_port *port, const char *what,
            const struct portsec_binding *b, long long int lease)
{
    char ip[INET6_ADDRSTRLEN];

    ipv6_string_mapped(ip, &b->ip);
    if (lease >= 0) {
        VLOG_INFO("port %s: binding %s: vlan %"PRIu16" "ETH_ADDR_FMT" %s "
                  "(%s, lease %lld s)", port->name, what, b->vlan,
                  ETH_ADDR_ARGS(b->mac), ip,
                  portsec_binding_source_to_string(b->source), lease);
    } else {
        VLOG_INFO("port %s: binding %s: vlan %"PRIu16" "ETH_ADDR_FMT" %s "
                  "(%s)", port->name, what, b->vlan, ETH_ADDR_ARGS(b->mac),
                  ip, portsec_binding_source_to_string(b->source));
    }
}

/* Adds or renews binding 'b' of 'client_port', the port of a DHCP client,
 * with 'policy'.
 * Returns false if the port is at its max_bindings. */
static bool
bind_client_port(const struct xlate_in *xin,
                 struct portsec_port *client_port,
                 const struct portsec_policy *policy,
                 const struct portsec_binding *b, uint32_t lease)
{
    bool need_revalidate = false;

    switch (portsec_binding_add(client_port->bindings, b, policy->max_bindings,
                                &need_revalidate)) {
    case PORTSEC_BINDING_ADDED:
        log_binding(client_port, "added", b, lease == UINT32_MAX ? -1 : lease);
        break;
    case PORTSEC_BINDING_RENEWED:
        VLOG_DBG("port %s: binding renewed", client_port->name);
        break;
    case PORTSEC_BINDING_FULL:
        COVERAGE_INC(portsec_binding_limit_drop);
        port_count_packet(xin, client_port, PORTSEC_STAT_BINDING_LIMIT_DROPS);
        log_binding(client_port, "refused, port at max_bindings", b, -1);
        return false;
    }
    portsec_port_bindings_changed(client_port, need_revalidate);
    return true;
}

static void
unbind_client_port(struct portsec_port *client_port, struct eth_addr mac,
                   const struct in6_addr *ip, uint16_t vlan,
                   enum portsec_binding_source source, const char *why)
{
    bool need_revalidate = false;

    if (portsec_binding_remove(client_port->bindings, mac, ip, vlan,
                               &need_revalidate)) {
        struct portsec_binding b = {
            .mac = mac, .ip = *ip, .vlan = vlan, .source = source
        };
        log_binding(client_port, why, &b, -1);
        portsec_port_bindings_changed(client_port, need_revalidate);
    }
}

static long long int
lease_expiry(uint32_t lease)
{
    return lease == UINT32_MAX ? LLONG_MAX : time_msec() + lease * 1000LL;
}

/* Returns the UDP payload of 'packet' and its length in '*len', or NULL. */
static const void *
udp_payload(const struct dp_packet *packet, size_t *len)
{
    const void *payload = dp_packet_get_udp_payload(packet);

    *len = payload ? dp_packet_l4_size(packet) - UDP_HEADER_LEN : 0;
    return payload;
}

/* Returns the port of 'br' that snoops DHCP and on which 'mac' in 'vlan'
 * is, with its policy in '*policyp': a secure or admitted MAC of the port,
 * or one that NORMAL learned there.  NULL if there is none.  O(number of
 * ports of 'br' with port security): only for the rare server answers that
 * match no pending request.  Any thread, in an RCU read section. */
static struct portsec_port *
find_client_port(const struct portsec_bridge *br, struct eth_addr mac,
                 uint16_t vlan, const struct portsec_policy **policyp)
{
    const struct ofbundle *learned_on = NULL;
    struct portsec_port *port;
    struct mac_entry *e;

    ovs_rwlock_rdlock(&br->ml->rwlock);
    e = mac_learning_lookup(br->ml, mac, vlan);
    if (e) {
        learned_on = mac_entry_get_port(br->ml, e);
    }
    ovs_rwlock_unlock(&br->ml->rwlock);

    CMAP_FOR_EACH (port, rcu_node, &br->ports_rcu) {
        const struct portsec_policy *policy
            = ovsrcu_get(struct portsec_policy *, &port->policy);

        if (policy->has_settings && policy->dhcp_snooping
            && portsec_policy_inspects(policy)
            && (port->bundle == learned_on
                || portsec_policy_is_secure_mac(policy, mac)
                || portsec_admission_contains(port->admission, mac, vlan))) {
            *policyp = policy;
            return port;
        }
    }
    return NULL;
}

/* Checks a server's answer that gives 'ip' to client 'mac' but matches no
 * pending request (the request was not snooped: it came before snooping
 * was on, or was forgotten).  The client's port is 'to_port', if nonnull
 * (the port that the controller delivers an injected answer to), otherwise
 * the port on which 'mac' is.  No binding is made, but the answer must not
 * take the client's port past its max_bindings either: returns a reason to
 * drop it if the port is at max_bindings and ('mac', 'ip') is not already
 * one of its bindings, otherwise NULL. */
static const char *
check_unsnooped_answer(const struct xlate_in *xin,
                       const struct portsec_bridge *br,
                       struct portsec_port *to_port, struct eth_addr mac,
                       const struct in6_addr *ip, uint16_t vlan)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    const struct portsec_policy *policy;
    struct portsec_port *client_port;

    if (to_port) {
        client_port = to_port;
        policy = ovsrcu_get(struct portsec_policy *, &to_port->policy);
    } else {
        client_port = find_client_port(br, mac, vlan, &policy);
    }

    if (client_port
        && !portsec_binding_lookup(client_port->bindings, mac, ip, vlan)
        && (portsec_binding_count_source(client_port->bindings,
                                         PORTSEC_BINDING_DHCP)
            + portsec_binding_count_source(client_port->bindings,
                                           PORTSEC_BINDING_DHCPV6)
            >= policy->max_bindings)) {
        char ip_s[INET6_ADDRSTRLEN];

        COVERAGE_INC(portsec_binding_limit_drop);
        port_count_packet(xin, client_port, PORTSEC_STAT_BINDING_LIMIT_DROPS);
        ipv6_string_mapped(ip_s, ip);
        VLOG_WARN_RL(&rl, "port %s: dropping an unsnooped DHCP answer that "
                     "gives %s to "ETH_ADDR_FMT": the port is at its "
                     "max_bindings", client_port->name, ip_s,
                     ETH_ADDR_ARGS(mac));
        return "DHCP snooping: the client's port is at its max_bindings";
    }
    return NULL;
}

/* Reads a DHCPv4 server message that a trusted port received or, if
 * 'to_port' is nonnull, that the controller injected and that is being
 * delivered to 'to_port', which it may then only bind.  'flow' describes
 * the message as it is received or delivered, 'payload' and 'len' are its
 * UDP payload, and 'frame_vid' its VLAN. */
static const char *
snoop_server4(const struct xlate_in *xin, struct portsec_bridge *br,
              struct portsec_port *to_port, const struct flow *flow,
              const void *payload, size_t len, uint16_t frame_vid)
{
    const struct portsec_policy *policy;
    struct portsec_port *client_port;
    struct portsec_dhcp4 msg;
    const char *error;
    uint16_t vlan;

    error = portsec_dhcp4_parse(payload, len, &msg);
    if (error || !portsec_dhcp4_is_server_msg(&msg) || !msg.chaddr_is_ether) {
        return NULL;
    }
    client_port = pending_find(br, to_port, msg.chaddr, false,
                               ntohl(msg.xid), &vlan, &policy);
    if (!client_port) {
        struct in6_addr ip;

        in6_addr_set_mapped_ipv4(&ip, msg.yiaddr);
        return (msg.msg_type == PORTSEC_DHCPACK && msg.yiaddr
                ? check_unsnooped_answer(xin, br, to_port, msg.chaddr, &ip,
                                         frame_vid)
                : NULL);
    }

    if (msg.msg_type == PORTSEC_DHCPACK && msg.yiaddr && msg.has_lease_time) {
        struct portsec_binding b = {
            .mac = msg.chaddr,
            .vlan = vlan,
            .source = PORTSEC_BINDING_DHCP,
            .expires = lease_expiry(msg.lease_time),
            .has_server = true,
        };

        in6_addr_set_mapped_ipv4(&b.ip, msg.yiaddr);
        in6_addr_set_mapped_ipv4(&b.server, (msg.has_server_id
                                             ? msg.server_id
                                             : flow->nw_src));
        if (!bind_client_port(xin, client_port, policy, &b, msg.lease_time)) {
            return "DHCP snooping: the client's port is at its max_bindings";
        }
    } else if (msg.msg_type == PORTSEC_DHCPNAK) {
        bool need_revalidate = false;

        if (portsec_binding_remove_mac(client_port->bindings, msg.chaddr, vlan,
                                       PORTSEC_BINDING_DHCP,
                                       &need_revalidate)) {
            VLOG_INFO("port %s: DHCPNAK removed the bindings of "
                      ETH_ADDR_FMT, client_port->name,
                      ETH_ADDR_ARGS(msg.chaddr));
            portsec_port_bindings_changed(client_port, need_revalidate);
        }
    }
    return NULL;
}

/* Reads a DHCPv6 server message, as snoop_server4() a DHCPv4 one. */
static const char *
snoop_server6(const struct xlate_in *xin, struct portsec_bridge *br,
              struct portsec_port *to_port, const struct flow *flow,
              const void *payload, size_t len, uint16_t frame_vid)
{
    const struct portsec_policy *policy;
    struct portsec_port *client_port;
    struct portsec_dhcp6 msg;
    bool refused = false;
    uint16_t vlan;

    if (portsec_dhcp6_parse(payload, len, &msg)
        || msg.msg_type != PORTSEC_DHCP6_REPLY
        || eth_addr_is_multicast(flow->dl_dst)) {
        return NULL;
    }
    client_port = pending_find(br, to_port, flow->dl_dst, true, msg.xid,
                               &vlan, &policy);
    if (!client_port) {
        for (size_t i = 0; i < msg.n_addrs; i++) {
            const struct portsec_dhcp6_addr *a = &msg.addrs[i];
            const char *reason;

            if (!a->status && a->valid_lifetime
                && (reason = check_unsnooped_answer(xin, br, to_port,
                                                    flow->dl_dst, &a->addr,
                                                    frame_vid))) {
                return reason;
            }
        }
        return NULL;
    }
    for (size_t i = 0; i < msg.n_addrs; i++) {
        const struct portsec_dhcp6_addr *a = &msg.addrs[i];

        if (a->status) {
            continue;
        } else if (a->valid_lifetime) {
            struct portsec_binding b = {
                .mac = flow->dl_dst,
                .vlan = vlan,
                .ip = a->addr,
                .source = PORTSEC_BINDING_DHCPV6,
                .expires = lease_expiry(a->valid_lifetime),
                .has_server = true,
                .server = flow->ipv6_src,
            };
            refused |= !bind_client_port(xin, client_port, policy, &b,
                                         a->valid_lifetime);
        } else {
            unbind_client_port(client_port, flow->dl_dst, &a->addr, vlan,
                          PORTSEC_BINDING_DHCPV6, "removed (valid lifetime "
                          "0)");
        }
    }
    return (refused
            ? "DHCP snooping: the client's port is at its max_bindings"
            : NULL);
}

/* Drops a DHCP client message from 'port' that cannot be snooped. */
static const char *
client_malformed(struct portsec_port *port, const struct xlate_in *xin,
                 const char *reason)
{
    COVERAGE_INC(portsec_dhcp_malformed_drop);
    port_count_packet(xin, port, PORTSEC_STAT_DHCP_MALFORMED_DROPS);
    portsec_log_violation(xin, port, reason);
    return reason;
}

/* Reads a DHCPv4 client message from untrusted 'port'. */
static const char *
snoop_client4(const struct xlate_in *xin, struct portsec_port *port,
              const struct portsec_policy *policy, const void *payload,
              size_t len, uint16_t vlan, bool admitted)
{
    const struct flow *flow = &xin->flow;
    struct portsec_dhcp4 msg;
    struct in6_addr ip;

    if (portsec_dhcp4_parse(payload, len, &msg)
        || msg.op != PORTSEC_BOOTREQUEST) {
        return client_malformed(port, xin, "DHCP snooping: malformed DHCP "
                                "client message");
    }
    if (!msg.chaddr_is_ether || !eth_addr_equals(msg.chaddr, flow->dl_src)) {
        return client_malformed(port, xin, "DHCP snooping: client hardware "
                                "address differs from the Ethernet source");
    }

    switch (msg.msg_type) {
    case PORTSEC_DHCPRELEASE:
        in6_addr_set_mapped_ipv4(&ip, msg.ciaddr);
        unbind_client_port(port, msg.chaddr, &ip, vlan, PORTSEC_BINDING_DHCP,
                           "released");
        break;
    case PORTSEC_DHCPDECLINE:
        if (msg.has_requested_ip) {
            in6_addr_set_mapped_ipv4(&ip, msg.requested_ip);
            unbind_client_port(port, msg.chaddr, &ip, vlan,
                               PORTSEC_BINDING_DHCP, "declined");
        }
        break;
    case PORTSEC_DHCPDISCOVER:
    case PORTSEC_DHCPREQUEST:
    case PORTSEC_DHCPINFORM:
        if (admitted) {
            pending_record(port, policy, msg.chaddr, false, ntohl(msg.xid),
                           vlan);
        }
        break;
    default:
        if (portsec_dhcp4_is_server_msg(&msg)) {
            return client_malformed(port, xin, "DHCP snooping: server "
                                    "message type in a client message");
        }
        break;
    }
    return NULL;
}

/* Reads a DHCPv6 client message from untrusted 'port'. */
static const char *
snoop_client6(const struct xlate_in *xin, struct portsec_port *port,
              const struct portsec_policy *policy, const void *payload,
              size_t len, uint16_t vlan, bool admitted)
{
    const struct flow *flow = &xin->flow;
    struct portsec_dhcp6 msg;

    if (portsec_dhcp6_parse(payload, len, &msg)) {
        return client_malformed(port, xin, "DHCP snooping: malformed DHCPv6 "
                                "client message");
    }
    switch (msg.msg_type) {
    case PORTSEC_DHCP6_RELEASE:
    case PORTSEC_DHCP6_DECLINE:
        for (size_t i = 0; i < msg.n_addrs; i++) {
            unbind_client_port(port, flow->dl_src, &msg.addrs[i].addr,
                               vlan, PORTSEC_BINDING_DHCPV6,
                               msg.msg_type == PORTSEC_DHCP6_RELEASE
                               ? "released" : "declined");
        }
        break;
    case PORTSEC_DHCP6_SOLICIT:
    case PORTSEC_DHCP6_REQUEST:
    case PORTSEC_DHCP6_CONFIRM:
    case PORTSEC_DHCP6_RENEW:
    case PORTSEC_DHCP6_REBIND:
    case PORTSEC_DHCP6_INFORMATION_REQUEST:
        if (admitted) {
            pending_record(port, policy, flow->dl_src, true, msg.xid, vlan);
        }
        break;
    default:
        if (portsec_dhcp6_is_server_msg(msg.msg_type)) {
            return client_malformed(port, xin, "DHCP snooping: server "
                                    "message type in a client message");
        }
        break;
    }
    return NULL;
}

/* Checks a DHCP client message from untrusted 'port': rate limit, then
 * snooping, which records a request only if its source MAC is 'admitted'.
 * Only for a packet being forwarded, not a revalidation. */
static const char *
snoop_client(const struct xlate_in *xin, struct portsec_port *port,
             const struct portsec_policy *policy, uint16_t vlan,
             enum portsec_dhcp_class class, bool admitted)
{
    const void *payload;
    size_t len;

    if (policy->dhcp_rate_limit) {
        bool ok;

        ovs_mutex_lock(&port->dhcp_mutex);
        ok = token_bucket_withdraw(&port->dhcp_bucket, 1000);
        ovs_mutex_unlock(&port->dhcp_mutex);
        if (!ok) {
            const char *reason = "DHCP snooping: client messages over the "
                                 "port's dhcp_rate_limit";

            COVERAGE_INC(portsec_dhcp_rate_drop);
            port_count_packet(xin, port, PORTSEC_STAT_DHCP_RATE_DROPS);
            portsec_log_violation(xin, port, reason);
            return reason;
        }
    }

    payload = udp_payload(xin->packet, &len);
    if (!payload) {
        return client_malformed(port, xin, "DHCP snooping: truncated UDP "
                                "header");
    }
    return (class == PORTSEC_DHCP4_CLIENT
            ? snoop_client4(xin, port, policy, payload, len, vlan, admitted)
            : snoop_client6(xin, port, policy, payload, len, vlan,
                            admitted));
}

/* The checks of a trusted port: it may send DHCP server messages, which
 * are read to learn bindings if some port of the bridge snoops DHCP. */
const char *
portsec_snoop_trusted(const struct xlate_in *xin, struct portsec_port *port,
                      const struct flow *flow, struct flow_wildcards *wc,
                      enum slow_path_reason *slow)
{
    enum portsec_dhcp_class class;
    const void *payload;
    unsigned int n_snooping;
    uint16_t vlan;
    size_t len;

    atomic_read_relaxed(&port->br->n_snooping, &n_snooping);
    if (!n_snooping) {
        return NULL;
    }
    class = portsec_classify_dhcp(flow, wc);
    if (class != PORTSEC_DHCP4_SERVER && class != PORTSEC_DHCP6_SERVER) {
        return NULL;
    }
    *slow |= SLOW_ACTION;
    if (!xin->packet || !xin->allow_side_effects) {
        return NULL;
    }
    payload = udp_payload(xin->packet, &len);
    if (!payload) {
        return NULL;
    }
    vlan = portsec_frame_vlan(flow, wc, ovsrcu_get(struct portsec_policy *,
                                           &port->policy));
    return (class == PORTSEC_DHCP4_SERVER
            ? snoop_server4(xin, port->br, NULL, flow, payload, len, vlan)
            : snoop_server6(xin, port->br, NULL, flow, payload, len, vlan));
}

/* DHCP answers that the OpenFlow controller injects.
 *
 * A controller may answer DHCP itself instead of leaving it to a server
 * behind a trusted port, as OVN's ovn-controller does (native DHCP: the
 * put_dhcp_opts and put_dhcpv6_opts actions).  Its answers never enter on
 * a trusted port, so portsec_snoop_trusted() never reads them, and without
 * this a client whose address comes from the controller would have no
 * binding.  They reach the client in one of two ways, both translated in
 * the main thread, where ofproto.c handles OpenFlow messages:
 *
 *   - A continuation.  The client's request paused translation with a
 *     "controller(pause)" action; the controller rewrites the packet into
 *     the answer and sends NXT_RESUME, which ofproto-dpif's nxt_resume()
 *     translates with xlate_resume(): 'xin->frozen_state' is the
 *     continuation's and 'xin->upcall_flow' is extracted from the new
 *     packet and the continuation's metadata, which has no recirc_id
 *     (flow_get_metadata() puts none into a packet-in; a controller that
 *     adds one to NXT_RESUME gets no snooping).  Every other
 *     translation with a frozen state (an upcall, a revalidation,
 *     ofproto/trace) thaws a recirculation: xlate_in_init() finds the
 *     frozen state by the flow's recirc_id, and recirculation IDs are
 *     never 0 (ofproto-dpif-rid.c).  So a frozen state with a zero
 *     recirc_id in 'upcall_flow' is a continuation.  The in_port of its
 *     metadata is the input port of the translation that paused: the
 *     client's own port when the controller answers the client's request,
 *     OFPP_CONTROLLER when a packet-out of the controller paused.
 *
 *   - A packet-out ('xin->in_packet_out') from in_port=CONTROLLER.
 *
 * Either way the flows may rewrite the headers before the output (OVN's
 * answer keeps the request's Ethernet, IP and UDP headers until its last
 * tables swap them), so the message is classified by the flow at output
 * time; its payload, which no header rewrite moves, is read from
 * 'xin->packet'.  An answer binds only the port that it is delivered to,
 * for a request of that port, only if the continuation's original input
 * port is that port or the controller (an answer to a frame from another
 * port binds nothing), and only if the port has trust_controller.  A
 * frame that the port's guest sends is still checked at ingress as from
 * any untrusted port: its own DHCP answers are dropped there.
 *
 * Packet-outs are translated without side effects: ofproto-dpif's
 * packet_xlate() collects them in an xlate cache, which
 * packet_execute_prepare() runs when the packet is sent, so that a
 * packet-out of an atomic OpenFlow bundle that fails to commit has none.
 * A packet-out's answer binds during translation all the same, because an
 * XC_PORTSEC entry of the xlate cache holds a port, a MAC and a VLAN, not
 * the address, lease and server of a binding, and the hooks stay small:
 * the only packet-out that is translated and not sent is one of a failed
 * atomic bundle, and the binding that it leaves is one that the controller
 * meant to grant, which expires with its lease.
 *
 * None of this is cached: continuations and packet-outs are executed,
 * never installed as megaflows.  portsec_xlate_output() calls this only
 * for translations with a frozen state or of a packet-out, and the test of
 * 'xin' comes before anything reads the flow, so that the translation of
 * an upcall un-wildcards nothing more. */

/* Returns true if 'xin' translates a packet that the OpenFlow controller
 * injected (see above) into the pipeline of the bridge of 'port', from
 * 'port' itself or from the controller.  Main thread, which alone
 * translates such packets: reads the bridge's ports. */
static bool
injected_for_port(const struct xlate_in *xin, const struct portsec_port *port,
                  const struct portsec_policy *policy)
{
    const struct ofproto_dpif *ofproto = port->br->ofproto_dpif;
    const struct frozen_state *state = xin->frozen_state;
    const struct ofport *ofport;
    const char *name;

    if (xin->in_packet_out) {
        return xin->upcall_flow->in_port.ofp_port == OFPP_CONTROLLER;
    } else if (!state || xin->upcall_flow->recirc_id
               || !uuid_equals(&state->ofproto_uuid, &ofproto->uuid)) {
        return false;
    } else if (state->metadata.in_port == OFPP_CONTROLLER) {
        return true;
    }

    ofport = ofproto_get_port(&ofproto->up, state->metadata.in_port);
    if (!ofport) {
        return false;
    }
    name = netdev_get_name(ofport->netdev);
    for (size_t i = 0; i < policy->n_ifaces; i++) {
        if (!strcmp(policy->ifaces[i], name)) {
            return true;
        }
    }
    return false;
}

const char *
portsec_snoop_injected(const struct xlate_in *xin, struct portsec_port *port,
                       const struct portsec_policy *policy,
                       const struct flow *flow, struct flow_wildcards *wc)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    enum portsec_dhcp_class class;
    const void *payload;
    uint16_t vlan;
    size_t len;

    if (!xin->packet || xin->trace || !injected_for_port(xin, port, policy)) {
        return NULL;
    }
    class = portsec_classify_dhcp(flow, wc);
    if (class != PORTSEC_DHCP4_SERVER && class != PORTSEC_DHCP6_SERVER) {
        return NULL;
    }
    if (!policy->trust_controller) {
        VLOG_INFO_RL(&rl, "port %s: not snooping a DHCP answer that the "
                     "controller injected (trust_controller=false)",
                     port->name);
        return NULL;
    }
    payload = udp_payload(xin->packet, &len);
    if (!payload) {
        return NULL;
    }

    COVERAGE_INC(portsec_snoop_controller);
    vlan = portsec_frame_vlan(flow, wc, policy);
    return (class == PORTSEC_DHCP4_SERVER
            ? snoop_server4(xin, port->br, port, flow, payload, len, vlan)
            : snoop_server6(xin, port->br, port, flow, payload, len, vlan));
}

/* ARP and ND snooping: trust on first use.
 *
 * On an untrusted port with arp_snooping or nd_snooping, the first
 * addresses that the port's guests claim are bound, like DHCP's, up to
 * arp_binding_limit IPv4 and nd_snooping_limit IPv6 addresses:
 *
 *   - ARP (RFC 826): the sender protocol address of any ARP packet
 *     (request, reply, gratuitous) whose sender hardware address is the
 *     Ethernet source; not ARP probes (sender 0.0.0.0, RFC 5227), and not
 *     multicast or broadcast addresses.
 *
 *   - ND (RFC 4861): the source address of a Neighbor Solicitation and the
 *     target address of a Neighbor Advertisement, if their link-layer
 *     address option (if any) is the Ethernet source.  A DAD probe (an NS
 *     from ::, RFC 4862 section 5.4) binds nothing: its target is only
 *     tentative, and is bound when the guest first uses it, as the source
 *     of an NS or the target of an NA, which it does once DAD completed.
 *     Link-local addresses (fe80::/10) are never bound and do not count
 *     toward the limit: ND inspection and IP source guard let them
 *     through without a binding.
 *
 * An address that another port of the bridge claims in the same VLAN,
 * alone or contested (portsec_owner_find(), PORTSEC_OWNER_COVERING), is
 * not bound: duplicate address detection across ports.  An address that
 * is not bound, over the limit or held elsewhere, is dropped by ARP or ND
 * inspection if it is on (counted in binding_limit_drops or
 * duplicate_ip_drops, logged, recorded as the port's last violation), and
 * otherwise only logged; IP source guard then drops the address's IP
 * traffic.  The binding lasts arp_nd_binding_timeout
 * minutes from the last frame that the port received from the binding's
 * MAC in its VLAN: the statistics of the megaflows of those frames refresh
 * it (portsec_snoop_refresh()).
 *
 * Only the translation of a real packet binds; any other translation of a
 * packet that would bind sets 'avoid_caching', so that no megaflow drops
 * what the next packet will bind.  A megaflow that drops an address
 * because the port was full, or another port held it, is revalidated when
 * a binding that makes room goes away: the frame that made that binding
 * passed ARP or ND inspection (or IP source guard) through it, which
 * marked it used (see lib/portsec-binding.h). */

void
portsec_snoop_refresh(struct portsec_port *port, struct eth_addr mac,
                      uint16_t vlan)
{
    const struct portsec_policy *policy
        = ovsrcu_get(struct portsec_policy *, &port->policy);
    long long int timeout = policy->arp_nd_binding_timeout * 60 * 1000LL;
    long long int now = time_msec();

    if (portsec_binding_refresh(port->bindings, mac, vlan, now + timeout / 2,
                                now + timeout)) {
        seq_change(portsec_bindings_seq());
    }
}

/* Returns true if 'ip' is an IPv6 address that ND snooping may bind:
 * not unspecified, loopback, multicast or link-local. */
static bool
nd_bindable(const struct in6_addr *ip)
{
    return (ipv6_addr_is_set(ip) && !ipv6_addr_is_multicast(ip)
            && !ipv6_addr_equals(ip, &in6addr_loopback)
            && !portsec_ipv6_is_link_local(ip));
}

/* Finds in the frame described by 'flow' the address that ARP or ND
 * snooping, as 'policy' enables them, would bind to its Ethernet source.
 * Returns true and stores it in '*ip', with its source in '*source', if
 * there is one.  Un-wildcards what it reads. */
static bool
snoop_candidate(const struct portsec_policy *policy, const struct flow *flow,
                struct flow_wildcards *wc, struct in6_addr *ip,
                enum portsec_binding_source *source)
{
    WC_MASK_FIELD(wc, dl_type);
    if (flow->dl_type == htons(ETH_TYPE_ARP)) {
        if (!policy->arp_snooping) {
            return false;
        }
        WC_MASK_FIELD(wc, dl_src);
        WC_MASK_FIELD(wc, arp_sha);
        WC_MASK_FIELD(wc, nw_src);
        if (!flow->nw_src || ip_is_multicast(flow->nw_src)
            || flow->nw_src == htonl(INADDR_BROADCAST)
            || !eth_addr_equals(flow->arp_sha, flow->dl_src)) {
            return false;
        }
        in6_addr_set_mapped_ipv4(ip, flow->nw_src);
        *source = PORTSEC_BINDING_ARP;
        return true;
    }
    if (!policy->nd_snooping || flow->dl_type != htons(ETH_TYPE_IPV6)) {
        return false;
    }
    WC_MASK_FIELD(wc, nw_proto);
    if (flow->nw_proto != IPPROTO_ICMPV6) {
        return false;
    }
    WC_MASK_FIELD(wc, tp_src);
    WC_MASK_FIELD(wc, tp_dst);
    if (flow->tp_dst != htons(0)) {
        return false;           /* flow_extract() parses only code 0. */
    }
    WC_MASK_FIELD(wc, dl_src);
    if (flow->tp_src == htons(ND_NEIGHBOR_SOLICIT)) {
        WC_MASK_FIELD(wc, ipv6_src);
        WC_MASK_FIELD(wc, arp_sha);
        if (!nd_bindable(&flow->ipv6_src)
            || (!eth_addr_is_zero(flow->arp_sha)
                && !eth_addr_equals(flow->arp_sha, flow->dl_src))) {
            return false;
        }
        *ip = flow->ipv6_src;
    } else if (flow->tp_src == htons(ND_NEIGHBOR_ADVERT)) {
        WC_MASK_FIELD(wc, nd_target);
        WC_MASK_FIELD(wc, arp_tha);
        if (!nd_bindable(&flow->nd_target)
            || (!eth_addr_is_zero(flow->arp_tha)
                && !eth_addr_equals(flow->arp_tha, flow->dl_src))) {
            return false;
        }
        *ip = flow->nd_target;
    } else {
        return false;
    }
    *source = PORTSEC_BINDING_ND;
    return true;
}

/* Reports that 'mac' on 'port' claimed 'ip' in 'vlan' through 'source' but
 * was not bound, 'why', and returns 'reason' to drop the frame (counted in
 * 'stat') if the port's ARP or ND inspection would drop it anyway, or NULL
 * to let it through. */
static const char *
snoop_refused(const struct xlate_in *xin, struct portsec_port *port,
              const struct portsec_policy *policy,
              enum portsec_binding_source source, struct eth_addr mac,
              const struct in6_addr *ip, uint16_t vlan,
              enum portsec_stat stat, const char *reason, const char *why)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    bool enforced = (source == PORTSEC_BINDING_ARP
                     ? policy->arp_inspection : policy->nd_inspection);

    portsec_binding_note_denied(port->bindings, mac, ip, vlan);
    if (xin->packet && !xin->trace && !VLOG_DROP_WARN(&rl)) {
        char ip_s[INET6_ADDRSTRLEN];

        ipv6_string_mapped(ip_s, ip);
        VLOG_WARN("port %s: %s snooping: not binding %s to "ETH_ADDR_FMT
                  " in vlan %"PRIu16": %s", port->name,
                  portsec_binding_source_to_string(source), ip_s,
                  ETH_ADDR_ARGS(mac), vlan, why);
    }
    return enforced ? portsec_port_drop(xin, port, stat, reason) : NULL;
}

/* ARP and ND snooping of the frame that 'xin' translates, from untrusted
 * 'port' with 'policy', in 'vlan', whose source MAC the port 'admitted'.
 * Returns NULL to let the frame go on to inspection, or why it is dropped
 * (counted). */
static const char *
snoop_address(const struct xlate_in *xin, struct portsec_port *port,
              const struct portsec_policy *policy, const struct flow *flow,
              struct flow_wildcards *wc, uint16_t vlan,
              struct xlate_out *xout, bool admitted)
{
    enum portsec_binding_source source;
    struct portsec_port *owner;
    struct eth_addr owner_mac;
    bool need_revalidate = false;
    struct portsec_binding b;
    bool contested;
    struct in6_addr ip;
    unsigned int limit;
    bool arp;

    if (!snoop_candidate(policy, flow, wc, &ip, &source)) {
        return NULL;
    }
    if ((vlan == policy->native_vlan
         && portsec_policy_static_binding(policy, flow->dl_src, &ip))
        || portsec_binding_lookup(port->bindings, flow->dl_src, &ip, vlan)) {
        return NULL;            /* Bound already. */
    }
    if (!admitted) {
        return NULL;            /* Binds nothing, as DHCP snooping. */
    }

    arp = source == PORTSEC_BINDING_ARP;
    limit = arp ? policy->arp_binding_limit : policy->nd_snooping_limit;
    if (portsec_binding_count_source(port->bindings, source) >= limit) {
        goto full;
    }
    owner = portsec_owner_find(port->br, &ip, vlan, PORTSEC_OWNER_COVERING,
                               port, false, &owner_mac, &contested);
    if (owner) {
        char why[128];

        COVERAGE_INC(portsec_snoop_duplicate);
        snprintf(why, sizeof why, "bound on port %s to "ETH_ADDR_FMT"%s",
                 owner->name, ETH_ADDR_ARGS(owner_mac),
                 contested ? " and elsewhere" : "");
        return snoop_refused(xin, port, policy, source, flow->dl_src, &ip,
                             vlan, PORTSEC_STAT_DUPLICATE_IP_DROPS,
                             (arp
                              ? "ARP snooping: address bound on another port"
                              : "ND snooping: address bound on another port"),
                             why);
    }
    if (!xin->packet || !xin->allow_side_effects) {
        /* The next packet binds it. */
        xout->avoid_caching = true;
        return NULL;
    }

    memset(&b, 0, sizeof b);
    b.mac = flow->dl_src;
    b.vlan = vlan;
    b.ip = ip;
    b.source = source;
    b.expires = time_msec() + policy->arp_nd_binding_timeout * 60 * 1000LL;
    switch (portsec_binding_add_snooped(port->bindings, &b, limit,
                                        &need_revalidate)) {
    case PORTSEC_BINDING_ADDED:
        COVERAGE_INC(portsec_snoop_bind);
        log_binding(port, "added", &b, policy->arp_nd_binding_timeout * 60);
        portsec_port_bindings_changed(port, need_revalidate);
        return NULL;
    case PORTSEC_BINDING_RENEWED:
        return NULL;
    case PORTSEC_BINDING_FULL:
        goto full;
    }
    OVS_NOT_REACHED();

full:
    COVERAGE_INC(portsec_snoop_limit);
    return snoop_refused(xin, port, policy, source, flow->dl_src, &ip, vlan,
                         PORTSEC_STAT_BINDING_LIMIT_DROPS,
                         (arp
                          ? "ARP snooping: port at its arp_binding_limit"
                          : "ND snooping: port at its nd_snooping_limit"),
                         (arp
                          ? "the port is at its arp_binding_limit"
                          : "the port is at its nd_snooping_limit"));
}

/* The checks of an untrusted port that inspects. */
const char *
portsec_snoop_untrusted(const struct xlate_in *xin,
                        struct portsec_port *port,
                        const struct portsec_policy *policy,
                        const struct flow *flow, struct flow_wildcards *wc,
                        struct xlate_out *xout, bool admitted)
{
    enum slow_path_reason *slow = &xout->slow;
    enum portsec_dhcp_class client = PORTSEC_DHCP_NONE;
    struct bound_aux aux = { .port = port, .policy = policy };
    struct portsec_bindings_view view = {
        .vlan = portsec_frame_vlan(flow, wc, policy),
        .is_bound = port_is_bound,
        .aux = &aux,
    };
    const char *reason;

    if (policy->dhcp_snooping) {
        enum portsec_dhcp_class class = portsec_classify_dhcp(flow, wc);

        switch (class) {
        case PORTSEC_DHCP4_SERVER:
        case PORTSEC_DHCP6_SERVER:
            COVERAGE_INC(portsec_dhcp_server_drop);
            return portsec_port_drop(xin, port,
                                     PORTSEC_STAT_DHCP_SERVER_DROPS,
                                     "DHCP snooping: DHCP server message "
                                     "from an untrusted port");
        case PORTSEC_DHCP4_CLIENT:
        case PORTSEC_DHCP6_CLIENT:
            *slow |= SLOW_ACTION;
            client = class;
            break;
        case PORTSEC_DHCP_NONE:
            break;
        }
    }
    if (policy->arp_snooping || policy->nd_snooping) {
        /* Every frame from the MAC keeps its snooped bindings fresh. */
        WC_MASK_FIELD(wc, dl_src);
        portsec_port_cache(xin, port, PORTSEC_XC_REFRESH_BINDINGS,
                           flow->dl_src, view.vlan);
        if (xin->resubmit_stats && xin->resubmit_stats->n_packets) {
            portsec_snoop_refresh(port, flow->dl_src, view.vlan);
        }
        reason = snoop_address(xin, port, policy, flow, wc, view.vlan, xout,
                               admitted);
        if (reason) {
            return reason;
        }
    }
    if (policy->ra_guard && (reason = portsec_inspect_ra(flow, wc))) {
        COVERAGE_INC(portsec_ra_guard_drop);
        return portsec_port_drop(xin, port, PORTSEC_STAT_RA_GUARD_DROPS,
                                 reason);
    }
    if (policy->nd_inspection
        && (reason = portsec_inspect_nd(flow, wc, &view))) {
        COVERAGE_INC(portsec_nd_inspection_drop);
        return portsec_port_drop(xin, port, PORTSEC_STAT_ND_INSPECTION_DROPS,
                                 reason);
    }
    if (policy->arp_inspection
        && (reason = portsec_inspect_arp(flow, wc, &view))) {
        COVERAGE_INC(portsec_arp_inspection_drop);
        return portsec_port_drop(xin, port,
                                 PORTSEC_STAT_ARP_INSPECTION_DROPS, reason);
    }
    if (policy->ip_source_guard
        && (reason = portsec_inspect_ip_source(flow, wc, &view))) {
        COVERAGE_INC(portsec_ip_source_guard_drop);
        return portsec_port_drop(xin, port,
                                 PORTSEC_STAT_IP_SOURCE_GUARD_DROPS, reason);
    }

    /* Snooping reads a client message once it passed every other check:
     * IP source guard permits a DHCPRELEASE from the address that it
     * releases only while that address is still bound (Cisco's IP source
     * guard permits DHCP on the port likewise), and a request from a MAC
     * that the port does not admit, or over dhcp_rate_limit, must not take
     * a place among the pending requests. */
    if (client != PORTSEC_DHCP_NONE && xin->packet
        && xin->allow_side_effects) {
        return snoop_client(xin, port, policy, view.vlan, client, admitted);
    }
    return NULL;
}
