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
#include "ofproto-dpif-portsec.h"

#include <stdlib.h>

#include "cmap.h"
#include "connectivity.h"
#include "connmgr.h"
#include "coverage.h"
#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "hash.h"
#include "mac-learning.h"
#include "ofproto/ofproto-dpif-xlate-cache.h"
#include "ofproto/ofproto-dpif-xlate.h"
#include "ofproto/ofproto-provider.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "packets.h"
#include "odp-util.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/token-bucket.h"
#include "port-security.h"
#include "portsec-admission.h"
#include "portsec-binding.h"
#include "portsec-dhcp.h"
#include "portsec-inspect.h"
#include "seq.h"
#include "smap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec);

COVERAGE_DEFINE(portsec_learn_limit_drop);
COVERAGE_DEFINE(portsec_learn_limit_unlearned);
COVERAGE_DEFINE(portsec_forged_transmit_drop);
COVERAGE_DEFINE(portsec_mac_change_drop);
COVERAGE_DEFINE(portsec_secure_mac_move_drop);
COVERAGE_DEFINE(portsec_err_disabled_drop);
COVERAGE_DEFINE(portsec_dhcp_server_drop);
COVERAGE_DEFINE(portsec_dhcp_rate_drop);
COVERAGE_DEFINE(portsec_dhcp_malformed_drop);
COVERAGE_DEFINE(portsec_arp_inspection_drop);
COVERAGE_DEFINE(portsec_ip_source_guard_drop);
COVERAGE_DEFINE(portsec_nd_inspection_drop);
COVERAGE_DEFINE(portsec_ra_guard_drop);
COVERAGE_DEFINE(portsec_binding_limit_drop);
COVERAGE_DEFINE(portsec_binding_change);
COVERAGE_DEFINE(portsec_binding_revalidate);

static const char *const stat_names[PORTSEC_N_STATS] = {
    [PORTSEC_STAT_MACS_LEARNED] = "macs_learned",
    [PORTSEC_STAT_LEARN_LIMIT_DROPS] = "learn_limit_drops",
    [PORTSEC_STAT_LEARN_LIMIT_UNLEARNED] = "learn_limit_unlearned",
    [PORTSEC_STAT_FORGED_TRANSMIT_DROPS] = "forged_transmit_drops",
    [PORTSEC_STAT_MAC_CHANGE_DROPS] = "mac_change_drops",
    [PORTSEC_STAT_SECURE_MAC_MOVE_DROPS] = "secure_mac_move_drops",
    [PORTSEC_STAT_ERR_DISABLED_DROPS] = "err_disabled_drops",
    [PORTSEC_STAT_ERR_DISABLED_COUNT] = "err_disabled_count",
    [PORTSEC_STAT_DHCP_SERVER_DROPS] = "dhcp_server_drops",
    [PORTSEC_STAT_DHCP_RATE_DROPS] = "dhcp_rate_drops",
    [PORTSEC_STAT_DHCP_MALFORMED_DROPS] = "dhcp_malformed_drops",
    [PORTSEC_STAT_ARP_INSPECTION_DROPS] = "arp_inspection_drops",
    [PORTSEC_STAT_IP_SOURCE_GUARD_DROPS] = "ip_source_guard_drops",
    [PORTSEC_STAT_ND_INSPECTION_DROPS] = "nd_inspection_drops",
    [PORTSEC_STAT_RA_GUARD_DROPS] = "ra_guard_drops",
    [PORTSEC_STAT_BINDING_LIMIT_DROPS] = "binding_limit_drops",
    [PORTSEC_STAT_BINDINGS] = "bindings",
};

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

/* The shortest interval between two revalidations for binding changes, in
 * ms, so that DHCP churn costs at most 10 revalidations a second. */
#define BINDING_REVALIDATE_MS 100

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
    const void *bundle;             /* The client's port. */
    uint16_t vlan;                  /* VLAN of the request. */
    long long int when;             /* time_msec() of the request. */
};

/* Returns the seq that changes whenever a binding changes. */
static struct seq *
bindings_seq(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    static struct seq *seq;

    if (ovsthread_once_start(&once)) {
        seq = seq_create();
        ovsthread_once_done(&once);
    }
    return seq;
}

/* The secure MACs of all the ports of a bridge, sorted, immutable. */
struct portsec_mac_set {
    size_t n;
    struct eth_addr macs[];
};

/* Port security state of one bridge (one ofproto). */
struct portsec_bridge {
    struct hmap_node node;          /* In 'bridges', by 'ofproto'. */
    const struct ofproto *ofproto;
    struct mac_learning *ml;        /* Holds a reference. */
    struct hmap ports;              /* "struct portsec_port"s by 'aux'. */

    /* Every secure MAC of every port of the bridge, for the check that
     * keeps a port's secure MAC from showing up on another port. */
    OVSRCU_TYPE(struct portsec_mac_set *) secure_macs;

    /* Number of ports with dhcp_snooping, for trusted ports to know
     * whether DHCP server messages need snooping.  Written by the main
     * thread. */
    atomic_uint n_snooping;

    /* DHCP client requests waiting for an answer. */
    struct ovs_mutex pending_mutex;
    struct hmap pending OVS_GUARDED;    /* Contains "struct
                                         * pending_request"s. */
    long long int next_pending_expiry;  /* Main thread only, ms. */

    /* Set by any thread when a binding change makes cached flows stale;
     * acted on (rate-limited) by portsec_run(). */
    atomic_bool need_revalidate;
    struct seq *revalidate_seq;         /* Changes when it is set. */
    uint64_t revalidate_seqno;          /* Main thread only. */
    long long int last_revalidate;      /* Main thread only, ms. */
};

/* Port security state of one bundle. */
struct portsec_port {
    /* Immutable while registered; main thread only. */
    struct cmap_node cmap_node;     /* In 'ports_by_bundle'. */
    struct hmap_node br_node;       /* In 'br->ports', by 'aux'. */
    const void *bundle;             /* struct ofbundle *, also the MAC
                                     * learning table's port. */
    const void *aux;                /* ofproto client's key (bridge.c). */
    struct portsec_bridge *br;      /* Read by any thread; RCU-protected. */
    char *name;                     /* Main thread only. */

    OVSRCU_TYPE(struct portsec_policy *) policy;
    struct ovs_refcount ref_cnt;    /* The registry and xlate caches. */

    /* The MACs admitted under 'mac_learn_limit' (lib/portsec-admission.h).
     * Read and filled by any thread; aged, trimmed and flushed by the main
     * thread. */
    struct portsec_admission *admission;

    /* Set by any thread, cleared by recovery (main thread). */
    atomic_bool err_disabled;

    /* Main thread only. */
    bool err_disabled_seen;         /* 'err_disabled' as last acted on. */
    long long int err_disabled_at;  /* When it was seen, in ms. */

    atomic_ullong counters[PORTSEC_N_STATS];

    /* Dynamic bindings, learned by DHCP snooping in any thread. */
    struct portsec_binding_table *bindings;

    /* dhcp_rate_limit: each client message takes 1000 tokens. */
    struct ovs_mutex dhcp_mutex;
    struct token_bucket dhcp_bucket OVS_GUARDED;
    unsigned int dhcp_rate OVS_GUARDED;     /* Packets per second. */

    /* This port's requests in 'br->pending', least recently refreshed
     * first, and their number, protected by 'br->pending_mutex'. */
    struct ovs_list pending;
    unsigned int n_pending;
};

/* All registered ports, by bundle pointer.  Written by the main thread,
 * read from any thread. */
static struct cmap ports_by_bundle = CMAP_INITIALIZER;

/* All "struct portsec_bridge"s.  Main thread only. */
static struct hmap bridges = HMAP_INITIALIZER(&bridges);

static const char *err_disabled_reason = "mac_learn_limit exceeded";

static void port_err_disable(struct portsec_port *);
static void port_recover(struct portsec_port *);

static struct portsec_port *
port_lookup(const void *bundle)
{
    struct portsec_port *port;

    if (!bundle || cmap_is_empty(&ports_by_bundle)) {
        return NULL;
    }
    CMAP_FOR_EACH_WITH_HASH (port, cmap_node, hash_pointer(bundle, 0),
                             &ports_by_bundle) {
        if (port->bundle == bundle) {
            return port;
        }
    }
    return NULL;
}

/* Returns 'bundle''s port and its active policy in '*policyp', or NULL if
 * 'bundle' has none.  Any thread, within an RCU read section. */
static struct portsec_port *
active_port_lookup(const void *bundle, const struct portsec_policy **policyp)
{
    struct portsec_port *port = port_lookup(bundle);

    if (port) {
        const struct portsec_policy *policy = ovsrcu_get(
            struct portsec_policy *, &port->policy);

        if (policy->active) {
            *policyp = policy;
            return port;
        }
    }
    return NULL;
}

static struct portsec_bridge *
bridge_lookup(const struct ofproto *ofproto)
{
    struct portsec_bridge *br;

    HMAP_FOR_EACH_WITH_HASH (br, node, hash_pointer(ofproto, 0), &bridges) {
        if (br->ofproto == ofproto) {
            return br;
        }
    }
    return NULL;
}

static struct portsec_port *
bridge_port_lookup(const struct portsec_bridge *br, const void *aux)
{
    struct portsec_port *port;

    HMAP_FOR_EACH_WITH_HASH (port, br_node, hash_pointer(aux, 0),
                             &br->ports) {
        if (port->aux == aux) {
            return port;
        }
    }
    return NULL;
}

static bool
port_is_err_disabled(struct portsec_port *port)
{
    bool err_disabled;

    atomic_read_relaxed(&port->err_disabled, &err_disabled);
    return err_disabled;
}

/* Counting. */

static void
port_count_n(struct portsec_port *port, enum portsec_stat stat, uint64_t n)
{
    unsigned long long int orig;

    atomic_add_relaxed(&port->counters[stat], n, &orig);
}

/* Counts the packets that 'xin' translates for 'stat' of 'port', now and,
 * through the xlate cache, for as long as the resulting megaflow lives. */
static void
port_count(const struct xlate_in *xin, struct portsec_port *port,
           enum portsec_stat stat)
{
    if (xin->resubmit_stats) {
        port_count_n(port, stat, xin->resubmit_stats->n_packets);
    }
    if (xin->xcache) {
        struct xc_entry *entry;

        entry = xlate_cache_add_entry(xin->xcache, XC_PORTSEC);
        ovs_refcount_ref(&port->ref_cnt);
        entry->portsec.port = port;
        entry->portsec.counter = stat;
    }
}

void
portsec_xcache_push(struct portsec_port *port, int counter,
                    struct eth_addr mac, uint16_t vlan,
                    const struct dpif_flow_stats *stats)
{
    if (!stats->n_packets) {
        return;
    }
    if (counter == PORTSEC_XC_REFRESH) {
        portsec_admission_refresh(port->admission, mac, vlan,
                                  time_msec());
        return;
    }
    port_count_n(port, counter, stats->n_packets);

    /* A megaflow that drops a source MAC over the limit may have been
     * installed under another policy, or revalidated without side effects
     * after a change to "shutdown": its packets are new MACs over the
     * limit all the same. */
    if (counter == PORTSEC_STAT_LEARN_LIMIT_DROPS) {
        const struct portsec_policy *policy
            = ovsrcu_get(struct portsec_policy *, &port->policy);

        if (policy->limit_action == PORTSEC_LIMIT_SHUTDOWN) {
            port_err_disable(port);
        }
    }
}

static void
port_destroy(struct portsec_port *port)
{
    portsec_policy_destroy(ovsrcu_get_protected(struct portsec_policy *,
                                                &port->policy));
    portsec_admission_destroy(port->admission);
    ovs_mutex_destroy(&port->dhcp_mutex);
    portsec_binding_table_destroy(port->bindings);
    free(port->name);
    free(port);
}

void
portsec_port_unref(struct portsec_port *port)
{
    if (port && ovs_refcount_unref(&port->ref_cnt) == 1) {
        /* A handler may have found 'port' in the cmap just before it was
         * removed, so wait for a grace period. */
        ovsrcu_postpone(port_destroy, port);
    }
}

/* Logs a violation by the frame that 'xin' translates, rate-limited, if
 * it is a real packet rather than a revalidation. */
static void
log_violation(const struct xlate_in *xin, const struct portsec_port *port,
              const char *reason)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    if (xin->packet && !VLOG_DROP_WARN(&rl)) {
        VLOG_WARN("port %s: frame "ETH_ADDR_FMT" > "ETH_ADDR_FMT": %s",
                  port->name, ETH_ADDR_ARGS(xin->flow.dl_src),
                  ETH_ADDR_ARGS(xin->flow.dl_dst), reason);
    }
}

/* Configuration. */

static void
bridge_update_secure_macs(struct portsec_bridge *br)
{
    struct portsec_mac_set *old, *set;
    struct portsec_port *port;
    size_t n = 0;

    HMAP_FOR_EACH (port, br_node, &br->ports) {
        n += ovsrcu_get_protected(struct portsec_policy *,
                                  &port->policy)->n_secure_macs;
    }
    set = xmalloc(sizeof *set + n * sizeof set->macs[0]);
    set->n = 0;
    HMAP_FOR_EACH (port, br_node, &br->ports) {
        const struct portsec_policy *policy
            = ovsrcu_get_protected(struct portsec_policy *, &port->policy);

        memcpy(&set->macs[set->n], policy->secure_macs,
               policy->n_secure_macs * sizeof set->macs[0]);
        set->n += policy->n_secure_macs;
    }
    set->n = portsec_sort_macs(set->macs, set->n);

    old = ovsrcu_get_protected(struct portsec_mac_set *, &br->secure_macs);
    ovsrcu_set(&br->secure_macs, set);
    ovsrcu_postpone(free, old);
}

static void
bridge_destroy(struct portsec_bridge *br)
{
    struct pending_request *req;

    HMAP_FOR_EACH_POP (req, node, &br->pending) {
        free(req);
    }
    hmap_destroy(&br->pending);
    ovs_mutex_destroy(&br->pending_mutex);
    seq_destroy(br->revalidate_seq);
    mac_learning_unref(br->ml);
    hmap_destroy(&br->ports);
    free(ovsrcu_get_protected(struct portsec_mac_set *, &br->secure_macs));
    free(br);
}

/* Recounts the ports of 'br' that have dhcp_snooping. */
static void
bridge_update_snooping(struct portsec_bridge *br)
{
    struct portsec_port *port;
    unsigned int n = 0;

    HMAP_FOR_EACH (port, br_node, &br->ports) {
        const struct portsec_policy *policy
            = ovsrcu_get_protected(struct portsec_policy *, &port->policy);

        n += portsec_policy_inspects(policy) && policy->dhcp_snooping;
    }
    atomic_store_relaxed(&br->n_snooping, n);
}

static void
pending_remove(struct portsec_bridge *br, struct pending_request *req)
    OVS_REQUIRES(br->pending_mutex)
{
    struct portsec_port *port = port_lookup(req->bundle);

    if (port) {
        port->n_pending--;
    }
    ovs_list_remove(&req->port_node);
    hmap_remove(&br->pending, &req->node);
    free(req);
}

/* Forgets the DHCP requests older than PENDING_MS and, if 'bundle' is
 * nonnull, all of 'bundle''s. */
static void
pending_expire(struct portsec_bridge *br, const void *bundle)
    OVS_EXCLUDED(br->pending_mutex)
{
    long long int now = time_msec();
    struct pending_request *req;

    ovs_mutex_lock(&br->pending_mutex);
    HMAP_FOR_EACH_SAFE (req, node, &br->pending) {
        if (req->bundle == bundle || now - req->when >= PENDING_MS) {
            pending_remove(br, req);
        }
    }
    ovs_mutex_unlock(&br->pending_mutex);
}

static void
port_unregister(struct portsec_port *port)
{
    struct portsec_bridge *br = port->br;
    size_t n_bindings = portsec_binding_count(port->bindings);

    pending_expire(br, port->bundle);
    if (n_bindings) {
        VLOG_INFO("port %s: %"PRIuSIZE" bindings removed with the port's "
                  "port security settings", port->name, n_bindings);
        seq_change(bindings_seq());
    }

    cmap_remove(&ports_by_bundle, &port->cmap_node,
                hash_pointer(port->bundle, 0));
    hmap_remove(&br->ports, &port->br_node);
    if (hmap_is_empty(&br->ports)) {
        hmap_remove(&bridges, &br->node);
        ovsrcu_postpone(bridge_destroy, br);
    } else {
        bridge_update_secure_macs(br);
        bridge_update_snooping(br);
    }
    portsec_port_unref(port);
}

bool
portsec_bundle_set(const struct ofproto *ofproto, struct mac_learning *ml,
                   const void *bundle, const void *aux, const char *name,
                   const struct portsec_policy *policy)
{
    struct portsec_port *port = port_lookup(bundle);
    const struct portsec_policy *old;
    struct portsec_bridge *br;

    if (!policy) {
        if (port) {
            port_unregister(port);
            seq_change(connectivity_seq_get());
            return true;
        }
        return false;
    }

    if (!port) {
        br = bridge_lookup(ofproto);
        if (!br) {
            br = xzalloc(sizeof *br);
            br->ofproto = ofproto;
            br->ml = mac_learning_ref(ml);
            hmap_init(&br->ports);
            ovsrcu_init(&br->secure_macs, NULL);
            atomic_init(&br->n_snooping, 0);
            ovs_mutex_init(&br->pending_mutex);
            hmap_init(&br->pending);
            atomic_init(&br->need_revalidate, false);
            br->revalidate_seq = seq_create();
            br->revalidate_seqno = seq_read(br->revalidate_seq);
            br->last_revalidate = LLONG_MIN;
            hmap_insert(&bridges, &br->node, hash_pointer(ofproto, 0));
        }

        port = xzalloc(sizeof *port);
        port->bundle = bundle;
        port->aux = aux;
        port->br = br;
        port->name = xstrdup(name);
        ovsrcu_init(&port->policy, NULL);
        ovs_refcount_init(&port->ref_cnt);
        port->admission = portsec_admission_create(
            MAC_ENTRY_DEFAULT_IDLE_TIME * 1000LL);
        atomic_init(&port->err_disabled, false);
        for (int i = 0; i < PORTSEC_N_STATS; i++) {
            atomic_init(&port->counters[i], 0);
        }
        port->bindings = portsec_binding_table_create();
        ovs_list_init(&port->pending);
        ovs_mutex_init(&port->dhcp_mutex);
        token_bucket_init(&port->dhcp_bucket, 0, 0);
        port->dhcp_rate = 0;
        hmap_insert(&br->ports, &port->br_node, hash_pointer(aux, 0));
        cmap_insert(&ports_by_bundle, &port->cmap_node,
                    hash_pointer(bundle, 0));
    } else if (strcmp(port->name, name)) {
        free(port->name);
        port->name = xstrdup(name);
    }

    old = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    if (portsec_policy_equal(old, policy)) {
        return false;
    }
    if (policy->error
        && (!old || !nullable_string_is_equal(old->error, policy->error))) {
        VLOG_WARN("port %s: %s", name, policy->error);
    }
    ovsrcu_set(&port->policy, portsec_policy_clone(policy));
    if (old) {
        ovsrcu_postpone(portsec_policy_destroy,
                        CONST_CAST(struct portsec_policy *, old));
    }
    bridge_update_secure_macs(port->br);
    bridge_update_snooping(port->br);

    /* dhcp_rate_limit: a burst of up to one second's worth. */
    ovs_mutex_lock(&port->dhcp_mutex);
    if (port->dhcp_rate != policy->dhcp_rate_limit) {
        port->dhcp_rate = policy->dhcp_rate_limit;
        token_bucket_init(&port->dhcp_bucket, port->dhcp_rate,
                          port->dhcp_rate * 1000);
    }
    ovs_mutex_unlock(&port->dhcp_mutex);

    /* A port that no longer inspects keeps its bindings, which are then
     * unused; one whose static bindings changed got new ones.  Either way,
     * the revalidation that this change causes covers them. */
    if (portsec_binding_count(port->bindings)
        || policy->n_static_bindings
        || (old && old->n_static_bindings)) {
        seq_change(bindings_seq());
    }

    /* A port left with no settings (only attached MACs) is not
     * err-disabled: nothing would report or clear that state. */
    if (!policy->active && port_is_err_disabled(port)) {
        port_recover(port);
    }

    /* Have bridge.c rewrite security_status. */
    seq_change(connectivity_seq_get());
    return true;
}

void
portsec_bundle_remove(const void *bundle)
{
    struct portsec_port *port = port_lookup(bundle);

    if (port) {
        port_unregister(port);
    }
}

/* Admission and NORMAL's MAC learning table. */

/* Returns the aging time of the MACs that 'port' admits, in ms: its
 * mac_aging_time capped at the bridge's mac-aging-time, or the bridge's. */
static long long int
port_aging_ms(const struct portsec_port *port,
              const struct portsec_policy *policy)
{
    unsigned int idle_time = port->br->ml->idle_time;

    return 1000LL * (policy->mac_aging_time
                     ? MIN(policy->mac_aging_time, idle_time)
                     : idle_time);
}

/* Returns how many MACs a port with 'policy' admits, or -1 if it keeps
 * no address table.  A port with mac_aging_time but no mac_learn_limit
 * keeps one too, bounded only by PORTSEC_MAX_MAC_LEARN_LIMIT, so that its
 * MACs age on its own schedule: aging is the table's. */
static int
admission_limit(const struct portsec_policy *policy)
{
    return (policy->mac_learn_limit >= 0 ? policy->mac_learn_limit
            : policy->mac_aging_time ? PORTSEC_MAX_MAC_LEARN_LIMIT
            : -1);
}

/* Makes NORMAL forget the 'n' MACs in 'removed' that it learned on
 * 'bundle' (but not static entries that fdb/add put there), since they are
 * no longer admitted there, and frees
 * 'removed'.  Returns true if there were any (the flows that forwarded
 * them must be revalidated). */
static bool
ml_forget(struct mac_learning *ml, const void *bundle,
          struct portsec_admitted *removed, size_t n)
    OVS_REQ_WRLOCK(ml->rwlock)
{
    for (size_t i = 0; i < n; i++) {
        struct mac_entry *e = mac_learning_lookup(ml, removed[i].mac,
                                                  removed[i].vlan);

        if (e && mac_entry_get_port(ml, e) == bundle
            && mac_entry_age(ml, e) != MAC_ENTRY_AGE_STATIC_ENTRY) {
            mac_learning_expire(ml, e);
        }
    }
    free(removed);
    return n > 0;
}

/* Err-disable. */

/* Marks 'port' err-disabled (any thread).  The main thread then forgets
 * its MACs and revalidates, in portsec_run(). */
static void
port_err_disable(struct portsec_port *port)
{
    bool expected = false;

    if (atomic_compare_exchange_strong(&port->err_disabled, &expected,
                                       true)) {
        port_count_n(port, PORTSEC_STAT_ERR_DISABLED_COUNT, 1);
        seq_change(connectivity_seq_get());
    }
}

/* Brings 'port' out of err-disabled (main thread). */
static void
port_recover(struct portsec_port *port)
{
    atomic_store(&port->err_disabled, false);
    seq_change(connectivity_seq_get());
}

bool
portsec_ofport_run(struct ofport *ofport, const void *bundle, bool enable)
{
    struct portsec_port *port = port_lookup(bundle);
    bool blocked = port && port_is_err_disabled(port);
    enum ofputil_port_state state = ofport->pp.state;

    if (blocked) {
        enable = false;
    }
    if (blocked != !!(state & OFPUTIL_PS_BLOCKED)) {
        struct ofputil_phy_port old_pp = ofport->pp;

        /* LIVE as ofproto_port_set_enable(ofport, enable) will leave it. */
        state ^= OFPUTIL_PS_BLOCKED;
        if (enable && !(ofport->pp.config & OFPUTIL_PC_PORT_DOWN)
            && !(state & OFPUTIL_PS_LINK_DOWN)) {
            state |= OFPUTIL_PS_LIVE;
        } else {
            state &= ~OFPUTIL_PS_LIVE;
        }
        ofport->pp.state = state;
        connmgr_send_port_status(ofport->ofproto->connmgr, NULL, &old_pp,
                                 &ofport->pp, OFPPR_MODIFY);
    }
    return enable;
}

/* Binding changes. */

/* Has the next portsec_run() for 'br' revalidate the datapath flows (any
 * thread). */
static void
bridge_need_revalidate(struct portsec_bridge *br)
{
    atomic_store_relaxed(&br->need_revalidate, true);
    seq_change(br->revalidate_seq);
}

/* Reports that bindings of 'port' changed (any thread), and, if
 * 'need_revalidate', that flows cached with the old bindings may be
 * stale. */
static void
port_bindings_changed(struct portsec_port *port, bool need_revalidate)
{
    COVERAGE_INC(portsec_binding_change);
    if (need_revalidate) {
        bridge_need_revalidate(port->br);
    }
    seq_change(bindings_seq());
}

/* Removes the expired bindings of 'port' (main thread).  Returns true if
 * the flows must be revalidated at once. */
static bool
port_expire_bindings(struct portsec_port *port)
{
    bool need_revalidate = false;
    long long int next;
    size_t n;

    n = portsec_binding_expire(port->bindings, time_msec(), &next,
                               &need_revalidate);
    if (n) {
        VLOG_INFO("port %s: %"PRIuSIZE" binding%s expired", port->name, n,
                  n == 1 ? "" : "s");
        seq_change(bindings_seq());
    }
    return need_revalidate;
}

/* Returns true if binding changes in 'br' call for a revalidation now,
 * at most once per BINDING_REVALIDATE_MS (main thread). */
static bool
bridge_binding_revalidation(struct portsec_bridge *br)
{
    bool pending;

    br->revalidate_seqno = seq_read(br->revalidate_seq);
    atomic_read_relaxed(&br->need_revalidate, &pending);
    if (pending && time_msec() >= br->last_revalidate
                                  + BINDING_REVALIDATE_MS) {
        atomic_store_relaxed(&br->need_revalidate, false);
        br->last_revalidate = time_msec();
        COVERAGE_INC(portsec_binding_revalidate);
        return true;
    }
    return false;
}

/* Forgets the MACs that 'port' no longer admits: all of them while it is
 * err-disabled, the least recently used beyond a lowered mac_learn_limit,
 * and those not seen for the aging time, in the admission table and in
 * NORMAL's.  Returns true if any was forgotten, so that the flows cached
 * for them are revalidated: a dropped MAC may now be admitted, and an
 * admitted one must be admitted anew. */
static bool
port_run_admission(struct portsec_port *port,
                   const struct portsec_policy *policy,
                   struct mac_learning *ml)
    OVS_REQ_WRLOCK(ml->rwlock)
{
    struct portsec_admitted *removed;
    bool changed = false;
    size_t n;

    int limit = admission_limit(policy);

    if (port->err_disabled_seen || !policy->active || limit < 0) {
        /* An err-disabled port admits nothing, and NORMAL forgets its MACs
         * too.  A port without a limit keeps no address table, but NORMAL
         * keeps what it learned: the configuration change that removed
         * the limit revalidates anyway. */
        if (!portsec_admission_count(port->admission)) {
            return false;
        }
        n = portsec_admission_flush(port->admission, &removed);
        if (!port->err_disabled_seen) {
            free(removed);
            return false;
        }
        return ml_forget(ml, port->bundle, removed, n);
    }

    portsec_admission_set_aging(port->admission,
                                port_aging_ms(port, policy));
    n = portsec_admission_trim(port->admission, limit, &removed);
    if (n) {
        VLOG_INFO("port %s: forgot %"PRIuSIZE" MACs beyond mac_learn_limit "
                  "%d", port->name, n, limit);
        changed |= ml_forget(ml, port->bundle, removed, n);
    }
    n = portsec_admission_expire(port->admission, time_msec(), &removed);
    if (n) {
        VLOG_DBG("port %s: %"PRIuSIZE" admitted MACs aged out", port->name,
                 n);
        changed |= ml_forget(ml, port->bundle, removed, n);
    }
    return changed;
}

bool
portsec_run(const struct ofproto *ofproto, struct mac_learning *ml)
    OVS_REQ_WRLOCK(ml->rwlock)
{
    struct portsec_bridge *br = bridge_lookup(ofproto);
    bool need_revalidate = false;
    struct portsec_port *port;

    if (!br) {
        return false;
    }
    HMAP_FOR_EACH (port, br_node, &br->ports) {
        const struct portsec_policy *policy
            = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
        bool err_disabled = port_is_err_disabled(port);

        /* 'err_disabled_at' is valid only once the main thread has seen
         * the event, below. */
        if (err_disabled && port->err_disabled_seen
            && policy->recovery_interval
            && time_msec() >= (port->err_disabled_at
                               + policy->recovery_interval * 1000LL)) {
            VLOG_INFO("port %s: recovery_interval of %u s passed, "
                      "recovering", port->name, policy->recovery_interval);
            port_recover(port);
            err_disabled = false;
        }
        if (err_disabled != port->err_disabled_seen) {
            port->err_disabled_seen = err_disabled;
            if (err_disabled) {
                port->err_disabled_at = time_msec();
                VLOG_WARN("port %s: err-disabled (%s)", port->name,
                          err_disabled_reason);
            } else {
                VLOG_INFO("port %s: recovered from err-disabled",
                          port->name);
            }
            need_revalidate = true;
        }
        need_revalidate |= port_run_admission(port, policy, ml);
        need_revalidate |= port_expire_bindings(port);
    }
    if (time_msec() >= br->next_pending_expiry) {
        pending_expire(br, NULL);
        br->next_pending_expiry = time_msec() + 1000;
    }
    return bridge_binding_revalidation(br) || need_revalidate;
}

void
portsec_wait(const struct ofproto *ofproto)
{
    struct portsec_bridge *br = bridge_lookup(ofproto);
    struct portsec_port *port;

    if (!br) {
        return;
    }

    bool pending;
    atomic_read_relaxed(&br->need_revalidate, &pending);
    if (pending) {
        poll_timer_wait_until(br->last_revalidate + BINDING_REVALIDATE_MS);
    } else {
        seq_wait(br->revalidate_seq, br->revalidate_seqno);
    }

    HMAP_FOR_EACH (port, br_node, &br->ports) {
        const struct portsec_policy *policy
            = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
        long long int next_expiry
            = portsec_binding_next_expiry(port->bindings);

        if (next_expiry != LLONG_MAX) {
            poll_timer_wait_until(next_expiry);
        }
        if (port->err_disabled_seen != port_is_err_disabled(port)) {
            poll_immediate_wake();
        } else if (port->err_disabled_seen && policy->recovery_interval) {
            poll_timer_wait_until(port->err_disabled_at
                                  + policy->recovery_interval * 1000LL);
        }
        poll_timer_wait_until(
            portsec_admission_next_expiry(port->admission));
    }
}

/* Translation. */

/* DHCP snooping and address inspection. */

/* Counts the packet that 'xin' carries, a slow-pathed DHCP message, for
 * 'stat' of 'port', unless it is being traced.  Such a verdict is made
 * anew for every packet, so it is never counted through the xlate
 * cache. */
static void
port_count_packet(const struct xlate_in *xin, struct portsec_port *port,
                  enum portsec_stat stat)
{
    if (!xin->trace) {
        port_count_n(port, stat, 1);
    }
}

/* Returns the VLAN of the frame described by 'flow' on a port with
 * 'policy': its 802.1Q VID, or the port's native VLAN if it is untagged or
 * priority-tagged. */
static uint16_t
frame_vlan(const struct flow *flow, struct flow_wildcards *wc,
           const struct portsec_policy *policy)
{
    WC_MASK_FIELD_MASK(wc, vlans[0].tci, htons(VLAN_VID_MASK | VLAN_CFI));
    if (flow->vlans[0].tci & htons(VLAN_CFI)) {
        uint16_t vid = vlan_tci_to_vid(flow->vlans[0].tci);

        if (vid) {
            return vid;
        }
    }
    return policy->native_vlan;
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
            if (req->bundle != port->bundle) {
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
    req->bundle = port->bundle;
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
 * '*policyp' and its VLAN in '*vlan', or NULL if there is none or the
 * port no longer snoops DHCP.  Any thread, in an RCU read section. */
static struct portsec_port *
pending_find(struct portsec_bridge *br, struct eth_addr mac, bool ipv6,
             uint32_t xid, uint16_t *vlan,
             const struct portsec_policy **policyp)
{
    const void *bundle = NULL;
    struct pending_request *req;
    struct portsec_port *port;

    ovs_mutex_lock(&br->pending_mutex);
    HMAP_FOR_EACH_WITH_HASH (req, node, pending_hash(mac, ipv6),
                             &br->pending) {
        if (eth_addr_equals(req->mac, mac) && req->ipv6 == ipv6
            && req->xid == xid && time_msec() - req->when < PENDING_MS) {
            bundle = req->bundle;
            *vlan = req->vlan;
            break;
        }
    }
    ovs_mutex_unlock(&br->pending_mutex);

    port = bundle ? active_port_lookup(bundle, policyp) : NULL;
    if (port && port->br == br && portsec_policy_inspects(*policyp)
        && (*policyp)->dhcp_snooping) {
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

/* Adds or renews binding 'b' of client port 'client' with 'policy'.
 * Returns false if the port is at its max_bindings. */
static bool
client_bind(const struct xlate_in *xin, struct portsec_port *client,
            const struct portsec_policy *policy,
            const struct portsec_binding *b, uint32_t lease)
{
    bool need_revalidate = false;

    switch (portsec_binding_add(client->bindings, b, policy->max_bindings,
                                &need_revalidate)) {
    case PORTSEC_BINDING_ADDED:
        log_binding(client, "added", b, lease == UINT32_MAX ? -1 : lease);
        break;
    case PORTSEC_BINDING_RENEWED:
        VLOG_DBG("port %s: binding renewed", client->name);
        break;
    case PORTSEC_BINDING_FULL:
        COVERAGE_INC(portsec_binding_limit_drop);
        port_count_packet(xin, client, PORTSEC_STAT_BINDING_LIMIT_DROPS);
        log_binding(client, "refused, port at max_bindings", b, -1);
        return false;
    }
    port_bindings_changed(client, need_revalidate);
    return true;
}

static void
client_unbind(struct portsec_port *client, struct eth_addr mac,
              const struct in6_addr *ip, uint16_t vlan,
              enum portsec_binding_source source, const char *why)
{
    bool need_revalidate = false;

    if (portsec_binding_remove(client->bindings, mac, ip, vlan,
                               &need_revalidate)) {
        struct portsec_binding b = {
            .mac = mac, .ip = *ip, .vlan = vlan, .source = source
        };
        log_binding(client, why, &b, -1);
        port_bindings_changed(client, need_revalidate);
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
 * ports with port security): only for the rare server answers that match
 * no pending request.  Any thread, in an RCU read section. */
static struct portsec_port *
find_client_port(const struct portsec_bridge *br, struct eth_addr mac,
                 uint16_t vlan, const struct portsec_policy **policyp)
{
    const void *learned_on = NULL;
    struct portsec_port *port;
    struct mac_entry *e;

    ovs_rwlock_rdlock(&br->ml->rwlock);
    e = mac_learning_lookup(br->ml, mac, vlan);
    if (e) {
        learned_on = mac_entry_get_port(br->ml, e);
    }
    ovs_rwlock_unlock(&br->ml->rwlock);

    CMAP_FOR_EACH (port, cmap_node, &ports_by_bundle) {
        const struct portsec_policy *policy
            = ovsrcu_get(struct portsec_policy *, &port->policy);

        if (port->br == br && policy->active && policy->dhcp_snooping
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
 * was on, or was forgotten).  No binding is made, but the answer must not
 * take the client's port past its max_bindings either: returns a reason to
 * drop it if the port is at max_bindings and ('mac', 'ip') is not already
 * one of its bindings, otherwise NULL. */
static const char *
check_unsnooped_answer(const struct xlate_in *xin,
                       const struct portsec_bridge *br, struct eth_addr mac,
                       const struct in6_addr *ip, uint16_t vlan)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    const struct portsec_policy *policy;
    struct portsec_port *client = find_client_port(br, mac, vlan, &policy);

    if (client
        && !portsec_binding_lookup(client->bindings, mac, ip, vlan)
        && portsec_binding_count(client->bindings) >= policy->max_bindings) {
        char ip_s[INET6_ADDRSTRLEN];

        COVERAGE_INC(portsec_binding_limit_drop);
        port_count_packet(xin, client, PORTSEC_STAT_BINDING_LIMIT_DROPS);
        ipv6_string_mapped(ip_s, ip);
        VLOG_WARN_RL(&rl, "port %s: dropping an unsnooped DHCP answer that "
                     "gives %s to "ETH_ADDR_FMT": the port is at its "
                     "max_bindings", client->name, ip_s, ETH_ADDR_ARGS(mac));
        return "DHCP snooping: the client's port is at its max_bindings";
    }
    return NULL;
}

/* Reads a DHCPv4 server message that a trusted port received. */
static const char *
snoop_server4(const struct xlate_in *xin, struct portsec_bridge *br,
              const struct flow *flow, const void *payload, size_t len,
              uint16_t frame_vid)
{
    const struct portsec_policy *policy;
    struct portsec_port *client;
    struct portsec_dhcp4 msg;
    const char *error;
    uint16_t vlan;

    error = portsec_dhcp4_parse(payload, len, &msg);
    if (error || !portsec_dhcp4_is_server_msg(&msg) || !msg.chaddr_is_ether) {
        return NULL;
    }
    client = pending_find(br, msg.chaddr, false, ntohl(msg.xid), &vlan,
                          &policy);
    if (!client) {
        struct in6_addr ip;

        in6_addr_set_mapped_ipv4(&ip, msg.yiaddr);
        return (msg.msg_type == PORTSEC_DHCPACK && msg.yiaddr
                ? check_unsnooped_answer(xin, br, msg.chaddr, &ip, frame_vid)
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
        if (!client_bind(xin, client, policy, &b, msg.lease_time)) {
            return "DHCP snooping: the client's port is at its max_bindings";
        }
    } else if (msg.msg_type == PORTSEC_DHCPNAK) {
        bool need_revalidate = false;

        if (portsec_binding_remove_mac(client->bindings, msg.chaddr, vlan,
                                       PORTSEC_BINDING_DHCP,
                                       &need_revalidate)) {
            VLOG_INFO("port %s: DHCPNAK removed the bindings of "
                      ETH_ADDR_FMT, client->name, ETH_ADDR_ARGS(msg.chaddr));
            port_bindings_changed(client, need_revalidate);
        }
    }
    return NULL;
}

/* Reads a DHCPv6 server message that a trusted port received. */
static const char *
snoop_server6(const struct xlate_in *xin, struct portsec_bridge *br,
              const struct flow *flow, const void *payload, size_t len,
              uint16_t frame_vid)
{
    const struct portsec_policy *policy;
    struct portsec_port *client;
    struct portsec_dhcp6 msg;
    bool refused = false;
    uint16_t vlan;

    if (portsec_dhcp6_parse(payload, len, &msg)
        || msg.msg_type != PORTSEC_DHCP6_REPLY
        || eth_addr_is_multicast(flow->dl_dst)) {
        return NULL;
    }
    client = pending_find(br, flow->dl_dst, true, msg.xid, &vlan, &policy);
    if (!client) {
        for (size_t i = 0; i < msg.n_addrs; i++) {
            const struct portsec_dhcp6_addr *a = &msg.addrs[i];
            const char *reason;

            if (!a->status && a->valid_lifetime
                && (reason = check_unsnooped_answer(xin, br, flow->dl_dst,
                                                    &a->addr, frame_vid))) {
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
            refused |= !client_bind(xin, client, policy, &b,
                                    a->valid_lifetime);
        } else {
            client_unbind(client, flow->dl_dst, &a->addr, vlan,
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
    log_violation(xin, port, reason);
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
        client_unbind(port, msg.chaddr, &ip, vlan, PORTSEC_BINDING_DHCP,
                      "released");
        break;
    case PORTSEC_DHCPDECLINE:
        if (msg.has_requested_ip) {
            in6_addr_set_mapped_ipv4(&ip, msg.requested_ip);
            client_unbind(port, msg.chaddr, &ip, vlan, PORTSEC_BINDING_DHCP,
                          "declined");
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
            client_unbind(port, flow->dl_src, &msg.addrs[i].addr, vlan,
                          PORTSEC_BINDING_DHCPV6,
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
            log_violation(xin, port, reason);
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

/* Drops a packet from 'port' for 'stat', counting it now and for as long as
 * the megaflow that caches the verdict lives. */
static const char *
inspection_drop(const struct xlate_in *xin, struct portsec_port *port,
                enum portsec_stat stat, const char *reason)
{
    port_count(xin, port, stat);
    log_violation(xin, port, reason);
    return reason;
}

/* The checks of a trusted port: it may send DHCP server messages, which
 * are read to learn bindings if some port of the bridge snoops DHCP. */
static const char *
xlate_trusted(const struct xlate_in *xin, struct portsec_port *port,
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
    vlan = frame_vlan(flow, wc, ovsrcu_get(struct portsec_policy *,
                                           &port->policy));
    return (class == PORTSEC_DHCP4_SERVER
            ? snoop_server4(xin, port->br, flow, payload, len, vlan)
            : snoop_server6(xin, port->br, flow, payload, len, vlan));
}

/* The checks of an untrusted port that inspects. */
static const char *
xlate_untrusted(const struct xlate_in *xin, struct portsec_port *port,
                const struct portsec_policy *policy, const struct flow *flow,
                struct flow_wildcards *wc, enum slow_path_reason *slow,
                bool admitted)
{
    enum portsec_dhcp_class client = PORTSEC_DHCP_NONE;
    struct bound_aux aux = { .port = port, .policy = policy };
    struct portsec_bindings_view view = {
        .vlan = frame_vlan(flow, wc, policy),
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
            return inspection_drop(xin, port, PORTSEC_STAT_DHCP_SERVER_DROPS,
                                   "DHCP snooping: DHCP server message from "
                                   "an untrusted port");
        case PORTSEC_DHCP4_CLIENT:
        case PORTSEC_DHCP6_CLIENT:
            *slow |= SLOW_ACTION;
            client = class;
            break;
        case PORTSEC_DHCP_NONE:
            break;
        }
    }
    if (policy->ra_guard && (reason = portsec_inspect_ra(flow, wc))) {
        COVERAGE_INC(portsec_ra_guard_drop);
        return inspection_drop(xin, port, PORTSEC_STAT_RA_GUARD_DROPS,
                               reason);
    }
    if (policy->nd_inspection
        && (reason = portsec_inspect_nd(flow, wc, &view))) {
        COVERAGE_INC(portsec_nd_inspection_drop);
        return inspection_drop(xin, port, PORTSEC_STAT_ND_INSPECTION_DROPS,
                               reason);
    }
    if (policy->arp_inspection
        && (reason = portsec_inspect_arp(flow, wc, &view))) {
        COVERAGE_INC(portsec_arp_inspection_drop);
        return inspection_drop(xin, port, PORTSEC_STAT_ARP_INSPECTION_DROPS,
                               reason);
    }
    if (policy->ip_source_guard
        && (reason = portsec_inspect_ip_source(flow, wc, &view))) {
        COVERAGE_INC(portsec_ip_source_guard_drop);
        return inspection_drop(xin, port,
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

/* What the admission check decided for a frame. */
enum admission {
    ADMITTED,                   /* Secure, admitted or no limit. */
    NOT_ADMITTED,               /* Forwarded all the same (policy
                                 * "allow", or a translation that may not
                                 * admit and caches nothing). */
};

/* Caches in 'xin''s xlate cache, if any, that the megaflow being built
 * carries frames from 'mac' in 'vlan', so that its packets keep the MAC's
 * admission fresh, as NORMAL's XC_NORMAL entries keep its MAC learning
 * table fresh. */
static void
port_cache_admitted(const struct xlate_in *xin, struct portsec_port *port,
                    struct eth_addr mac, uint16_t vlan)
{
    if (xin->xcache) {
        struct xc_entry *entry;

        entry = xlate_cache_add_entry(xin->xcache, XC_PORTSEC);
        ovs_refcount_ref(&port->ref_cnt);
        entry->portsec.port = port;
        entry->portsec.counter = PORTSEC_XC_REFRESH;
        entry->portsec.mac = mac;
        entry->portsec.vlan = vlan;
    }
}

/* Decides whether the source MAC of the frame that 'xin' translates, from
 * 'port' with 'policy', is admitted (see lib/portsec-admission.h).
 * Returns NULL if the frame may go on, with '*admission' set, or a static
 * string saying why it is dropped, counted.  Only a translation with side
 * effects (a real packet's upcall, "ofproto/trace -generate") admits a
 * new MAC; any other translation of a frame from a MAC that would be
 * admitted sets 'xout->avoid_caching', so that a revalidator deletes the
 * megaflow rather than caching a forward for a MAC that holds no place in
 * the table, and the next packet admits it. */
static const char *
xlate_admit(const struct xlate_in *xin, struct portsec_port *port,
            const struct portsec_policy *policy, const struct flow *flow,
            struct flow_wildcards *wc, struct xlate_out *xout,
            enum admission *admission)
{
    int limit = admission_limit(policy);

    *admission = ADMITTED;
    if (limit < 0) {
        return NULL;
    }
    WC_MASK_FIELD(wc, dl_src);
    if (portsec_policy_is_secure_mac(policy, flow->dl_src)) {
        return NULL;
    }

    uint16_t vlan = frame_vlan(flow, wc, policy);
    if (portsec_admission_contains(port->admission, flow->dl_src, vlan)) {
        if (xin->allow_side_effects) {
            portsec_admission_refresh(port->admission, flow->dl_src, vlan,
                                      time_msec());
        }
        port_cache_admitted(xin, port, flow->dl_src, vlan);
        return NULL;
    }
    if (!xin->allow_side_effects) {
        if (portsec_admission_count(port->admission) < limit) {
            xout->avoid_caching = true;
            *admission = NOT_ADMITTED;
            return NULL;
        }
    } else if (portsec_admission_admit(port->admission, flow->dl_src, vlan,
                                       limit, time_msec())
               != PORTSEC_ADMIT_FULL) {
        port_cache_admitted(xin, port, flow->dl_src, vlan);
        return NULL;
    }

    /* The port is at its limit and the MAC is new to it. */
    const char *reason;
    switch (policy->limit_action) {
    case PORTSEC_LIMIT_ALLOW:
        COVERAGE_INC(portsec_learn_limit_unlearned);
        port_count(xin, port, PORTSEC_STAT_LEARN_LIMIT_UNLEARNED);
        log_violation(xin, port, "mac_learn_limit reached, forwarded "
                      "without admitting the source MAC");
        *admission = NOT_ADMITTED;
        return NULL;

    case PORTSEC_LIMIT_SHUTDOWN:
        if (xin->allow_side_effects) {
            port_err_disable(port);
        }
        /* Fall through. */
    case PORTSEC_LIMIT_DROP:
        reason = "source MAC not admitted: the port is at its "
                 "mac_learn_limit";
        COVERAGE_INC(portsec_learn_limit_drop);
        port_count(xin, port, PORTSEC_STAT_LEARN_LIMIT_DROPS);
        log_violation(xin, port, reason);
        return reason;
    }
    OVS_NOT_REACHED();
}

const char *
portsec_xlate_ingress(const struct xlate_in *xin, const void *bundle,
                      const struct flow *flow, struct flow_wildcards *wc,
                      struct xlate_out *xout)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = active_port_lookup(bundle, &policy);
    const struct portsec_mac_set *secure;
    enum admission admission;
    const char *reason;

    if (!port) {
        return NULL;
    }

    if (port_is_err_disabled(port)) {
        COVERAGE_INC(portsec_err_disabled_drop);
        port_count(xin, port, PORTSEC_STAT_ERR_DISABLED_DROPS);
        return "input port is err-disabled";
    }
    if (flow->packet_type != htonl(PT_ETH)) {
        return NULL;
    }

    if (policy->reject_forged_transmits) {
        WC_MASK_FIELD(wc, dl_src);
        if (!portsec_policy_is_secure_mac(policy, flow->dl_src)) {
            reason = "forged transmit: source MAC is not a secure MAC of the "
                     "input port";
            COVERAGE_INC(portsec_forged_transmit_drop);
            port_count(xin, port, PORTSEC_STAT_FORGED_TRANSMIT_DROPS);
            log_violation(xin, port, reason);
            return reason;
        }
    }

    secure = ovsrcu_get(struct portsec_mac_set *, &port->br->secure_macs);
    if (secure && secure->n) {
        WC_MASK_FIELD(wc, dl_src);
        if (portsec_macs_contain(secure->macs, secure->n, flow->dl_src)
            && !portsec_policy_is_secure_mac(policy, flow->dl_src)) {
            reason = "source MAC is a secure MAC of another port";
            COVERAGE_INC(portsec_secure_mac_move_drop);
            port_count(xin, port, PORTSEC_STAT_SECURE_MAC_MOVE_DROPS);
            log_violation(xin, port, reason);
            return reason;
        }
    }

    /* Admission comes before every check that records state. */
    reason = xlate_admit(xin, port, policy, flow, wc, xout, &admission);
    if (reason) {
        return reason;
    }

    if (policy->trusted) {
        return xlate_trusted(xin, port, flow, wc, &xout->slow);
    } else if (portsec_policy_inspects(policy)) {
        return xlate_untrusted(xin, port, policy, flow, wc, &xout->slow,
                               admission == ADMITTED);
    }
    return NULL;
}

bool
portsec_may_learn(const void *bundle, struct eth_addr src, int vlan)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = active_port_lookup(bundle, &policy);

    return (!port
            || (!port_is_err_disabled(port)
                && (admission_limit(policy) < 0
                    || portsec_policy_is_secure_mac(policy, src)
                    || portsec_admission_contains(port->admission, src,
                                                  vlan))));
}

bool
portsec_may_flood(const void *bundle, const struct flow *flow)
{
    const struct portsec_policy *policy;

    return (!active_port_lookup(bundle, &policy)
            || policy->unknown_unicast_flooding
            || eth_addr_is_multicast(flow->dl_dst));
}

bool
portsec_is_promiscuous(const void *bundle)
{
    const struct portsec_policy *policy;

    return active_port_lookup(bundle, &policy) && policy->promiscuous;
}

const char *
portsec_xlate_output(const struct xlate_in *xin, const void *bundle,
                     const struct flow *flow, struct flow_wildcards *wc)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = active_port_lookup(bundle, &policy);

    if (!port) {
        return NULL;
    }
    if (port_is_err_disabled(port)) {
        port_count(xin, port, PORTSEC_STAT_ERR_DISABLED_DROPS);
        return "output port is err-disabled";
    }
    if (policy->reject_mac_changes && flow->packet_type == htonl(PT_ETH)) {
        WC_MASK_FIELD(wc, dl_dst);
        if (!eth_addr_is_multicast(flow->dl_dst)
            && !portsec_policy_is_secure_mac(policy, flow->dl_dst)) {
            const char *reason = "MAC changes rejected: destination MAC is "
                                 "not a secure MAC of the output port";

            COVERAGE_INC(portsec_mac_change_drop);
            port_count(xin, port, PORTSEC_STAT_MAC_CHANGE_DROPS);
            log_violation(xin, port, reason);
            return reason;
        }
    }
    return NULL;
}

/* Status. */

const char *
portsec_stat_name(enum portsec_stat stat)
{
    ovs_assert(stat < PORTSEC_N_STATS);
    return stat_names[stat];
}

static void
port_get_stats(struct portsec_port *port,
               const struct portsec_policy *policy,
               uint64_t stats[PORTSEC_N_STATS])
{
    for (int i = 0; i < PORTSEC_N_STATS; i++) {
        unsigned long long int value;

        atomic_read_relaxed(&port->counters[i], &value);
        stats[i] = value;
    }
    stats[PORTSEC_STAT_MACS_LEARNED] = portsec_admission_count(
        port->admission);
    stats[PORTSEC_STAT_BINDINGS] = (portsec_binding_count(port->bindings)
                                    + policy->n_static_bindings);
}

static void
port_get_error(const struct portsec_port *port,
               const struct portsec_policy *policy, struct ds *error)
{
    unsigned int idle_time = port->br->ml->idle_time;

    if (policy->error) {
        ds_put_cstr(error, policy->error);
    }
    if (policy->mac_aging_time > idle_time) {
        ds_put_format(error, "%ssecurity_policy:mac_aging_time: %u exceeds "
                      "the bridge's mac-aging-time, using %u",
                      error->length ? "; " : "", policy->mac_aging_time,
                      idle_time);
    }
}

/* Returns the port that 'ofproto''s client knows as 'aux' and its policy
 * in '*policyp', if it has port security settings, otherwise NULL. */
static struct portsec_port *
client_port_lookup(const struct ofproto *ofproto, const void *aux,
                   const struct portsec_policy **policyp)
{
    struct portsec_bridge *br = bridge_lookup(ofproto);
    struct portsec_port *port = br ? bridge_port_lookup(br, aux) : NULL;

    if (port) {
        *policyp = ovsrcu_get_protected(struct portsec_policy *,
                                        &port->policy);
        if ((*policyp)->active) {
            return port;
        }
    }
    return NULL;
}

bool
portsec_port_get_status(const struct ofproto *ofproto, const void *aux,
                        struct smap *status)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = client_port_lookup(ofproto, aux, &policy);
    struct ds error = DS_EMPTY_INITIALIZER;

    if (!port) {
        return false;
    }
    if (port_is_err_disabled(port)) {
        smap_add(status, "state", "err-disabled");
        smap_add(status, "reason", err_disabled_reason);
    } else {
        smap_add(status, "state", "forwarding");
    }
    port_get_error(port, policy, &error);
    if (error.length) {
        smap_add(status, "error", ds_cstr(&error));
    }
    ds_destroy(&error);
    return true;
}

bool
portsec_port_get_stats(const struct ofproto *ofproto, const void *aux,
                       uint64_t stats[PORTSEC_N_STATS])
{
    const struct portsec_policy *policy;
    struct portsec_port *port = client_port_lookup(ofproto, aux, &policy);

    if (!port) {
        return false;
    }
    port_get_stats(port, policy, stats);
    return true;
}

/* unixctl commands. */

static int
compare_port_names(const void *a_, const void *b_)
{
    const struct portsec_port *const *a = a_;
    const struct portsec_port *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

/* Lists the MACs that 'port' admitted, with the time since each was last
 * seen, for port-security/show. */
static void
port_show_admitted(const struct portsec_port *port, struct ds *ds)
{
    long long int now = time_msec();
    struct portsec_admitted *macs;
    size_t n;

    macs = portsec_admission_snapshot(port->admission, &n);
    ds_put_cstr(ds, "    admitted MACs:");
    for (size_t i = 0; i < n; i++) {
        ds_put_format(ds, "\n      "ETH_ADDR_FMT"  vlan %-4"PRIu16"  dynamic"
                      "  idle %lld s", ETH_ADDR_ARGS(macs[i].mac),
                      macs[i].vlan, MAX(now - macs[i].used, 0) / 1000);
    }
    ds_put_cstr(ds, n ? "\n" : " none\n");
    free(macs);
}

static void
port_show(struct portsec_port *port, struct ds *ds)
{
    const struct portsec_policy *policy
        = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    uint64_t stats[PORTSEC_N_STATS];
    struct ds error = DS_EMPTY_INITIALIZER;

    port_get_stats(port, policy, stats);
    ds_put_format(ds, "  port %s: state %s\n", port->name,
                  port_is_err_disabled(port) ? "err-disabled" : "forwarding");
    if (policy->mac_learn_limit >= 0) {
        ds_put_format(ds, "    mac_learn_limit: %d, policy %s, learned %"
                      PRIu64"\n", policy->mac_learn_limit,
                      portsec_limit_action_to_string(policy->limit_action),
                      stats[PORTSEC_STAT_MACS_LEARNED]);
    }
    ds_put_cstr(ds, "    security_policy: ");
    portsec_policy_format(policy, ds);
    ds_put_cstr(ds, "\n    secure MACs:");
    for (size_t i = 0; i < policy->n_secure_macs; i++) {
        ds_put_format(ds, " "ETH_ADDR_FMT,
                      ETH_ADDR_ARGS(policy->secure_macs[i]));
    }
    ds_put_cstr(ds, policy->n_secure_macs ? "\n" : " none\n");
    if (admission_limit(policy) >= 0) {
        port_show_admitted(port, ds);
    }
    ds_put_cstr(ds, "    statistics:");
    for (int i = 0; i < PORTSEC_STAT_DHCP_SERVER_DROPS; i++) {
        ds_put_format(ds, " %s=%"PRIu64, stat_names[i], stats[i]);
    }
    ds_put_char(ds, '\n');
    if (portsec_policy_inspects(policy) || policy->trusted
        || stats[PORTSEC_STAT_BINDINGS]) {
        ds_put_cstr(ds, "    snooping statistics:");
        for (int i = PORTSEC_STAT_DHCP_SERVER_DROPS; i < PORTSEC_N_STATS;
             i++) {
            ds_put_format(ds, " %s=%"PRIu64, stat_names[i], stats[i]);
        }
        ds_put_char(ds, '\n');
    }
    port_get_error(port, policy, &error);
    if (error.length) {
        ds_put_format(ds, "    error: %s\n", ds_cstr(&error));
    }
    ds_destroy(&error);
}

static void
bridge_show(const struct portsec_bridge *br, struct ds *ds)
{
    struct portsec_port **ports;
    struct portsec_port *port;
    size_t n = 0;

    ports = xmalloc(hmap_count(&br->ports) * sizeof *ports);
    HMAP_FOR_EACH (port, br_node, &br->ports) {
        if (ovsrcu_get_protected(struct portsec_policy *,
                                 &port->policy)->active) {
            ports[n++] = port;
        }
    }
    qsort(ports, n, sizeof *ports, compare_port_names);

    ds_put_format(ds, "bridge %s:\n", br->ofproto->name);
    for (size_t i = 0; i < n; i++) {
        port_show(ports[i], ds);
    }
    if (!n) {
        ds_put_cstr(ds, "  no port has port security settings\n");
    }
    free(ports);
}

/* Returns true if some port of 'br' has port security settings. */
static bool
bridge_is_active(const struct portsec_bridge *br)
{
    const struct portsec_port *port;

    HMAP_FOR_EACH (port, br_node, &br->ports) {
        if (ovsrcu_get_protected(struct portsec_policy *,
                                 &port->policy)->active) {
            return true;
        }
    }
    return false;
}

static int
compare_bridge_names(const void *a_, const void *b_)
{
    const struct portsec_bridge *const *a = a_;
    const struct portsec_bridge *const *b = b_;

    return strcmp((*a)->ofproto->name, (*b)->ofproto->name);
}

static void
portsec_unixctl_show(struct unixctl_conn *conn, int argc, const char *argv[],
                     void *aux OVS_UNUSED)
{
    const struct portsec_bridge **brs;
    const struct portsec_bridge *br;
    struct ds ds = DS_EMPTY_INITIALIZER;
    size_t n = 0;

    brs = xmalloc(MAX(hmap_count(&bridges), 1) * sizeof *brs);
    HMAP_FOR_EACH (br, node, &bridges) {
        if (argc > 1 ? !strcmp(argv[1], br->ofproto->name)
            : bridge_is_active(br)) {
            brs[n++] = br;
        }
    }
    qsort(brs, n, sizeof *brs, compare_bridge_names);

    if (argc > 1 && !n) {
        if (ofproto_lookup(argv[1])) {
            ds_put_format(&ds, "bridge %s:\n  no port has port security "
                          "settings\n", argv[1]);
        } else {
            unixctl_command_reply_error(conn, "no such bridge");
            free(brs);
            return;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bridge_show(brs[i], &ds);
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
    free(brs);
}

static void
portsec_unixctl_recover(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[], void *aux OVS_UNUSED)
{
    struct portsec_bridge *br;

    HMAP_FOR_EACH (br, node, &bridges) {
        struct portsec_port *port;

        HMAP_FOR_EACH (port, br_node, &br->ports) {
            if (!strcmp(port->name, argv[1])) {
                if (!port_is_err_disabled(port)) {
                    unixctl_command_reply(conn, "port is not err-disabled");
                } else {
                    VLOG_INFO("port %s: recovered by port-security/recover",
                              port->name);
                    port_recover(port);
                    unixctl_command_reply(conn, "port recovered");
                }
                return;
            }
        }
    }
    unixctl_command_reply_error(conn, "no such port with port security");
}

/* Bindings: export, restore, unixctl. */

uint64_t
portsec_bindings_seqno(void)
{
    return seq_read(bindings_seq());
}

void
portsec_bindings_wait(uint64_t seqno)
{
    seq_wait(bindings_seq(), seqno);
}

static int
compare_exports(const void *a_, const void *b_)
{
    const struct portsec_binding_export *a = a_;
    const struct portsec_binding_export *b = b_;
    int cmp;

    cmp = strcmp(a->ofproto->name, b->ofproto->name);
    if (!cmp) {
        cmp = strcmp(a->port, b->port);
    }
    if (!cmp) {
        cmp = (a->binding->vlan > b->binding->vlan)
              - (a->binding->vlan < b->binding->vlan);
    }
    if (!cmp) {
        cmp = eth_addr_compare_3way(a->binding->mac, b->binding->mac);
    }
    if (!cmp) {
        cmp = memcmp(&a->binding->ip, &b->binding->ip,
                     sizeof a->binding->ip);
    }
    return cmp;
}

struct portsec_binding_export *
portsec_bindings_export(size_t *n)
{
    struct portsec_binding_export *exports = NULL;
    size_t allocated = 0;
    struct portsec_bridge *br;

    *n = 0;
    HMAP_FOR_EACH (br, node, &bridges) {
        struct portsec_port *port;

        HMAP_FOR_EACH (port, br_node, &br->ports) {
            const struct portsec_policy *policy
                = ovsrcu_get_protected(struct portsec_policy *,
                                       &port->policy);
            struct portsec_binding *dynamic;
            size_t n_dynamic;

            if (!policy->active) {
                continue;
            }
            dynamic = portsec_binding_snapshot(port->bindings, &n_dynamic);
            for (size_t i = 0; i < n_dynamic + policy->n_static_bindings;
                 i++) {
                struct portsec_binding *b = xmalloc(sizeof *b);
                unsigned int plen = 128;

                if (i < n_dynamic) {
                    *b = dynamic[i];
                } else {
                    const struct portsec_static_binding *sb
                        = &policy->static_bindings[i - n_dynamic];

                    *b = (struct portsec_binding) {
                        .mac = sb->mac,
                        .vlan = policy->native_vlan,
                        .ip = sb->ip,
                        .source = PORTSEC_BINDING_STATIC,
                        .expires = LLONG_MAX,
                    };
                    plen = sb->plen;
                }
                if (*n >= allocated) {
                    exports = x2nrealloc(exports, &allocated,
                                         sizeof *exports);
                }
                exports[(*n)++] = (struct portsec_binding_export) {
                    .port = port->name,
                    .ofproto = br->ofproto,
                    .binding = b,
                    .plen = plen,
                };
            }
            free(dynamic);
        }
    }
    if (*n) {
        qsort(exports, *n, sizeof *exports, compare_exports);
    }
    return exports;
}

void
portsec_bindings_export_free(struct portsec_binding_export *exports,
                             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(CONST_CAST(struct portsec_binding *, exports[i].binding));
    }
    free(exports);
}

/* Returns the port named 'name' with port security, or NULL. */
static struct portsec_port *
port_lookup_by_name(const char *name)
{
    struct portsec_bridge *br;

    HMAP_FOR_EACH (br, node, &bridges) {
        struct portsec_port *port;

        HMAP_FOR_EACH (port, br_node, &br->ports) {
            if (!strcmp(port->name, name)) {
                return port;
            }
        }
    }
    return NULL;
}

bool
portsec_binding_restore(const char *name, const struct portsec_binding *b)
{
    struct portsec_port *port = port_lookup_by_name(name);
    const struct portsec_policy *policy;
    bool need_revalidate = false;

    if (!port || b->source == PORTSEC_BINDING_STATIC) {
        return false;
    }
    policy = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    if (portsec_binding_add(port->bindings, b, policy->max_bindings,
                            &need_revalidate) == PORTSEC_BINDING_FULL) {
        return false;
    }
    port_bindings_changed(port, need_revalidate);
    return true;
}

/* Appends 'b' (with prefix length 'plen') to 'ds' as a line of
 * port-security/bindings. */
static void
format_binding(struct ds *ds, const char *port,
               const struct portsec_binding *b, unsigned int plen)
{
    char *ip = portsec_binding_ip_to_string(&b->ip, plen);

    ds_put_format(ds, "  %-15s %4"PRIu16"  "ETH_ADDR_FMT"  %-39s %-7s ",
                  port, b->vlan, ETH_ADDR_ARGS(b->mac), ip,
                  portsec_binding_source_to_string(b->source));
    free(ip);
    if (b->expires == LLONG_MAX) {
        ds_put_format(ds, "%8s", "-");
    } else {
        long long int secs = (b->expires - time_msec() + 999) / 1000;

        ds_put_format(ds, "%8lld", MAX(secs, 0));
    }
    if (b->has_server) {
        char server[INET6_ADDRSTRLEN];

        ipv6_string_mapped(server, &b->server);
        ds_put_format(ds, "  %s", server);
    }
    ds_put_char(ds, '\n');
}

static void
portsec_unixctl_bindings(struct unixctl_conn *conn, int argc,
                         const char *argv[], void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct ofproto *last = NULL;
    struct portsec_binding_export *exports;
    size_t n;

    if (argc > 1 && !ofproto_lookup(argv[1])) {
        unixctl_command_reply_error(conn, "no such bridge");
        return;
    }
    exports = portsec_bindings_export(&n);
    for (size_t i = 0; i < n; i++) {
        const struct portsec_binding_export *e = &exports[i];

        if (argc > 1 && strcmp(argv[1], e->ofproto->name)) {
            continue;
        }
        if (e->ofproto != last) {
            ds_put_format(&ds, "bridge %s:\n  %-15s %4s  %-17s  %-39s "
                          "%-7s %8s  %s\n", e->ofproto->name, "port", "vlan",
                          "mac", "ip", "source", "expires", "server");
            last = e->ofproto;
        }
        format_binding(&ds, e->port, e->binding, e->plen);
    }
    if (!ds.length) {
        ds_put_cstr(&ds, "no bindings\n");
    }
    portsec_bindings_export_free(exports, n);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
portsec_unixctl_clear_bindings(struct unixctl_conn *conn,
                               int argc OVS_UNUSED, const char *argv[],
                               void *aux OVS_UNUSED)
{
    struct portsec_port *port = port_lookup_by_name(argv[1]);
    bool need_revalidate = false;
    char *reply;
    size_t n;

    if (!port) {
        unixctl_command_reply_error(conn, "no such port with port security");
        return;
    }
    n = portsec_binding_clear(port->bindings, &need_revalidate);
    if (n) {
        VLOG_INFO("port %s: %"PRIuSIZE" bindings cleared by "
                  "port-security/clear-bindings", port->name, n);
        port_bindings_changed(port, need_revalidate);
    }
    reply = xasprintf("%"PRIuSIZE" dynamic bindings cleared", n);
    unixctl_command_reply(conn, reply);
    free(reply);
}

/* "port-security/clear-macs PORT [MAC]": forgets the dynamically admitted
 * MACs of PORT (only MAC, in every VLAN, if given), as Cisco's "clear
 * port-security dynamic" does.  The flows that carried them are
 * revalidated, so the next frame from each is admitted anew if there is
 * room. */
static void
portsec_unixctl_clear_macs(struct unixctl_conn *conn, int argc,
                           const char *argv[], void *aux OVS_UNUSED)
{
    struct portsec_port *port = port_lookup_by_name(argv[1]);
    struct portsec_admitted *removed;
    struct mac_learning *ml;
    struct eth_addr mac;
    char *reply;
    size_t n;

    if (!port) {
        unixctl_command_reply_error(conn, "no such port with port security");
        return;
    }
    if (argc > 2 && !eth_addr_from_string(argv[2], &mac)) {
        unixctl_command_reply_error(conn, "bad MAC address");
        return;
    }

    ml = port->br->ml;
    ovs_rwlock_wrlock(&ml->rwlock);
    n = (argc > 2
         ? portsec_admission_remove_mac(port->admission, mac, &removed)
         : portsec_admission_flush(port->admission, &removed));
    if (ml_forget(ml, port->bundle, removed, n)) {
        bridge_need_revalidate(port->br);
        VLOG_INFO("port %s: %"PRIuSIZE" admitted MACs cleared by "
                  "port-security/clear-macs", port->name, n);
    }
    ovs_rwlock_unlock(&ml->rwlock);

    reply = xasprintf("%"PRIuSIZE" admitted MACs cleared", n);
    unixctl_command_reply(conn, reply);
    free(reply);
}

void
portsec_init(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        unixctl_command_register("port-security/show", "[bridge]", 0, 1,
                                 portsec_unixctl_show, NULL);
        unixctl_command_register("port-security/recover", "port", 1, 1,
                                 portsec_unixctl_recover, NULL);
        unixctl_command_register("port-security/bindings", "[bridge]", 0, 1,
                                 portsec_unixctl_bindings, NULL);
        unixctl_command_register("port-security/clear-bindings", "port", 1,
                                 1, portsec_unixctl_clear_bindings, NULL);
        unixctl_command_register("port-security/clear-macs", "port [mac]",
                                 1, 2, portsec_unixctl_clear_macs, NULL);
        ovsthread_once_done(&once);
    }
}
