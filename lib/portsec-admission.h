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

#ifndef PORTSEC_ADMISSION_H
#define PORTSEC_ADMISSION_H 1

/* Port admission: the port security address table of one port.
 * ============================================================
 *
 * A port with a MAC learning limit admits the source MACs of the frames it
 * receives, up to the limit, the way Cisco's port security fills a port's
 * secure address table: a frame from an admitted MAC goes on to the
 * OpenFlow pipeline; a frame from a MAC that is new once the table is full
 * meets the port's violation policy.  Admission is a property of the port,
 * decided at ingress for every frame before anything else looks at it, so
 * it holds whatever the pipeline does next (NORMAL, "output:",
 * "controller", "learn"); NORMAL's MAC learning table only learns what
 * this table admitted.
 *
 * The table holds dynamically admitted entries, keyed by MAC and VLAN (as
 * NORMAL's table is, so a MAC in two VLANs of a trunk takes two entries).
 * Secure MACs are the policy's (lib/port-security.h): they are always
 * admitted and never take an entry.  Each entry remembers when a frame
 * from it was last seen, for aging and for choosing what to forget when
 * the limit is lowered (least recently used first).
 *
 * Threading
 * ---------
 *
 * Lookups (portsec_admission_contains()) and refreshes
 * (portsec_admission_refresh()) are lock-free, from any thread, inside an
 * RCU read section: handler threads do them on every translation of a
 * frame from a limited port.  Admission (portsec_admission_admit()) takes
 * the table's mutex, so that however many handler threads admit new MACs
 * at once, the table never holds more than the limit, not even for a
 * moment.  Removal (trim, expire, flush) also takes the mutex; removed
 * entries are freed after an RCU grace period.  Every function may be
 * called from any thread; in ovs-vswitchd the removals run in the main
 * thread.
 *
 * Times are in milliseconds, on time_msec()'s clock.
 */

#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"

struct portsec_admission;

/* One admitted MAC, as reported by the table. */
struct portsec_admitted {
    struct eth_addr mac;
    uint16_t vlan;
    long long int used;         /* Last seen, time_msec(). */
};

/* Creates an empty table whose entries age out 'aging_ms' milliseconds
 * after they were last seen (see portsec_admission_set_aging()). */
struct portsec_admission *portsec_admission_create(long long int aging_ms);

/* Frees 'table' and its entries at once.  The caller must make sure that
 * no other thread can still use it (postpone with ovsrcu_postpone()).
 * NULL is a no-op. */
void portsec_admission_destroy(struct portsec_admission *table);

/* Sets how long an entry stays after it was last seen, in ms (> 0).  A
 * shorter aging time takes effect at the next portsec_admission_expire(). */
void portsec_admission_set_aging(struct portsec_admission *table,
                                 long long int aging_ms);

/* Returns true if 'mac' in 'vlan' is admitted (dynamically: secure MACs are
 * the caller's).  Lock-free; any thread, in an RCU read section. */
bool portsec_admission_contains(const struct portsec_admission *table,
                                struct eth_addr mac, uint16_t vlan);

/* Records that a frame from 'mac' in 'vlan' was seen at 'now', if it is
 * admitted; otherwise does nothing.  Lock-free; any thread, in an RCU read
 * section.  Time never goes backward for an entry. */
void portsec_admission_refresh(struct portsec_admission *table,
                               struct eth_addr mac, uint16_t vlan,
                               long long int now);

enum portsec_admit_result {
    PORTSEC_ADMIT_KNOWN,        /* Already admitted; refreshed. */
    PORTSEC_ADMIT_NEW,          /* Admitted now. */
    PORTSEC_ADMIT_FULL,         /* Not admitted: the table has 'limit'
                                 * entries. */
};

/* Admits 'mac' in 'vlan', seen at 'now', unless the table already holds
 * 'limit' entries (0 to PORTSEC_MAX_MAC_LEARN_LIMIT).  Exact under any
 * number of concurrent callers: takes the table's mutex.  Any thread. */
enum portsec_admit_result portsec_admission_admit(
    struct portsec_admission *table, struct eth_addr mac, uint16_t vlan,
    size_t limit, long long int now);

/* Returns the number of admitted entries.  Any thread. */
size_t portsec_admission_count(const struct portsec_admission *table);

/* Returns a number that changes whenever an entry is added to or removed
 * from 'table' (refreshing one does not change it), so that a copy of the
 * table kept elsewhere (datapath-ext's map) knows when it is stale.  Any
 * thread; lock-free. */
uint64_t portsec_admission_version(const struct portsec_admission *table);

/* Each of the following removes entries and returns how many, storing
 * them in '*removed' (a malloc()'d array the caller frees, NULL when none
 * is removed) so that the caller can forget them elsewhere too. */

/* Removes the least recently used entries beyond 'limit'.  O(1) when the
 * table holds at most 'limit' entries, otherwise O(n log n). */
size_t portsec_admission_trim(struct portsec_admission *table, size_t limit,
                              struct portsec_admitted **removed);

/* Removes the entries not seen for the aging time as of 'now'.  Scans the
 * table only when its oldest entry may be due, and at most once a second,
 * so that a table whose entries are all in use costs O(1) most of the
 * time. */
size_t portsec_admission_expire(struct portsec_admission *table,
                                long long int now,
                                struct portsec_admitted **removed);

/* Removes the entries of 'mac', in every VLAN. */
size_t portsec_admission_remove_mac(struct portsec_admission *table,
                                    struct eth_addr mac,
                                    struct portsec_admitted **removed);

/* Removes every entry (the port was err-disabled, or cleared). */
size_t portsec_admission_flush(struct portsec_admission *table,
                               struct portsec_admitted **removed);

/* Returns the time at which portsec_admission_expire() next has work, or
 * LLONG_MAX if the table is empty. */
long long int portsec_admission_next_expiry(
    const struct portsec_admission *table);

/* Returns every entry, sorted by VLAN and MAC, in a malloc()'d array of
 * '*n' entries (NULL if there are none).  Any thread; a snapshot. */
struct portsec_admitted *portsec_admission_snapshot(
    const struct portsec_admission *table, size_t *n);

#endif /* portsec-admission.h */
