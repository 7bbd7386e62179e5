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

#ifndef OFPROTO_PORTSEC_H
#define OFPROTO_PORTSEC_H 1

/* Port security through the ofproto provider interface.
 * ======================================================
 *
 * The bridge (vswitchd/bridge-portsec.c) reaches a provider's port
 * security only through these functions, as it reaches mirror statistics
 * through ofproto_mirror_get_stats(): each dispatches to a member of
 * 'struct ofproto_class' (ofproto/ofproto-provider.h, "Port security"),
 * and a provider that leaves a member NULL does not support it, which
 * these functions report as EOPNOTSUPP.  ofproto-dpif implements them in
 * ofproto-dpif-portsec*.c.
 *
 * The policy itself travels with the other per-port settings, in
 * 'struct ofproto_bundle_settings' (member 'portsec').
 *
 * Two kinds of members:
 *
 *   - Per port: the status and statistics of the bundle that the bridge
 *     registered with key 'aux' (ofproto_bundle_register()).
 *
 *   - Per class, for state that spans every bridge of a provider (the
 *     bindings, datapath-ext, the packets that suppression sends), as
 *     upstream's 'init' and 'enumerate_types' are: the functions below call
 *     the member of each registered class once, whatever the number of
 *     datapath types that the class serves.
 *
 * Threading: main thread only, like the rest of ofproto.h. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portsec-binding.h"

struct ofproto;
struct smap;

/* Per port. */

/* Fills 'status' with the security_status keys and 'err_disabled' with what
 * the Port's err_disabled column must hold (persist_err_disabled) for the
 * bundle of 'ofproto' with key 'aux'; the keys are those of the Port table
 * in ovs-vswitchd.conf.db(5).  Both must be initialized and are only added
 * to.  Returns 0, ENOENT (adding nothing) if that bundle has no port
 * security settings, or EOPNOTSUPP (adding nothing) if 'ofproto''s
 * provider has no port security.  Main thread. */
int ofproto_portsec_get_status(struct ofproto *ofproto, void *aux,
                               struct smap *status,
                               struct smap *err_disabled);

/* The most statistics that a provider may report for one port. */
#define OFPROTO_PORTSEC_MAX_STATS 64

/* The security_statistics of one port. */
struct ofproto_portsec_stats {
    size_t n;                   /* Number of keys, at most
                                 * OFPROTO_PORTSEC_MAX_STATS. */
    const char *keys[OFPROTO_PORTSEC_MAX_STATS];  /* Static strings, the
                                                   * keys of the Port's
                                                   * security_statistics. */
    uint64_t values[OFPROTO_PORTSEC_MAX_STATS];   /* Packets, events or
                                                   * current counts, as
                                                   * each key says. */

    /* True if the port's status changed in a way that a statistics update
     * reveals (a violation, or the port reached or fell below its
     * mac_learn_limit) since its status was last read, so that the caller
     * should refresh the status too. */
    bool status_changed;
};

/* Fills 'stats' with the security_statistics of the bundle of 'ofproto'
 * with key 'aux'.  Returns 0, ENOENT (with 'stats->n' 0) if that bundle has
 * no port security settings, or EOPNOTSUPP (with 'stats->n' 0) if
 * 'ofproto''s provider has no port security.  Main thread. */
int ofproto_portsec_get_stats(struct ofproto *ofproto, void *aux,
                              struct ofproto_portsec_stats *stats);

/* Per class. */

/* Host-wide port security settings. */
struct ofproto_portsec_settings {
    /* Whether the provider may enforce in the kernel too (Open_vSwitch
     * other_config:datapath-ext, true by default); translation enforces
     * either way. */
    bool datapath_ext;

    /* True if the bridges were reconfigured since the last call: the
     * provider rechecks what configuration can undo (e.g. ingress
     * policing re-creating the qdisc that holds a kernel filter). */
    bool reconfigured;

    /* Why no port can have port security (e.g. the database lacks its
     * columns), or NULL if ports can.  The provider's ovs-appctl commands
     * answer with it.  Copied. */
    const char *unavailable;
};

/* Does the host-wide periodic work of each provider, with 's': kernel
 * filters, packets to send, 's->unavailable'.  Returns EOPNOTSUPP if no
 * registered provider has port security, otherwise 0. */
int ofproto_portsec_run(const struct ofproto_portsec_settings *s);

/* Arranges for poll_block() to wake up when ofproto_portsec_run() has
 * work. */
void ofproto_portsec_wait(void);

/* One binding of one port, as the IP_Source_Binding table holds it. */
struct ofproto_portsec_binding {
    const char *port;           /* Port name, valid until the next
                                 * configuration change. */
    const struct ofproto *ofproto;  /* The port's bridge. */
    struct portsec_binding binding;
    unsigned int plen;          /* Prefix length of binding.ip as IPv6:
                                 * 128 except for static prefixes. */
};

/* Stores in '*bindings' every binding (static ones included) of every port
 * of every bridge, in a malloc()'d array of '*n' entries that the caller
 * frees with free(), sorted by bridge, port, VLAN, MAC and IP within each
 * provider.  Returns 0, or EOPNOTSUPP (with '*bindings' NULL and '*n' 0) if
 * no registered provider has port security. */
int ofproto_portsec_bindings_export(struct ofproto_portsec_binding **bindings,
                                    size_t *n);

/* Restores dynamic binding 'b' of the port named 'port', read back from the
 * database when ovs-vswitchd starts.  Returns 0 if some provider took it;
 * ENOENT if no port of that name has port security; ENOSPC if the port
 * refused it (no longer snooping its family, or at its binding limit);
 * EOPNOTSUPP if no registered provider has port security. */
int ofproto_portsec_binding_restore(const char *port,
                                    const struct portsec_binding *b);

/* Returns a number that increases whenever some binding of some provider
 * changes (a handler thread may change one at any time).
 * ofproto_portsec_bindings_wait() wakes the poll loop when it differs from
 * 'seqno', the value that ofproto_portsec_bindings_seqno() returned.  Both
 * ignore providers without port security. */
uint64_t ofproto_portsec_bindings_seqno(void);
void ofproto_portsec_bindings_wait(uint64_t seqno);

#endif /* ofproto-portsec.h */
