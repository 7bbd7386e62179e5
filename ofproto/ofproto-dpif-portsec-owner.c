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

/* The owners of addresses: who holds IP X in VLAN V on a bridge.
 *
 * Each bridge indexes its ports' claims to addresses, by (VLAN, prefix
 * length, address), in a cmap that translation reads without locking.  A
 * port with port security settings claims:
 *
 *   - each of its dynamic bindings (DHCP and DHCPv6 snooping, ARP and ND
 *     snooping, restored ones): its address, with its MAC, in its VLAN;
 *
 *   - each of its static bindings (port_security "MAC IP[/PLEN]"): its
 *     address or prefix, with its MAC, in the port's native VLAN.
 *
 * A port without settings (only attached MACs) behaves as stock Open
 * vSwitch and claims nothing, whatever bindings it kept.
 *
 * The conflict rule, the same for everyone who asks
 * (portsec_owner_find()): an address belongs to the one (port, MAC) that
 * claims it.  Claimed by two ports, or by one port with two MACs, it is
 * contested, and belongs to no one.  So:
 *
 *   - ARP and ND suppression answer a request only for an address that
 *     belongs to a port, with that port's MAC, never for a contested one,
 *     which the request's flood lets the claimants resolve (RFC 5227);
 *
 *   - ARP and ND snooping bind an address to a port only if no other port
 *     claims it, alone or contested (duplicate address detection across
 *     ports), whatever the port itself claims.
 *
 * Suppression considers only claims to the address itself (dynamic
 * bindings, and static bindings of 32 bits for IPv4 or 128 for IPv6):
 * a static prefix says which addresses a port may use, not which one it
 * uses, so answering for all of them would draw every neighbour's traffic
 * for an unused address to the port.  Duplicate detection also considers
 * the prefixes that cover the address, which are reserved to their port.
 *
 * A lookup costs one cmap lookup per distinct prefix length in use on
 * the bridge (one, for exact addresses, unless static bindings have
 * prefixes), whatever the number of ports.
 *
 * Changes: the main thread brings a port's claims up to date when its
 * policy changes (portsec_owner_port_sync()), and the thread that changes
 * a port's bindings does, through the binding table's observer, with the
 * table's mutex held.  Both take the bridge's 'owner_mutex' (after the
 * table's), and rebuild the port's claims from its current policy and
 * bindings, so that the last to run leaves them right. */

#include <config.h>
#include "ofproto-dpif-portsec-private.h"

#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "hash.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-binding.h"
#include "seq.h"
#include "util.h"

COVERAGE_DEFINE(portsec_owner_claim_change);
COVERAGE_DEFINE(portsec_binding_change);

/* What a claim is about, and by whom: compared with memcmp(), so always
 * zeroed before it is filled. */
struct owner_key {
    struct in6_addr ip;         /* Masked to 'plen'. */
    uint16_t vlan;
    uint8_t plen;               /* Of 'ip' as IPv6: 128 for one address. */
    bool dynamic;               /* A dynamic binding, not a static one. */
    struct eth_addr mac;
};

/* A claim of a port to an address or prefix in a VLAN.  Immutable once in
 * 'br->owner_claims', except 'used'; freed after an RCU grace period once
 * removed. */
struct portsec_owner_claim {
    struct cmap_node node;      /* In 'br->owner_claims'. */
    struct portsec_port *port;  /* Claims are removed before the port is
                                 * released, which frees it after a grace
                                 * period. */
    struct owner_key key;

    /* Set by any thread when a verdict cached in a megaflow depended on
     * the claim (ARP and ND suppression): its removal then revalidates
     * the bridge's flows, as a used binding's does (see
     * lib/portsec-binding.h).  Kept here rather than on the binding, so
     * that the lookup touches no memory of the claiming port. */
    atomic_bool used;
};

/* The prefix lengths shorter than 128 of a bridge's claims, longest
 * first.  Immutable once published. */
struct portsec_owner_plens {
    size_t n;
    uint8_t plens[];
};

static uint32_t
claim_hash(const struct in6_addr *ip, uint16_t vlan, uint8_t plen)
{
    return hash_bytes(ip, sizeof *ip, hash_int(vlan << 8 | plen, 0));
}

void
portsec_owner_bridge_init(struct portsec_bridge *br)
{
    ovs_mutex_init(&br->owner_mutex);
    cmap_init(&br->owner_claims);
    ovsrcu_init(&br->owner_plens, NULL);
    memset(br->owner_n_plen, 0, sizeof br->owner_n_plen);
}

void
portsec_owner_bridge_destroy(struct portsec_bridge *br)
{
    /* Each port removed its claims when it was unregistered. */
    ovs_assert(cmap_is_empty(&br->owner_claims));
    cmap_destroy(&br->owner_claims);
    free(ovsrcu_get_protected(struct portsec_owner_plens *,
                              &br->owner_plens));
    ovs_mutex_destroy(&br->owner_mutex);
}

/* Publishes the prefix lengths shorter than 128 that 'br' has claims for,
 * if they changed. */
static void
update_plens(struct portsec_bridge *br)
    OVS_REQUIRES(br->owner_mutex)
{
    struct portsec_owner_plens *old, *new;
    size_t n = 0;

    for (int plen = 127; plen >= 0; plen--) {
        n += br->owner_n_plen[plen] > 0;
    }
    old = ovsrcu_get_protected(struct portsec_owner_plens *,
                               &br->owner_plens);
    new = n ? xmalloc(sizeof *new + n) : NULL;
    if (new) {
        new->n = 0;
        for (int plen = 127; plen >= 0; plen--) {
            if (br->owner_n_plen[plen]) {
                new->plens[new->n++] = plen;
            }
        }
    }
    if (old && new && old->n == new->n
        && !memcmp(old->plens, new->plens, n)) {
        free(new);
        return;
    } else if (!old && !new) {
        return;
    }
    ovsrcu_set(&br->owner_plens, new);
    ovsrcu_postpone(free, old);
}

static int
compare_keys(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(struct owner_key));
}

static void
add_key(struct owner_key **keys, size_t *n, size_t *allocated,
        const struct in6_addr *ip, unsigned int plen, uint16_t vlan,
        struct eth_addr mac, bool dynamic)
{
    struct in6_addr mask = ipv6_create_mask(plen);
    struct owner_key *key;

    if (*n >= *allocated) {
        *keys = x2nrealloc(*keys, allocated, sizeof **keys);
    }
    key = &(*keys)[(*n)++];
    memset(key, 0, sizeof *key);
    key->ip = ipv6_addr_bitand(ip, &mask);
    key->vlan = vlan;
    key->plen = plen;
    key->dynamic = dynamic;
    key->mac = mac;
}

/* Returns the claims that 'port' must have, sorted, in a malloc()'d array
 * of '*n' keys. */
static struct owner_key *
port_wanted_keys(const struct portsec_port *port, size_t *n)
{
    const struct portsec_policy *policy
        = ovsrcu_get(struct portsec_policy *, &port->policy);
    struct owner_key *keys = NULL;
    size_t allocated = 0;

    *n = 0;
    if (!policy || !policy->has_settings) {
        return NULL;
    }
    for (size_t i = 0; i < policy->n_static_bindings; i++) {
        const struct portsec_static_binding *b = &policy->static_bindings[i];

        add_key(&keys, n, &allocated, &b->ip, b->plen, policy->native_vlan,
                b->mac, false);
    }

    size_t n_bindings;
    struct portsec_binding *bindings = portsec_binding_snapshot(
        port->bindings, &n_bindings);
    for (size_t i = 0; i < n_bindings; i++) {
        add_key(&keys, n, &allocated, &bindings[i].ip, 128, bindings[i].vlan,
                bindings[i].mac, true);
    }
    free(bindings);

    if (*n) {
        qsort(keys, *n, sizeof *keys, compare_keys);
    }
    return keys;
}

static struct portsec_owner_claim *
claim_insert(struct portsec_port *port, const struct owner_key *key)
    OVS_REQUIRES(port->br->owner_mutex)
{
    struct portsec_bridge *br = port->br;
    struct portsec_owner_claim *claim = xmalloc(sizeof *claim);

    claim->port = port;
    memcpy(&claim->key, key, sizeof claim->key);   /* Padding included. */
    atomic_init(&claim->used, false);
    cmap_insert(&br->owner_claims, &claim->node,
                claim_hash(&key->ip, key->vlan, key->plen));
    br->owner_n_plen[key->plen]++;
    return claim;
}

/* Removes 'claim' of 'port'.  Returns true if a cached verdict depended
 * on it. */
static bool
claim_remove(struct portsec_port *port, struct portsec_owner_claim *claim)
    OVS_REQUIRES(port->br->owner_mutex)
{
    struct portsec_bridge *br = port->br;
    const struct owner_key *key = &claim->key;
    bool used;

    cmap_remove(&br->owner_claims, &claim->node,
                claim_hash(&key->ip, key->vlan, key->plen));
    br->owner_n_plen[key->plen]--;
    atomic_read_relaxed(&claim->used, &used);
    ovsrcu_postpone(free, claim);
    return used;
}

/* Makes the claims of 'port' those of 'keys', 'n' sorted keys.  Adds the
 * new claims before it removes the old ones, so that a lookup meanwhile
 * sees an address that changes hands claimed, if contested, rather than
 * free. */
static void
port_set_claims(struct portsec_port *port, const struct owner_key *keys,
                size_t n)
    OVS_REQUIRES(port->br->owner_mutex)
{
    struct portsec_owner_claim **old = port->owner_claims;
    size_t n_old = port->n_owner_claims;
    struct portsec_owner_claim **new, **gone;
    size_t i = 0, j = 0, n_new = 0, n_gone = 0;
    bool need_revalidate = false;

    new = xmalloc(MAX(n, 1) * sizeof *new);
    gone = xmalloc(MAX(n_old, 1) * sizeof *gone);
    while (i < n_old || j < n) {
        int cmp = (i >= n_old ? 1
                   : j >= n ? -1
                   : compare_keys(&old[i]->key, &keys[j]));

        if (cmp < 0) {
            gone[n_gone++] = old[i++];
        } else if (cmp > 0) {
            new[n_new++] = claim_insert(port, &keys[j++]);
        } else {
            new[n_new++] = old[i++];
            j++;
        }
    }
    for (i = 0; i < n_gone; i++) {
        need_revalidate |= claim_remove(port, gone[i]);
    }
    if (need_revalidate) {
        portsec_bridge_need_revalidate(port->br);
    }
    if (n_gone || n_new != n_old) {
        COVERAGE_INC(portsec_owner_claim_change);
        update_plens(port->br);
    }
    free(gone);
    free(old);
    port->owner_claims = new;
    port->n_owner_claims = n_new;
}

void
portsec_owner_port_sync(struct portsec_port *port)
    OVS_EXCLUDED(port->br->owner_mutex)
{
    ovs_mutex_lock(&port->br->owner_mutex);
    if (!port->owner_removed) {
        size_t n;
        struct owner_key *keys = port_wanted_keys(port, &n);

        port_set_claims(port, keys, n);
        free(keys);
    }
    ovs_mutex_unlock(&port->br->owner_mutex);
}

/* The observer of each port's binding table. */
static void
bindings_changed(void *port_)
{
    portsec_owner_port_sync(port_);
}

void
portsec_owner_port_init(struct portsec_port *port)
{
    port->owner_claims = NULL;
    port->n_owner_claims = 0;
    port->owner_removed = false;
    portsec_binding_table_set_observer(port->bindings, bindings_changed,
                                       port);
}

void
portsec_owner_port_remove(struct portsec_port *port)
    OVS_EXCLUDED(port->br->owner_mutex)
{
    ovs_mutex_lock(&port->br->owner_mutex);
    port_set_claims(port, NULL, 0);
    free(port->owner_claims);
    port->owner_claims = NULL;
    port->owner_removed = true;
    ovs_mutex_unlock(&port->br->owner_mutex);
}

/* The claims to 'ip' (masked to 'plen') in 'vlan' on 'br', other than by
 * 'except', folded into '*owner', '*mac' and '*contested'. */
static void
find_claims(const struct portsec_bridge *br, const struct in6_addr *ip,
            uint16_t vlan, uint8_t plen, const struct portsec_port *except,
            bool mark_used, struct portsec_port **owner,
            struct eth_addr *mac, bool *contested)
{
    struct in6_addr mask = ipv6_create_mask(plen);
    struct in6_addr masked = ipv6_addr_bitand(ip, &mask);
    const struct portsec_owner_claim *claim;

    CMAP_FOR_EACH_WITH_HASH (claim, node, claim_hash(&masked, vlan, plen),
                             &br->owner_claims) {
        const struct owner_key *key = &claim->key;

        if (key->vlan != vlan || key->plen != plen
            || !ipv6_addr_equals(&key->ip, &masked)
            || claim->port == except) {
            continue;
        }
        if (mark_used) {
            bool used;

            atomic_read_relaxed(&CONST_CAST(struct portsec_owner_claim *,
                                            claim)->used, &used);
            if (!used) {
                atomic_store_relaxed(&CONST_CAST(struct portsec_owner_claim *,
                                                 claim)->used, true);
            }
        }
        if (!*owner) {
            *owner = claim->port;
            *mac = key->mac;
        } else if (*owner != claim->port
                   || !eth_addr_equals(*mac, key->mac)) {
            *contested = true;
        }
    }
}

struct portsec_port *
portsec_owner_find(const struct portsec_bridge *br,
                   const struct in6_addr *ip, uint16_t vlan,
                   enum portsec_owner_scope scope,
                   const struct portsec_port *except, bool mark_used,
                   struct eth_addr *mac, bool *contested)
{
    struct portsec_port *owner = NULL;

    *contested = false;
    find_claims(br, ip, vlan, 128, except, mark_used, &owner, mac,
                contested);
    if (scope == PORTSEC_OWNER_COVERING) {
        const struct portsec_owner_plens *plens
            = ovsrcu_get(struct portsec_owner_plens *, &br->owner_plens);

        for (size_t i = 0; plens && i < plens->n; i++) {
            find_claims(br, ip, vlan, plens->plens[i], except, mark_used,
                        &owner, mac, contested);
        }
    }
    return owner;
}

/* Reports that bindings of 'port' changed (any thread), and, if
 * 'need_revalidate', that flows cached with the old bindings may be
 * stale.  On a bridge with ARP or ND suppression, any change may make a
 * cached answer or flood stale. */
void
portsec_port_bindings_changed(struct portsec_port *port, bool need_revalidate)
{
    unsigned int n_suppressing;

    COVERAGE_INC(portsec_binding_change);
    atomic_read_relaxed(&port->br->n_suppressing, &n_suppressing);
    if (need_revalidate || n_suppressing) {
        portsec_bridge_need_revalidate(port->br);
    }
    seq_change(portsec_bindings_seq());
}
