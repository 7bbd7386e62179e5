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

/* datapath-ext: keeping the kernel's maps in step with the ports.
 *
 * Translation stays the authority: this file only copies into the maps of
 * datapath-ext (datapath-ext/portsec-dpext.h) what translation already
 * enforces, so that the kernel drops those frames before they cost an
 * upcall.  The copy may lag behind, but only in the direction that lets
 * frames through to translation:
 *
 *   - a port's MACs are added before PORTSEC_DPEXT_LIMIT_FULL is set, and
 *     the flag is cleared before MACs are removed;
 *
 *   - bindings are added before the flags that check them are set, and
 *     the flags are cleared before bindings are removed;
 *
 *   - a MAC that becomes a secure MAC of another port is dropped by
 *     translation at once, and by the kernel as soon as the map has it.
 *
 * The only frames that the kernel may drop while translation would not are
 * those of a port that has just been brought back from err-disabled, for
 * the time until the next portsec_dpext_run(), one main loop iteration.
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
 * degraded_mask()), translation decides those frames, and the port's
 * status says "degraded" and why.  The same for a bridge whose
 * 'portsec_secure' entries are not what they should be.  Failed syncs are
 * tried again at each attachment check (every DPEXT_CHECK_MS) and at any
 * change; the first complete one restores the flags.  An interface entry
 * that cannot be written is deleted, which passes every frame, and if
 * that fails too the filter is detached.
 *
 * Everything here runs in the main thread. */

#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <stdio.h>

#include "datapath-ext/dpext.h"
#include "connectivity.h"
#include "coverage.h"
#include "id-pool.h"
#include "netdev.h"
#include "netdev-provider.h"  /* netdev_from_name(), which opens nothing. */
#include "ofproto-dpif-portsec-private.h"
#include "ofproto/ofproto-provider.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "port-security.h"
#include "portsec-admission.h"
#include "portsec-binding.h"
#include "openvswitch/poll-loop.h"
#include "packets.h"
#include "seq.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec_dpext);

COVERAGE_DEFINE(portsec_dpext_update_failed);

/* How often attachment is checked again, in ms: OVS's own ingress policing
 * and tc offload delete and re-create ingress qdiscs, taking our filter
 * with them.  Each check of an interface is a netlink round trip in the
 * main thread, so with more than DPEXT_CHECKS_PER_RUN interfaces each run
 * checks only a share of them, in turn: each is checked every
 * DPEXT_CHECK_MS * ceil(interfaces / DPEXT_CHECKS_PER_RUN) ms.  A filter
 * missing meanwhile costs upcalls, not security: translation enforces. */
#define DPEXT_CHECK_MS 1000
#define DPEXT_CHECKS_PER_RUN 64

/* One MAC of a port in the 'portsec_macs' map, or of a bridge in the
 * 'portsec_secure' map. */
struct dpext_mac {
    struct eth_addr mac;
    uint32_t flags;                 /* PORTSEC_DPEXT_MAC_*, or the owner's
                                     * port id in 'portsec_secure'. */
};

/* One binding of a port in the 'portsec_binds' map. */
struct dpext_binding {
    uint16_t vlan;
    struct eth_addr mac;
    struct in6_addr ip;
    unsigned int plen;
};

/* One interface of a port. */
struct dpext_iface {
    char *name;
    int ifindex;                    /* 0 if it has none (yet). */
    enum dpext_hook hook;
    const char *mode;               /* How it is attached, or NULL. */
    char *error;                    /* Why it is not, or NULL. */
    struct portsec_dpext_iface pushed;  /* Its 'portsec_ifaces' entry. */
    bool has_entry;                 /* Whether 'pushed' is in the map. */
    int entry_error;                /* Why its entry could not be written,
                                     * or 0. */
};

/* How far a map's entries of a port or bridge are from what they should
 * be, after a sync. */
struct dpext_lag {
    size_t n_unwritten;             /* Entries (or values) missing. */
    size_t n_undeleted;             /* Entries that should be gone. */
    int error;                      /* The last failure's errno value. */
};

struct portsec_dpext_port {
    uint32_t port_id;

    struct dpext_iface *ifaces;
    size_t n_ifaces;

    /* What the maps were last made from. */
    const struct portsec_policy *policy;
    uint64_t admission_version;
    uint64_t bindings_seqno;

    /* What is in the maps, sorted. */
    struct dpext_mac *macs;
    size_t n_macs;
    struct dpext_binding *bindings;
    size_t n_bindings;

    /* Failing open: how the maps differ from what they should hold, as of
     * the last sync, and the port's flags before degraded_mask(). */
    struct dpext_lag macs_lag;
    struct dpext_lag bindings_lag;
    uint32_t flags;
    uint64_t n_failed;              /* Failed map updates, ever. */
    char *degraded;                 /* put_degraded() without the count, as
                                     * last shown, NULL if not degraded. */

    /* Drops counted by the kernel on interfaces that are gone. */
    struct portsec_dpext_stats gone[PORTSEC_DPEXT_N_REASONS];
};

struct portsec_dpext_bridge {
    uint32_t bridge_id;
    const struct portsec_mac_set *secure;   /* Last pushed from. */
    bool active;                    /* Whether 'owners' was pushed. */
    struct dpext_mac *owners;       /* 'portsec_secure': mac, owner port id
                                     * (in 'flags'), sorted by MAC. */
    size_t n_owners;
    struct dpext_lag owners_lag;    /* Failing open, as for a port. */
};

static bool enabled = true;         /* other_config:datapath-ext. */
static bool was_enabled = true;     /* 'enabled' as last acted on. */
static struct id_pool *port_ids;
static struct id_pool *bridge_ids;
static long long int next_check;    /* Time of the next attachment check. */
static unsigned int check_round;    /* Incremented at each check. */
static bool check_all_now;          /* portsec_dpext_check_now() called. */
static size_t n_ifaces;             /* Interfaces filtered, at the last run. */
static uint64_t bindings_seqno;     /* portsec_bindings_seq() as last seen. */


/* Which security_statistics key counts each reason. */
static const enum portsec_stat reason_stats[PORTSEC_DPEXT_N_REASONS] = {
    [PORTSEC_DPEXT_R_ERR_DISABLED] = PORTSEC_STAT_ERR_DISABLED_DROPS,
    [PORTSEC_DPEXT_R_FORGED_TRANSMIT] = PORTSEC_STAT_FORGED_TRANSMIT_DROPS,
    [PORTSEC_DPEXT_R_SECURE_MAC_MOVE] = PORTSEC_STAT_SECURE_MAC_MOVE_DROPS,
    [PORTSEC_DPEXT_R_LEARN_LIMIT] = PORTSEC_STAT_LEARN_LIMIT_DROPS,
    [PORTSEC_DPEXT_R_DHCP_SERVER] = PORTSEC_STAT_DHCP_SERVER_DROPS,
    [PORTSEC_DPEXT_R_ARP_INSPECTION] = PORTSEC_STAT_ARP_INSPECTION_DROPS,
    [PORTSEC_DPEXT_R_IP_SOURCE_GUARD] = PORTSEC_STAT_IP_SOURCE_GUARD_DROPS,
};

/* Returns the hook for the ports of a bridge of datapath type 'dp_type',
 * and false if datapath-ext has none for it (e.g. "dummy"). */
static bool
dp_type_hook(const char *dp_type, enum dpext_hook *hook)
{
    if (!strcmp(dp_type, "system")) {
        *hook = DPEXT_HOOK_TC;
        return true;
    } else if (!strcmp(dp_type, "netdev")) {
        *hook = DPEXT_HOOK_XDP;
        return true;
    }
    return false;
}

static void
iface_error(struct dpext_iface *iface, char *error)
{
    if (!iface->error || strcmp(iface->error, error)) {
        VLOG_WARN("datapath-ext: interface %s: %s; its port's frames are "
                  "checked in ovs-vswitchd only", iface->name, error);
        seq_change(connectivity_seq_get());
    }
    free(iface->error);
    iface->error = error;
    iface->mode = NULL;
}

/* Detaches from 'iface', deletes its map entry and counters, keeping the
 * counts in 'dp->gone'. */
static void
iface_release(struct portsec_dpext_port *dp, struct dpext_iface *iface)
{
    if (iface->ifindex) {
        if (iface->mode) {
            dpext_detach(iface->ifindex, iface->hook);
            VLOG_INFO("datapath-ext: detached from %s", iface->name);
        }
        if (iface->has_entry) {
            dpext_iface_delete(iface->ifindex);
        }
        dpext_stats_read(iface->ifindex, dp->gone, true);
    }
    iface->ifindex = 0;
    iface->has_entry = false;
    iface->entry_error = 0;
    iface->mode = NULL;
}

static void
iface_destroy(struct portsec_dpext_port *dp, struct dpext_iface *iface)
{
    iface_release(dp, iface);
    free(iface->name);
    free(iface->error);
}

/* Returns true if network device 'name' is an Ethernet device
 * (ARPHRD_ETHER), the only kind whose frames the programs parse: not a tun
 * or other layer 3 device. */
static bool
is_ethernet_device(const char *name)
{
    char *path = xasprintf("/sys/class/net/%s/type", name);
    FILE *file = fopen(path, "r");
    int type = -1;

    if (file) {
        if (fscanf(file, "%d", &type) != 1) {
            type = -1;
        }
        fclose(file);
    }
    free(path);
    return type == 1;
}

/* Makes sure that 'iface' of a port of a bridge with 'hook' is filtered,
 * or says why not in 'iface->error'. */
static void
iface_attach(struct portsec_dpext_port *dp, struct dpext_iface *iface,
             enum dpext_hook hook)
{
    struct netdev *netdev = netdev_from_name(iface->name);
    const char *type = netdev ? netdev_get_type(netdev) : NULL;
    int ifindex = 0;
    char *error = NULL;

    if (!netdev) {
        error = xstrdup("no such network device");
    } else if (strcmp(type, "system")) {
        error = xasprintf("%s interface: %s", type,
                          !strcmp(type, "internal")
                          ? "no receive path to filter"
                          : "not filtered by datapath-ext");
    } else if (!is_ethernet_device(iface->name)) {
        error = xstrdup("not an Ethernet device");
    } else {
        ifindex = if_nametoindex(iface->name);
        if (!ifindex) {
            error = xasprintf("no ifindex (%s)", ovs_strerror(errno));
        }
    }
    netdev_close(netdev);

    if (iface->ifindex && (iface->ifindex != ifindex || iface->hook != hook)) {
        /* Renamed, re-created or moved: start again. */
        iface_release(dp, iface);
    }
    if (error) {
        iface_error(iface, error);
        return;
    }
    iface->ifindex = ifindex;
    iface->hook = hook;
    if (!iface->mode || !dpext_is_attached(ifindex, hook)) {
        const char *mode = NULL;

        if (dpext_attach(ifindex, hook, &mode, &error)) {
            iface_error(iface, error);
            return;
        }
        if (iface->mode) {
            VLOG_WARN("datapath-ext: our filter on %s was removed by "
                      "someone else; attached again", iface->name);
        } else {
            VLOG_INFO("datapath-ext: filtering %s (%s)", iface->name, mode);
        }
        if (!iface->mode || iface->error) {
            seq_change(connectivity_seq_get());
        }
        iface->mode = mode;
        free(iface->error);
        iface->error = NULL;
    }
}

/* Returns 'br''s datapath-ext state, creating it if needed. */
static struct portsec_dpext_bridge *
bridge_dpext(struct portsec_bridge *br)
{
    if (!br->dpext) {
        br->dpext = xzalloc(sizeof *br->dpext);
        if (!id_pool_alloc_id(bridge_ids, &br->dpext->bridge_id)) {
            br->dpext->bridge_id = 0;
        }
    }
    return br->dpext;
}

/* Returns the flags for 'port' with 'policy', filtered at 'hook' (see
 * portsec-dpext.h). */
static uint32_t
port_flags(struct portsec_port *port, const struct portsec_policy *policy,
           enum dpext_hook hook)
{
    uint32_t flags = PORTSEC_DPEXT_SECURE_ELSEWHERE;

    if (hook == DPEXT_HOOK_XDP) {
        flags |= PORTSEC_DPEXT_BIND_ANY_VLAN;
    }

    if (portsec_port_is_err_disabled(port)) {
        flags |= PORTSEC_DPEXT_ERR_DISABLED;
    }
    if (policy->reject_forged_transmits) {
        flags |= PORTSEC_DPEXT_FORGED_REJECT;
    }
    if (policy->mac_learn_limit >= 0
        && policy->limit_action == PORTSEC_LIMIT_DROP && port->admission
        && (portsec_admission_count(port->admission)
            >= policy->mac_learn_limit)) {
        flags |= PORTSEC_DPEXT_LIMIT_FULL;
    }
    if (!policy->trusted && portsec_policy_inspects(policy)) {
        if (policy->dhcp_snooping) {
            flags |= PORTSEC_DPEXT_DHCP_SERVER_DROP;
        }
        /* While ARP or ND snooping may still bind an address on the port,
         * the frames that would bind it must reach translation: the
         * kernel does not drop ARP (or IP, for ND, whose NS and NA it does
         * not tell from other IPv6) that has no binding yet. */
        bool arp_room = (policy->arp_snooping
                         && (portsec_binding_count_source(
                                 port->bindings, PORTSEC_BINDING_ARP)
                             < policy->arp_binding_limit));
        bool nd_room = (policy->nd_snooping
                        && (portsec_binding_count_source(
                                port->bindings, PORTSEC_BINDING_ND)
                            < policy->nd_snooping_limit));

        if (policy->arp_inspection && !arp_room) {
            flags |= PORTSEC_DPEXT_ARP_INSPECTION;
        }
        if (policy->ip_source_guard && !nd_room) {
            flags |= PORTSEC_DPEXT_IP_SOURCE_GUARD;
        }
    }
    return flags;
}

static int
compare_macs(const void *a_, const void *b_)
{
    const struct dpext_mac *a = a_;
    const struct dpext_mac *b = b_;

    return eth_addr_compare_3way(a->mac, b->mac);
}

/* Returns the MACs that the map must hold for 'port' with 'policy': its
 * secure MACs, and the MACs it admitted if it has a limit with policy
 * "drop".  Sorted, unique. */
static struct dpext_mac *
port_macs(struct portsec_port *port, const struct portsec_policy *policy,
          size_t *n)
{
    struct portsec_admitted *admitted = NULL;
    size_t n_admitted = 0;
    struct dpext_mac *macs;

    if (policy->mac_learn_limit >= 0
        && policy->limit_action == PORTSEC_LIMIT_DROP && port->admission) {
        admitted = portsec_admission_snapshot(port->admission, &n_admitted);
    }
    macs = xmalloc(MAX(policy->n_secure_macs + n_admitted, 1)
                   * sizeof *macs);
    *n = 0;
    for (size_t i = 0; i < policy->n_secure_macs; i++) {
        macs[(*n)++] = (struct dpext_mac) {
            .mac = policy->secure_macs[i],
            .flags = PORTSEC_DPEXT_MAC_SECURE,
        };
    }
    for (size_t i = 0; i < n_admitted; i++) {
        macs[(*n)++] = (struct dpext_mac) {
            .mac = admitted[i].mac,
            .flags = PORTSEC_DPEXT_MAC_ADMITTED,
        };
    }
    free(admitted);

    /* Merge duplicates (a MAC admitted in several VLANs, or secure). */
    qsort(macs, *n, sizeof *macs, compare_macs);
    size_t j = 0;
    for (size_t i = 0; i < *n; i++) {
        if (j && eth_addr_equals(macs[j - 1].mac, macs[i].mac)) {
            macs[j - 1].flags |= macs[i].flags;
        } else {
            macs[j++] = macs[i];
        }
    }
    *n = j;
    return macs;
}

static int
compare_bindings(const void *a_, const void *b_)
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

/* Returns the bindings that the map must hold for 'port' with 'policy':
 * its static ones (in its native VLAN) and its dynamic ones, if it checks
 * them in the kernel.  Sorted, unique. */
static struct dpext_binding *
port_bindings(struct portsec_port *port, const struct portsec_policy *policy,
              uint32_t flags, size_t *n)
{
    bool any_vlan = flags & PORTSEC_DPEXT_BIND_ANY_VLAN;
    struct portsec_binding *dynamic = NULL;
    size_t n_dynamic = 0;
    struct dpext_binding *b;

    *n = 0;
    if (!(flags & (PORTSEC_DPEXT_ARP_INSPECTION
                   | PORTSEC_DPEXT_IP_SOURCE_GUARD))) {
        return NULL;
    }
    dynamic = portsec_binding_snapshot(port->bindings, &n_dynamic);
    b = xmalloc(MAX(policy->n_static_bindings + n_dynamic, 1) * sizeof *b);
    for (size_t i = 0; i < policy->n_static_bindings; i++) {
        const struct portsec_static_binding *sb = &policy->static_bindings[i];

        b[(*n)++] = (struct dpext_binding) {
            .vlan = any_vlan ? PORTSEC_DPEXT_VLAN_ANY : policy->native_vlan,
            .mac = sb->mac, .ip = sb->ip,
            .plen = sb->plen,
        };
    }
    for (size_t i = 0; i < n_dynamic; i++) {
        b[(*n)++] = (struct dpext_binding) {
            .vlan = any_vlan ? PORTSEC_DPEXT_VLAN_ANY : dynamic[i].vlan,
            .mac = dynamic[i].mac,
            .ip = dynamic[i].ip, .plen = 128,
        };
    }
    free(dynamic);

    qsort(b, *n, sizeof *b, compare_bindings);
    size_t j = 0;
    for (size_t i = 0; i < *n; i++) {
        if (!j || compare_bindings(&b[j - 1], &b[i])) {
            b[j++] = b[i];
        }
    }
    *n = j;
    return b;
}

/* A map whose entries of one port or bridge are kept here, sorted. */
struct dpext_map_class {
    const char *name;               /* The map's, for messages. */
    size_t size;                    /* Of an entry. */
    int (*compare)(const void *, const void *);     /* Orders by key. */
    bool (*same_value)(const void *, const void *);
    /* Writes or deletes 'entry' of 'id', returns 0 or an errno value. */
    int (*update)(uint32_t id, const void *entry, bool delete);
};

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

static const struct dpext_map_class macs_class = {
    "portsec_macs", sizeof(struct dpext_mac), compare_macs, mac_same_value,
    mac_update,
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

static const struct dpext_map_class bindings_class = {
    "portsec_binds", sizeof(struct dpext_binding), compare_bindings,
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

static const struct dpext_map_class owners_class = {
    "portsec_secure", sizeof(struct dpext_mac), compare_macs,
    mac_same_value, owner_update,
};

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
    COVERAGE_INC(portsec_dpext_update_failed);
    lag->error = error;
    if (delete) {
        lag->n_undeleted++;
    } else {
        lag->n_unwritten++;
    }
    if (n_failed) {
        (*n_failed)++;
    }
    return false;
}

/* Brings the entries of 'id' in the map of 'class' toward the 'n_new'
 * entries of 'new' (sorted, unique): if 'add', writes what 'new' has and
 * '*cur' lacks or has with another value, otherwise deletes what '*cur'
 * has and 'new' lacks.  '*cur' (sorted, '*n_cur' entries) is what the map
 * holds, before and after: an entry whose update failed keeps its former
 * state there.  The add step starts '*lag' afresh and counts the entries
 * it could not write, the delete step those it could not delete; each
 * failure is also counted in '*n_failed', if nonnull. */
static void
sync_entries(const struct dpext_map_class *class, uint32_t id,
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

static bool
lag_is_zero(const struct dpext_lag *lag)
{
    return !lag->n_unwritten && !lag->n_undeleted;
}

/* Returns the flags of the checks that the kernel must not make for the
 * port 'dp' of the bridge 'db', because the maps lack what they read. */
static uint32_t
degraded_mask(const struct portsec_dpext_port *dp,
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
    if (db && !lag_is_zero(&db->owners_lag)) {
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
    return (entry_failed || !lag_is_zero(&dp->macs_lag)
            || !lag_is_zero(&dp->bindings_lag)
            || (db && !lag_is_zero(&db->owners_lag)));
}

/* Sets 'dp''s interfaces to 'policy''s, keeping those that stay. */
static void
port_update_ifaces(struct portsec_dpext_port *dp,
                   const struct portsec_policy *policy)
{
    struct dpext_iface *ifaces = xcalloc(MAX(policy->n_ifaces, 1),
                                         sizeof *ifaces);

    for (size_t i = 0; i < policy->n_ifaces; i++) {
        ifaces[i].name = xstrdup(policy->ifaces[i]);
        for (size_t j = 0; j < dp->n_ifaces; j++) {
            struct dpext_iface *old = &dp->ifaces[j];

            if (old->name && !strcmp(old->name, ifaces[i].name)) {
                free(ifaces[i].name);
                ifaces[i] = *old;
                old->name = NULL;
                break;
            }
        }
    }
    for (size_t j = 0; j < dp->n_ifaces; j++) {
        if (dp->ifaces[j].name) {
            iface_destroy(dp, &dp->ifaces[j]);
        }
    }
    free(dp->ifaces);
    dp->ifaces = ifaces;
    dp->n_ifaces = policy->n_ifaces;
}

/* Puts in 'entry' the first IPv4 bindings of one address in 'dp''s
 * 'portsec_binds' entries whose MAC is one of 'entry''s secure MACs, which
 * then spare their frames a lookup in the LPM trie.  Only what the map
 * holds: a binding that it lacks must not pass in the kernel either, and
 * one that it holds although it should not (not deleted yet) passes there
 * anyway. */
static void
put_iface_hosts(const struct portsec_dpext_port *dp,
                struct portsec_dpext_iface *entry)
{
    entry->n_hosts = 0;
    for (size_t i = 0; i < dp->n_bindings; i++) {
        const struct dpext_binding *b = &dp->bindings[i];

        if (entry->n_hosts >= PORTSEC_DPEXT_IFACE_HOSTS) {
            break;
        } else if (b->plen != 128 || !IN6_IS_ADDR_V4MAPPED(&b->ip)) {
            continue;
        }
        for (uint16_t j = 0; j < entry->n_secure; j++) {
            if (!memcmp(entry->secure[j], b->mac.ea, ETH_ADDR_LEN)) {
                struct portsec_dpext_iface_host *h
                    = &entry->hosts[entry->n_hosts++];

                h->ip4 = in6_addr_get_mapped_ipv4(&b->ip);
                h->vlan = b->vlan;
                h->secure_idx = j;
                break;
            }
        }
    }
}

/* Writes the 'portsec_ifaces' entry of each filtered interface of 'port'
 * that differs from what is there: 'dp->flags' without the checks that
 * the maps cannot support. */
static void
port_push_flags(struct portsec_port *port)
{
    const struct portsec_policy *policy
        = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    struct portsec_dpext_port *dp = port->dpext;
    struct portsec_dpext_bridge *db = bridge_dpext(port->br);
    struct portsec_dpext_iface entry = {
        .flags = dp->flags & ~degraded_mask(dp, db),
        .port_id = dp->port_id,
        .bridge_id = db->bridge_id,
        .native_vlan = policy->native_vlan,
    };

    /* The first of the port's secure MACs, which spare most frames a
     * 'portsec_macs' lookup.  Whatever the maps hold, a secure MAC passes
     * every check of the source MAC in translation. */
    entry.n_secure = MIN(policy->n_secure_macs, PORTSEC_DPEXT_IFACE_SECURE);
    for (size_t i = 0; i < entry.n_secure; i++) {
        memcpy(entry.secure[i], policy->secure_macs[i].ea, ETH_ADDR_LEN);
    }
    put_iface_hosts(dp, &entry);

    for (size_t i = 0; i < dp->n_ifaces; i++) {
        struct dpext_iface *iface = &dp->ifaces[i];
        int error;

        if (!iface->ifindex || !iface->mode
            || (iface->has_entry
                && !memcmp(&entry, &iface->pushed, sizeof entry))) {
            continue;
        }
        error = dpext_iface_set(iface->ifindex, &entry);
        if (!error) {
            iface->pushed = entry;
            iface->has_entry = true;
            iface->entry_error = 0;
            continue;
        }

        /* The entry there, if any, may drop what translation now passes
         * (e.g. the port is no longer err-disabled).  Without an entry the
         * program passes every frame; without the program, too. */
        COVERAGE_INC(portsec_dpext_update_failed);
        dp->n_failed++;
        iface->entry_error = error;
        if (iface->has_entry) {
            if (!dpext_iface_delete(iface->ifindex)) {
                iface->has_entry = false;
            } else if (!dpext_detach(iface->ifindex, iface->hook)) {
                VLOG_WARN("datapath-ext: detached from %s, whose entry "
                          "could not be written or deleted", iface->name);
                iface->mode = NULL;
            }
        }
    }
}

/* Returns a description of the lag of a map ('name') in '*lag', e.g.
 * "3 entries not written to portsec_macs (map full)". */
static void
put_lag(struct ds *ds, const char *name, const struct dpext_lag *lag,
        const char *what)
{
    int error = lag->error;
    const char *why = (error == E2BIG || error == ENOSPC ? "map full"
                       : ovs_strerror(error));

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

/* Appends to 'ds' why the maps of 'dp' (of a port of bridge 'db') are not
 * what they should be, and which checks are left to translation; with
 * 'count', how many map updates failed too. */
static void
put_degraded(struct ds *ds, const struct portsec_dpext_port *dp,
             const struct portsec_dpext_bridge *db, bool count)
{
    uint32_t mask = degraded_mask(dp, db);
    struct ds why = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < dp->n_ifaces; i++) {
        const struct dpext_iface *iface = &dp->ifaces[i];

        if (iface->entry_error) {
            ds_put_format(&why, "%sentry of %s not written to "
                          "portsec_ifaces (%s)", why.length ? ", " : "",
                          iface->name, ovs_strerror(iface->entry_error));
        }
    }
    put_lag(&why, macs_class.name, &dp->macs_lag, "MACs");
    put_lag(&why, bindings_class.name, &dp->bindings_lag, "bindings");
    if (db) {
        put_lag(&why, owners_class.name, &db->owners_lag,
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

/* Logs a change of 'port''s degraded state, and has its status written
 * again if its description changed (but for the count of failures, which
 * may grow at each try). */
static void
port_note_degraded(struct portsec_port *port)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct portsec_dpext_port *dp = port->dpext;
    struct portsec_dpext_bridge *db = port->br->dpext;
    char *shown = NULL;

    if (is_degraded(dp, db)) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        put_degraded(&ds, dp, db, false);
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

/* Brings the maps and attachments of 'port' in line with its policy and
 * state.  'hook' is where its bridge's datapath type filters, NULL if
 * datapath-ext has nothing to do on that datapath type.  'inactive' is
 * NULL if datapath-ext is at work, otherwise why it is not.  'check' asks
 * to verify attachments too, and to try again the map updates that
 * failed. */
static void
port_sync(struct portsec_port *port, const enum dpext_hook *hook,
          const char *inactive, bool check)
{
    const struct portsec_policy *policy
        = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    struct portsec_dpext_port *dp = port->dpext;
    struct dpext_mac *macs = NULL;
    struct dpext_binding *bindings = NULL;
    size_t n_macs = 0, n_bindings = 0;
    uint32_t flags = 0;
    bool relevant, active, rebuild;

    if (!dp) {
        dp = port->dpext = xzalloc(sizeof *dp);
        if (!id_pool_alloc_id(port_ids, &dp->port_id)) {
            VLOG_WARN_ONCE("datapath-ext: more than %d ports",
                           PORTSEC_DPEXT_MAX_PORTS);
            dp->port_id = 0;
        }
    }
    relevant = hook && policy->has_settings;
    active = relevant && !inactive && dp->port_id;
    if (dp->policy != policy) {
        static const struct portsec_policy none;

        port_update_ifaces(dp, relevant ? policy : &none);
    }
    if (!active) {
        for (size_t i = 0; i < dp->n_ifaces; i++) {
            struct dpext_iface *iface = &dp->ifaces[i];

            iface_release(dp, iface);
            if (!iface->error || strcmp(iface->error, inactive
                                        ? inactive : "too many ports")) {
                free(iface->error);
                iface->error = xstrdup(inactive ? inactive
                                       : "too many ports");
                seq_change(connectivity_seq_get());
            }
        }
    }

    rebuild = (dp->policy != policy
               || (port->admission
                   && (portsec_admission_version(port->admission)
                       != dp->admission_version))
               || portsec_bindings_seqno() != dp->bindings_seqno
               || check);
    if (active) {
        for (size_t i = 0; i < dp->n_ifaces; i++) {
            if (check || !dp->ifaces[i].mode) {
                iface_attach(dp, &dp->ifaces[i], *hook);
            }
        }
        flags = port_flags(port, policy, *hook);
    }
    dp->policy = policy;
    dp->flags = flags;
    if (!rebuild) {
        /* Only the flags may have changed (err-disable). */
        port_push_flags(port);
        port_note_degraded(port);
        return;
    }
    dp->admission_version = (port->admission
                             ? portsec_admission_version(port->admission)
                             : 0);
    dp->bindings_seqno = portsec_bindings_seqno();
    if (active) {
        macs = port_macs(port, policy, &n_macs);
        bindings = port_bindings(port, policy, flags, &n_bindings);
    }

    /* Widen first: add entries, then push flags (without the checks whose
     * entries could not be added), then remove entries. */
    sync_entries(&macs_class, dp->port_id, (void **) &dp->macs, &dp->n_macs,
                 macs, n_macs, true, &dp->macs_lag, &dp->n_failed);
    sync_entries(&bindings_class, dp->port_id, (void **) &dp->bindings,
                 &dp->n_bindings, bindings, n_bindings, true,
                 &dp->bindings_lag, &dp->n_failed);
    port_push_flags(port);
    sync_entries(&macs_class, dp->port_id, (void **) &dp->macs, &dp->n_macs,
                 macs, n_macs, false, &dp->macs_lag, &dp->n_failed);
    sync_entries(&bindings_class, dp->port_id, (void **) &dp->bindings,
                 &dp->n_bindings, bindings, n_bindings, false,
                 &dp->bindings_lag, &dp->n_failed);
    free(macs);
    free(bindings);
    /* Without the bindings that the map no longer holds. */
    port_push_flags(port);
    port_note_degraded(port);
}

/* Brings 'br''s 'portsec_secure' entries in line with its secure MACs.
 * Runs after port_sync() gave each port its id.  'retry' asks to try
 * again the updates that failed. */
static void
bridge_sync(struct portsec_bridge *br, bool active, bool retry)
{
    const struct portsec_mac_set *secure
        = ovsrcu_get_protected(struct portsec_mac_set *, &br->secure_macs);
    struct portsec_dpext_bridge *db = bridge_dpext(br);
    struct dpext_mac *owners = NULL;
    size_t n_owners = 0;
    struct portsec_port *port;
    bool was_degraded;

    if (db->secure == secure && db->active == active
        && (!retry || lag_is_zero(&db->owners_lag))) {
        return;
    }
    db->secure = secure;
    db->active = active;

    /* A MAC that is secure on several ports has no single owner; the
     * kernel then lets each of them use it (it checks a port's own secure
     * MACs first) and drops it from every other port. */
    if (active && db->bridge_id) {
        HMAP_FOR_EACH (port, br_node, &br->ports) {
            const struct portsec_policy *policy
                = ovsrcu_get_protected(struct portsec_policy *,
                                       &port->policy);

            if (!port->dpext || !port->dpext->port_id) {
                continue;
            }
            owners = xrealloc(owners, (n_owners + policy->n_secure_macs)
                              * sizeof *owners);
            for (size_t i = 0; i < policy->n_secure_macs; i++) {
                owners[n_owners++] = (struct dpext_mac) {
                    .mac = policy->secure_macs[i],
                    .flags = port->dpext->port_id,
                };
            }
        }
        qsort(owners, n_owners, sizeof *owners, compare_macs);
        size_t j = 0;
        for (size_t i = 0; i < n_owners; i++) {
            if (j && eth_addr_equals(owners[j - 1].mac, owners[i].mac)) {
                owners[j - 1].flags = UINT32_MAX;
            } else {
                owners[j++] = owners[i];
            }
        }
        n_owners = j;
    }

    was_degraded = !lag_is_zero(&db->owners_lag);
    sync_entries(&owners_class, db->bridge_id, (void **) &db->owners,
                 &db->n_owners, owners, n_owners, true, &db->owners_lag,
                 NULL);
    sync_entries(&owners_class, db->bridge_id, (void **) &db->owners,
                 &db->n_owners, owners, n_owners, false, &db->owners_lag,
                 NULL);
    free(owners);

    if (was_degraded || !lag_is_zero(&db->owners_lag)) {
        /* The ports' flags depend on it. */
        HMAP_FOR_EACH (port, br_node, &br->ports) {
            if (port->dpext) {
                port_push_flags(port);
                port_note_degraded(port);
            }
        }
    }
}

void
portsec_dpext_set_enabled(bool enable)
{
    if (enable != enabled) {
        VLOG_INFO("datapath-ext %s by other_config:datapath-ext",
                  enable ? "enabled" : "disabled");
        enabled = enable;
        seq_change(connectivity_seq_get());
    }
}

void
portsec_dpext_run(void)
{
    static char *load_error;
    const char *inactive = NULL;
    struct portsec_bridge *br;
    bool check = time_msec() >= next_check;
    size_t n_slices = MAX(1, DIV_ROUND_UP(n_ifaces, DPEXT_CHECKS_PER_RUN));
    bool force_check = false;
    size_t total = 0;

    if (!port_ids) {
        port_ids = id_pool_create(1, PORTSEC_DPEXT_MAX_PORTS);
        bridge_ids = id_pool_create(1, UINT32_MAX - 1);
    }
    bindings_seqno = portsec_bindings_seqno();
    if (hmap_is_empty(&portsec_bridges)) {
        return;
    }
    if (check) {
        next_check = time_msec() + DPEXT_CHECK_MS;
        check_round++;
    }
    if (!enabled) {
        inactive = "disabled by other_config:datapath-ext";
    } else if (load_error || dpext_load(&load_error)) {
        inactive = load_error;      /* Logged once by dpext_load(). */
    }
    if (enabled != was_enabled || check_all_now) {
        force_check = true;
        was_enabled = enabled;
        check_all_now = false;
    }
    HMAP_FOR_EACH (br, node, &portsec_bridges) {
        enum dpext_hook hook;
        bool has_hook = dp_type_hook(br->ofproto->type, &hook);
        struct portsec_port *port;

        HMAP_FOR_EACH (port, br_node, &br->ports) {
            bool check_port = (check && port->dpext
                               && port->dpext->port_id % n_slices
                                  == check_round % n_slices);

            port_sync(port, has_hook ? &hook : NULL, inactive,
                      check_port || force_check);
            total += port->dpext ? port->dpext->n_ifaces : 0;
        }
        bridge_sync(br, has_hook && !inactive, check || force_check);
    }
    n_ifaces = total;
}

void
portsec_dpext_check_now(void)
{
    check_all_now = true;
}

void
portsec_dpext_wait(void)
{
    if (!hmap_is_empty(&portsec_bridges)) {
        poll_timer_wait_until(next_check);
        seq_wait(portsec_bindings_seq(), bindings_seqno);
    }
}

void
portsec_dpext_limit_reached(void)
{
    /* bridge.c's main loop wakes up for it, as for an err-disabled port,
     * and calls portsec_dpext_run() (through bridge_portsec_run()). */
    seq_change(connectivity_seq_get());
}

void
portsec_dpext_port_destroy(struct portsec_port *port)
{
    struct portsec_dpext_port *dp = port->dpext;

    if (!dp) {
        return;
    }
    for (size_t i = 0; i < dp->n_ifaces; i++) {
        iface_destroy(dp, &dp->ifaces[i]);
    }
    free(dp->ifaces);
    sync_entries(&macs_class, dp->port_id, (void **) &dp->macs, &dp->n_macs,
                 NULL, 0, false, &dp->macs_lag, NULL);
    sync_entries(&bindings_class, dp->port_id, (void **) &dp->bindings,
                 &dp->n_bindings, NULL, 0, false, &dp->bindings_lag, NULL);
    free(dp->macs);
    free(dp->bindings);
    free(dp->degraded);
    if (dp->port_id) {
        id_pool_free_id(port_ids, dp->port_id);
    }
    free(dp);
    port->dpext = NULL;
}

void
portsec_dpext_bridge_destroy(struct portsec_bridge *br)
{
    struct portsec_dpext_bridge *db = br->dpext;

    if (!db) {
        return;
    }
    for (size_t i = 0; i < db->n_owners; i++) {
        dpext_secure_delete(db->bridge_id, db->owners[i].mac);
    }
    free(db->owners);
    if (db->bridge_id) {
        id_pool_free_id(bridge_ids, db->bridge_id);
    }
    free(db);
    br->dpext = NULL;
}

/* Returns the frames that the kernel dropped on the interfaces of 'port',
 * present and gone, and stores their bytes in '*bytes'.  If 'stats' is
 * nonnull, also adds the frames of each reason to its security_statistics
 * key there. */
static uint64_t
port_drops(const struct portsec_port *port, uint64_t *stats,
           uint64_t *bytes)
{
    const struct portsec_dpext_port *dp = port->dpext;
    struct portsec_dpext_stats counts[PORTSEC_DPEXT_N_REASONS];
    uint64_t packets = 0;

    *bytes = 0;
    if (!dp) {
        return 0;
    }
    memcpy(counts, dp->gone, sizeof dp->gone);
    for (size_t i = 0; i < dp->n_ifaces; i++) {
        if (dp->ifaces[i].ifindex) {
            dpext_stats_read(dp->ifaces[i].ifindex, counts, false);
        }
    }
    for (int r = 0; r < PORTSEC_DPEXT_N_REASONS; r++) {
        if (stats) {
            stats[reason_stats[r]] += counts[r].packets;
        }
        packets += counts[r].packets;
        *bytes += counts[r].bytes;
    }
    return packets;
}

uint64_t
portsec_dpext_port_stats(const struct portsec_port *port,
                         uint64_t stats[PORTSEC_N_STATS])
{
    uint64_t bytes;

    return port_drops(port, stats, &bytes);
}

uint64_t
portsec_dpext_port_drop_bytes(const struct portsec_port *port)
{
    uint64_t bytes;

    port_drops(port, NULL, &bytes);
    return bytes;
}

bool
portsec_dpext_port_status(const struct portsec_port *port, struct ds *ds)
{
    const struct portsec_dpext_port *dp = port->dpext;

    if (!dp || !dp->n_ifaces) {
        return false;
    }
    for (size_t i = 0; i < dp->n_ifaces; i++) {
        const struct dpext_iface *iface = &dp->ifaces[i];

        ds_put_format(ds, "%s%s: ", i ? ", " : "", iface->name);
        if (iface->mode) {
            ds_put_format(ds, "attached (%s)", iface->mode);
        } else {
            ds_put_format(ds, "not attached (%s)",
                          iface->error ? iface->error : "pending");
        }
    }
    if (dp->degraded) {
        ds_put_cstr(ds, "; ");
        put_degraded(ds, dp, port->br->dpext, true);
    }
    return true;
}

const char *
portsec_dpext_port_iface(const struct portsec_port *port, size_t i,
                         bool *attached)
{
    const struct portsec_dpext_port *dp = port->dpext;

    if (!dp || i >= dp->n_ifaces) {
        return NULL;
    }
    *attached = dp->ifaces[i].mode != NULL;
    return dp->ifaces[i].name;
}
