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

#ifndef OFPROTO_DPIF_PORTSEC_PRIVATE_H
#define OFPROTO_DPIF_PORTSEC_PRIVATE_H 1

/* Port security enforcement in ofproto-dpif: what its files share.
 * =================================================================
 *
 * ofproto-dpif-portsec.h is the contract with the hooks.  Behind it, one
 * file per concept:
 *
 *   ofproto-dpif-portsec.c         the registry of bridges and ports, their
 *                                  configuration, err-disable, periodic
 *                                  work, the xlate entry points and the
 *                                  last violation;
 *   ofproto-dpif-portsec-admit.c   admission of source MACs under the
 *                                  learning limit (the table itself is
 *                                  lib/portsec-admission.c) and its
 *                                  effect on NORMAL's MAC learning table;
 *   ofproto-dpif-portsec-snoop.c   DHCP snooping and address inspection in
 *                                  translation: pending requests, binding
 *                                  and unbinding, trusted and untrusted
 *                                  ports;
 *   ofproto-dpif-portsec-owner.c   the owners of addresses: each bridge's
 *                                  index from (VLAN, IP) to the port that
 *                                  holds it, its conflict rule, and what
 *                                  a binding change does to the bridge;
 *   ofproto-dpif-portsec-unixctl.c the ovs-appctl commands;
 *   ofproto-dpif-portsec-status.c  what is written into the Port table:
 *                                  security_status, security_statistics,
 *                                  err_disabled (ofproto_class members);
 *   ofproto-dpif-portsec-class.c   the ofproto_class members that are not
 *                                  per bridge: host-wide run and wait, the
 *                                  export of bindings to the database and
 *                                  their restore at startup;
 *   ofproto-dpif-portsec-dpext.c   datapath-ext's filters and maps;
 *   ofproto-dpif-portsec-dpext-sync.c  their map updates, and failing
 *                                  open (-dpext-private.h);
 *   ofproto-dpif-portsec-suppress.c ARP and ND suppression: requests for
 *                                  another port's bound address answered
 *                                  on its behalf;
 *   ofproto-dpif-portsec-l2proto.c BPDU guard, BPDU filter and the
 *                                  protocol blocks (block_non_ip,
 *                                  block_dhcp_client);
 *   ofproto-dpif-portsec-storm.c   storm control: each port's datapath
 *                                  meters, and err-disable on their drops;
 *   ofproto-dpif-portsec-xcache.c  counting: XC_PORTSEC entries, the
 *                                  counts of cached flows, and what
 *                                  revalidation does to them.
 *
 * This header is for those files only.
 *
 * Threading: as in ofproto-dpif-portsec.h.  Each field below says who
 * writes it and who may read it. */

#include <stdbool.h>
#include <stdint.h>

#include "cmap.h"
#include "mac-learning.h"
#include "ofproto-dpif-portsec.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/thread.h"
#include "openvswitch/token-bucket.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "port-security.h"

enum slow_path_reason;
struct ds;
struct flow;
struct flow_wildcards;
struct mac_learning;
struct portsec_admission;
struct portsec_binding_table;
struct portsec_policy;
struct seq;
struct xlate_in;
struct xlate_out;

/* The secure MACs of all the ports of a bridge, sorted, immutable. */
struct portsec_mac_set {
    size_t n;
    struct eth_addr macs[];
};

/* A list of bundles, immutable once published. */
struct portsec_bundle_list {
    size_t n;
    const struct ofbundle *bundles[];
};

/* Port security state of one bridge (one ofproto). */
struct portsec_bridge {
    struct hmap_node node;          /* In 'portsec_bridges', by 'ofproto'
                                     * (main thread), while the bridge has
                                     * ports with port security. */

    /* References: 'portsec_bridges' (while the bridge is in it) and each
     * xbridge that points to the bridge (see portsec_bridge_get()).  The
     * bridge is freed an RCU grace period after the last one goes. */
    struct ovs_refcount ref_cnt;

    struct ofproto_dpif *ofproto_dpif;  /* Immutable. */
    const struct ofproto *ofproto;  /* &ofproto_dpif->up, immutable. */
    struct mac_learning *ml;        /* Holds a reference. */
    struct hmap ports;              /* "struct portsec_port"s by 'aux'. */

    /* The same ports, for any thread in an RCU read section (the main
     * thread inserts and removes them): only for the rare scan that finds
     * a DHCP client's port (see ofproto-dpif-portsec-snoop.c).
     * Translation reaches the port of a bundle through its xbundle. */
    struct cmap ports_rcu;          /* "struct portsec_port"s by 'aux'. */

    /* Every secure MAC of every port of the bridge, for the check that
     * keeps a port's secure MAC from showing up on another port. */
    OVSRCU_TYPE(struct portsec_mac_set *) secure_macs;

    /* The ports with promiscuous=accept, NULL if none (see
     * portsec_xlate_promiscuous()), NULL too once the bridge has no port
     * with port security left.  Written by the main thread, read by any
     * thread (RCU). */
    OVSRCU_TYPE(struct portsec_bundle_list *) promiscuous;

    /* Number of ports with dhcp_snooping, for trusted ports to know
     * whether DHCP server messages need snooping.  Written by the main
     * thread. */
    atomic_uint n_snooping;

    /* Number of ports with arp_suppression or nd_suppression: while there
     * is any, every new binding revalidates the flows (a request for its
     * address may be cached as flooded).  Written by the main thread. */
    atomic_uint n_suppressing;

    /* DHCP client requests waiting for an answer. */
    struct ovs_mutex pending_mutex;
    struct hmap pending OVS_GUARDED;    /* Contains "struct
                                         * pending_request"s. */
    long long int next_pending_expiry;  /* Main thread only, ms. */

    /* Set by any thread when a binding change makes cached flows stale;
     * acted on (rate-limited) by portsec_run(). */
    atomic_bool need_revalidate;
    struct seq *revalidate_seq;         /* Changes when it is set. */
    uint64_t revalidate_seqno;          /* Main thread only. */
    long long int last_revalidate;      /* Main thread only, ms. */

    /* datapath-ext state, NULL if none yet (main thread only). */
    struct portsec_dpext_bridge *dpext;

    /* The owners of addresses (ofproto-dpif-portsec-owner.c): the claims
     * of the bridge's ports to addresses, by (VLAN, prefix length,
     * address), and the prefix lengths shorter than 128 among them.
     * Changed by any thread (the main thread as policies change, handlers
     * as bindings do) under 'owner_mutex'; read by any thread in an RCU
     * read section, lock-free. */
    struct ovs_mutex owner_mutex;
    struct cmap owner_claims;       /* "struct portsec_owner_claim"s. */
    OVSRCU_TYPE(struct portsec_owner_plens *) owner_plens;
    unsigned int owner_n_plen[129] OVS_GUARDED;
};

/* A violation: a frame that a port's policy dropped (or forwarded
 * without admitting its source MAC) in translation. */
struct portsec_violation {
    long long int when;             /* Wall clock, ms (time_wall_msec()). */
    char reason[128];               /* As logged. */
    struct eth_addr mac;            /* Ethernet source of the frame. */
    uint16_t vlan;                  /* Its VLAN, as portsec_frame_vlan(). */
};

/* Port security state of one bundle. */
struct portsec_port {
    /* Immutable while registered.  Written by the main thread; the nodes
     * are the main thread's, the rest is read by any thread. */
    struct hmap_node br_node;       /* In 'br->ports', by 'aux'. */
    struct cmap_node rcu_node;      /* In 'br->ports_rcu', by 'aux'. */
    const struct ofbundle *bundle;  /* Also the MAC
                                     * learning table's port. */
    const void *aux;                /* Bundle key given by bridge.c. */
    struct portsec_bridge *br;      /* Freed after an RCU grace period. */
    char *name;                     /* The Port's name, which the schema
                                     * makes immutable; read by handlers in
                                     * portsec_log_violation(). */

    OVSRCU_TYPE(struct portsec_policy *) policy;

    /* References: the registry (from portsec_bundle_set() to
     * port_unregister()), each xbundle that points to the port (the
     * translation configuration holds it until it is freed, after an RCU
     * grace period), each XC_PORTSEC entry and each pending DHCP request.
     * The port is freed an RCU grace period after the last one goes. */
    struct ovs_refcount ref_cnt;

    /* Whether the port was unregistered (its bundle lost its port security
     * settings or went away).  Set once by the main thread, before it tears
     * the port's state down and frees its bridge after an RCU grace period;
     * read by any thread, which then treats the port as one without port
     * security, as it did before the port got it: an xbundle keeps
     * pointing to the port until the next translation configuration is
     * committed. */
    atomic_bool unregistered;

    /* The MACs admitted under 'mac_learn_limit' (lib/portsec-admission.h).
     * Read and filled by any thread; aged, trimmed and flushed by the main
     * thread. */
    struct portsec_admission *admission;

    /* Why the port is err-disabled, PORTSEC_CAUSE_NONE if it is not: set
     * by any thread, cleared by recovery (main thread). */
    atomic_int err_disabled;            /* enum portsec_err_disable_cause. */

    /* Main thread only. */
    bool err_disabled_seen;         /* 'err_disabled' as last acted on. */
    bool kept_table;                /* Whether the last portsec_admit_run()
                                     * found a limit (an address table). */
    long long int err_disabled_at;  /* When it was seen, in ms. */
    long long int err_disabled_wall;    /* The same, wall clock, ms. */

    atomic_ullong counters[PORTSEC_N_STATS];

    /* Dynamic bindings, learned by DHCP snooping in any thread. */
    struct portsec_binding_table *bindings;

    /* dhcp_rate_limit: each client message takes 1000 tokens. */
    struct ovs_mutex dhcp_mutex;
    struct token_bucket dhcp_bucket OVS_GUARDED;
    unsigned int dhcp_rate OVS_GUARDED;     /* Packets per second. */

    /* This port's requests in 'br->pending', least recently refreshed
     * first, and their number, protected by 'br->pending_mutex'. */
    struct ovs_list pending;
    unsigned int n_pending;

    /* The last violation by a real frame (not a revalidation),
     * recorded by any thread, and the number recorded so far.
     * 'n_violations_shown' is the main thread's: 'n_violations' when
     * security_status was last written. */
    struct ovs_mutex violation_mutex;
    struct portsec_violation last_violation OVS_GUARDED;
    uint64_t n_violations OVS_GUARDED;
    uint64_t n_violations_shown;

    /* Whether security_status, when the main thread last wrote it, said
     * that the port had admitted its mac_learn_limit MACs. */
    bool limit_reached_shown;

    /* datapath-ext state, NULL if none yet (main thread only). */
    struct portsec_dpext_port *dpext;

    /* Storm control (ofproto-dpif-portsec-storm.c).  'storm_meter' is the
     * datapath meter of each class, UINT32_MAX for none: written by the
     * main thread, read by translation in any thread.  The rest is the
     * main thread's: the rate each meter was set to, the drops of meters
     * since deleted or set again, the drops seen by the last check for
     * storm_control_action=shutdown, when the next check is due (ms), and
     * why storm control is not enforced (NULL if it is). */
    atomic_uint32_t storm_meter[PORTSEC_N_STORM];
    unsigned int storm_rate_set[PORTSEC_N_STORM];
    uint64_t storm_base[PORTSEC_N_STORM];
    uint64_t storm_seen[PORTSEC_N_STORM];
    long long int storm_next_check;
    char *storm_error;

    /* ARP and ND suppression: the datapath port of each of the port's
     * interfaces, to answer a request out of the interface that it came
     * in on; NULL unless the port has arp_suppression or nd_suppression.
     * Written by the main thread, read by any thread (RCU). */
    OVSRCU_TYPE(struct portsec_odp_ports *) odp_ports;

    /* The port's claims in 'br->owner_claims', sorted, and whether the port
     * was removed from the index (it then gets no claims any more), under
     * 'br->owner_mutex'. */
    struct portsec_owner_claim **owner_claims;
    size_t n_owner_claims;
    bool owner_removed;
};


/* Why a port is err-disabled. */
enum portsec_err_disable_cause {
    PORTSEC_CAUSE_NONE,             /* It is not. */
    PORTSEC_CAUSE_MAC_LEARN_LIMIT,  /* mac_learn_limit_policy=shutdown. */
    PORTSEC_CAUSE_BPDU_GUARD,       /* A BPDU on a port with bpdu_guard. */
    PORTSEC_CAUSE_STORM_CONTROL,    /* storm_control_action=shutdown. */
};

/* The number of causes, PORTSEC_CAUSE_NONE included: one more than the
 * last.  Not an enumerator, so that switches over the causes need no case
 * for it. */
#define PORTSEC_N_CAUSES (PORTSEC_CAUSE_STORM_CONTROL + 1)

/* Returns the security_status:reason for 'cause', e.g. "mac_learn_limit
 * exceeded". */
const char *portsec_err_disable_reason(enum portsec_err_disable_cause);

/* Returns the name of 'cause' in the Port's err_disabled column, e.g.
 * "mac_learn_limit". */
const char *portsec_err_disable_cause_to_string(
    enum portsec_err_disable_cause);

/* The registry (ofproto-dpif-portsec.c). */

/* All "struct portsec_bridge"s that have ports with port security, by
 * ofproto.  Main thread only. */
extern struct hmap portsec_bridges;

/* Returns the ports of 'br' that have port security settings, sorted by
 * name, and their number in '*n'.  The caller must free the array.  Main
 * thread only. */
struct portsec_port **portsec_bridge_ports(const struct portsec_bridge *br,
                                           size_t *n);

/* Returns the port named 'name' that has port security state, on any
 * bridge, or NULL.  Main thread. */
struct portsec_port *portsec_port_from_name(const char *name);

/* Returns the port of 'ofproto' with bundle key 'aux' (given by bridge.c)
 * and its policy in '*policyp' if it has port security settings,
 * otherwise NULL.  Main thread. */
struct portsec_port *portsec_port_from_aux(
    const struct ofproto *ofproto, const void *aux,
    const struct portsec_policy **policyp);

/* Returns 'port' (NULL for none), as its xbundle or a pending request
 * holds it, and its policy in '*policyp', if it is still registered and has
 * port security settings (policy->has_settings), otherwise NULL.  Any
 * thread, in an RCU read section; lock-free. */
struct portsec_port *portsec_port_with_settings(
    struct portsec_port *port, const struct portsec_policy **policyp);

static inline enum portsec_err_disable_cause
portsec_port_err_disable_cause(struct portsec_port *port)
{
    int cause;

    atomic_read_relaxed(&port->err_disabled, &cause);
    return cause;
}

static inline bool
portsec_port_is_err_disabled(struct portsec_port *port)
{
    return portsec_port_err_disable_cause(port) != PORTSEC_CAUSE_NONE;
}

/* Marks 'port' err-disabled for 'cause' (any thread), unless it already
 * is; the main thread acts on it in portsec_run().  Brings it back (main
 * thread only). */
void portsec_port_err_disable(struct portsec_port *,
                              enum portsec_err_disable_cause cause);
void portsec_port_recover(struct portsec_port *);

/* Counting and logging (any thread). */

static inline void
portsec_port_count_n(struct portsec_port *port, enum portsec_stat stat,
                     uint64_t n)
{
    unsigned long long int orig;

    atomic_add_relaxed(&port->counters[stat], n, &orig);
}

/* Adds to 'xin''s xlate cache, if it has one, or else to the entries kept
 * for the udpif_key of 'xin' if it translates a miss upcall
 * (portsec_upcall_xlate_begin()), an XC_PORTSEC entry that holds a
 * reference to 'port', for 'counter' (an enum portsec_stat, or
 * PORTSEC_XC_REFRESH with the admitted 'mac' and 'vlan' to refresh):
 * fresh if the cache holds the stale entries of a translation that this
 * one replaces, else current (enum portsec_xc_state). */
void portsec_port_cache(const struct xlate_in *xin, struct portsec_port *port,
                        int counter, struct eth_addr mac, uint16_t vlan);

/* Counts the packets that 'xin' translates for 'stat' of 'port', now and,
 * through the xlate cache, for as long as the resulting megaflow lives. */
void portsec_port_count(const struct xlate_in *xin, struct portsec_port *port,
                        enum portsec_stat stat);

/* Drops the frame that 'xin' translates on 'port' for 'stat': counts it
 * with portsec_port_count() and logs 'reason' with
 * portsec_log_violation().  Returns 'reason'. */
const char *portsec_port_drop(const struct xlate_in *xin,
                              struct portsec_port *port,
                              enum portsec_stat stat, const char *reason);

/* Logs 'reason', a violation by the frame that 'xin' translates on 'port',
 * rate-limited, and records it as the port's last violation, if it is a
 * real packet (ofproto/trace -generate has one) rather than a
 * revalidation.  Any thread: reads
 * 'port->name', which is immutable, and takes 'port->violation_mutex'. */
void portsec_log_violation(const struct xlate_in *xin,
                           struct portsec_port *port, const char *reason)
    OVS_EXCLUDED(port->violation_mutex);

/* Adds the last_violation* keys of security_status for 'port' to 'status'
 * (nothing if it has none), and notes them as shown.  Main thread. */
void portsec_port_status_violation(struct portsec_port *port,
                                   struct smap *status);

/* Copies the last violation of 'port' into '*v' and returns the number of
 * violations recorded so far (0: none, '*v' untouched).  Any thread. */
uint64_t portsec_port_last_violation(struct portsec_port *port,
                                     struct portsec_violation *v)
    OVS_EXCLUDED(port->violation_mutex);

/* Returns the VLAN of the frame described by 'flow' on a port with
 * 'policy': its 802.1Q VID, or the port's native VLAN if it is untagged or
 * priority-tagged.  Un-wildcards the VID in 'wc'. */
uint16_t portsec_frame_vlan(const struct flow *flow, struct flow_wildcards *wc,
                            const struct portsec_policy *policy);

/* Has the next portsec_run() for 'br' revalidate the datapath flows, at
 * most once per BINDING_REVALIDATE_MS (any thread). */
void portsec_bridge_need_revalidate(struct portsec_bridge *br);

/* Returns the seq that changes whenever some binding changes. */
struct seq *portsec_bindings_seq(void);

/* Fills 'stats' with 'port''s security_statistics, and appends its
 * security_status:error to 'error' (main thread). */
void portsec_port_stats(struct portsec_port *port,
                        const struct portsec_policy *policy,
                        uint64_t stats[PORTSEC_N_STATS]);
void portsec_port_error(const struct portsec_port *port,
                        const struct portsec_policy *policy, struct ds *error);

/* Admission (ofproto-dpif-portsec-admit.c). */

/* Returns how many MACs a port with 'policy' admits, or -1 if it keeps no
 * address table. */
int portsec_admission_limit(const struct portsec_policy *policy);

/* What the admission check decided for a frame. */
enum portsec_admit {
    PORTSEC_ADMITTED,           /* Secure, admitted or no limit. */
    PORTSEC_NOT_ADMITTED,       /* Forwarded all the same (policy
                                 * "allow", or a translation that may not
                                 * admit and caches nothing). */
};

/* Decides whether the source MAC of the frame that 'xin' translates is
 * admitted on 'port'.  Returns NULL if the frame may go on, with
 * '*admit' set, or why it is dropped (counted).  Any thread. */
const char *portsec_admit_xlate(const struct xlate_in *xin,
                                struct portsec_port *port,
                                const struct portsec_policy *policy,
                                const struct flow *flow,
                                struct flow_wildcards *wc,
                                struct xlate_out *xout,
                                enum portsec_admit *admit);

/* Ages, trims and (while err-disabled) flushes 'port''s admitted MACs, in
 * its table and in 'ml'.  Returns true if the flows must be revalidated.
 * Main thread, with 'ml''s write lock. */
bool portsec_admit_run(struct portsec_port *port,
                       const struct portsec_policy *policy,
                       struct mac_learning *ml)
    OVS_REQ_WRLOCK(ml->rwlock);

/* Forgets 'port''s admitted MACs, or only 'mac' (in every VLAN) if it is
 * nonnull, here and in NORMAL's table, and has the flows revalidated.
 * Returns how many were forgotten.  Main thread. */
size_t portsec_port_clear_macs(struct portsec_port *port,
                               const struct eth_addr *mac)
    OVS_EXCLUDED(port->br->ml->rwlock);

/* DHCP snooping and address inspection (ofproto-dpif-portsec-snoop.c). */

/* The checks of trusted 'port' and of untrusted 'port' with 'policy', for
 * the frame that 'xin' translates, after admission decided 'admitted'.
 * Return NULL to let it through or why it is dropped (counted); OR
 * SLOW_ACTION into '*slow' (or 'xout->slow') for DHCP messages that
 * snooping reads; set 'xout->avoid_caching' for an ARP or ND packet that
 * ARP or ND snooping would bind but may not, because the translation has
 * no side effects (the next packet binds it).  Any thread. */
const char *portsec_snoop_trusted(const struct xlate_in *xin,
                                  struct portsec_port *port,
                                  const struct flow *flow,
                                  struct flow_wildcards *wc,
                                  enum slow_path_reason *slow)
    OVS_EXCLUDED(port->br->pending_mutex, port->br->ml->rwlock);
const char *portsec_snoop_untrusted(const struct xlate_in *xin,
                                    struct portsec_port *port,
                                    const struct portsec_policy *policy,
                                    const struct flow *flow,
                                    struct flow_wildcards *wc,
                                    struct xlate_out *xout, bool admitted)
    OVS_EXCLUDED(port->br->pending_mutex, port->dhcp_mutex);

/* Snooping at an output of 'port' with 'policy' (untrusted, with DHCP
 * snooping) of the packet that 'xin' translates, described by 'flow' as
 * the actions so far made it: if it is a DHCP or DHCPv6 answer that the
 * OpenFlow controller injected (a continuation resumed by NXT_RESUME, or a
 * packet-out from in_port=CONTROLLER) for a request of 'port', binds or
 * unbinds as for an answer from a trusted port, unless the port's
 * trust_controller is false.  Returns NULL to let the output happen, or why
 * it is suppressed (counted): the answer would take 'port' past its
 * max_bindings.  Un-wildcards in 'wc' only after finding that 'xin' is
 * such a translation, which is never cached.  Main thread, which alone
 * translates continuations and packet-outs. */
const char *portsec_snoop_injected(const struct xlate_in *xin,
                                   struct portsec_port *port,
                                   const struct portsec_policy *policy,
                                   const struct flow *flow,
                                   struct flow_wildcards *wc)
    OVS_EXCLUDED(port->br->pending_mutex);

/* ARP and ND snooping (ofproto-dpif-portsec-snoop.c). */

/* Extends the ARP and ND snooping bindings of 'mac' in 'vlan' on 'port'
 * by the port's arp_nd_binding_timeout, from now, if less than half of it
 * is left (so that a binding is replaced at most twice per timeout).  For
 * the statistics of megaflows that carry 'mac''s frames (XC_PORTSEC
 * entries with PORTSEC_XC_REFRESH_BINDINGS).  Any thread. */
void portsec_snoop_refresh(struct portsec_port *port, struct eth_addr mac,
                           uint16_t vlan);

/* Forgets the DHCP requests of 'br' older than PENDING_MS and, if 'port'
 * is nonnull, all of 'port''s (any thread). */
void portsec_snoop_forget(struct portsec_bridge *br,
                          const struct portsec_port *port)
    OVS_EXCLUDED(br->pending_mutex);

/* Layer-2 protocol controls (ofproto-dpif-portsec-l2proto.c). */

/* BPDU guard (on input, 'ingress') and BPDU filter (on input and output)
 * for the frame described by 'flow' on 'port' with 'policy', un-wildcarding
 * in 'wc' the bits of dl_dst that they read.  Returns NULL to let it
 * through, or why it is dropped (counted with portsec_port_drop() and
 * logged).  On input, a BPDU on a port with bpdu_guard err-disables it, as
 * Cisco's "spanning-tree bpduguard enable" does; a translation without
 * side effects leaves that to the packets of the megaflow
 * (portsec_xcache_push()).  Any thread that translates. */
const char *portsec_bpdu_check(const struct xlate_in *xin,
                               struct portsec_port *port,
                               const struct portsec_policy *policy,
                               const struct flow *flow,
                               struct flow_wildcards *wc, bool ingress);

/* The protocol blocks of NSX's segment security for a frame received on
 * 'port' with 'policy': block_non_ip lets only IPv4, IPv6 and ARP through,
 * and frames to reserved bridge group addresses, which bpdu_filter
 * governs; block_dhcp_client drops DHCP and DHCPv6 client messages.
 * Returns NULL to let the frame through, or why it is dropped (counted and
 * logged).  Any thread that translates. */
const char *portsec_protocol_block_check(const struct xlate_in *xin,
                                         struct portsec_port *port,
                                         const struct portsec_policy *policy,
                                         const struct flow *flow,
                                         struct flow_wildcards *wc);

/* Storm control (ofproto-dpif-portsec-storm.c). */

/* Initializes the storm control state of 'port', just created, with no
 * meters.  Main thread. */
void portsec_storm_init(struct portsec_port *port);

/* Gives 'port' the datapath meters that 'policy' asks for (one per class
 * with a rate, in packets per second, burst of one second) and removes the
 * others.  Call before 'policy' is published, and revalidate after.  A
 * datapath without meters, or out of them, leaves the class unpoliced;
 * portsec_storm_error() then says so (security_status:error) and a warning
 * is logged.  Main thread. */
void portsec_storm_configure(struct portsec_port *port,
                             const struct portsec_policy *policy);

/* Has only the drops of 'port''s meters from now on count for
 * storm_control_action=shutdown, as when the port recovers from
 * err-disabled.  Main thread. */
void portsec_storm_rebase(struct portsec_port *port);

/* Removes the meters of 'port', which is being unregistered.  They are
 * deleted from the datapath after an RCU grace period.  Main thread. */
void portsec_storm_destroy(struct portsec_port *port);

/* With storm_control_action=shutdown in 'policy', reads the meters of
 * 'port' at most once a second (STORM_CHECK_MS) and err-disables the port
 * (PORTSEC_CAUSE_STORM_CONTROL) if one dropped frames since the last
 * check.  portsec_storm_wait() wakes the main loop for the next check.
 * Main thread. */
void portsec_storm_run(struct portsec_port *port,
                       const struct portsec_policy *policy);
void portsec_storm_wait(const struct portsec_port *port,
                        const struct portsec_policy *policy);

/* Sets the storm_*_drops keys of 'stats': frames that 'port''s meters
 * dropped, by class, including those of meters since removed.  Reads the
 * meters from the datapath.  Main thread. */
void portsec_storm_stats(const struct portsec_port *port,
                         uint64_t stats[PORTSEC_N_STATS]);

/* Returns why storm control is not enforced on 'port', or NULL if it is
 * (or is not configured).  Main thread. */
const char *portsec_storm_error(const struct portsec_port *port);

/* Returns the datapath meter that polices 'class' of frames from 'port',
 * UINT32_MAX if none.  Any thread. */
uint32_t portsec_storm_meter(const struct portsec_port *port,
                             enum portsec_storm_class class);

/* For the frame that 'xin' translates, received on 'port' with 'policy'
 * (which passed every other ingress check): puts the port's broadcast or
 * multicast meter, if it has one for the frame's class, into
 * 'xin->odp_actions', ahead of whatever the pipeline does.  Un-wildcards
 * dl_dst's group bit in 'wc', and all of dl_dst for group addresses.  Any
 * thread. */
void portsec_storm_xlate_ingress(const struct xlate_in *xin,
                                 struct portsec_port *port,
                                 const struct portsec_policy *policy,
                                 const struct flow *flow,
                                 struct flow_wildcards *wc);

/* The unixctl commands (ofproto-dpif-portsec-unixctl.c). */

/* Makes port-security/show answer only 'why' (copied) as an error, or,
 * with NULL, normally: for a database without the port security columns
 * (still on stock Open vSwitch's schema, before ovs-ctl converts it), in
 * which no port can have settings.  Called by portsec_class_run().  Main
 * thread. */
void portsec_set_unavailable(const char *why);

/* ARP and ND suppression (ofproto-dpif-portsec-suppress.c). */

/* Sends the Neighbor Advertisements that translation composed in answer
 * to suppressed Neighbor Solicitations (ofproto-dpif-portsec-suppress.c),
 * each out of the interface on which its solicitation came in, through
 * ofproto_dpif_send_packet() as OVS sends CFM and LLDP.
 * portsec_class_run() calls it, and portsec_class_wait() calls
 * portsec_suppress_wait(). */
void portsec_suppress_run(void);
void portsec_suppress_wait(void);

/* Answers the ARP request or Neighbor Solicitation that 'xin' translates,
 * received on 'port' with 'policy' (arp_suppression or nd_suppression),
 * if it asks for an address that another port owns
 * (portsec_owner_find()).  Returns NULL to let the frame through
 * (anything else, or a request that is not answered: an unbound address,
 * the requester's own, an ARP probe or gratuitous ARP, a DAD
 * solicitation, an err-disabled owner), or, for an answered request, a
 * static string saying so: the request goes no further, and the answer is
 * in 'xin->odp_actions' (ARP: set actions and an output to the input
 * port, ORing SLOW_ACTION into '*slow' where the datapath cannot set ARP
 * fields) or queued for portsec_suppress_run() (ND, with SLOW_ACTION).
 * Counted in arp_suppressed or nd_suppressed.  Any thread. */
const char *portsec_suppress_xlate(const struct xlate_in *xin,
                                   struct portsec_port *port,
                                   const struct portsec_policy *policy,
                                   const struct flow *flow,
                                   struct flow_wildcards *wc,
                                   enum slow_path_reason *slow);

/* Brings the datapath ports of 'port''s interfaces, with 'policy', on
 * bridge 'ofproto', up to date (or forgets them if the port does not
 * suppress).  Main thread, whenever bridge.c configures the port. */
void portsec_suppress_port_configure(struct portsec_port *port,
                                     const struct ofproto *ofproto,
                                     const struct portsec_policy *policy);

/* Frees what portsec_suppress_port_configure() kept for 'port', which is
 * being destroyed. */
void portsec_suppress_port_destroy(struct portsec_port *port);

/* The owners of addresses (ofproto-dpif-portsec-owner.c). */

/* Initializes and destroys the address index of 'br' (main thread; destroy
 * once no port of 'br' has claims, after an RCU grace period). */
void portsec_owner_bridge_init(struct portsec_bridge *br);
void portsec_owner_bridge_destroy(struct portsec_bridge *br);

/* Initializes the claims of 'port', just created with an empty binding
 * table, and has every change of its bindings update them.  Main
 * thread. */
void portsec_owner_port_init(struct portsec_port *port);

/* Brings the claims of 'port' in line with its policy (static bindings,
 * and whether it has settings) and its bindings.  The main thread calls it
 * after it publishes a new policy; binding changes call it by
 * themselves.  Any thread, with no lock of 'port''s bridge held. */
void portsec_owner_port_sync(struct portsec_port *port)
    OVS_EXCLUDED(port->br->owner_mutex);

/* Removes every claim of 'port', which is being unregistered, for good.
 * Main thread. */
void portsec_owner_port_remove(struct portsec_port *port)
    OVS_EXCLUDED(port->br->owner_mutex);

/* Reports that bindings of 'port' changed (any thread), and, if
 * 'need_revalidate', that flows cached with the old bindings may be
 * stale. */
void portsec_port_bindings_changed(struct portsec_port *port,
                                   bool need_revalidate);

/* Which claims portsec_owner_find() weighs. */
enum portsec_owner_scope {
    /* Claims to the address itself: dynamic bindings, and static bindings
     * of one address (32 bits for IPv4, 128 for IPv6).  For ARP and ND
     * suppression, which answer with the owner's MAC. */
    PORTSEC_OWNER_ADDRESS,
    /* Those and the static prefixes that cover the address.  For duplicate
     * address detection. */
    PORTSEC_OWNER_COVERING,
};

/* Finds who holds 'ip' (IPv6 or IPv4-mapped) in 'vlan' (0 to 4095) on
 * 'br', among the claims in 'scope' of ports other than 'except' (NULL for
 * none).  Returns NULL if there is none.  Otherwise returns one claimant,
 * with its claim's MAC in '*mac', and sets '*contested' to true if another
 * port, or the same port with another MAC, claims it too: the address then
 * belongs to no one (the conflict rule, see ofproto-dpif-portsec-owner.c).
 * If 'mark_used', marks the claims it finds used, so that their removal
 * (a binding that goes away) revalidates the flows that cached the verdict,
 * as a used binding's does (see lib/portsec-binding.h): suppression does;
 * duplicate detection, whose refusals are revalidated otherwise, does
 * not.
 *
 * Any thread, in an RCU read section; lock-free.  One cmap lookup per
 * prefix length in use on 'br' (one for PORTSEC_OWNER_ADDRESS), whatever
 * the number of ports and bridges. */
struct portsec_port *portsec_owner_find(const struct portsec_bridge *br,
                                        const struct in6_addr *ip,
                                        uint16_t vlan,
                                        enum portsec_owner_scope scope,
                                        const struct portsec_port *except,
                                        bool mark_used, struct eth_addr *mac,
                                        bool *contested);

/* datapath-ext (ofproto-dpif-portsec-dpext.c).  Main thread only. */

/* Turns datapath-ext on or off (Open_vSwitch other_config:datapath-ext,
 * true by default).  Off, every filter is detached at the next
 * portsec_dpext_run() and translation alone enforces port security, as it
 * always can. */
void portsec_dpext_set_enabled(bool enabled);

/* Loads the programs when first needed, attaches them to the interfaces of
 * ports with settings on bridges of datapath type "system" (tc ingress)
 * and "netdev" (XDP), checks every DPEXT_CHECK_MS (1 s) that they are still
 * attached, and brings the maps in line with each port's policy,
 * err-disabled state, admitted MACs and bindings.  portsec_class_run()
 * calls it, and portsec_class_wait() calls portsec_dpext_wait().
 * A failure (not built, bpf() refused, the verifier, attaching) is logged,
 * shown in security_status:datapath_ext, and leaves enforcement to
 * translation. */
void portsec_dpext_run(void);
void portsec_dpext_wait(void);

/* Has the next portsec_dpext_run() check the attachment of every
 * interface, not only its share: the bridges were reconfigured (see
 * portsec_class_run()), and OVS's ingress policing or tc offload may have
 * re-created an ingress qdisc, taking our filter with it. */
void portsec_dpext_check_now(void);

/* Detach from the interfaces of 'port', or of every port of 'br', and
 * delete their map entries, as they are unregistered. */
void portsec_dpext_port_destroy(struct portsec_port *port);
void portsec_dpext_bridge_destroy(struct portsec_bridge *br);

/* Reports that a port with a learning limit has just reached it, so that
 * the next portsec_dpext_run() has the kernel drop its new MACs.  Any
 * thread. */
void portsec_dpext_limit_reached(void);

/* Adds to 'stats' the frames that datapath-ext dropped on 'port''s
 * interfaces, by reason, and stores their total in
 * 'stats[PORTSEC_STAT_DATAPATH_EXT_DROPS]' and their bytes in
 * 'stats[PORTSEC_STAT_DATAPATH_EXT_DROP_BYTES]'. */
void portsec_dpext_port_stats(const struct portsec_port *port,
                              uint64_t stats[PORTSEC_N_STATS]);

/* Appends to 'ds', for each interface of 'port', whether its kernel filter
 * is attached and how, or why not ("vnet0: attached (tc ingress)").  Then,
 * if the maps lack what translation enforces (e.g. a map is full), which
 * checks the kernel leaves to translation and why: "; degraded: 3 MACs
 * not written to portsec_macs (map full); left to ovs-vswitchd: forged
 * transmits, learning limit, secure MACs of other ports; 3 failed map
 * updates".  Returns false, appending nothing, if datapath-ext has nothing
 * to do on 'port' (no settings, or a datapath type without a hook, e.g.
 * "dummy"). */
bool portsec_dpext_port_status(const struct portsec_port *port,
                               struct ds *ds);

/* Returns the name of interface 'i' (counting from 0) of 'port', among
 * those that portsec_dpext_port_status() reports on, and stores in
 * '*attached' whether its kernel filter is attached.  Returns NULL, with
 * '*attached' untouched, if 'i' is past the last one. */
const char *portsec_dpext_port_iface(const struct portsec_port *port,
                                     size_t i, bool *attached);

#endif /* ofproto-dpif-portsec-private.h */
