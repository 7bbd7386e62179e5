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
#include "flow.h"
#include "mac-learning.h"
#include "ofproto/ofproto-dpif-xlate.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-admission.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec_admit);

COVERAGE_DEFINE(portsec_learn_limit_drop);
COVERAGE_DEFINE(portsec_learn_limit_forwarded);

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
int
portsec_admission_limit(const struct portsec_policy *policy)
{
    return (policy->mac_learn_limit >= 0 ? policy->mac_learn_limit
            : policy->mac_aging_time ? PORTSEC_MAX_MAC_LEARN_LIMIT
            : -1);
}

/* Makes NORMAL forget the 'n' MACs in 'removed' that it learned on
 * 'bundle' (but not static entries that fdb/add put there), since they are
 * no longer admitted there, and frees 'removed'.  Returns true if there
 * were any (the flows that forwarded them must be revalidated). */
static bool
ml_forget(struct mac_learning *ml, const struct ofbundle *bundle,
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

/* Makes NORMAL forget every MAC that it learned on 'bundle', except static
 * entries.  Walks 'ml->lrus', the list of entries that mac-learning.h
 * exports and that ofproto-dpif.c's bundle_flush_macs() walks the same
 * way.  Returns true if any was forgotten. */
static bool
ml_flush_bundle(struct mac_learning *ml, const struct ofbundle *bundle)
    OVS_REQ_WRLOCK(ml->rwlock)
{
    struct mac_entry *e;
    bool flushed = false;

    LIST_FOR_EACH_SAFE (e, lru_node, &ml->lrus) {
        if (mac_entry_get_port(ml, e) == bundle
            && mac_entry_age(ml, e) != MAC_ENTRY_AGE_STATIC_ENTRY) {
            mac_learning_expire(ml, e);
            flushed = true;
        }
    }
    return flushed;
}

/* Forgets the MACs that 'port' no longer admits: all of them while it is
 * err-disabled, the least recently used beyond a lowered mac_learn_limit,
 * and those not seen for the aging time, in the admission table and in
 * NORMAL's.  When the port gets a limit, NORMAL forgets what it learned
 * there before, none of which was admitted (Cisco likewise removes the
 * dynamic addresses of an interface on which port security is enabled).
 * Returns true if any was forgotten, so that the flows cached for them are
 * revalidated: a dropped MAC may now be admitted, and an admitted one must
 * be admitted anew. */
bool
portsec_admit_run(struct portsec_port *port,
                  const struct portsec_policy *policy,
                  struct mac_learning *ml)
    OVS_REQ_WRLOCK(ml->rwlock)
{
    int limit = portsec_admission_limit(policy);
    struct portsec_admitted *removed;
    bool changed = false;
    size_t n;

    if (port->err_disabled_seen || !policy->has_settings || limit < 0) {
        port->kept_table = false;

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

    if (!port->kept_table) {
        port->kept_table = true;
        changed |= ml_flush_bundle(ml, port->bundle);
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

/* Caches in 'xin''s xlate cache, if any, that the megaflow being built
 * carries frames from 'mac' in 'vlan', so that its packets keep the MAC's
 * admission fresh, as NORMAL's XC_NORMAL entries keep its MAC learning
 * table fresh. */
static void
port_cache_admitted(const struct xlate_in *xin, struct portsec_port *port,
                    struct eth_addr mac, uint16_t vlan)
{
    portsec_port_cache(xin, port, PORTSEC_XC_REFRESH, mac, vlan);
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
const char *
portsec_admit_xlate(const struct xlate_in *xin, struct portsec_port *port,
                    const struct portsec_policy *policy,
                    const struct flow *flow, struct flow_wildcards *wc,
                    struct xlate_out *xout, enum portsec_admit *admission)
{
    int limit = portsec_admission_limit(policy);

    *admission = PORTSEC_ADMITTED;
    if (limit < 0) {
        return NULL;
    }
    WC_MASK_FIELD(wc, dl_src);
    if (portsec_policy_is_secure_mac(policy, flow->dl_src)) {
        return NULL;
    }

    uint16_t vlan = portsec_frame_vlan(flow, wc, policy);
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
            *admission = PORTSEC_NOT_ADMITTED;
            return NULL;
        }
    } else {
        enum portsec_admit_result result;

        result = portsec_admission_admit(port->admission, flow->dl_src, vlan,
                                         limit, time_msec());
        if (result != PORTSEC_ADMIT_FULL) {
            if (result == PORTSEC_ADMIT_NEW
                && policy->limit_action == PORTSEC_LIMIT_DROP
                && portsec_admission_count(port->admission) >= limit) {
                portsec_dpext_limit_reached();
            }
            port_cache_admitted(xin, port, flow->dl_src, vlan);
            return NULL;
        }
    }

    /* The port is at its limit and the MAC is new to it. */
    const char *reason;
    switch (policy->limit_action) {
    case PORTSEC_LIMIT_ALLOW:
        COVERAGE_INC(portsec_learn_limit_forwarded);
        portsec_port_count(xin, port, PORTSEC_STAT_LEARN_LIMIT_FORWARDED);
        portsec_log_violation(xin, port, "mac_learn_limit reached, forwarded "
                              "without admitting the source MAC");
        *admission = PORTSEC_NOT_ADMITTED;
        return NULL;

    case PORTSEC_LIMIT_SHUTDOWN:
        if (xin->allow_side_effects) {
            portsec_port_err_disable(port, PORTSEC_CAUSE_MAC_LEARN_LIMIT);
        }
        /* Fall through. */
    case PORTSEC_LIMIT_DROP:
        reason = "source MAC not admitted: the port is at its "
                 "mac_learn_limit";
        COVERAGE_INC(portsec_learn_limit_drop);
        return portsec_port_drop(xin, port, PORTSEC_STAT_LEARN_LIMIT_DROPS,
                                 reason);
    }
    OVS_NOT_REACHED();
}

bool
portsec_may_learn(struct portsec_port *port, struct eth_addr src, int vlan)
{
    const struct portsec_policy *policy;

    port = portsec_port_with_settings(port, &policy);

    return (!port
            || (!portsec_port_is_err_disabled(port)
                && (portsec_admission_limit(policy) < 0
                    || portsec_policy_is_secure_mac(policy, src)
                    || portsec_admission_contains(port->admission, src,
                                                  vlan))));
}

size_t
portsec_port_clear_macs(struct portsec_port *port, const struct eth_addr *mac)
{
    struct mac_learning *ml = port->br->ml;
    struct portsec_admitted *removed;
    size_t n;

    ovs_rwlock_wrlock(&ml->rwlock);
    n = (mac
         ? portsec_admission_remove_mac(port->admission, *mac, &removed)
         : portsec_admission_flush(port->admission, &removed));
    if (ml_forget(ml, port->bundle, removed, n)) {
        portsec_bridge_need_revalidate(port->br);
    }
    ovs_rwlock_unlock(&ml->rwlock);
    return n;
}
