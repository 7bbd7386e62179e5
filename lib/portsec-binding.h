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

#ifndef PORTSEC_BINDING_H
#define PORTSEC_BINDING_H 1

/* A port's dynamic IP source bindings.
 * ====================================
 *
 * A binding says that a port may use an IP address with a MAC in a VLAN,
 * as the DHCP snooping binding database of a Cisco switch does.  This
 * module holds the bindings that DHCP and DHCPv6 snooping, and ARP and ND
 * snooping (trust on first use), learn for one port (static bindings come
 * from the port's policy, see lib/port-security.h).
 *
 * Bindings are looked up during flow translation, so a verdict that
 * depends on them is cached in a megaflow.  When bindings change, the
 * datapath flows must be revalidated only if a cached verdict may be
 * stale, which this module tracks, so that DHCP churn does not cost a
 * full revalidation per lease:
 *
 *   - a new binding makes stale only the flows that dropped its (MAC, IP,
 *     VLAN): lookups that fail note the tuple (portsec_binding_note_denied())
 *     in a small per-port list;
 *
 *   - a removed binding makes stale only the flows that it let through:
 *     lookups that succeed mark the binding used.
 *
 * Threading: lookups run in any thread without locking (RCU: the set of
 * bindings is replaced as a whole on every change, and each binding is
 * immutable except for its 'used' mark).  Changes run in any thread
 * (handlers learn bindings from DHCP packets) and are serialized by a
 * per-table mutex.  A table must be destroyed only when no thread can
 * reach it any more, other than through an RCU read section. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "openvswitch/types.h"
#include "ovs-atomic.h"

/* Where a binding comes from.  The names are those of the
 * IP_Source_Binding table's "source" column. */
enum portsec_binding_source {
    PORTSEC_BINDING_DHCP,       /* DHCPv4 ACK (RFC 2131). */
    PORTSEC_BINDING_DHCPV6,     /* DHCPv6 REPLY (RFC 8415). */
    PORTSEC_BINDING_STATIC,     /* The port's port_security column. */
    PORTSEC_BINDING_ARP,        /* ARP snooping: the sender protocol
                                 * address of an ARP packet (RFC 826). */
    PORTSEC_BINDING_ND,         /* ND snooping: the source of an NS or the
                                 * target of an NA (RFC 4861). */
};

/* Returns true if 'source' is ARP or ND snooping, whose bindings are made
 * on first use and refreshed by the guest's traffic. */
static inline bool
portsec_binding_source_is_snooped(enum portsec_binding_source source)
{
    return source == PORTSEC_BINDING_ARP || source == PORTSEC_BINDING_ND;
}

/* Returns "dhcp", "dhcpv6", "static", "arp" or "nd". */
const char *portsec_binding_source_to_string(enum portsec_binding_source);

/* Parses "dhcp", "dhcpv6", "static", "arp" or "nd" into '*source'.
 * Returns false if 's' is none of them. */
bool portsec_binding_source_from_string(const char *s,
                                        enum portsec_binding_source *source);

/* One binding. */
struct portsec_binding {
    struct eth_addr mac;
    uint16_t vlan;                  /* 0 to 4095. */
    struct in6_addr ip;             /* IPv6, or IPv4-mapped. */
    enum portsec_binding_source source;
    long long int expires;          /* time_msec() at which the lease ends,
                                     * LLONG_MAX for never. */
    bool has_server;
    struct in6_addr server;         /* IPv6 or IPv4-mapped, if
                                     * 'has_server'. */
};

struct portsec_binding_table;

/* Creates an empty table.  Never returns NULL. */
struct portsec_binding_table *portsec_binding_table_create(void);

/* Frees 'table' (NULL is a no-op) after an RCU grace period, so that
 * threads that found it before it became unreachable may still read it. */
void portsec_binding_table_destroy(struct portsec_binding_table *table);

/* Has 'changed'('aux') called after every change of 'table''s bindings,
 * in the thread that made it, with the table's mutex held and the new set
 * of bindings already published (portsec_binding_snapshot() returns it):
 * for an index of bindings across tables, which the callback brings up to
 * date.  The callback must not change 'table'.  Call before 'table' is
 * shared with other threads; NULL 'changed' for none. */
void portsec_binding_table_set_observer(struct portsec_binding_table *table,
                                        void (*changed)(void *aux),
                                        void *aux);

/* Lookups (any thread). */

/* Returns true if 'table' has a binding for ('mac', 'ip', 'vlan'), and
 * marks that binding used.  Lock-free. */
bool portsec_binding_lookup(const struct portsec_binding_table *table,
                            struct eth_addr mac, const struct in6_addr *ip,
                            uint16_t vlan);

/* Returns the number of bindings in 'table' for 'ip' in 'vlan' (one per
 * MAC, whatever it is), and stores the MAC of one of them in '*mac' if
 * there is any.  If 'mark_used', marks them used, so that removing one
 * revalidates the flows that the lookup's verdict cached: ARP and ND
 * suppression, which answer for an address on its owner's behalf, do;
 * duplicate address detection across ports, whose refusals are revalidated
 * otherwise, does not.  Lock-free, O(bindings). */
size_t portsec_binding_lookup_ip(const struct portsec_binding_table *table,
                                 const struct in6_addr *ip, uint16_t vlan,
                                 bool mark_used, struct eth_addr *mac);

/* Notes that a verdict for ('mac', 'ip', 'vlan') was a drop because it has
 * no binding, so that a binding for it revalidates the flows.  Keeps up to
 * PORTSEC_BINDING_MAX_DENIED tuples, then remembers only that there were
 * more.  Takes the table's mutex. */
void portsec_binding_note_denied(struct portsec_binding_table *table,
                                 struct eth_addr mac,
                                 const struct in6_addr *ip, uint16_t vlan);
#define PORTSEC_BINDING_MAX_DENIED 16

/* Returns the number of bindings in 'table'. */
size_t portsec_binding_count(const struct portsec_binding_table *table);

/* Returns the number of bindings in 'table' whose source is 'source'.
 * Lock-free, O(n). */
size_t portsec_binding_count_source(const struct portsec_binding_table *,
                                    enum portsec_binding_source source);

/* Changes (any thread; each takes the table's mutex).  Every function that
 * changes the table sets '*need_revalidate' to true if cached verdicts may
 * be stale as a result (it never sets it to false). */

/* How portsec_binding_add() went. */
enum portsec_binding_add_result {
    PORTSEC_BINDING_ADDED,      /* A new binding. */
    PORTSEC_BINDING_RENEWED,    /* Existed: expiry and server updated. */
    PORTSEC_BINDING_FULL,       /* New, but 'table' already holds 'max'
                                 * bindings: not added. */
};

/* Adds 'b' to 'table', or renews the binding with the same MAC, IP and
 * VLAN (whatever its source), unless 'table' already holds 'max' bindings
 * that are not from ARP or ND snooping and 'b' is new. */
enum portsec_binding_add_result portsec_binding_add(
    struct portsec_binding_table *table, const struct portsec_binding *b,
    size_t max, bool *need_revalidate);

/* Adds 'b', whose source must be ARP or ND snooping and which must not be
 * in 'table' yet, unless 'table' already holds 'max' bindings of the same
 * source (other sources do not count), in which case it returns
 * PORTSEC_BINDING_FULL.  If 'table' has the same MAC, IP and VLAN already,
 * from any source, it returns PORTSEC_BINDING_RENEWED and changes
 * nothing. */
enum portsec_binding_add_result portsec_binding_add_snooped(
    struct portsec_binding_table *table, const struct portsec_binding *b,
    size_t max, bool *need_revalidate);

/* Extends to 'expires' (time_msec()) the expiry of every ARP and ND
 * snooping binding of 'mac' in 'vlan' that expires before 'due'
 * (time_msec()), so that the guest's own traffic keeps them.  Returns the
 * number refreshed.  Lock-free and O(n) when none is due, which is the
 * usual case: callers pass a 'due' that is half a binding timeout ahead,
 * so that each binding is replaced at most twice per timeout. */
size_t portsec_binding_refresh(struct portsec_binding_table *table,
                               struct eth_addr mac, uint16_t vlan,
                               long long int due, long long int expires);

/* Removes the binding ('mac', 'ip', 'vlan').  Returns true if there was
 * one. */
bool portsec_binding_remove(struct portsec_binding_table *table,
                            struct eth_addr mac, const struct in6_addr *ip,
                            uint16_t vlan, bool *need_revalidate);

/* Removes every binding of 'mac' in 'vlan' whose source is 'source' (what
 * a DHCPNAK does).  Returns the number removed. */
size_t portsec_binding_remove_mac(struct portsec_binding_table *table,
                                  struct eth_addr mac, uint16_t vlan,
                                  enum portsec_binding_source source,
                                  bool *need_revalidate);

/* Removes every binding whose source is 'source' (what turning ARP or ND
 * snooping off does).  Returns the number removed. */
size_t portsec_binding_remove_source(struct portsec_binding_table *table,
                                     enum portsec_binding_source source,
                                     bool *need_revalidate);

/* Removes every binding.  Returns the number removed. */
size_t portsec_binding_clear(struct portsec_binding_table *table,
                             bool *need_revalidate);

/* Removes the bindings that expire at or before 'now' (time_msec()), and
 * stores in '*next' the earliest expiry of those that remain (LLONG_MAX if
 * none).  Returns the number removed.  O(1) when nothing has expired. */
size_t portsec_binding_expire(struct portsec_binding_table *table,
                              long long int now, long long int *next,
                              bool *need_revalidate);

/* Returns the earliest expiry in 'table', LLONG_MAX if none. */
long long int portsec_binding_next_expiry(
    const struct portsec_binding_table *table);

/* Returns 'ip' (IPv6 or IPv4-mapped, as in a binding) as a malloc()'d
 * string that the caller must free(): IPv4-mapped addresses as IPv4, and
 * followed by "/PLEN" if 'plen', the prefix length of 'ip' as an IPv6
 * address (0 to 128), is less than 128, PLEN being in the address's own
 * family. */
char *portsec_binding_ip_to_string(const struct in6_addr *ip,
                                   unsigned int plen);

/* Returns a copy of 'table''s bindings, in no particular order, in a
 * malloc()'d array that the caller must free(), and its size in '*n'. */
struct portsec_binding *portsec_binding_snapshot(
    const struct portsec_binding_table *table, size_t *n);

#endif /* portsec-binding.h */
