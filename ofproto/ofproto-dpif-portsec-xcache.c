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

#include "ofproto/ofproto-dpif-xlate-cache.h"
#include "ofproto/ofproto-dpif-xlate.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "packets.h"
#include "portsec-admission.h"
#include "timeval.h"

/* Counting: XC_PORTSEC entries, and what the handlers and
 * revalidate_ukey() do with them (ofproto-dpif-portsec.h says why, under
 * "Drop counters count packets"). */

/* The XC_PORTSEC entries of the translation of a miss upcall, which has no
 * xlate cache, for the flow's udpif_key (portsec_upcall_xlate_begin()). */
struct portsec_upcall_xlate {
    const struct xlate_in *xin; /* The upcall's translation, or NULL. */
    struct xlate_cache *xcache; /* Its XC_PORTSEC entries, or NULL. */
};

DEFINE_STATIC_PER_THREAD_DATA(struct portsec_upcall_xlate, upcall_xlate,
                              { NULL, NULL });

/* Returns true if 'xcache' starts with the XC_PORTSEC entries of a
 * translation that a revalidation replaces, whose next push they count
 * (portsec_xcache_clear()). */
static bool
xcache_has_stale(const struct xlate_cache *xcache)
{
    const struct xc_entry *first = xcache->entries.data;

    return (xcache->entries.size >= sizeof *first
            && first->type == XC_PORTSEC
            && first->portsec.state == PORTSEC_XC_STALE);
}

static struct xc_entry *
xcache_add(struct xlate_cache *xcache, struct portsec_port *port,
           int counter, struct eth_addr mac, uint16_t vlan,
           enum portsec_xc_state state)
{
    struct xc_entry *entry = xlate_cache_add_entry(xcache, XC_PORTSEC);

    entry->portsec.port = portsec_port_ref(port);
    entry->portsec.counter = counter;
    entry->portsec.mac = mac;
    entry->portsec.vlan = vlan;
    entry->portsec.state = state;
    return entry;
}

void
portsec_port_cache(const struct xlate_in *xin, struct portsec_port *port,
                   int counter, struct eth_addr mac, uint16_t vlan)
{
    if (xin->xcache) {
        xcache_add(xin->xcache, port, counter, mac, vlan,
                   (xcache_has_stale(xin->xcache)
                    ? PORTSEC_XC_FRESH : PORTSEC_XC_CURRENT));
    } else {
        struct portsec_upcall_xlate *ux = upcall_xlate_get();

        if (ux->xin == xin) {
            if (!ux->xcache) {
                ux->xcache = xlate_cache_new();
            }
            xcache_add(ux->xcache, port, counter, mac, vlan,
                       PORTSEC_XC_CURRENT);
        }
    }
}

void
portsec_upcall_xlate_begin(const struct xlate_in *xin)
{
    struct portsec_upcall_xlate *ux = upcall_xlate_get();

    xlate_cache_delete(ux->xcache);
    ux->xcache = NULL;
    ux->xin = xin;
}

struct xlate_cache *
portsec_upcall_xlate_end(void)
{
    struct portsec_upcall_xlate *ux = upcall_xlate_get();
    struct xlate_cache *xcache = ux->xcache;

    ux->xcache = NULL;
    ux->xin = NULL;
    return xcache;
}

/* Appends to 'xcache', which revalidate_ukey() just emptied to translate
 * its flow again, a copy of each XC_PORTSEC entry of 'old' that still
 * counts, as PORTSEC_XC_STALE, if 'push' has packets: they are the
 * packets of the translation that 'old' caches.  A first stale entry that
 * refers to no port marks 'xcache' even if 'old' has none, so that the
 * new translation's entries do not count them either. */
static void
xcache_carry(struct xlate_cache *xcache, const struct xc_entry *old,
             size_t n_old, const struct dpif_flow_stats *push)
{
    if (push->n_packets) {
        xcache_add(xcache, NULL, 0, eth_addr_zero, 0, PORTSEC_XC_STALE);
        for (size_t i = 0; i < n_old; i++) {
            const struct xc_entry *e = &old[i];

            if (e->type == XC_PORTSEC && e->portsec.port
                && (e->portsec.state == PORTSEC_XC_CURRENT
                    || e->portsec.state == PORTSEC_XC_FRESH)) {
                xcache_add(xcache, e->portsec.port, e->portsec.counter,
                           e->portsec.mac, e->portsec.vlan,
                           PORTSEC_XC_STALE);
            }
        }
    }
}

void
portsec_xcache_carry(struct xlate_cache *xcache,
                     struct xlate_cache **upcall_xcache,
                     const struct dpif_flow_stats *push)
{
    if (*upcall_xcache) {
        xcache_carry(xcache, (*upcall_xcache)->entries.data,
                     (*upcall_xcache)->entries.size / sizeof(struct xc_entry),
                     push);
        xlate_cache_delete(*upcall_xcache);
        *upcall_xcache = NULL;
    } else {
        xcache_carry(xcache, NULL, 0, push);
    }
}

void
portsec_upcall_xcache_release(const struct xlate_cache *xcache,
                              struct xlate_cache **upcall_xcache)
{
    if (xcache) {
        xlate_cache_delete(*upcall_xcache);
        *upcall_xcache = NULL;
    }
}

void
portsec_xcache_clear(struct xlate_cache *xcache,
                     struct xlate_cache **upcall_xcache,
                     const struct dpif_flow_stats *push)
{
    struct xlate_cache old;

    /* The entries of 'xcache' are its flow's translation, which the upcall's
     * entries were as well (the flow has been pushed to since). */
    xlate_cache_delete(*upcall_xcache);
    *upcall_xcache = NULL;

    /* xlate_cache_clear(), with the stale copies, which take references of
     * their own, made before 'old' releases the entries that it took. */
    xlate_cache_init(&old);
    xlate_cache_steal_entries(&old, xcache);
    xcache_carry(xcache, old.entries.data,
                 old.entries.size / sizeof(struct xc_entry), push);
    xlate_cache_uninit(&old);
}

void
portsec_port_count(const struct xlate_in *xin, struct portsec_port *port,
                   enum portsec_stat stat)
{
    if (xin->resubmit_stats) {
        portsec_port_count_n(port, stat, xin->resubmit_stats->n_packets);
    }
    portsec_port_cache(xin, port, stat, eth_addr_zero, 0);
}

void
portsec_xcache_push(struct xc_entry *entry,
                    const struct dpif_flow_stats *stats)
{
    struct portsec_port *port = entry->portsec.port;
    int counter = entry->portsec.counter;
    struct eth_addr mac = entry->portsec.mac;
    uint16_t vlan = entry->portsec.vlan;
    bool unregistered;

    if (!stats->n_packets) {
        return;
    }
    switch ((enum portsec_xc_state) entry->portsec.state) {
    case PORTSEC_XC_CURRENT:
        break;
    case PORTSEC_XC_FRESH:
        /* The stale entries ahead count these packets. */
        entry->portsec.state = PORTSEC_XC_CURRENT;
        return;
    case PORTSEC_XC_STALE:
        entry->portsec.state = PORTSEC_XC_SPENT;
        break;
    case PORTSEC_XC_SPENT:
    default:
        return;
    }

    if (!port) {
        /* The mark that xcache_carry() puts first counts nothing. */
        return;
    }
    /* An unregistered port's bridge may be gone, and its counters are no
     * longer shown. */
    atomic_read_relaxed(&port->unregistered, &unregistered);
    if (unregistered) {
        return;
    }
    if (counter == PORTSEC_XC_REFRESH) {
        portsec_admission_refresh(port->admission, mac, vlan,
                                  time_msec());
        return;
    } else if (counter == PORTSEC_XC_REFRESH_BINDINGS) {
        portsec_snoop_refresh(port, mac, vlan);
        return;
    }
    portsec_port_count_n(port, counter, stats->n_packets);

    /* A megaflow that drops a source MAC over the limit may have been
     * installed under another policy, or revalidated without side effects
     * after a change to "shutdown": its packets are new MACs over the
     * limit all the same. */
    if (counter == PORTSEC_STAT_LEARN_LIMIT_DROPS) {
        const struct portsec_policy *policy
            = ovsrcu_get(struct portsec_policy *, &port->policy);

        if (policy->limit_action == PORTSEC_LIMIT_SHUTDOWN) {
            portsec_port_err_disable(port, PORTSEC_CAUSE_MAC_LEARN_LIMIT);
        }
    } else if (counter == PORTSEC_STAT_BPDU_GUARD_DROPS) {
        /* Likewise, a BPDU that a cached megaflow dropped. */
        portsec_port_err_disable(port, PORTSEC_CAUSE_BPDU_GUARD);
    }
}
