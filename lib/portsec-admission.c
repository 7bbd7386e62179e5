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
#include "portsec-admission.h"

#include <stdlib.h>

#include "cmap.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "packets.h"
#include "random.h"
#include "util.h"

/* The shortest interval between two scans for aged-out entries, in ms. */
#define EXPIRE_INTERVAL_MS 1000

struct admission_entry {
    struct cmap_node node;      /* In 'table->entries'. */
    struct eth_addr mac;
    uint16_t vlan;
    atomic_llong used;          /* Last seen, time_msec(). */
};

struct portsec_admission {
    /* Held by every writer of 'entries' and for the fields below it.
     * Readers of 'entries' take no lock (RCU). */
    struct ovs_mutex mutex;
    struct cmap entries;        /* "struct admission_entry"s. */
    uint32_t secret;            /* Hash basis, against collision floods. */

    /* Incremented, under 'mutex', whenever an entry is added or removed
     * (not when one is refreshed). */
    atomic_uint64_t version;

    long long int aging_ms OVS_GUARDED;
    long long int next_expiry OVS_GUARDED;  /* See
                                             * portsec_admission_expire(). */
};

/* Notes that an entry of 'table' was added or removed. */
static void
admission_changed(struct portsec_admission *table)
    OVS_REQUIRES(table->mutex)
{
    uint64_t orig;

    atomic_add_relaxed(&table->version, 1, &orig);
}

static uint32_t
entry_hash(const struct portsec_admission *table, struct eth_addr mac,
           uint16_t vlan)
{
    return hash_mac(mac, vlan, table->secret);
}

static struct admission_entry *
entry_lookup(const struct portsec_admission *table, struct eth_addr mac,
             uint16_t vlan)
{
    struct admission_entry *e;

    CMAP_FOR_EACH_WITH_HASH (e, node, entry_hash(table, mac, vlan),
                             &table->entries) {
        if (e->vlan == vlan && eth_addr_equals(e->mac, mac)) {
            return e;
        }
    }
    return NULL;
}

static long long int
entry_used(const struct admission_entry *e)
{
    long long int used;

    atomic_read_relaxed(&CONST_CAST(struct admission_entry *, e)->used,
                        &used);
    return used;
}

static void
entry_touch(struct admission_entry *e, long long int now)
{
    /* Racing refreshes may store an older time; that only makes the entry
     * look a few ms older than it is. */
    if (entry_used(e) < now) {
        atomic_store_relaxed(&e->used, now);
    }
}

struct portsec_admission *
portsec_admission_create(long long int aging_ms)
{
    struct portsec_admission *table = xzalloc(sizeof *table);

    ovs_mutex_init(&table->mutex);
    cmap_init(&table->entries);
    table->secret = random_uint32();
    atomic_init(&table->version, 0);
    ovs_mutex_lock(&table->mutex);
    table->aging_ms = aging_ms;
    table->next_expiry = LLONG_MAX;
    ovs_mutex_unlock(&table->mutex);
    return table;
}

void
portsec_admission_destroy(struct portsec_admission *table)
{
    if (table) {
        struct admission_entry *e;

        CMAP_FOR_EACH (e, node, &table->entries) {
            free(e);
        }
        cmap_destroy(&table->entries);
        ovs_mutex_destroy(&table->mutex);
        free(table);
    }
}

void
portsec_admission_set_aging(struct portsec_admission *table,
                            long long int aging_ms)
    OVS_EXCLUDED(table->mutex)
{
    ovs_mutex_lock(&table->mutex);
    if (table->aging_ms != aging_ms) {
        table->aging_ms = aging_ms;
        if (!cmap_is_empty(&table->entries)) {
            table->next_expiry = LLONG_MIN;   /* Rescan. */
        }
    }
    ovs_mutex_unlock(&table->mutex);
}

bool
portsec_admission_contains(const struct portsec_admission *table,
                           struct eth_addr mac, uint16_t vlan)
{
    return entry_lookup(table, mac, vlan) != NULL;
}

void
portsec_admission_refresh(struct portsec_admission *table,
                          struct eth_addr mac, uint16_t vlan,
                          long long int now)
{
    struct admission_entry *e = entry_lookup(table, mac, vlan);

    if (e) {
        entry_touch(e, now);
    }
}

enum portsec_admit_result
portsec_admission_admit(struct portsec_admission *table, struct eth_addr mac,
                        uint16_t vlan, size_t limit, long long int now)
    OVS_EXCLUDED(table->mutex)
{
    enum portsec_admit_result result;
    struct admission_entry *e;

    ovs_mutex_lock(&table->mutex);
    e = entry_lookup(table, mac, vlan);
    if (e) {
        entry_touch(e, now);
        result = PORTSEC_ADMIT_KNOWN;
    } else if (cmap_count(&table->entries) >= limit) {
        result = PORTSEC_ADMIT_FULL;
    } else {
        e = xmalloc(sizeof *e);
        e->mac = mac;
        e->vlan = vlan;
        atomic_init(&e->used, now);
        cmap_insert(&table->entries, &e->node, entry_hash(table, mac, vlan));
        admission_changed(table);
        table->next_expiry = MIN(table->next_expiry, now + table->aging_ms);
        result = PORTSEC_ADMIT_NEW;
    }
    ovs_mutex_unlock(&table->mutex);
    return result;
}

size_t
portsec_admission_count(const struct portsec_admission *table)
{
    return cmap_count(&table->entries);
}

uint64_t
portsec_admission_version(const struct portsec_admission *table_)
{
    struct portsec_admission *table = CONST_CAST(struct portsec_admission *,
                                                 table_);
    uint64_t version;

    atomic_read_relaxed(&table->version, &version);
    return version;
}

/* Removes 'e', reporting it in 'removed[(*n)++]'. */
static void
entry_remove(struct portsec_admission *table, struct admission_entry *e,
             struct portsec_admitted *removed, size_t *n)
    OVS_REQUIRES(table->mutex)
{
    removed[(*n)++] = (struct portsec_admitted) {
        .mac = e->mac,
        .vlan = e->vlan,
        .used = entry_used(e),
    };
    cmap_remove(&table->entries, &e->node,
                entry_hash(table, e->mac, e->vlan));
    admission_changed(table);
    ovsrcu_postpone(free, e);
}

static int
compare_by_used(const void *a_, const void *b_)
{
    const struct admission_entry *const *a = a_;
    const struct admission_entry *const *b = b_;
    long long int ua = entry_used(*a), ub = entry_used(*b);

    return (ua > ub) - (ua < ub);
}

size_t
portsec_admission_trim(struct portsec_admission *table, size_t limit,
                       struct portsec_admitted **removedp)
    OVS_EXCLUDED(table->mutex)
{
    struct portsec_admitted *removed = NULL;
    size_t n_removed = 0;

    ovs_mutex_lock(&table->mutex);
    size_t count = cmap_count(&table->entries);
    if (count > limit) {
        struct admission_entry **entries = xmalloc(count * sizeof *entries);
        struct admission_entry *e;
        size_t n = 0;

        CMAP_FOR_EACH (e, node, &table->entries) {
            entries[n++] = e;
        }
        qsort(entries, n, sizeof *entries, compare_by_used);
        removed = xmalloc((n - limit) * sizeof *removed);
        for (size_t i = 0; i < n - limit; i++) {
            entry_remove(table, entries[i], removed, &n_removed);
        }
        free(entries);
    }
    ovs_mutex_unlock(&table->mutex);

    *removedp = removed;
    return n_removed;
}

size_t
portsec_admission_expire(struct portsec_admission *table, long long int now,
                         struct portsec_admitted **removedp)
    OVS_EXCLUDED(table->mutex)
{
    struct portsec_admitted *removed = NULL;
    size_t n_removed = 0;

    ovs_mutex_lock(&table->mutex);
    if (now >= table->next_expiry) {
        long long int oldest = LLONG_MAX;
        struct admission_entry *e;

        removed = xmalloc(cmap_count(&table->entries) * sizeof *removed);
        CMAP_FOR_EACH (e, node, &table->entries) {
            long long int used = entry_used(e);

            if (now - used >= table->aging_ms) {
                entry_remove(table, e, removed, &n_removed);
            } else {
                oldest = MIN(oldest, used);
            }
        }
        table->next_expiry = (oldest == LLONG_MAX
                              ? LLONG_MAX
                              : MAX(oldest + table->aging_ms,
                                    now + EXPIRE_INTERVAL_MS));
        if (!n_removed) {
            free(removed);
            removed = NULL;
        }
    }
    ovs_mutex_unlock(&table->mutex);

    *removedp = removed;
    return n_removed;
}

/* Removes the entries of 'mac', or every entry if 'mac' is NULL. */
static size_t
admission_remove(struct portsec_admission *table, const struct eth_addr *mac,
                 struct portsec_admitted **removedp)
    OVS_EXCLUDED(table->mutex)
{
    struct portsec_admitted *removed = NULL;
    struct admission_entry *e;
    size_t n_removed = 0;

    ovs_mutex_lock(&table->mutex);
    if (!cmap_is_empty(&table->entries)) {
        removed = xmalloc(cmap_count(&table->entries) * sizeof *removed);
        CMAP_FOR_EACH (e, node, &table->entries) {
            if (!mac || eth_addr_equals(*mac, e->mac)) {
                entry_remove(table, e, removed, &n_removed);
            }
        }
    }
    if (cmap_is_empty(&table->entries)) {
        table->next_expiry = LLONG_MAX;
    }
    ovs_mutex_unlock(&table->mutex);

    if (!n_removed) {
        free(removed);
        removed = NULL;
    }
    *removedp = removed;
    return n_removed;
}

size_t
portsec_admission_remove_mac(struct portsec_admission *table,
                             struct eth_addr mac,
                             struct portsec_admitted **removed)
{
    return admission_remove(table, &mac, removed);
}

size_t
portsec_admission_flush(struct portsec_admission *table,
                        struct portsec_admitted **removed)
{
    return admission_remove(table, NULL, removed);
}

long long int
portsec_admission_next_expiry(const struct portsec_admission *table_)
    OVS_EXCLUDED(table_->mutex)
{
    struct portsec_admission *table = CONST_CAST(struct portsec_admission *,
                                                 table_);
    long long int next;

    ovs_mutex_lock(&table->mutex);
    next = table->next_expiry;
    ovs_mutex_unlock(&table->mutex);
    return next;
}

static int
compare_admitted(const void *a_, const void *b_)
{
    const struct portsec_admitted *a = a_;
    const struct portsec_admitted *b = b_;

    return (a->vlan != b->vlan
            ? (a->vlan > b->vlan) - (a->vlan < b->vlan)
            : eth_addr_compare_3way(a->mac, b->mac));
}

struct portsec_admitted *
portsec_admission_snapshot(const struct portsec_admission *table, size_t *n)
{
    size_t allocated = cmap_count(&table->entries);
    struct portsec_admitted *entries = NULL;
    const struct admission_entry *e;

    *n = 0;
    CMAP_FOR_EACH (e, node, &table->entries) {
        if (*n >= allocated) {
            entries = x2nrealloc(entries, &allocated, sizeof *entries);
        } else if (!entries) {
            entries = xmalloc(allocated * sizeof *entries);
        }
        entries[(*n)++] = (struct portsec_admitted) {
            .mac = e->mac,
            .vlan = e->vlan,
            .used = entry_used(e),
        };
    }
    if (*n) {
        qsort(entries, *n, sizeof *entries, compare_admitted);
    }
    return entries;
}
