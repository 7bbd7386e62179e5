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
#include "portsec-binding.h"

#include <stdlib.h>
#include <string.h>

#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "packets.h"
#include "util.h"

/* A binding as stored: immutable once published, except 'used'. */
struct binding_entry {
    struct portsec_binding b;
    atomic_bool used;           /* A lookup let a packet through. */
};

/* The set of a table's bindings, replaced as a whole on every change. */
struct binding_set {
    size_t n;
    long long int next_expiry;  /* Earliest 'expires', LLONG_MAX if none. */
    struct binding_entry *entries[];
};

struct denied_tuple {
    struct eth_addr mac;
    uint16_t vlan;
    struct in6_addr ip;
};

struct portsec_binding_table {
    OVSRCU_TYPE(struct binding_set *) set;

    /* Serializes changes.  Also protects the members below. */
    struct ovs_mutex mutex;
    struct denied_tuple denied[PORTSEC_BINDING_MAX_DENIED]
        OVS_GUARDED;
    size_t n_denied OVS_GUARDED;
    bool denied_overflow OVS_GUARDED;   /* More than fit in 'denied'. */

    /* Called after each change, with 'mutex' held; set before the table
     * is shared (see portsec_binding_table_set_observer()). */
    void (*changed)(void *aux);
    void *changed_aux;
};

static const struct binding_set empty_set = {
    .n = 0,
    .next_expiry = LLONG_MAX,
};

const char *
portsec_binding_source_to_string(enum portsec_binding_source source)
{
    switch (source) {
    case PORTSEC_BINDING_DHCP:
        return "dhcp";
    case PORTSEC_BINDING_DHCPV6:
        return "dhcpv6";
    case PORTSEC_BINDING_STATIC:
        return "static";
    case PORTSEC_BINDING_ARP:
        return "arp";
    case PORTSEC_BINDING_ND:
        return "nd";
    }
    OVS_NOT_REACHED();
}

bool
portsec_binding_source_from_string(const char *s,
                                   enum portsec_binding_source *source)
{
    for (int i = PORTSEC_BINDING_DHCP; i <= PORTSEC_BINDING_ND; i++) {
        if (!strcmp(s, portsec_binding_source_to_string(i))) {
            *source = i;
            return true;
        }
    }
    return false;
}

struct portsec_binding_table *
portsec_binding_table_create(void)
{
    struct portsec_binding_table *table = xzalloc(sizeof *table);

    ovsrcu_init(&table->set, CONST_CAST(struct binding_set *, &empty_set));
    ovs_mutex_init(&table->mutex);
    return table;
}

void
portsec_binding_table_set_observer(struct portsec_binding_table *table,
                                   void (*changed)(void *aux), void *aux)
{
    table->changed = changed;
    table->changed_aux = aux;
}

static void
set_free(struct binding_set *set)
{
    if (set != &empty_set) {
        free(set);
    }
}

static void
set_free_with_entries(struct binding_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->entries[i]);
    }
    set_free(set);
}

static void
table_free(struct portsec_binding_table *table)
{
    set_free_with_entries(ovsrcu_get_protected(struct binding_set *,
                                               &table->set));
    ovs_mutex_destroy(&table->mutex);
    free(table);
}

void
portsec_binding_table_destroy(struct portsec_binding_table *table)
{
    if (table) {
        ovsrcu_postpone(table_free, table);
    }
}

static const struct binding_set *
get_set(const struct portsec_binding_table *table)
{
    return ovsrcu_get(struct binding_set *, &table->set);
}

static bool
entry_matches(const struct binding_entry *e, struct eth_addr mac,
              const struct in6_addr *ip, uint16_t vlan)
{
    return (e->b.vlan == vlan
            && eth_addr_equals(e->b.mac, mac)
            && ipv6_addr_equals(&e->b.ip, ip));
}

bool
portsec_binding_lookup(const struct portsec_binding_table *table,
                       struct eth_addr mac, const struct in6_addr *ip,
                       uint16_t vlan)
{
    const struct binding_set *set = get_set(table);

    /* A port holds at most PORTSEC_MAX_MAX_BINDINGS, usually a handful, so
     * a linear search is as fast as anything fancier. */
    for (size_t i = 0; i < set->n; i++) {
        struct binding_entry *e = set->entries[i];

        if (entry_matches(e, mac, ip, vlan)) {
            bool used;

            atomic_read_relaxed(&e->used, &used);
            if (!used) {
                atomic_store_relaxed(&e->used, true);
            }
            return true;
        }
    }
    return false;
}

size_t
portsec_binding_lookup_ip(const struct portsec_binding_table *table,
                          const struct in6_addr *ip, uint16_t vlan,
                          bool mark_used, struct eth_addr *mac)
{
    const struct binding_set *set = get_set(table);
    size_t n = 0;

    for (size_t i = 0; i < set->n; i++) {
        struct binding_entry *e = set->entries[i];

        if (e->b.vlan == vlan && ipv6_addr_equals(&e->b.ip, ip)) {
            bool used;

            atomic_read_relaxed(&e->used, &used);
            if (mark_used && !used) {
                atomic_store_relaxed(&e->used, true);
            }
            *mac = e->b.mac;
            n++;
        }
    }
    return n;
}

/* Returns the index of ('mac', 'ip', 'vlan') in 'table->denied', or
 * SIZE_MAX if it is not there. */
static size_t
find_denied(const struct portsec_binding_table *table, struct eth_addr mac,
            const struct in6_addr *ip, uint16_t vlan)
    OVS_REQUIRES(table->mutex)
{
    for (size_t i = 0; i < table->n_denied; i++) {
        const struct denied_tuple *d = &table->denied[i];

        if (d->vlan == vlan && eth_addr_equals(d->mac, mac)
            && ipv6_addr_equals(&d->ip, ip)) {
            return i;
        }
    }
    return SIZE_MAX;
}

void
portsec_binding_note_denied(struct portsec_binding_table *table,
                            struct eth_addr mac, const struct in6_addr *ip,
                            uint16_t vlan)
{
    ovs_mutex_lock(&table->mutex);
    if (!table->denied_overflow
        && find_denied(table, mac, ip, vlan) == SIZE_MAX) {
        if (table->n_denied < PORTSEC_BINDING_MAX_DENIED) {
            struct denied_tuple *d = &table->denied[table->n_denied++];

            d->mac = mac;
            d->vlan = vlan;
            d->ip = *ip;
        } else {
            table->denied_overflow = true;
        }
    }
    ovs_mutex_unlock(&table->mutex);
}

size_t
portsec_binding_count(const struct portsec_binding_table *table)
{
    return get_set(table)->n;
}

size_t
portsec_binding_count_source(const struct portsec_binding_table *table,
                             enum portsec_binding_source source)
{
    const struct binding_set *set = get_set(table);
    size_t n = 0;

    for (size_t i = 0; i < set->n; i++) {
        n += set->entries[i]->b.source == source;
    }
    return n;
}

long long int
portsec_binding_next_expiry(const struct portsec_binding_table *table)
{
    return get_set(table)->next_expiry;
}

/* Returns true, and forgets the note, if a verdict for ('mac', 'ip',
 * 'vlan') was noted as denied (or if there were too many to note). */
static bool
take_denied(struct portsec_binding_table *table, struct eth_addr mac,
            const struct in6_addr *ip, uint16_t vlan)
    OVS_REQUIRES(table->mutex)
{
    if (table->denied_overflow) {
        /* Every flow is about to be revalidated, so every note would be
         * stale: start over. */
        table->denied_overflow = false;
        table->n_denied = 0;
        return true;
    }
    size_t i = find_denied(table, mac, ip, vlan);
    if (i != SIZE_MAX) {
        table->denied[i] = table->denied[--table->n_denied];
        return true;
    }
    return false;
}

static bool
entry_was_used(struct binding_entry *e)
{
    bool used;

    atomic_read_relaxed(&e->used, &used);
    return used;
}

/* Publishes a new set made of the 'n' entries in 'entries' (copied) and
 * frees, after a grace period, the old set and the 'n_old' entries in
 * 'old', which must no longer be in 'entries'. */
static void
publish(struct portsec_binding_table *table,
        struct binding_entry **entries, size_t n,
        struct binding_entry **old, size_t n_old)
    OVS_REQUIRES(table->mutex)
{
    struct binding_set *set = xmalloc(sizeof *set + n * sizeof *entries);
    struct binding_set *prev;

    set->n = n;
    set->next_expiry = LLONG_MAX;
    for (size_t i = 0; i < n; i++) {
        set->entries[i] = entries[i];
        set->next_expiry = MIN(set->next_expiry, entries[i]->b.expires);
    }
    prev = ovsrcu_get_protected(struct binding_set *, &table->set);
    ovsrcu_set(&table->set, set);
    ovsrcu_postpone(set_free, prev);
    for (size_t i = 0; i < n_old; i++) {
        ovsrcu_postpone(free, old[i]);
    }
    if (table->changed) {
        table->changed(table->changed_aux);
    }
}

enum portsec_binding_add_result
portsec_binding_add(struct portsec_binding_table *table,
                    const struct portsec_binding *b, size_t max,
                    bool *need_revalidate)
{
    enum portsec_binding_add_result result;
    const struct binding_set *set;
    struct binding_entry **entries;
    struct binding_entry *old = NULL;
    struct binding_entry *e;
    size_t n;

    ovs_mutex_lock(&table->mutex);
    set = ovsrcu_get_protected(struct binding_set *, &table->set);
    entries = xmalloc((set->n + 1) * sizeof *entries);
    n = 0;
    size_t n_counted = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (entry_matches(set->entries[i], b->mac, &b->ip, b->vlan)) {
            old = set->entries[i];
        } else {
            entries[n++] = set->entries[i];
        }
        n_counted += !portsec_binding_source_is_snooped(
            set->entries[i]->b.source);
    }
    if (!old && n_counted >= max) {
        free(entries);
        ovs_mutex_unlock(&table->mutex);
        return PORTSEC_BINDING_FULL;
    }

    e = xzalloc(sizeof *e);
    e->b = *b;
    atomic_init(&e->used, old ? entry_was_used(old) : false);
    entries[n++] = e;
    if (old) {
        result = PORTSEC_BINDING_RENEWED;
    } else {
        result = PORTSEC_BINDING_ADDED;
        if (take_denied(table, b->mac, &b->ip, b->vlan)) {
            *need_revalidate = true;
        }
    }
    publish(table, entries, n, &old, old ? 1 : 0);
    free(entries);
    ovs_mutex_unlock(&table->mutex);
    return result;
}

enum portsec_binding_add_result
portsec_binding_add_snooped(struct portsec_binding_table *table,
                            const struct portsec_binding *b, size_t max,
                            bool *need_revalidate)
{
    const struct binding_set *set;
    struct binding_entry **entries;
    struct binding_entry *e;
    size_t n_same = 0;

    ovs_assert(portsec_binding_source_is_snooped(b->source));
    ovs_mutex_lock(&table->mutex);
    set = ovsrcu_get_protected(struct binding_set *, &table->set);
    for (size_t i = 0; i < set->n; i++) {
        if (entry_matches(set->entries[i], b->mac, &b->ip, b->vlan)) {
            ovs_mutex_unlock(&table->mutex);
            return PORTSEC_BINDING_RENEWED;
        }
        n_same += set->entries[i]->b.source == b->source;
    }
    if (n_same >= max) {
        ovs_mutex_unlock(&table->mutex);
        return PORTSEC_BINDING_FULL;
    }

    entries = xmalloc((set->n + 1) * sizeof *entries);
    memcpy(entries, set->entries, set->n * sizeof *entries);
    e = xzalloc(sizeof *e);
    e->b = *b;
    atomic_init(&e->used, false);
    entries[set->n] = e;
    if (take_denied(table, b->mac, &b->ip, b->vlan)) {
        *need_revalidate = true;
    }
    publish(table, entries, set->n + 1, NULL, 0);
    free(entries);
    ovs_mutex_unlock(&table->mutex);
    return PORTSEC_BINDING_ADDED;
}

/* Returns true if 'e' is a snooped binding of 'mac' in 'vlan' that
 * expires before 'due'. */
static bool
refresh_due(const struct binding_entry *e, struct eth_addr mac,
            uint16_t vlan, long long int due)
{
    return (portsec_binding_source_is_snooped(e->b.source)
            && e->b.vlan == vlan && eth_addr_equals(e->b.mac, mac)
            && e->b.expires < due);
}

size_t
portsec_binding_refresh(struct portsec_binding_table *table,
                        struct eth_addr mac, uint16_t vlan,
                        long long int due, long long int expires)
{
    const struct binding_set *set = get_set(table);
    struct binding_entry **entries, **old;
    size_t n_old = 0;
    bool any = false;

    for (size_t i = 0; i < set->n && !any; i++) {
        any = refresh_due(set->entries[i], mac, vlan, due);
    }
    if (!any) {
        return 0;
    }

    ovs_mutex_lock(&table->mutex);
    set = ovsrcu_get_protected(struct binding_set *, &table->set);
    entries = xmalloc(MAX(set->n, 1) * sizeof *entries);
    old = xmalloc(MAX(set->n, 1) * sizeof *old);
    for (size_t i = 0; i < set->n; i++) {
        struct binding_entry *e = set->entries[i];

        if (refresh_due(e, mac, vlan, due)) {
            struct binding_entry *fresh = xmemdup(e, sizeof *e);

            fresh->b.expires = expires;
            atomic_init(&fresh->used, entry_was_used(e));
            old[n_old++] = e;
            e = fresh;
        }
        entries[i] = e;
    }
    if (n_old) {
        publish(table, entries, set->n, old, n_old);
    }
    free(entries);
    free(old);
    ovs_mutex_unlock(&table->mutex);
    return n_old;
}

/* Removes from 'table' the bindings for which 'victim(e, aux)' is true.
 * Returns the number removed. */
static size_t
remove_if(struct portsec_binding_table *table,
          bool (*victim)(const struct binding_entry *, const void *aux),
          const void *aux, bool *need_revalidate)
{
    const struct binding_set *set;
    struct binding_entry **keep, **gone;
    size_t n_keep = 0, n_gone = 0;

    ovs_mutex_lock(&table->mutex);
    set = ovsrcu_get_protected(struct binding_set *, &table->set);
    if (!set->n) {
        ovs_mutex_unlock(&table->mutex);
        return 0;
    }
    keep = xmalloc(set->n * sizeof *keep);
    gone = xmalloc(set->n * sizeof *gone);
    for (size_t i = 0; i < set->n; i++) {
        struct binding_entry *e = set->entries[i];

        if (victim(e, aux)) {
            gone[n_gone++] = e;
            if (entry_was_used(e)) {
                *need_revalidate = true;
            }
        } else {
            keep[n_keep++] = e;
        }
    }
    if (n_gone) {
        publish(table, keep, n_keep, gone, n_gone);
    }
    free(keep);
    free(gone);
    ovs_mutex_unlock(&table->mutex);
    return n_gone;
}

struct match_aux {
    struct eth_addr mac;
    const struct in6_addr *ip;      /* NULL to match any. */
    uint16_t vlan;
    enum portsec_binding_source source;
};

static bool
is_match(const struct binding_entry *e, const void *aux_)
{
    const struct match_aux *aux = aux_;

    if (aux->ip) {
        return entry_matches(e, aux->mac, aux->ip, aux->vlan);
    }
    return (e->b.vlan == aux->vlan && eth_addr_equals(e->b.mac, aux->mac)
            && e->b.source == aux->source);
}

bool
portsec_binding_remove(struct portsec_binding_table *table,
                       struct eth_addr mac, const struct in6_addr *ip,
                       uint16_t vlan, bool *need_revalidate)
{
    struct match_aux aux = { .mac = mac, .ip = ip, .vlan = vlan };

    return remove_if(table, is_match, &aux, need_revalidate) > 0;
}

size_t
portsec_binding_remove_mac(struct portsec_binding_table *table,
                           struct eth_addr mac, uint16_t vlan,
                           enum portsec_binding_source source,
                           bool *need_revalidate)
{
    struct match_aux aux = { .mac = mac, .vlan = vlan, .source = source };

    return remove_if(table, is_match, &aux, need_revalidate);
}

static bool
is_from_source(const struct binding_entry *e, const void *source_)
{
    const enum portsec_binding_source *source = source_;

    return e->b.source == *source;
}

size_t
portsec_binding_remove_source(struct portsec_binding_table *table,
                              enum portsec_binding_source source,
                              bool *need_revalidate)
{
    return remove_if(table, is_from_source, &source, need_revalidate);
}

static bool
is_any(const struct binding_entry *e OVS_UNUSED, const void *aux OVS_UNUSED)
{
    return true;
}

size_t
portsec_binding_clear(struct portsec_binding_table *table,
                      bool *need_revalidate)
{
    return remove_if(table, is_any, NULL, need_revalidate);
}

static bool
is_expired(const struct binding_entry *e, const void *now_)
{
    const long long int *now = now_;

    return e->b.expires <= *now;
}

size_t
portsec_binding_expire(struct portsec_binding_table *table,
                       long long int now, long long int *next,
                       bool *need_revalidate)
{
    size_t n = 0;

    if (get_set(table)->next_expiry <= now) {
        n = remove_if(table, is_expired, &now, need_revalidate);
    }
    *next = get_set(table)->next_expiry;
    return n;
}

struct portsec_binding *
portsec_binding_snapshot(const struct portsec_binding_table *table,
                         size_t *n)
{
    const struct binding_set *set = get_set(table);
    struct portsec_binding *copy;

    copy = xmalloc(MAX(set->n, 1) * sizeof *copy);
    for (size_t i = 0; i < set->n; i++) {
        copy[i] = set->entries[i]->b;
    }
    *n = set->n;
    return copy;
}

char *
portsec_binding_ip_to_string(const struct in6_addr *ip, unsigned int plen)
{
    char s[INET6_ADDRSTRLEN];

    ipv6_string_mapped(s, ip);
    if (plen < 128) {
        return xasprintf("%s/%u", s,
                         IN6_IS_ADDR_V4MAPPED(ip) ? plen - 96 : plen);
    }
    return xstrdup(s);
}
