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

/* datapath-ext: writing to the kernel's maps what they should hold, and
 * failing open.
 *
 * Failing open
 * ------------
 *
 * A map update can fail: a map is full (the bounds are in portsec-dpext.h),
 * or the kernel is short of memory.  What is cached here is what the maps
 * hold, never what they should hold: an entry that could not be written is
 * not cached, and one that could not be deleted stays cached, so that the
 * next sync tries again.  While a port's MACs or bindings in the maps lack
 * what translation enforces, the kernel must not drop on what it lacks:
 * the port's interfaces lose the flags of the checks that read them (see
 * dpext_degraded_mask()), translation decides those frames, and the port's
 * status says "degraded" and why.  The same for a bridge whose
 * 'portsec_secure' entries are not what they should be.  Failed syncs are
 * tried again at each attachment check (every DPEXT_CHECK_MS) and at any
 * change; the first complete one restores the flags.  An interface entry
 * that cannot be written is deleted, which passes every frame, and if
 * that fails too the filter is detached.  (The interface entries and the
 * attachment checks are ofproto-dpif-portsec-dpext.c's.)
 *
 * Everything here runs in the main thread. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "connectivity.h"
#include "coverage.h"
#include "ofproto-dpif-portsec-dpext-private.h"
#include "ofproto-dpif-portsec-private.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "seq.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec_dpext_sync);

COVERAGE_DEFINE(portsec_dpext_update_failed);

int
dpext_compare_macs(const void *a_, const void *b_)
{
    const struct dpext_mac *a = a_;
    const struct dpext_mac *b = b_;

    return eth_addr_compare_3way(a->mac, b->mac);
}

int
dpext_compare_bindings(const void *a_, const void *b_)
{
    const struct dpext_binding *a = a_;
    const struct dpext_binding *b = b_;

    return (a->vlan != b->vlan ? (a->vlan < b->vlan ? -1 : 1)
            : !eth_addr_equals(a->mac, b->mac)
            ? eth_addr_compare_3way(a->mac, b->mac)
            : memcmp(&a->ip, &b->ip, sizeof a->ip)
            ? memcmp(&a->ip, &b->ip, sizeof a->ip)
            : (a->plen > b->plen) - (a->plen < b->plen));
}

static bool
mac_same_value(const void *a_, const void *b_)
{
    const struct dpext_mac *a = a_;
    const struct dpext_mac *b = b_;

    return a->flags == b->flags;
}

static int
mac_update(uint32_t port_id, const void *m_, bool delete)
{
    const struct dpext_mac *m = m_;

    return (delete ? dpext_mac_delete(port_id, m->mac)
            : dpext_mac_set(port_id, m->mac, m->flags));
}

const struct dpext_map_class dpext_macs_class = {
    "portsec_macs", sizeof(struct dpext_mac), dpext_compare_macs,
    mac_same_value, mac_update,
};

static bool
binding_same_value(const void *a OVS_UNUSED, const void *b OVS_UNUSED)
{
    return true;                    /* The value is always 1. */
}

static int
binding_update(uint32_t port_id, const void *b_, bool delete)
{
    const struct dpext_binding *b = b_;

    return (delete
            ? dpext_binding_delete(port_id, b->vlan, b->mac, &b->ip, b->plen)
            : dpext_binding_set(port_id, b->vlan, b->mac, &b->ip, b->plen));
}

const struct dpext_map_class dpext_bindings_class = {
    "portsec_binds", sizeof(struct dpext_binding), dpext_compare_bindings,
    binding_same_value, binding_update,
};

/* 'portsec_secure': the owner's port id is in 'flags'. */
static int
owner_update(uint32_t bridge_id, const void *m_, bool delete)
{
    const struct dpext_mac *m = m_;

    return (delete ? dpext_secure_delete(bridge_id, m->mac)
            : dpext_secure_set(bridge_id, m->mac, m->flags));
}

const struct dpext_map_class dpext_owners_class = {
    "portsec_secure", sizeof(struct dpext_mac), dpext_compare_macs,
    mac_same_value, owner_update,
};

void
dpext_count_failure(uint64_t *n_failed)
{
    COVERAGE_INC(portsec_dpext_update_failed);
    if (n_failed) {
        (*n_failed)++;
    }
}

/* Writes 'entry' of 'id' to the map of 'class', or deletes it.  Returns
 * true if successful, otherwise counts the failure in '*lag' and in
 * '*n_failed', if nonnull, and returns false. */
static bool
try_update(const struct dpext_map_class *class, uint32_t id,
           const void *entry, bool delete, struct dpext_lag *lag,
           uint64_t *n_failed)
{
    int error = class->update(id, entry, delete);

    if (!error) {
        return true;
    }
    dpext_count_failure(n_failed);
    lag->error = error;
    if (delete) {
        lag->n_undeleted++;
    } else {
        lag->n_unwritten++;
    }
    return false;
}

void
dpext_sync_entries(const struct dpext_map_class *class, uint32_t id,
                   void **cur, size_t *n_cur, const void *new, size_t n_new,
                   bool add, struct dpext_lag *lag, uint64_t *n_failed)
{
    const size_t size = class->size;
    const char *old = *cur;
    char *out = xmalloc(MAX(*n_cur + n_new, 1) * size);
    size_t i = 0, j = 0, n = 0;

    if (add) {
        memset(lag, 0, sizeof *lag);
    }
    while (i < *n_cur || j < n_new) {
        /* Either array may be NULL when it is empty, and even adding 0 to
         * a null pointer is undefined. */
        const void *o = i < *n_cur ? old + i * size : NULL;
        const void *e = j < n_new ? (const char *) new + j * size : NULL;
        int cmp = (i >= *n_cur ? 1 : j >= n_new ? -1 : class->compare(o, e));
        const void *held;           /* What the map holds now, or NULL. */

        if (cmp < 0) {
            /* Only in the map: delete it in the delete step. */
            held = (!add && try_update(class, id, o, true, lag, n_failed)
                    ? NULL : o);
            i++;
        } else if (cmp > 0) {
            /* Not in the map yet: write it in the add step. */
            held = (add && try_update(class, id, e, false, lag, n_failed)
                    ? e : NULL);
            j++;
        } else {
            /* In both: write it in the add step if its value changed. */
            held = (add && !class->same_value(o, e)
                    && try_update(class, id, e, false, lag, n_failed)
                    ? e : o);
            i++;
            j++;
        }
        if (held) {
            memcpy(out + n++ * size, held, size);
        }
    }
    free(*cur);
    *cur = out;
    *n_cur = n;
}

bool
dpext_lag_is_zero(const struct dpext_lag *lag)
{
    return !lag->n_unwritten && !lag->n_undeleted;
}

uint32_t
dpext_degraded_mask(const struct portsec_dpext_port *dp,
                    const struct portsec_dpext_bridge *db)
{
    uint32_t mask = 0;

    /* Stale MACs or bindings only make the kernel pass more, but a MAC or
     * a binding that is missing would make it drop what translation
     * passes. */
    if (dp->macs_lag.n_unwritten) {
        mask |= (PORTSEC_DPEXT_FORGED_REJECT | PORTSEC_DPEXT_SECURE_ELSEWHERE
                 | PORTSEC_DPEXT_LIMIT_FULL);
    }
    if (dp->bindings_lag.n_unwritten) {
        mask |= PORTSEC_DPEXT_ARP_INSPECTION | PORTSEC_DPEXT_IP_SOURCE_GUARD;
    }
    /* A secure MAC that is no longer one, but still in 'portsec_secure',
     * would be dropped on the port that now uses it. */
    if (db && !dpext_lag_is_zero(&db->owners_lag)) {
        mask |= PORTSEC_DPEXT_SECURE_ELSEWHERE;
    }
    return mask;
}

/* Returns true if the maps of 'dp' or 'db' are not what they should be. */
static bool
is_degraded(const struct portsec_dpext_port *dp,
            const struct portsec_dpext_bridge *db)
{
    bool entry_failed = false;

    for (size_t i = 0; i < dp->n_ifaces; i++) {
        entry_failed |= dp->ifaces[i].entry_error != 0;
    }
    return (entry_failed || !dpext_lag_is_zero(&dp->macs_lag)
            || !dpext_lag_is_zero(&dp->bindings_lag)
            || (db && !dpext_lag_is_zero(&db->owners_lag)));
}

/* Returns a description of the lag of a map ('name') in '*lag', e.g.
 * "3 entries not written to portsec_macs (map full)". */
/* Returns why a map update failed with 'error'. */
static const char *
update_error(int error)
{
    return (error == E2BIG || error == ENOSPC ? "map full"
            : ovs_strerror(error));
}

static void
put_lag(struct ds *ds, const char *name, const struct dpext_lag *lag,
        const char *what)
{
    const char *why = update_error(lag->error);

    if (lag->n_unwritten) {
        ds_put_format(ds, "%s%"PRIuSIZE" %s not written to %s (%s)",
                      ds->length ? ", " : "", lag->n_unwritten, what, name,
                      why);
    }
    if (lag->n_undeleted) {
        ds_put_format(ds, "%s%"PRIuSIZE" stale %s not deleted from %s (%s)",
                      ds->length ? ", " : "", lag->n_undeleted, what, name,
                      why);
    }
}

void
dpext_put_degraded(struct ds *ds, const struct portsec_dpext_port *dp,
                   const struct portsec_dpext_bridge *db, bool count)
{
    uint32_t mask = dpext_degraded_mask(dp, db);
    struct ds why = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < dp->n_ifaces; i++) {
        const struct dpext_iface *iface = &dp->ifaces[i];

        if (iface->entry_error) {
            ds_put_format(&why, "%sentry of %s not written to %s (%s)",
                          why.length ? ", " : "", iface->name,
                          (iface->ifindex < PORTSEC_DPEXT_IFACE_SLOTS
                           ? "portsec_ifaces" : "portsec_ifaces_high"),
                          update_error(iface->entry_error));
        }
    }
    put_lag(&why, dpext_macs_class.name, &dp->macs_lag, "MACs");
    put_lag(&why, dpext_bindings_class.name, &dp->bindings_lag, "bindings");
    if (db) {
        put_lag(&why, dpext_owners_class.name, &db->owners_lag,
                "secure MACs of the bridge");
    }
    ds_put_format(ds, "degraded: %s", ds_cstr(&why));
    if (mask) {
        ds_put_cstr(ds, "; left to ovs-vswitchd:");
        if (mask & (PORTSEC_DPEXT_FORGED_REJECT
                    | PORTSEC_DPEXT_LIMIT_FULL)) {
            ds_put_cstr(ds, " forged transmits, learning limit,");
        }
        if (mask & PORTSEC_DPEXT_SECURE_ELSEWHERE) {
            ds_put_cstr(ds, " secure MACs of other ports,");
        }
        if (mask & (PORTSEC_DPEXT_ARP_INSPECTION
                    | PORTSEC_DPEXT_IP_SOURCE_GUARD)) {
            ds_put_cstr(ds, " ARP inspection, IP source guard,");
        }
        ds_chomp(ds, ',');
    }
    if (count) {
        ds_put_format(ds, "; %"PRIu64" failed map updates", dp->n_failed);
    }
    ds_destroy(&why);
}

void
dpext_port_note_degraded(struct portsec_port *port)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct portsec_dpext_port *dp = port->dpext;
    struct portsec_dpext_bridge *db = port->br->dpext;
    char *shown = NULL;

    if (is_degraded(dp, db)) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        dpext_put_degraded(&ds, dp, db, false);
        shown = ds_steal_cstr(&ds);
    }
    if (!nullable_string_is_equal(shown, dp->degraded)) {
        if (shown && !dp->degraded) {
            VLOG_WARN_RL(&rl, "datapath-ext: port %s: %s", port->name,
                         shown);
        } else if (!shown) {
            VLOG_INFO("datapath-ext: port %s: maps complete again",
                      port->name);
        }
        free(dp->degraded);
        dp->degraded = shown;
        seq_change(connectivity_seq_get());
    } else {
        free(shown);
    }
}
