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

#ifndef OFPROTO_DPIF_PORTSEC_DPEXT_PRIVATE_H
#define OFPROTO_DPIF_PORTSEC_DPEXT_PRIVATE_H 1

/* datapath-ext's state of ports and bridges, shared by the two files that
 * keep the kernel's maps (datapath-ext/portsec-dpext.h) in step:
 *
 *   ofproto-dpif-portsec-dpext.c        attachment, what the maps should
 *                                       hold, when to sync;
 *   ofproto-dpif-portsec-dpext-sync.c   writing the difference to the
 *                                       maps, failing open when a write
 *                                       fails, and saying so.
 *
 * Everything here is for the main thread only. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "datapath-ext/dpext.h"
#include "openvswitch/types.h"

struct ds;
struct portsec_mac_set;
struct portsec_policy;
struct portsec_port;

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
     * the last sync, and the port's flags before dpext_degraded_mask(). */
    struct dpext_lag macs_lag;
    struct dpext_lag bindings_lag;
    uint32_t flags;
    uint64_t n_failed;              /* Failed map updates, ever. */
    char *degraded;                 /* dpext_put_degraded() without the
                                     * count, as last shown, NULL if not
                                     * degraded. */

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

/* A map whose entries of one port or bridge are kept here, sorted. */
struct dpext_map_class {
    const char *name;               /* The map's, for messages. */
    size_t size;                    /* Of an entry. */
    int (*compare)(const void *, const void *);     /* Orders by key. */
    bool (*same_value)(const void *, const void *);
    /* Writes or deletes 'entry' of 'id', returns 0 or an errno value. */
    int (*update)(uint32_t id, const void *entry, bool delete);
};

/* The maps whose entries of a port ('portsec_macs', 'portsec_binds') or
 * bridge ('portsec_secure') are kept in 'struct portsec_dpext_port' and
 * 'struct portsec_dpext_bridge'. */
extern const struct dpext_map_class dpext_macs_class;
extern const struct dpext_map_class dpext_bindings_class;
extern const struct dpext_map_class dpext_owners_class;

/* Orders two 'struct dpext_mac's by MAC, as qsort() expects. */
int dpext_compare_macs(const void *, const void *);

/* Orders two 'struct dpext_binding's by VLAN, MAC, IP and prefix length,
 * as qsort() expects; 0 means they are the same binding. */
int dpext_compare_bindings(const void *, const void *);

/* Counts a failed map update in the coverage counter
 * portsec_dpext_update_failed, and in '*n_failed' if nonnull. */
void dpext_count_failure(uint64_t *n_failed);

/* Brings the entries of 'id' (a port or bridge id) in the map of 'class'
 * toward the 'n_new' entries of 'new' (sorted, unique): if 'add', writes
 * what 'new' has and '*cur' lacks or has with another value, otherwise
 * deletes what '*cur' has and 'new' lacks.  '*cur' (sorted, '*n_cur'
 * entries, malloc()'d) is what the map holds, before and after: an entry
 * whose update failed keeps its former state there.  The add step starts
 * '*lag' afresh and counts the entries it could not write, the delete step
 * those it could not delete; each failure is also counted in '*n_failed',
 * if nonnull. */
void dpext_sync_entries(const struct dpext_map_class *class, uint32_t id,
                        void **cur, size_t *n_cur,
                        const void *new, size_t n_new, bool add,
                        struct dpext_lag *lag, uint64_t *n_failed);

/* Returns true if 'lag' says that the map holds what it should. */
bool dpext_lag_is_zero(const struct dpext_lag *lag);

/* Returns the PORTSEC_DPEXT_* flags of the checks that the kernel must not
 * make for the port 'dp' of the bridge 'db' (NULL if it has no state yet),
 * because the maps lack what they read. */
uint32_t dpext_degraded_mask(const struct portsec_dpext_port *dp,
                             const struct portsec_dpext_bridge *db);

/* Appends to 'ds' why the maps of 'dp' (of a port of bridge 'db', NULL if
 * it has no state yet) are not what they should be, and which checks are
 * left to translation; with 'count', how many map updates failed too.
 * For a port whose 'dp->degraded' is nonnull. */
void dpext_put_degraded(struct ds *ds, const struct portsec_dpext_port *dp,
                        const struct portsec_dpext_bridge *db, bool count);

/* Logs a change of 'port''s degraded state, and has its status written
 * again if its description changed (but for the count of failures, which
 * may grow at each try).  'port->dpext' must be nonnull. */
void dpext_port_note_degraded(struct portsec_port *port);

#endif /* ofproto-dpif-portsec-dpext-private.h */
