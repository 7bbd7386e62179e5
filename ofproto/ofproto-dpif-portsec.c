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

#include "connectivity.h"
#include "connmgr.h"
#include "coverage.h"
#include "flow.h"
#include "hash.h"
#include "mac-learning.h"
#include "ofproto/ofproto-dpif.h"
#include "ofproto/ofproto-dpif-xlate-cache.h"
#include "ofproto/ofproto-dpif-xlate.h"
#include "ofproto/ofproto-provider.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-admission.h"
#include "portsec-binding.h"
#include "portsec-inspect.h"
#include "seq.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec);

static void port_restore_err_disabled(struct portsec_port *,
                                      const struct portsec_policy *);

COVERAGE_DEFINE(portsec_forged_transmit_drop);
COVERAGE_DEFINE(portsec_mac_change_drop);
COVERAGE_DEFINE(portsec_secure_mac_move_drop);
COVERAGE_DEFINE(portsec_err_disabled_drop);
COVERAGE_DEFINE(portsec_binding_revalidate);


/* The shortest interval between two revalidations for binding changes, in
 * ms, so that DHCP churn costs at most 10 revalidations a second. */
#define BINDING_REVALIDATE_MS 100

struct hmap portsec_bridges = HMAP_INITIALIZER(&portsec_bridges);

/* Returns the seq that changes whenever a binding changes. */
struct seq *
portsec_bindings_seq(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    static struct seq *seq;

    if (ovsthread_once_start(&once)) {
        seq = seq_create();
        ovsthread_once_done(&once);
    }
    return seq;
}

struct portsec_port *
portsec_port_with_settings(struct portsec_port *port,
                           const struct portsec_policy **policyp)
{
    bool unregistered;

    if (!port) {
        return NULL;
    }
    atomic_read_relaxed(&port->unregistered, &unregistered);
    if (!unregistered) {
        const struct portsec_policy *policy = ovsrcu_get(
            struct portsec_policy *, &port->policy);

        if (policy->has_settings) {
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

    HMAP_FOR_EACH_WITH_HASH (br, node, hash_pointer(ofproto, 0),
                             &portsec_bridges) {
        if (br->ofproto == ofproto) {
            return br;
        }
    }
    return NULL;
}

static struct portsec_port *
bridge_port_from_aux(const struct portsec_bridge *br, const void *aux)
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

static void
port_destroy(struct portsec_port *port)
{
    portsec_policy_destroy(ovsrcu_get_protected(struct portsec_policy *,
                                                &port->policy));
    portsec_admission_destroy(port->admission);
    ovs_mutex_destroy(&port->dhcp_mutex);
    ovs_mutex_destroy(&port->violation_mutex);
    portsec_binding_table_destroy(port->bindings);
    portsec_suppress_port_destroy(port);
    free(port->name);
    free(port);
}

struct portsec_port *
portsec_port_ref(struct portsec_port *port)
{
    if (port) {
        ovs_refcount_ref(&port->ref_cnt);
    }
    return port;
}

void
portsec_port_unref(struct portsec_port *port)
{
    if (port && ovs_refcount_unref(&port->ref_cnt) == 1) {
        /* A handler may still read 'port' through the reference it just
         * lost, in its current RCU read section, so wait for a grace
         * period. */
        ovsrcu_postpone(port_destroy, port);
    }
}

const char *
portsec_port_drop(const struct xlate_in *xin, struct portsec_port *port,
                  enum portsec_stat stat, const char *reason)
{
    portsec_port_count(xin, port, stat);
    portsec_log_violation(xin, port, reason);
    return reason;
}

/* Logs a violation by the frame that 'xin' translates, rate-limited, if
 * it is a real packet rather than a revalidation. */
void
portsec_log_violation(const struct xlate_in *xin,
                      struct portsec_port *port, const char *reason)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    const struct portsec_policy *policy;
    struct flow_wildcards wc;

    if (!xin->packet) {
        return;
    }
    if (!VLOG_DROP_WARN(&rl)) {
        VLOG_WARN("port %s: frame "ETH_ADDR_FMT" > "ETH_ADDR_FMT": %s",
                  port->name, ETH_ADDR_ARGS(xin->flow.dl_src),
                  ETH_ADDR_ARGS(xin->flow.dl_dst), reason);
    }

    policy = ovsrcu_get(struct portsec_policy *, &port->policy);
    ovs_mutex_lock(&port->violation_mutex);
    port->last_violation.when = time_wall_msec();
    ovs_strlcpy(port->last_violation.reason, reason,
                sizeof port->last_violation.reason);
    port->last_violation.mac = xin->flow.dl_src;
    port->last_violation.vlan = portsec_frame_vlan(&xin->flow, &wc, policy);
    port->n_violations++;
    ovs_mutex_unlock(&port->violation_mutex);
}

uint64_t
portsec_port_last_violation(struct portsec_port *port,
                            struct portsec_violation *v)
{
    uint64_t n;

    ovs_mutex_lock(&port->violation_mutex);
    n = port->n_violations;
    if (n) {
        *v = port->last_violation;
    }
    ovs_mutex_unlock(&port->violation_mutex);
    return n;
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

static int
compare_port_names(const void *a_, const void *b_)
{
    const struct portsec_port *const *a = a_;
    const struct portsec_port *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

struct portsec_port **
portsec_bridge_ports(const struct portsec_bridge *br, size_t *n)
{
    struct portsec_port **ports;
    struct portsec_port *port;

    *n = 0;
    ports = xmalloc(MAX(hmap_count(&br->ports), 1) * sizeof *ports);
    HMAP_FOR_EACH (port, br_node, &br->ports) {
        if (ovsrcu_get_protected(struct portsec_policy *,
                                 &port->policy)->has_settings) {
            ports[(*n)++] = port;
        }
    }
    qsort(ports, *n, sizeof *ports, compare_port_names);
    return ports;
}

/* Publishes the list of 'br''s promiscuous ports, if it changed. */
static void
bridge_update_promiscuous(struct portsec_bridge *br)
{
    struct portsec_bundle_list *old, *list;
    struct portsec_port **ports;
    size_t n_ports, n = 0;

    ports = portsec_bridge_ports(br, &n_ports);
    list = xmalloc(sizeof *list + n_ports * sizeof list->bundles[0]);
    for (size_t i = 0; i < n_ports; i++) {
        if (ovsrcu_get_protected(struct portsec_policy *,
                                 &ports[i]->policy)->promiscuous) {
            list->bundles[n++] = ports[i]->bundle;
        }
    }
    list->n = n;
    free(ports);
    if (!n) {
        free(list);
        list = NULL;
    }

    old = ovsrcu_get_protected(struct portsec_bundle_list *,
                               &br->promiscuous);
    if (old && list && old->n == list->n
        && !memcmp(old->bundles, list->bundles,
                   n * sizeof list->bundles[0])) {
        free(list);
        return;
    }
    ovsrcu_set(&br->promiscuous, list);
    ovsrcu_postpone(free, old);
}

struct portsec_bridge *
portsec_bridge_get(const struct ofproto *ofproto)
{
    return bridge_lookup(ofproto);
}

struct portsec_bridge *
portsec_bridge_ref(struct portsec_bridge *br)
{
    if (br) {
        ovs_refcount_ref(&br->ref_cnt);
    }
    return br;
}

static void
bridge_destroy(struct portsec_bridge *br)
{
    /* Each port forgot its pending requests when it was unregistered. */
    ovs_assert(hmap_is_empty(&br->pending));
    hmap_destroy(&br->pending);
    ovs_mutex_destroy(&br->pending_mutex);
    seq_destroy(br->revalidate_seq);
    portsec_owner_bridge_destroy(br);
    mac_learning_unref(br->ml);
    hmap_destroy(&br->ports);
    cmap_destroy(&br->ports_rcu);
    free(ovsrcu_get_protected(struct portsec_mac_set *, &br->secure_macs));
    free(ovsrcu_get_protected(struct portsec_bundle_list *,
                              &br->promiscuous));
    free(br);
}

void
portsec_bridge_unref(struct portsec_bridge *br)
{
    if (br && ovs_refcount_unref(&br->ref_cnt) == 1) {
        /* A handler may still read 'br' through the reference just
         * released, in its current RCU read section. */
        ovsrcu_postpone(bridge_destroy, br);
    }
}

/* Recounts the ports of 'br' that have dhcp_snooping, and those that have
 * arp_suppression or nd_suppression. */
static void
bridge_update_counts(struct portsec_bridge *br)
{
    unsigned int n_snooping = 0, n_suppressing = 0;
    struct portsec_port *port;

    HMAP_FOR_EACH (port, br_node, &br->ports) {
        const struct portsec_policy *policy
            = ovsrcu_get_protected(struct portsec_policy *, &port->policy);

        n_snooping += portsec_policy_inspects(policy) && policy->dhcp_snooping;
        n_suppressing += (policy->has_settings
                          && (policy->arp_suppression
                              || policy->nd_suppression));
    }
    atomic_store_relaxed(&br->n_snooping, n_snooping);
    atomic_store_relaxed(&br->n_suppressing, n_suppressing);
}

static void
port_unregister(struct portsec_port *port)
{
    struct portsec_bridge *br = port->br;
    size_t n_bindings = portsec_binding_count(port->bindings);

    /* From here on, translation ignores the port, which the current
     * translation configuration still holds: in particular it no longer
     * reads 'br', which is freed below if this was its last port. */
    atomic_store(&port->unregistered, true);
    portsec_snoop_forget(br, port);
    portsec_owner_port_remove(port);
    portsec_dpext_port_destroy(port);
    portsec_storm_destroy(port);
    if (n_bindings) {
        VLOG_INFO("port %s: %"PRIuSIZE" bindings removed with the port's "
                  "port security settings", port->name, n_bindings);
        seq_change(portsec_bindings_seq());
    }

    cmap_remove(&br->ports_rcu, &port->rcu_node, hash_pointer(port->aux, 0));
    hmap_remove(&br->ports, &port->br_node);
    bridge_update_promiscuous(br);
    if (hmap_is_empty(&br->ports)) {
        /* The translation configuration in use may still hold 'br', with
         * no promiscuous ports now, until the next one, which this
         * unregistration triggers, is committed. */
        portsec_dpext_bridge_destroy(br);
        hmap_remove(&portsec_bridges, &br->node);
        portsec_bridge_unref(br);
    } else {
        bridge_update_secure_macs(br);
        bridge_update_counts(br);
    }
    portsec_port_unref(port);
}

/* Removes the bindings of 'port' from 'source' (ARP or ND snooping) if
 * 'snoops' is false (main thread).  The policy change that calls this
 * revalidates the flows. */
static void
port_forget_snooped(struct portsec_port *port,
                    enum portsec_binding_source source, bool snoops)
{
    bool need_revalidate = false;
    size_t n;

    if (snoops) {
        return;
    }
    n = portsec_binding_remove_source(port->bindings, source,
                                      &need_revalidate);
    if (n) {
        VLOG_INFO("port %s: %"PRIuSIZE" %s binding%s removed: the port no "
                  "longer snoops them", port->name, n,
                  portsec_binding_source_to_string(source),
                  n == 1 ? "" : "s");
        seq_change(portsec_bindings_seq());
    }
}

bool
portsec_bundle_set(const struct ofproto *ofproto, struct mac_learning *ml,
                   const struct ofbundle *bundle, struct portsec_port **portp,
                   const void *aux, const char *name,
                   const struct portsec_policy *policy)
{
    struct portsec_port *port = *portp;
    const struct portsec_policy *old;
    struct portsec_bridge *br;
    bool created = false;

    if (!policy) {
        if (port) {
            *portp = NULL;
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
            ovs_refcount_init(&br->ref_cnt);
            /* ofproto-dpif's own ofproto_dpif_cast() is private to it;
             * port security runs only in ofproto-dpif's bundles. */
            br->ofproto_dpif = CONTAINER_OF(CONST_CAST(struct ofproto *,
                                                       ofproto),
                                            struct ofproto_dpif, up);
            br->ofproto = ofproto;
            br->ml = mac_learning_ref(ml);
            hmap_init(&br->ports);
            cmap_init(&br->ports_rcu);
            ovsrcu_init(&br->secure_macs, NULL);
            ovsrcu_init(&br->promiscuous, NULL);
            atomic_init(&br->n_snooping, 0);
            atomic_init(&br->n_suppressing, 0);
            ovs_mutex_init(&br->pending_mutex);
            hmap_init(&br->pending);
            atomic_init(&br->need_revalidate, false);
            br->revalidate_seq = seq_create();
            br->revalidate_seqno = seq_read(br->revalidate_seq);
            br->last_revalidate = LLONG_MIN;
            portsec_owner_bridge_init(br);
            hmap_insert(&portsec_bridges, &br->node, hash_pointer(ofproto, 0));
        }

        port = xzalloc(sizeof *port);
        port->bundle = bundle;
        port->aux = aux;
        port->br = br;
        port->name = xstrdup(name);
        ovsrcu_init(&port->policy, NULL);
        ovs_refcount_init(&port->ref_cnt);
        atomic_init(&port->unregistered, false);
        port->admission = portsec_admission_create(
            MAC_ENTRY_DEFAULT_IDLE_TIME * 1000LL);
        atomic_init(&port->err_disabled, PORTSEC_CAUSE_NONE);
        for (int i = 0; i < PORTSEC_N_STATS; i++) {
            atomic_init(&port->counters[i], 0);
        }
        port->bindings = portsec_binding_table_create();
        portsec_owner_port_init(port);
        ovsrcu_init(&port->odp_ports, NULL);
        ovs_list_init(&port->pending);
        ovs_mutex_init(&port->dhcp_mutex);
        token_bucket_init(&port->dhcp_bucket, 0, 0);
        ovs_mutex_init(&port->violation_mutex);
        ovs_mutex_lock(&port->violation_mutex);
        port->n_violations = 0;
        ovs_mutex_unlock(&port->violation_mutex);
        port->n_violations_shown = 0;
        portsec_storm_init(port);
        hmap_insert(&br->ports, &port->br_node, hash_pointer(aux, 0));
        created = true;
    }

    /* Before the comparison: an interface may have a new datapath port
     * under the same policy. */
    portsec_suppress_port_configure(port, ofproto, policy);

    old = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    if (portsec_policy_equal(old, policy)) {
        return false;
    }
    if (policy->error
        && (!old || !nullable_string_is_equal(old->error, policy->error))) {
        VLOG_WARN("port %s: %s", name, policy->error);
    }
    portsec_storm_configure(port, policy);
    ovsrcu_set(&port->policy, portsec_policy_clone(policy));
    if (created) {
        /* Handlers find the port only once it has a policy: in the
         * xbundle, after the caller revalidates, as this returns true. */
        cmap_insert(&port->br->ports_rcu, &port->rcu_node,
                    hash_pointer(aux, 0));
        *portp = port;
    }
    if (old) {
        ovsrcu_postpone(portsec_policy_destroy,
                        CONST_CAST(struct portsec_policy *, old));
    }
    bridge_update_secure_macs(port->br);
    bridge_update_promiscuous(port->br);
    bridge_update_counts(port->br);
    portsec_owner_port_sync(port);

    /* dhcp_rate_limit: a burst of up to one second's worth. */
    ovs_mutex_lock(&port->dhcp_mutex);
    if (port->dhcp_rate != policy->dhcp_rate_limit) {
        port->dhcp_rate = policy->dhcp_rate_limit;
        token_bucket_init(&port->dhcp_bucket, port->dhcp_rate,
                          port->dhcp_rate * 1000);
    }
    ovs_mutex_unlock(&port->dhcp_mutex);

    /* A port that no longer snoops ARP or ND loses the bindings that they
     * made on first use: nothing would refresh them, and keeping them would
     * leave addresses open that no source vouches for any more. */
    port_forget_snooped(port, PORTSEC_BINDING_ARP,
                        policy->arp_snooping
                        && portsec_policy_inspects(policy));
    port_forget_snooped(port, PORTSEC_BINDING_ND,
                        policy->nd_snooping
                        && portsec_policy_inspects(policy));

    /* A port that no longer inspects keeps its bindings, which are then
     * unused; one whose static bindings changed got new ones.  Either way,
     * the revalidation that this change causes covers them. */
    if (portsec_binding_count(port->bindings)
        || policy->n_static_bindings
        || (old && old->n_static_bindings)) {
        seq_change(portsec_bindings_seq());
    }

    /* A port left with no settings (only attached MACs) is not
     * err-disabled: nothing would report or clear that state. */
    if (!policy->has_settings && portsec_port_is_err_disabled(port)) {
        portsec_port_recover(port);
    }

    /* A port created with persist_err_disabled (ovs-vswitchd starting, or
     * the port re-created) takes back the err-disabled state that the
     * database kept for it. */
    if (!old && policy->has_settings && policy->persist_err_disabled) {
        port_restore_err_disabled(port, policy);
    }

    /* Have bridge.c rewrite security_status. */
    seq_change(connectivity_seq_get());
    return true;
}

void
portsec_bundle_remove(struct portsec_port **portp)
{
    struct portsec_port *port = *portp;

    if (port) {
        *portp = NULL;
        port_unregister(port);
    }
}

/* Err-disable. */

const char *
portsec_err_disable_reason(enum portsec_err_disable_cause cause)
{
    switch (cause) {
    case PORTSEC_CAUSE_NONE:
        return "none";
    case PORTSEC_CAUSE_MAC_LEARN_LIMIT:
        return "mac_learn_limit exceeded";
    case PORTSEC_CAUSE_BPDU_GUARD:
        return "BPDU received (bpdu_guard)";
    case PORTSEC_CAUSE_STORM_CONTROL:
        return "storm control rate exceeded";
    }
    OVS_NOT_REACHED();
}

const char *
portsec_err_disable_cause_to_string(enum portsec_err_disable_cause cause)
{
    switch (cause) {
    case PORTSEC_CAUSE_NONE:
        return "none";
    case PORTSEC_CAUSE_MAC_LEARN_LIMIT:
        return "mac_learn_limit";
    case PORTSEC_CAUSE_BPDU_GUARD:
        return "bpdu_guard";
    case PORTSEC_CAUSE_STORM_CONTROL:
        return "storm_control";
    }
    OVS_NOT_REACHED();
}

/* Err-disables 'port', just created with 'policy', if the database kept it
 * err-disabled (policy->restored_cause), as of when it kept, so that
 * recovery_interval runs from the original event.  An unknown cause is
 * restored as mac_learn_limit, the more common one: the port stays
 * err-disabled whatever it was (fail closed).  Main thread. */
static void
port_restore_err_disabled(struct portsec_port *port,
                          const struct portsec_policy *policy)
{
    enum portsec_err_disable_cause cause = PORTSEC_CAUSE_MAC_LEARN_LIMIT;
    long long int age;

    if (!policy->restored_cause) {
        return;
    }
    if (!strcmp(policy->restored_cause, "bpdu_guard")) {
        cause = PORTSEC_CAUSE_BPDU_GUARD;
    } else if (!strcmp(policy->restored_cause, "storm_control")) {
        cause = PORTSEC_CAUSE_STORM_CONTROL;
    }
    age = MAX(0, time_wall_msec() - policy->restored_since);
    atomic_store(&port->err_disabled, cause);
    port->err_disabled_seen = true;
    port->err_disabled_at = time_msec() - age;
    port->err_disabled_wall = policy->restored_since;
    VLOG_WARN("port %s: err-disabled (%s), as it was %lld s ago, kept by "
              "persist_err_disabled", port->name,
              portsec_err_disable_reason(cause), age / 1000);
}

/* Marks 'port' err-disabled for 'cause' (any thread).  The main thread then
 * forgets its MACs and revalidates, in portsec_run(). */
void
portsec_port_err_disable(struct portsec_port *port,
                         enum portsec_err_disable_cause cause)
{
    int expected = PORTSEC_CAUSE_NONE;

    if (atomic_compare_exchange_strong(&port->err_disabled, &expected,
                                       cause)) {
        portsec_port_count_n(port, PORTSEC_STAT_ERR_DISABLED_COUNT, 1);
        seq_change(connectivity_seq_get());
    }
}

/* Brings 'port' out of err-disabled (main thread). */
void
portsec_port_recover(struct portsec_port *port)
{
    portsec_storm_rebase(port);
    atomic_store(&port->err_disabled, PORTSEC_CAUSE_NONE);
    seq_change(connectivity_seq_get());
}

bool
portsec_ofport_run(struct ofport *ofport, struct portsec_port *port,
                   bool enable)
{
    bool blocked = port && portsec_port_is_err_disabled(port);
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
void
portsec_bridge_need_revalidate(struct portsec_bridge *br)
{
    atomic_store_relaxed(&br->need_revalidate, true);
    seq_change(br->revalidate_seq);
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
        seq_change(portsec_bindings_seq());
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
        bool err_disabled = portsec_port_is_err_disabled(port);

        /* 'err_disabled_at' is valid only once the main thread has seen
         * the event, below. */
        if (err_disabled && port->err_disabled_seen
            && policy->recovery_interval
            && time_msec() >= (port->err_disabled_at
                               + policy->recovery_interval * 1000LL)) {
            VLOG_INFO("port %s: recovery_interval of %u s passed, "
                      "recovering", port->name, policy->recovery_interval);
            portsec_port_recover(port);
            err_disabled = false;
        }
        if (err_disabled != port->err_disabled_seen) {
            /* Has bridge.c write the state, now with its time, into the
             * database (persist_err_disabled). */
            seq_change(connectivity_seq_get());
            port->err_disabled_seen = err_disabled;
            if (err_disabled) {
                port->err_disabled_at = time_msec();
                port->err_disabled_wall = time_wall_msec();
                VLOG_WARN("port %s: err-disabled (%s)", port->name,
                          portsec_err_disable_reason(
                              portsec_port_err_disable_cause(port)));
            } else {
                VLOG_INFO("port %s: recovered from err-disabled",
                          port->name);
            }
            need_revalidate = true;
        }
        portsec_storm_run(port, policy);
        need_revalidate |= portsec_admit_run(port, policy, ml);
        need_revalidate |= port_expire_bindings(port);
    }
    if (time_msec() >= br->next_pending_expiry) {
        portsec_snoop_forget(br, NULL);
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
        if (port->err_disabled_seen != portsec_port_is_err_disabled(port)) {
            poll_immediate_wake();
        } else if (port->err_disabled_seen && policy->recovery_interval) {
            poll_timer_wait_until(port->err_disabled_at
                                  + policy->recovery_interval * 1000LL);
        }
        poll_timer_wait_until(
            portsec_admission_next_expiry(port->admission));
        portsec_storm_wait(port, policy);
    }
}

/* Translation. */

uint16_t
portsec_frame_vlan(const struct flow *flow, struct flow_wildcards *wc,
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

const char *
portsec_xlate_ingress(const struct xlate_in *xin, struct portsec_port *port,
                      const struct flow *flow, struct flow_wildcards *wc,
                      struct xlate_out *xout)
{
    const struct portsec_policy *policy;
    const struct portsec_mac_set *secure;
    enum portsec_admit admission;
    const char *reason;

    port = portsec_port_with_settings(port, &policy);
    if (!port) {
        return NULL;
    }

    if (portsec_port_is_err_disabled(port)) {
        COVERAGE_INC(portsec_err_disabled_drop);
        portsec_port_count(xin, port, PORTSEC_STAT_ERR_DISABLED_DROPS);
        return "input port is err-disabled";
    }
    if (flow->packet_type != htonl(PT_ETH)) {
        return NULL;
    }

    if (policy->bpdu_guard || policy->bpdu_filter) {
        reason = portsec_bpdu_check(xin, port, policy, flow, wc, true);
        if (reason) {
            return reason;
        }
    }
    if (policy->block_non_ip || policy->block_dhcp_client) {
        reason = portsec_protocol_block_check(xin, port, policy, flow,
                                                  wc);
        if (reason) {
            return reason;
        }
    }

    if (policy->reject_forged_transmits) {
        WC_MASK_FIELD(wc, dl_src);
        if (!portsec_policy_is_secure_mac(policy, flow->dl_src)) {
            reason = "forged transmit: source MAC is not a secure MAC of the "
                     "input port";
            COVERAGE_INC(portsec_forged_transmit_drop);
            return portsec_port_drop(xin, port,
                                     PORTSEC_STAT_FORGED_TRANSMIT_DROPS,
                                     reason);
        }
    }

    secure = ovsrcu_get(struct portsec_mac_set *, &port->br->secure_macs);
    if (secure && secure->n) {
        WC_MASK_FIELD(wc, dl_src);
        if (portsec_macs_contain(secure->macs, secure->n, flow->dl_src)
            && !portsec_policy_is_secure_mac(policy, flow->dl_src)) {
            reason = "source MAC is a secure MAC of another port";
            COVERAGE_INC(portsec_secure_mac_move_drop);
            return portsec_port_drop(xin, port,
                                     PORTSEC_STAT_SECURE_MAC_MOVE_DROPS,
                                     reason);
        }
    }

    /* Admission comes before every check that records state. */
    reason = portsec_admit_xlate(xin, port, policy, flow, wc, xout,
                                 &admission);
    if (reason) {
        return reason;
    }

    if (policy->trusted) {
        reason = portsec_snoop_trusted(xin, port, flow, wc, &xout->slow);
    } else if (portsec_policy_inspects(policy)) {
        reason = portsec_snoop_untrusted(xin, port, policy, flow, wc, xout,
                                         admission == PORTSEC_ADMITTED);
    }

    /* Storm control after the checks: the meter polices what the port
     * may send, before anything forwards or answers it. */
    if (!reason && portsec_policy_storm_control(policy)) {
        portsec_storm_xlate_ingress(xin, port, policy, flow, wc);
    }

    /* Suppression answers only requests that passed every check. */
    if (!reason && (policy->arp_suppression || policy->nd_suppression)) {
        reason = portsec_suppress_xlate(xin, port, policy, flow, wc,
                                        &xout->slow);
    }
    return reason;
}

bool
portsec_may_flood(struct portsec_port *port, const struct flow *flow)
{
    const struct portsec_policy *policy;

    return (!portsec_port_with_settings(port, &policy)
            || policy->unknown_unicast_flooding
            || eth_addr_is_multicast(flow->dl_dst));
}

void
portsec_xlate_promiscuous(struct xlate_ctx *ctx,
                          const struct portsec_bridge *br,
                          struct xbundle *in_xbundle,
                          const struct ofbundle *out_bundle,
                          struct xvlan *xvlan)
{
    const struct portsec_bundle_list *list;

    if (!br) {
        return;
    }
    list = ovsrcu_get(struct portsec_bundle_list *, &br->promiscuous);
    for (size_t i = 0; list && i < list->n; i++) {
        if (list->bundles[i] != out_bundle) {
            xlate_normal_copy(ctx, in_xbundle, list->bundles[i], xvlan);
        }
    }
}

const char *
portsec_xlate_output(const struct xlate_in *xin, struct portsec_port *port,
                     const struct flow *flow, struct flow_wildcards *wc)
{
    const struct portsec_policy *policy;

    port = portsec_port_with_settings(port, &policy);
    if (!port) {
        return NULL;
    }
    if (portsec_port_is_err_disabled(port)) {
        portsec_port_count(xin, port, PORTSEC_STAT_ERR_DISABLED_DROPS);
        return "output port is err-disabled";
    }
    if (policy->bpdu_filter && flow->packet_type == htonl(PT_ETH)) {
        const char *reason = portsec_bpdu_check(xin, port, policy, flow,
                                                wc, false);

        if (reason) {
            return reason;
        }
    }
    if (policy->reject_mac_changes && flow->packet_type == htonl(PT_ETH)) {
        WC_MASK_FIELD(wc, dl_dst);
        if (!eth_addr_is_multicast(flow->dl_dst)
            && !portsec_policy_is_secure_mac(policy, flow->dl_dst)) {
            const char *reason = "MAC changes rejected: destination MAC is "
                                 "not a secure MAC of the output port";

            COVERAGE_INC(portsec_mac_change_drop);
            return portsec_port_drop(xin, port,
                                     PORTSEC_STAT_MAC_CHANGE_DROPS, reason);
        }
    }
    if (OVS_UNLIKELY(xin->frozen_state || xin->in_packet_out)
        && policy->dhcp_snooping && portsec_policy_inspects(policy)) {
        /* Perhaps a DHCP answer that the controller injected. */
        return portsec_snoop_injected(xin, port, policy, flow, wc);
    }
    return NULL;
}

/* Ports by bundle key. */

/* Returns the port of 'ofproto' with bundle key 'aux' and its policy
 * in '*policyp', if it has port security settings, otherwise NULL. */
struct portsec_port *
portsec_port_from_aux(const struct ofproto *ofproto, const void *aux,
                      const struct portsec_policy **policyp)
{
    struct portsec_bridge *br = bridge_lookup(ofproto);
    struct portsec_port *port = br ? bridge_port_from_aux(br, aux) : NULL;

    if (port) {
        *policyp = ovsrcu_get_protected(struct portsec_policy *,
                                        &port->policy);
        if ((*policyp)->has_settings) {
            return port;
        }
    }
    return NULL;
}

/* Bindings. */

uint64_t
portsec_bindings_seqno(void)
{
    return seq_read(portsec_bindings_seq());
}

void
portsec_bindings_wait(uint64_t seqno)
{
    seq_wait(portsec_bindings_seq(), seqno);
}
