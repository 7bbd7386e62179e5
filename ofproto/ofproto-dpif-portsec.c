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
#include "coverage.h"
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
#include "openvswitch/poll-loop.h"
#include "port-security.h"
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

static const char *const stat_names[PORTSEC_N_STATS] = {
    [PORTSEC_STAT_MACS_LEARNED] = "macs_learned",
    [PORTSEC_STAT_LEARN_LIMIT_DROPS] = "learn_limit_drops",
    [PORTSEC_STAT_LEARN_LIMIT_UNLEARNED] = "learn_limit_unlearned",
    [PORTSEC_STAT_FORGED_TRANSMIT_DROPS] = "forged_transmit_drops",
    [PORTSEC_STAT_MAC_CHANGE_DROPS] = "mac_change_drops",
    [PORTSEC_STAT_SECURE_MAC_MOVE_DROPS] = "secure_mac_move_drops",
    [PORTSEC_STAT_ERR_DISABLED_DROPS] = "err_disabled_drops",
    [PORTSEC_STAT_ERR_DISABLED_COUNT] = "err_disabled_count",
};

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

    /* Serializes the admission of MACs new to this port, so that the
     * count of learned MACs cannot overshoot 'mac_learn_limit'. */
    struct ovs_mutex learn_mutex;

    /* Set by any thread, cleared by recovery (main thread). */
    atomic_bool err_disabled;

    /* Main thread only. */
    bool err_disabled_seen;         /* 'err_disabled' as last acted on. */
    long long int err_disabled_at;  /* When it was seen, in ms. */

    atomic_ullong counters[PORTSEC_N_STATS];
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
                    const struct dpif_flow_stats *stats)
{
    if (!stats->n_packets) {
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
    ovs_mutex_destroy(&port->learn_mutex);
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
    mac_learning_unref(br->ml);
    hmap_destroy(&br->ports);
    free(ovsrcu_get_protected(struct portsec_mac_set *, &br->secure_macs));
    free(br);
}

static void
port_unregister(struct portsec_port *port)
{
    struct portsec_bridge *br = port->br;

    cmap_remove(&ports_by_bundle, &port->cmap_node,
                hash_pointer(port->bundle, 0));
    hmap_remove(&br->ports, &port->br_node);
    if (hmap_is_empty(&br->ports)) {
        hmap_remove(&bridges, &br->node);
        ovsrcu_postpone(bridge_destroy, br);
    } else {
        bridge_update_secure_macs(br);
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
            hmap_insert(&bridges, &br->node, hash_pointer(ofproto, 0));
        }

        port = xzalloc(sizeof *port);
        port->bundle = bundle;
        port->aux = aux;
        port->br = br;
        port->name = xstrdup(name);
        ovsrcu_init(&port->policy, NULL);
        ovs_refcount_init(&port->ref_cnt);
        ovs_mutex_init(&port->learn_mutex);
        atomic_init(&port->err_disabled, false);
        for (int i = 0; i < PORTSEC_N_STATS; i++) {
            atomic_init(&port->counters[i], 0);
        }
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

/* MAC learning table accounting.  All of these require 'ml->rwlock'. */

static struct mac_learning_port *
ml_port_lookup(const struct mac_learning *ml, const void *bundle)
    OVS_REQ_RDLOCK(ml->rwlock)
{
    struct mac_learning_port *mlport;

    HMAP_FOR_EACH_WITH_HASH (mlport, hmap_node,
                             hash_pointer(bundle, ml->secret),
                             &ml->ports_by_ptr) {
        if (mlport->port == bundle) {
            return mlport;
        }
    }
    return NULL;
}

/* Returns the number of MACs that count toward 'policy''s limit that 'ml'
 * has learned on 'bundle': all of them but its secure MACs.  O(1) for a
 * port without secure MACs, otherwise O(number of MACs). */
static size_t
ml_port_count(const struct mac_learning *ml, const void *bundle,
              const struct portsec_policy *policy)
    OVS_REQ_RDLOCK(ml->rwlock)
{
    const struct mac_learning_port *mlport = ml_port_lookup(ml, bundle);
    const struct mac_entry *e;
    size_t n;

    if (!mlport) {
        return 0;
    }
    n = mlport->heap_node.priority;
    if (policy->n_secure_macs) {
        LIST_FOR_EACH (e, port_lru_node, &mlport->port_lrus) {
            n -= portsec_policy_is_secure_mac(policy, e->mac);
        }
    }
    return n;
}

/* Returns true if 'policy''s limit lets 'bundle' hold 'src' in 'vlan'. */
static bool
ml_admits(const struct mac_learning *ml, const void *bundle,
          const struct portsec_policy *policy, struct eth_addr src, int vlan)
    OVS_REQ_RDLOCK(ml->rwlock)
{
    const struct mac_learning_port *mlport;
    const struct mac_entry *e;

    if (policy->mac_learn_limit < 0
        || portsec_policy_is_secure_mac(policy, src)) {
        return true;
    }
    e = mac_learning_lookup(ml, src, vlan);
    if (e && mac_entry_get_port(ml, e) == bundle) {
        return true;            /* Already counted. */
    }
    mlport = ml_port_lookup(ml, bundle);
    if ((mlport ? mlport->heap_node.priority : 0)
        < policy->mac_learn_limit) {
        return true;            /* Below the limit, secure MACs or not. */
    }
    return ml_port_count(ml, bundle, policy) < policy->mac_learn_limit;
}

/* Expires the 'n' entries in 'victims'.  The callers collect victims
 * first because expiring a port's last entry frees the list they walk. */
static void
ml_expire_entries(struct mac_learning *ml, struct mac_entry **victims,
                  size_t n)
    OVS_REQ_WRLOCK(ml->rwlock)
{
    for (size_t i = 0; i < n; i++) {
        mac_learning_expire(ml, victims[i]);
    }
}

/* Forgets every dynamic MAC that 'ml' has learned on 'bundle'. */
static void
ml_flush_port(struct mac_learning *ml, const void *bundle)
    OVS_REQ_WRLOCK(ml->rwlock)
{
    struct mac_learning_port *mlport = ml_port_lookup(ml, bundle);
    struct mac_entry **victims;
    struct mac_entry *e;
    size_t n = 0;

    if (!mlport) {
        return;
    }
    victims = xmalloc(mlport->heap_node.priority * sizeof *victims);
    LIST_FOR_EACH (e, port_lru_node, &mlport->port_lrus) {
        if (mac_entry_age(ml, e) != MAC_ENTRY_AGE_STATIC_ENTRY) {
            victims[n++] = e;
        }
    }
    ml_expire_entries(ml, victims, n);
    free(victims);
}

/* Returns the least recently used dynamic (not static) entry of 'mlport',
 * or NULL if it has none. */
static struct mac_entry *
ml_port_oldest_dynamic(const struct mac_learning *ml,
                       const struct mac_learning_port *mlport)
    OVS_REQ_RDLOCK(ml->rwlock)
{
    struct mac_entry *e;

    LIST_FOR_EACH (e, port_lru_node, &mlport->port_lrus) {
        if (mac_entry_age(ml, e) != MAC_ENTRY_AGE_STATIC_ENTRY) {
            return e;
        }
    }
    return NULL;
}

/* Returns when dynamic entry 'e' of a port whose aging time is 'aging'
 * seconds expires, in seconds as time_now(): 'e' was last used
 * 'idle_time' seconds before its bridge-wide expiry. */
static time_t
ml_port_expiry(const struct mac_learning *ml, const struct mac_entry *e,
               unsigned int aging)
{
    return e->expires - ml->idle_time + aging;
}

/* Returns 'policy''s mac_aging_time capped at the bridge's, or 0 if it
 * has none. */
static unsigned int
policy_aging(const struct mac_learning *ml,
             const struct portsec_policy *policy)
{
    return (policy->mac_aging_time
            ? MIN(policy->mac_aging_time, ml->idle_time)
            : 0);
}

/* Forgets the least recently used non-secure MACs of 'bundle' beyond
 * 'policy''s limit, and those idle for longer than its mac_aging_time.
 * O(1) when there is nothing to forget. */
static void
ml_trim_port(struct mac_learning *ml, const void *bundle,
             const struct portsec_policy *policy)
    OVS_REQ_WRLOCK(ml->rwlock)
{
    struct mac_learning_port *mlport = ml_port_lookup(ml, bundle);
    unsigned int aging = policy_aging(ml, policy);
    size_t n_excess = 0, n = 0;
    struct mac_entry **victims;
    struct mac_entry *e;

    if (!mlport) {
        return;
    }
    if (policy->mac_learn_limit >= 0
        && mlport->heap_node.priority > policy->mac_learn_limit) {
        size_t count = ml_port_count(ml, bundle, policy);

        if (count > policy->mac_learn_limit) {
            n_excess = count - policy->mac_learn_limit;
        }
    }
    if (aging) {
        e = ml_port_oldest_dynamic(ml, mlport);
        if (!e || time_now() < ml_port_expiry(ml, e, aging)) {
            aging = 0;
        }
    }
    if (!n_excess && !aging) {
        return;
    }

    /* 'port_lrus' is ordered from least to most recently used. */
    victims = xmalloc(mlport->heap_node.priority * sizeof *victims);
    LIST_FOR_EACH (e, port_lru_node, &mlport->port_lrus) {
        if (mac_entry_age(ml, e) == MAC_ENTRY_AGE_STATIC_ENTRY) {
            continue;
        } else if (n_excess
                   && !portsec_policy_is_secure_mac(policy, e->mac)) {
            victims[n++] = e;
            n_excess--;
        } else if (aging && time_now() >= ml_port_expiry(ml, e, aging)) {
            victims[n++] = e;
        } else if (!n_excess) {
            break;
        }
    }
    ml_expire_entries(ml, victims, n);
    free(victims);
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
            ml_flush_port(ml, port->bundle);
            need_revalidate = true;
        }
        if (policy->active) {
            ml_trim_port(ml, port->bundle, policy);
        }
    }
    return need_revalidate;
}

void
portsec_wait(const struct ofproto *ofproto, struct mac_learning *ml)
    OVS_REQ_RDLOCK(ml->rwlock)
{
    struct portsec_bridge *br = bridge_lookup(ofproto);
    struct portsec_port *port;

    if (!br) {
        return;
    }
    HMAP_FOR_EACH (port, br_node, &br->ports) {
        const struct portsec_policy *policy
            = ovsrcu_get_protected(struct portsec_policy *, &port->policy);

        if (port->err_disabled_seen != port_is_err_disabled(port)) {
            poll_immediate_wake();
        } else if (port->err_disabled_seen && policy->recovery_interval) {
            poll_timer_wait_until(port->err_disabled_at
                                  + policy->recovery_interval * 1000LL);
        }
        if (policy->active && policy->mac_aging_time) {
            const struct mac_learning_port *mlport
                = ml_port_lookup(ml, port->bundle);
            const struct mac_entry *e
                = mlport ? ml_port_oldest_dynamic(ml, mlport) : NULL;

            if (e) {
                poll_timer_wait_until(
                    ml_port_expiry(ml, e, policy_aging(ml, policy)) * 1000LL);
            }
        }
    }
}

/* Translation. */

const char *
portsec_xlate_ingress(const struct xlate_in *xin, const void *bundle,
                      const struct flow *flow, struct flow_wildcards *wc)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = active_port_lookup(bundle, &policy);
    const struct portsec_mac_set *secure;
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
    return NULL;
}

enum portsec_learn
portsec_xlate_learn(const struct xlate_in *xin, const void *bundle,
                    struct mac_learning *ml, struct eth_addr src, int vlan)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = active_port_lookup(bundle, &policy);
    bool admitted;

    if (!port || policy->mac_learn_limit < 0) {
        return PORTSEC_LEARN;
    }

    ovs_rwlock_rdlock(&ml->rwlock);
    admitted = ml_admits(ml, bundle, policy, src, vlan);
    ovs_rwlock_unlock(&ml->rwlock);
    if (admitted) {
        return PORTSEC_LEARN;
    }

    switch (policy->limit_action) {
    case PORTSEC_LIMIT_ALLOW:
        COVERAGE_INC(portsec_learn_limit_unlearned);
        port_count(xin, port, PORTSEC_STAT_LEARN_LIMIT_UNLEARNED);
        log_violation(xin, port, "mac_learn_limit reached, forwarded "
                      "without learning the source MAC");
        return PORTSEC_LEARN_SKIP;

    case PORTSEC_LIMIT_SHUTDOWN:
        if (xin->allow_side_effects) {
            port_err_disable(port);
        }
        /* Fall through. */
    case PORTSEC_LIMIT_DROP:
        COVERAGE_INC(portsec_learn_limit_drop);
        port_count(xin, port, PORTSEC_STAT_LEARN_LIMIT_DROPS);
        log_violation(xin, port, "mac_learn_limit reached, dropped");
        return PORTSEC_LEARN_DROP;
    }
    OVS_NOT_REACHED();
}

bool
portsec_mac_learning_update(struct mac_learning *ml, struct eth_addr src,
                            int vlan, bool is_gratuitous_arp, bool is_bond,
                            void *in_port)
    OVS_EXCLUDED(ml->rwlock)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = active_port_lookup(in_port, &policy);
    bool updated = false;

    if (port && port_is_err_disabled(port)) {
        return false;
    } else if (!port || policy->mac_learn_limit < 0) {
        return mac_learning_update(ml, src, vlan, is_gratuitous_arp, is_bond,
                                   in_port);
    }

    /* Only threads holding 'learn_mutex' add entries to this port, so the
     * count that ml_admits() sees cannot grow before mac_learning_update()
     * adds 'src'; other threads can only make it shrink. */
    ovs_mutex_lock(&port->learn_mutex);
    ovs_rwlock_rdlock(&ml->rwlock);
    bool admitted = ml_admits(ml, in_port, policy, src, vlan);
    ovs_rwlock_unlock(&ml->rwlock);
    if (admitted) {
        updated = mac_learning_update(ml, src, vlan, is_gratuitous_arp,
                                      is_bond, in_port);
    }
    ovs_mutex_unlock(&port->learn_mutex);
    return updated;
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
    struct mac_learning *ml = port->br->ml;

    for (int i = 0; i < PORTSEC_N_STATS; i++) {
        unsigned long long int value;

        atomic_read_relaxed(&port->counters[i], &value);
        stats[i] = value;
    }
    ovs_rwlock_rdlock(&ml->rwlock);
    stats[PORTSEC_STAT_MACS_LEARNED] = ml_port_count(ml, port->bundle,
                                                     policy);
    ovs_rwlock_unlock(&ml->rwlock);
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
    ds_put_cstr(ds, "    statistics:");
    for (int i = 0; i < PORTSEC_N_STATS; i++) {
        ds_put_format(ds, " %s=%"PRIu64, stat_names[i], stats[i]);
    }
    ds_put_char(ds, '\n');
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

void
portsec_init(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        unixctl_command_register("port-security/show", "[bridge]", 0, 1,
                                 portsec_unixctl_show, NULL);
        unixctl_command_register("port-security/recover", "port", 1, 1,
                                 portsec_unixctl_recover, NULL);
        ovsthread_once_done(&once);
    }
}
