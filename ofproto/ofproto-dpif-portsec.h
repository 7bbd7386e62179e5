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

#ifndef OFPROTO_DPIF_PORTSEC_H
#define OFPROTO_DPIF_PORTSEC_H 1

/* Port security enforcement in ofproto-dpif.
 * ==========================================
 *
 * This module enforces each bundle's port security policy (see
 * lib/port-security.h) during flow translation, so that every decision is
 * cached in a datapath megaflow and costs nothing per packet afterward:
 *
 *   - Ingress, before the OpenFlow pipeline (portsec_xlate_ingress()):
 *     err-disabled ports, forged transmits, secure MACs of other ports,
 *     admission of the source MAC under the port's MAC learning limit
 *     (lib/portsec-admission.h), and on untrusted ports DHCP snooping, RA
 *     guard, ND inspection, dynamic ARP inspection and IP source guard,
 *     against each port's bindings (lib/portsec-binding.h,
 *     lib/portsec-inspect.h), then ARP and ND suppression, which answer a
 *     request for another port's bound address on its behalf.  These
 *     hold whatever the pipeline does next.
 *
 *   - NORMAL: learns only admitted MACs (portsec_may_learn()),
 *     unknown-unicast flooding (portsec_may_flood()) and promiscuous
 *     copies (portsec_xlate_promiscuous()).
 *
 *   - Every output (portsec_xlate_output()): err-disabled ports and the
 *     MAC-changes filter, and DHCP snooping of the answers that the
 *     OpenFlow controller injects (continuations and packet-outs) for a
 *     port's clients.
 *
 * Each check un-wildcards only the fields it reads (in_port is always
 * exact; dl_src and dl_dst, which NORMAL reads anyway).
 *
 * The implementation is divided by concept among ofproto-dpif-portsec*.c,
 * which share ofproto-dpif-portsec-private.h; this header is the whole
 * contract with the hooks.
 *
 * A bundle's port security state is a 'struct portsec_port', which
 * ofproto-dpif keeps in its ofbundle ('portsec', set by
 * portsec_bundle_set()) and copies into the bundle's xbundle when it
 * builds the translation configuration, as it copies the bundle's bond and
 * LACP, each copy holding a reference (portsec_port_ref()).  Translation
 * passes the xbundle's pointer to the portsec_xlate_*() functions, so it
 * reaches a port's state without a lookup.  The bundle's 'struct ofbundle
 * *' remains its identity in the MAC learning table.
 *
 * Threading
 * ---------
 *
 * Configuration (portsec_bundle_set()), portsec_run(), portsec_wait(),
 * status and the unixctl commands run in the main thread only.  The
 * portsec_xlate_*() functions, portsec_may_learn() and the xlate cache
 * callbacks run in any thread (handlers, revalidators): they get the
 * bundle's state from its xbundle, read its policy and its admitted MACs
 * through RCU, and update counters and the err-disabled state with atomics, so
 * the only lock they take on the common path is none.  Off it, they take
 * only locks of their own, never more than one at a time: a per-port mutex
 * while admitting a MAC that is new to a port that has a learning limit,
 * a per-port mutex for dhcp_rate_limit, a per-bridge mutex for pending
 * DHCP requests, and the MAC learning table's read lock while looking up
 * the port of a DHCP client in NORMAL's table (snooping of server
 * messages on trusted ports).  The hooks call them with no lock held:
 * above all not the MAC learning table's write lock, which only
 * portsec_run() expects.
 *
 * Handler threads read, of a port's state: its policy (RCU), its admitted
 * MACs (RCU), its bindings (RCU), its counters and err-disabled flag
 * (atomics) and its name (immutable).  Each field of ofproto-dpif-portsec-
 * private.h says who writes and who reads it.
 *
 * Counters
 * --------
 *
 * Drop counters count packets, including packets handled by cached
 * megaflows: a translation adds the packets it was given
 * (xlate_in.resubmit_stats) and leaves an XC_PORTSEC entry in the xlate
 * cache, through which revalidators push the megaflow's later packets, the
 * way upstream accounts OpenFlow rule and mirror statistics.
 *
 * A megaflow's packets count under the decision that its actions carry,
 * also when a change (a port recovered, a policy changed, a binding
 * removed) is revalidated before they were pushed.  Upstream's
 * revalidate_ukey() then translates the flow again and pushes the pending
 * packets to the new translation's cache, which suits rule statistics
 * (they go to the rule now in the table) but would count a drop under a
 * decision that did not drop it, or not at all.  So hook 0007 in
 * ofproto-dpif-upcall.c keeps, for each udpif_key made by a miss upcall,
 * the XC_PORTSEC entries of the upcall's translation (which has no xlate
 * cache: portsec_upcall_xlate_begin()), until the flow's own cache exists;
 * and when revalidate_ukey() empties a flow's cache to translate it again,
 * it puts back a copy of the old XC_PORTSEC entries, "stale": they count
 * the next push only, and the new translation's entries, "fresh", skip it
 * (enum portsec_xc_state).  Every other kind of entry gets the pending
 * packets as upstream gives them.  The cost: for each miss upcall whose
 * translation makes a port security decision, an xlate cache (64 bytes and
 * a 120-byte buffer, 3 entries) that its udpif_key keeps until a
 * revalidation gives the flow a cache of its own (the first one after
 * further packets or after a change), or until it is deleted.
 *
 * The bound: a megaflow that the revalidators delete without translating
 * it again after a change (idle, over the flow limit, or when they are too
 * far behind to revalidate it: upstream's should_revalidate()) and that
 * was never pushed to before has its pending packets translated and
 * counted under the new decision, as upstream does; so has a megaflow that
 * this ovs-vswitchd did not make (found in the datapath at start-up),
 * whose pending packets at its first revalidation after a change count
 * nowhere.
 */

#include <stdbool.h>
#include "mac-learning.h"
#include "openvswitch/types.h"

enum slow_path_reason;
struct dpif_flow_stats;
struct flow;
struct flow_wildcards;
struct mac_learning;
struct ofpbuf;
struct ofport;
struct ofbundle;
struct ofproto;
struct ofproto_portsec_binding;
struct ofproto_portsec_settings;
struct ofproto_portsec_stats;
struct portsec_policy;
struct portsec_binding;
struct portsec_bridge;
struct portsec_port;
struct smap;
struct xbundle;
struct xc_entry;
struct xlate_cache;
struct xlate_ctx;
struct xlate_in;
struct xlate_out;
struct xvlan;

/* Registers the unixctl commands port-security/show, /recover,
 * /bindings, /clear-bindings and /clear-macs.  ofproto-dpif's init()
 * calls it, as it registers its own commands.  Idempotent; main
 * thread. */
void portsec_init(void);

/* The members of ofproto_dpif_class that are not per bridge
 * (ofproto/ofproto-portsec.h, "Per class"): portsec_class_run() applies
 * 's' (portsec_set_unavailable(), portsec_dpext_check_now() when
 * 's->reconfigured', portsec_dpext_set_enabled()), then runs
 * portsec_dpext_run() and portsec_suppress_run(); portsec_class_wait()
 * waits for both (all in ofproto-dpif-portsec-private.h).  Main thread. */
void portsec_class_run(const struct ofproto_portsec_settings *s);
void portsec_class_wait(void);

/* Configuration (main thread only). */

/* Sets the port security policy of 'bundle', the bundle of 'ofproto' that
 * bridge.c registered with key 'aux' (struct ofproto_bundle_settings) and
 * name 'name', to a copy of 'policy'; a NULL 'policy' removes the bundle's
 * port security state (counters and err-disabled state included).
 * '*portp' is the bundle's state, NULL for none: the ofbundle's member,
 * which this function alone sets (to a new port, or to NULL).  'ml' is
 * 'ofproto''s MAC learning table.  Returns true if the flows in the
 * datapath must be revalidated, that is, if what is enforced changed, and
 * whenever '*portp' changed, so that the xbundle gets it.  Bad
 * configuration is logged when it first appears. */
bool portsec_bundle_set(const struct ofproto *ofproto,
                        struct mac_learning *ml,
                        const struct ofbundle *bundle,
                        struct portsec_port **portp, const void *aux,
                        const char *name, const struct portsec_policy *policy);

/* Forgets '*portp', the state of a bundle that is being destroyed, and
 * sets '*portp' to NULL.  No-op for a bundle without port security
 * ('*portp' NULL). */
void portsec_bundle_remove(struct portsec_port **portp);

/* Returns 'port' (NULL for none) with one more reference, which
 * portsec_port_unref() releases: for the xbundle that ofproto-dpif-xlate
 * copies it into.  Any thread. */
struct portsec_port *portsec_port_ref(struct portsec_port *port);

/* Returns the port security state of 'ofproto''s bridge, NULL if none of
 * its bundles has port security, for ofproto-dpif to copy into its
 * xbridge when it builds the translation configuration (the bundles'
 * changes revalidate, so that it does).  Main thread. */
struct portsec_bridge *portsec_bridge_get(const struct ofproto *ofproto);

/* Returns 'br' (NULL for none) with one more reference, which
 * portsec_bridge_unref() releases: for the xbridge that holds it.  Any
 * thread. */
struct portsec_bridge *portsec_bridge_ref(struct portsec_bridge *br);
void portsec_bridge_unref(struct portsec_bridge *br);

/* Periodic work for 'ofproto''s bundles: acts on err-disable events
 * reported by handler threads (forgets the port's MACs), recovers ports
 * whose recovery_interval has passed, forgets admitted MACs beyond a
 * port's lowered mac_learn_limit (least recently used first) and those not
 * seen for the port's mac_aging_time (or the bridge's mac-aging-time), in
 * the admission table and in 'ml'.  The caller must hold 'ml''s write
 * lock.  Returns true if the datapath flows must be revalidated. */
bool portsec_run(const struct ofproto *ofproto, struct mac_learning *ml)
    OVS_REQ_WRLOCK(ml->rwlock);

/* Arranges for poll_block() to wake up when portsec_run() has work for
 * 'ofproto' (an err-disable event, a recovery timer, a binding change or
 * expiry, or an admitted MAC's aging deadline). */
void portsec_wait(const struct ofproto *ofproto);

/* OpenFlow port state (main thread only). */

/* Reflects the err-disabled state of 'port' (NULL for none), the port
 * security state of 'ofport''s bundle, in 'ofport''s OpenFlow state, and
 * returns whether 'ofport' may be enabled: 'enable' (what ofproto-dpif's
 * port_run() computed from carrier, CFM, BFD and LACP), or false while the
 * port is err-disabled.
 * An err-disabled port is BLOCKED and not LIVE, as a port that CFM, BFD or
 * LACP takes down is not LIVE: fast-failover groups skip it.  When the
 * state changes, sends controllers one OFPT_PORT_STATUS with both bits,
 * so the caller's ofproto_port_set_enable() sends none. */
bool portsec_ofport_run(struct ofport *ofport, struct portsec_port *port,
                        bool enable);

/* Translation (any thread).  Each function takes the port security state
 * of a bundle as its xbundle holds it ('xbundle->portsec', NULL for a
 * bundle without it), which stays valid while the translation
 * configuration that holds the xbundle does. */

/* Checks a packet received on 'port' (NULL for none) before the OpenFlow
 * pipeline, whatever the pipeline then does.  Returns NULL to let it
 * through or a static string saying why it must be dropped (err-disabled
 * port, forged transmit, secure MAC of another port, source MAC not
 * admitted under mac_learn_limit, DHCP snooping, ARP inspection, IP source
 * guard, ND inspection, RA guard), in which case the drop was already
 * counted, or a request was answered by ARP or ND suppression instead of
 * being forwarded (counted too: the answer is then in 'xin->odp_actions',
 * or queued for the main thread, see portsec_suppress_run()).
 * Un-wildcards the fields it reads in 'wc'.
 *
 * Admission of a new source MAC, and the err-disabling of a port with
 * policy "shutdown", happen only when 'xin' allows side effects; a
 * translation without them of a frame from a MAC that would be admitted
 * sets 'xout->avoid_caching'.
 *
 * DHCP messages that snooping must read (client messages from an untrusted
 * port with dhcp_snooping, server messages from a trusted port) are
 * slow-pathed, as IGMP is for multicast snooping: this function ORs
 * SLOW_ACTION into 'xout->slow', and reads the message when 'xin' carries
 * a packet and allows side effects, learning or removing bindings. */
const char *portsec_xlate_ingress(const struct xlate_in *xin,
                                  struct portsec_port *port,
                                  const struct flow *flow,
                                  struct flow_wildcards *wc,
                                  struct xlate_out *xout);

/* Returns true if NORMAL may learn 'src' in 'vlan' on the bundle whose
 * state is 'port': the port has no port security settings, or it is not
 * err-disabled and it has no mac_learn_limit or admitted 'src' (a secure
 * MAC or one in its admission table).  A frame forwarded under policy
 * "allow" is not learned.  Lock-free. */
bool portsec_may_learn(struct portsec_port *port, struct eth_addr src,
                       int vlan);

/* Returns false if NORMAL must not flood the frame described by 'flow' to
 * the bundle whose state is 'port' (unknown_unicast_flooding=false and a
 * unicast destination).
 * Reads only dl_dst, which NORMAL has already un-wildcarded. */
bool portsec_may_flood(struct portsec_port *port, const struct flow *flow);

/* Storm control of unknown unicast: NORMAL is about to flood the frame
 * described by 'flow', received on 'in_port', because it has not learned
 * its destination.  If the port polices such frames
 * (storm_control_unknown_unicast), puts its datapath meter into
 * 'odp_actions' (if nonnull), ahead of the flood's outputs.  Reads only
 * dl_dst, which NORMAL has already un-wildcarded.  Any thread, in an RCU
 * read section. */
void portsec_xlate_flood(struct portsec_port *in_port,
                         const struct flow *flow,
                         struct ofpbuf *odp_actions);

/* Called by NORMAL after it output a known-unicast frame that 'in_xbundle'
 * received in 'xvlan' to its learned bundle 'out_bundle': sends a copy to
 * each other bundle with promiscuous=accept of the bridge whose state is
 * 'br' (its xbridge's, NULL for none), through xlate_normal_copy(), so
 * that a copy goes only where NORMAL's flood would go (not the input port,
 * carrying the frame's VLAN, floodable, not a mirror output port), in
 * order of the ports' names, like VMware's promiscuous mode.  Costs one
 * RCU read on a bridge without promiscuous ports.
 *
 * A Mirror cannot do this: its output port is reserved for mirroring
 * (NORMAL neither forwards to it nor takes input from it), it copies
 * frames unchanged whatever the output port's VLAN configuration, and it
 * copies every selected frame rather than only the unicast that NORMAL
 * forwards elsewhere; a promiscuous port stays an ordinary port of its
 * VLANs that also sees its neighbours' unicast.
 *
 * Any thread that translates, lock-free (RCU). */
void portsec_xlate_promiscuous(struct xlate_ctx *ctx,
                               const struct portsec_bridge *br,
                               struct xbundle *in_xbundle,
                               const struct ofbundle *out_bundle,
                               struct xvlan *xvlan);

/* Defined in ofproto-dpif-xlate.c by hook 0004, for
 * portsec_xlate_promiscuous(): outputs a copy of the frame that NORMAL
 * forwards from 'in_xbundle' in 'xvlan' to 'ofbundle', if NORMAL's flood
 * would go there (the conditions of xlate_normal_flood()); nothing if
 * 'ofbundle' has no xbundle. */
void xlate_normal_copy(struct xlate_ctx *ctx, struct xbundle *in_xbundle,
                       const struct ofbundle *ofbundle, struct xvlan *xvlan);

/* Checks an output of the packet described by 'flow' to the bundle whose
 * state is 'port'.  Returns NULL to allow it or a static string saying why
 * it is suppressed (err-disabled port, destination not a secure MAC of a
 * port with mac_changes=reject, a DHCP answer that would take a port with
 * DHCP snooping past its max_bindings), in which case it was already
 * counted.
 *
 * When 'xin' resumes a continuation (NXT_RESUME) or translates a
 * packet-out, a DHCP or DHCPv6 answer that the controller injected for a
 * client of 'port' binds as an answer from a trusted port does (see
 * ofproto-dpif-portsec-snoop.c); such translations run in the main thread
 * and are never cached.  Any other translation reads nothing more for
 * it. */
const char *portsec_xlate_output(const struct xlate_in *xin,
                                 struct portsec_port *port,
                                 const struct flow *flow,
                                 struct flow_wildcards *wc);

/* The 'counter' of an XC_PORTSEC entry that refreshes the admission of
 * its 'mac' and 'vlan' rather than counting. */
#define PORTSEC_XC_REFRESH (-1)

/* The 'counter' of an XC_PORTSEC entry that refreshes the ARP and ND
 * snooping bindings of its 'mac' and 'vlan' rather than counting. */
#define PORTSEC_XC_REFRESH_BINDINGS (-2)

/* The state of an XC_PORTSEC entry (xc_entry.portsec.state) across a
 * revalidation that translates its megaflow again ("Counters" above). */
enum portsec_xc_state {
    PORTSEC_XC_CURRENT,         /* Counts every push. */
    PORTSEC_XC_FRESH,           /* Of the new translation: skips the next
                                 * push, then current. */
    PORTSEC_XC_STALE,           /* Of the replaced translation: counts the
                                 * next push, then spent. */
    PORTSEC_XC_SPENT,           /* Counts nothing. */
};

/* xlate cache callbacks for XC_PORTSEC entries (any thread; the caller
 * owns the cache, e.g. holds its udpif_key's mutex): portsec_xcache_push()
 * adds the packets of 'stats' to counter 'counter' (an enum portsec_stat)
 * of the entry's 'port', or, for PORTSEC_XC_REFRESH, records that admitted
 * 'mac' in 'vlan' was just seen, or, for PORTSEC_XC_REFRESH_BINDINGS,
 * extends the snooped bindings of 'mac' in 'vlan' by the port's
 * arp_nd_binding_timeout, as the entry's 'state' says (it may change it:
 * enum portsec_xc_state); a push of no packets does nothing.  A drop
 * that mac_learn_limit_policy=shutdown or bpdu_guard err-disables the port
 * for does so whatever the state: the port's policy now applies to the
 * frames that it sees, whichever translation dropped them.
 * portsec_port_unref() releases the entry's reference to 'port' (may be
 * NULL). */
void portsec_xcache_push(struct xc_entry *entry,
                         const struct dpif_flow_stats *stats);
void portsec_port_unref(struct portsec_port *port);

/* Hooks in ofproto-dpif-upcall.c (hook 0007; "Counters" above).
 *
 * A handler calls portsec_upcall_xlate_begin() before it translates miss
 * upcall 'xin', and portsec_upcall_xlate_end() once it has made the
 * upcall's udpif_key: it returns a new xlate cache with the XC_PORTSEC
 * entries that the translation of 'xin' made (the udpif_key owns it, and
 * deletes it with xlate_cache_delete()), or NULL if it made none.  They
 * are per thread: a translation on the same thread that is not 'xin' adds
 * nothing; begin() deletes what a begin() without an end() left.
 *
 * revalidate_ukey() calls portsec_xcache_carry() after it made 'xcache'
 * for a udpif_key that had none, and portsec_xcache_clear() instead of
 * xlate_cache_clear() for one that had one, before it translates the flow
 * again into 'xcache' and pushes 'push', the flow's packets since its last
 * push, to it.  If 'push' has packets, 'xcache' then starts with a stale
 * copy of the XC_PORTSEC entries of the flow's translation until now: the
 * udpif_key's own, or else those of its upcall, '*upcall_xcache'
 * (possibly none).  Both delete '*upcall_xcache' and set it to NULL.
 *
 * revalidate_ukey() calls portsec_upcall_xcache_release() once it has
 * decided on a flow: if the flow now has its own cache 'xcache' (made by
 * populate_xcache() with the configuration that the upcall translated
 * with, or by a translation after a change), the upcall's entries
 * '*upcall_xcache' are of no more use, and it deletes them and sets
 * '*upcall_xcache' to NULL; if 'xcache' is NULL, it does nothing.
 * Revalidator threads, with the udpif_key's mutex. */
void portsec_upcall_xlate_begin(const struct xlate_in *xin);
struct xlate_cache *portsec_upcall_xlate_end(void);
void portsec_xcache_carry(struct xlate_cache *xcache,
                          struct xlate_cache **upcall_xcache,
                          const struct dpif_flow_stats *push);
void portsec_xcache_clear(struct xlate_cache *xcache,
                          struct xlate_cache **upcall_xcache,
                          const struct dpif_flow_stats *push);
void portsec_upcall_xcache_release(const struct xlate_cache *xcache,
                                   struct xlate_cache **upcall_xcache);

/* Status (main thread only). */

/* The keys of the Port table's security_statistics column, in order.  Each
 * counts packets unless it says otherwise; ovs-vswitchd.conf.db(5) has the
 * full meaning of each key. */
enum portsec_stat {
    /* Admitted MACs in the port's address table: a current count. */
    PORTSEC_STAT_MACS_LEARNED,
    /* From a new source MAC over mac_learn_limit, dropped (policy "drop"
     * or "shutdown"). */
    PORTSEC_STAT_LEARN_LIMIT_DROPS,
    /* From a new source MAC over mac_learn_limit, forwarded without
     * admitting the MAC (policy "allow"). */
    PORTSEC_STAT_LEARN_LIMIT_FORWARDED,
    /* Received with a source MAC that is not the port's (forged_transmits
     * =reject). */
    PORTSEC_STAT_FORGED_TRANSMIT_DROPS,
    /* Not sent to the port: destination is not its MAC (mac_changes
     * =reject). */
    PORTSEC_STAT_MAC_CHANGE_DROPS,
    /* Received with a source MAC that is a secure MAC of another port. */
    PORTSEC_STAT_SECURE_MAC_MOVE_DROPS,
    /* Received on, or not sent to, the port while err-disabled. */
    PORTSEC_STAT_ERR_DISABLED_DROPS,
    /* Times the port became err-disabled: events, not packets. */
    PORTSEC_STAT_ERR_DISABLED_COUNT,
    /* DHCP server messages received on an untrusted port. */
    PORTSEC_STAT_DHCP_SERVER_DROPS,
    /* DHCP client messages over dhcp_rate_limit. */
    PORTSEC_STAT_DHCP_RATE_DROPS,
    /* DHCP client messages that cannot be parsed, or whose chaddr is not
     * their Ethernet source. */
    PORTSEC_STAT_DHCP_MALFORMED_DROPS,
    /* ARP packets whose sender does not match a binding (DAI). */
    PORTSEC_STAT_ARP_INSPECTION_DROPS,
    /* IP packets whose source does not match a binding. */
    PORTSEC_STAT_IP_SOURCE_GUARD_DROPS,
    /* Neighbor Solicitations and Advertisements whose addresses do not
     * match a binding (RFC 4861). */
    PORTSEC_STAT_ND_INSPECTION_DROPS,
    /* Router Advertisements and Redirects from an untrusted port (RFC
     * 6105). */
    PORTSEC_STAT_RA_GUARD_DROPS,
    /* DHCP acknowledgements not forwarded because the client's port had
     * max_bindings bindings; ARP and ND packets dropped because the port
     * had arp_binding_limit or nd_snooping_limit bindings from them. */
    PORTSEC_STAT_BINDING_LIMIT_DROPS,
    /* ARP and ND packets dropped because ARP or ND snooping found their
     * address bound on another port of the bridge in the same VLAN. */
    PORTSEC_STAT_DUPLICATE_IP_DROPS,
    /* Bindings of the port, static and dynamic: a current count. */
    PORTSEC_STAT_BINDINGS,
    /* Frames to a reserved bridge group address from or to the port, not
     * in its bpdu_filter_allow (bpdu_filter=true). */
    PORTSEC_STAT_BPDU_FILTER_DROPS,
    /* BPDUs received on a port with bpdu_guard=true, which err-disable
     * it. */
    PORTSEC_STAT_BPDU_GUARD_DROPS,
    /* Frames other than IPv4, IPv6 and ARP received on a port with
     * block_non_ip=true. */
    PORTSEC_STAT_NON_IP_DROPS,
    /* DHCP and DHCPv6 client messages received on a port with
     * block_dhcp_client=true. */
    PORTSEC_STAT_DHCP_CLIENT_DROPS,
    /* Frames received from the port that its storm control meters
     * dropped, by class: broadcast, multicast and unknown unicast (over
     * storm_control_broadcast, storm_control_multicast and
     * storm_control_unknown_unicast packets per second).  In the order of
     * enum portsec_storm_class. */
    PORTSEC_STAT_STORM_BROADCAST_DROPS,
    PORTSEC_STAT_STORM_MULTICAST_DROPS,
    PORTSEC_STAT_STORM_UNKNOWN_UNICAST_DROPS,
    /* Broadcast ARP requests received on a port with arp_suppression=true
     * that were answered from a binding of another port instead of
     * flooded. */
    PORTSEC_STAT_ARP_SUPPRESSED,
    /* Multicast Neighbor Solicitations received on a port with
     * nd_suppression=true that were answered from a binding of another
     * port instead of flooded. */
    PORTSEC_STAT_ND_SUPPRESSED,
    /* Frames that datapath-ext dropped in the kernel, for any reason; each
     * is also counted in its reason's key above.  Then their bytes, of
     * whole frames from the Ethernet header, as received. */
    PORTSEC_STAT_DATAPATH_EXT_DROPS,
    PORTSEC_STAT_DATAPATH_EXT_DROP_BYTES,
    PORTSEC_N_STATS
};

/* Returns the security_statistics key for 'stat', e.g. "macs_learned". */
const char *portsec_stat_name(enum portsec_stat stat);

/* The members of ofproto_dpif_class for status and statistics
 * (ofproto/ofproto-portsec.h, ofproto_portsec_get_status() and
 * ofproto_portsec_get_stats()), for the port of 'ofproto' with bundle key
 * 'aux'.
 *
 * portsec_get_status() adds to 'status' the security_status keys
 * ("state", "reason", "inherited", "central", "mac_learn_limit",
 * "mac_limit_reached", "datapath_ext", "last_violation",
 * "last_violation_time", "last_violation_mac", "last_violation_vlan",
 * "error"), and to 'err_disabled' what the Port's err_disabled column must
 * hold: "cause" (e.g. "mac_learn_limit") and "since" (wall clock, ms) if
 * the port is err-disabled and has persist_err_disabled, otherwise
 * nothing.
 *
 * portsec_get_stats() fills 'stats' with the security_statistics keys in
 * the order of enum portsec_stat, with their values: packets, except
 * PORTSEC_STAT_MACS_LEARNED and PORTSEC_STAT_BINDINGS (current counts) and
 * PORTSEC_STAT_ERR_DISABLED_COUNT (events).  It sets
 * 'stats->status_changed' if the port had a violation, or reached its
 * mac_learn_limit or fell below it, since portsec_get_status() last
 * reported on it: the bridge asks at each statistics update rather than on
 * every violation, so that a flood costs the database at most one write
 * per stats-update-interval.
 *
 * Both return 0, or ENOENT, adding nothing, if the port has no port
 * security settings.  Main thread. */
int portsec_get_status(struct ofproto *ofproto, void *aux,
                       struct smap *status, struct smap *err_disabled);
int portsec_get_stats(struct ofproto *ofproto, void *aux,
                      struct ofproto_portsec_stats *stats);

/* Bindings (main thread only, except where noted). */

/* The members of ofproto_dpif_class for the IP_Source_Binding table
 * (ofproto/ofproto-portsec.h):
 *
 * portsec_bindings_export() stores every binding of every port with port
 * security settings, static ones included, in a malloc()'d array of '*n'
 * entries, sorted by bridge, port, VLAN, MAC and IP, and returns 0.
 *
 * portsec_binding_restore() restores dynamic binding 'b' of the port
 * named 'port', read back from the database at startup.  Returns 0;
 * ENOENT if there is no such port with port security, or 'b' is static;
 * ENOSPC if the port no longer snoops the binding's family or has its
 * binding limit. */
int portsec_bindings_export(struct ofproto_portsec_binding **bindings,
                            size_t *n);
int portsec_binding_restore(const char *port,
                            const struct portsec_binding *b);

/* Returns a sequence number that changes whenever some binding changes
 * (any thread may change it).  portsec_bindings_wait() wakes the poll loop
 * when it differs from 'seqno'. */
uint64_t portsec_bindings_seqno(void);
void portsec_bindings_wait(uint64_t seqno);

#endif /* ofproto-dpif-portsec.h */
