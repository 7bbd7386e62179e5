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

#ifndef PORT_SECURITY_H
#define PORT_SECURITY_H 1

/* Port security policy.
 * =====================
 *
 * A port security policy is what the administrator configured for one
 * switch port in the Port table's port-security columns (mac_learn_limit,
 * mac_learn_limit_policy, security_policy, port_security, and the port's
 * VLAN settings, which give the VLAN of its bindings) plus the secure
 * MACs that come from the port's interfaces (external_ids:attached-mac, as
 * set by libvirt and OpenStack), parsed and validated once, on the main
 * thread, whenever the database changes.
 *
 * A setting can come from three places, and the first that has it wins:
 *
 *   1. the Port's own columns, which the host's administrator sets with
 *      ovs-vsctl;
 *
 *   2. the Logical_Port_Security row of the logical port that the port's
 *      interface attaches (its external_ids:iface-id), which a central
 *      control plane's agent on the host writes (utilities/ovs-portsec-
 *      ovn-agent, from OVN's southbound database) and nobody else, so that
 *      the administrator and the agent never write the same column;
 *
 *   3. the bridge's defaults (other_config:port-security-*, see "Bridge-
 *      wide defaults" below).
 *
 * The same key means the same thing and is validated the same way in all
 * three.
 *
 * A policy is immutable once created.  The enforcement code publishes it
 * with RCU and reads it from handler and revalidator threads without
 * locking, so nothing in this module is ever modified after
 * portsec_policy_create() returns.
 *
 * Validation fails closed: a value that does not parse never weakens the
 * port.  An accept/reject value that is not understood is enforced as the
 * stricter of the two, an unknown key is ignored, and every such problem is
 * described in 'error' (shown in the Port's security_status:error and
 * logged).
 *
 * The vocabulary follows VMware's distributed switch security policy
 * (forged transmits, MAC address changes, promiscuous mode) and the
 * switching world's port security (secure MAC, MAC learning limit,
 * violation modes "restrict" (our "drop") and "shutdown", err-disabled).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "openvswitch/types.h"
#include "smap.h"

struct ds;
struct smap;

/* Bounds of the "mac_learn_limit" column (number of MAC+VLAN entries). */
#define PORTSEC_MAX_MAC_LEARN_LIMIT 1000000

/* Bounds of security_policy:mac_aging_time, in seconds.  The upper bound is
 * the bridge's other_config:mac-aging-time, applied by the enforcement code,
 * which knows it. */
#define PORTSEC_MIN_MAC_AGING_TIME 15

/* Bounds of security_policy:recovery_interval, in seconds (0 disables
 * automatic recovery). */
#define PORTSEC_MIN_RECOVERY_INTERVAL 30
#define PORTSEC_MAX_RECOVERY_INTERVAL 86400

/* security_policy:dhcp_rate_limit, in DHCP client messages per second (0
 * for no limit). */
#define PORTSEC_DEFAULT_DHCP_RATE_LIMIT 15
#define PORTSEC_MAX_DHCP_RATE_LIMIT 10000

/* security_policy:max_bindings, in dynamic (DHCP) bindings per port. */
#define PORTSEC_DEFAULT_MAX_BINDINGS 32
#define PORTSEC_MAX_MAX_BINDINGS 1024

/* Storm control rates, in packets per second: the largest that may be
 * configured, and the one enforced when a configured rate is not
 * understood (fail closed: a limit the operator asked for is kept). */
#define PORTSEC_MAX_STORM_RATE 10000000
#define PORTSEC_FAIL_CLOSED_STORM_RATE 1000

/* The classes of frames that storm control polices, as Cisco's
 * "storm-control" and NSX's rx broadcast/multicast rate limits. */
enum portsec_storm_class {
    PORTSEC_STORM_BROADCAST,        /* To ff:ff:ff:ff:ff:ff. */
    PORTSEC_STORM_MULTICAST,        /* To any other group address. */
    PORTSEC_STORM_UNKNOWN_UNICAST,  /* Unicast that NORMAL floods because
                                     * it has not learned the
                                     * destination. */
    PORTSEC_N_STORM
};

/* Returns the name of 'class' as in the security_policy keys, e.g.
 * "broadcast" for storm_control_broadcast. */
const char *portsec_storm_class_to_string(enum portsec_storm_class class);

/* ARP and ND snooping (trust on first use), with the ranges and defaults
 * of NSX's IP discovery profile: security_policy:arp_binding_limit and
 * nd_snooping_limit, in bindings per port, and arp_nd_binding_timeout, in
 * minutes. */
#define PORTSEC_MIN_ARP_BINDING_LIMIT 1
#define PORTSEC_MAX_ARP_BINDING_LIMIT 256
#define PORTSEC_DEFAULT_ARP_BINDING_LIMIT 1
#define PORTSEC_MIN_ND_SNOOPING_LIMIT 2
#define PORTSEC_MAX_ND_SNOOPING_LIMIT 15
#define PORTSEC_DEFAULT_ND_SNOOPING_LIMIT 3
#define PORTSEC_MIN_ARP_ND_BINDING_TIMEOUT 5
#define PORTSEC_MAX_ARP_ND_BINDING_TIMEOUT 120
#define PORTSEC_DEFAULT_ARP_ND_BINDING_TIMEOUT 10

/* A static binding, from an IP of a port_security entry "MAC IP[/PLEN]":
 * the port may use any address in 'ip'/'plen' with 'mac'. */
struct portsec_static_binding {
    struct eth_addr mac;
    struct in6_addr ip;         /* IPv6, or IPv4-mapped (::ffff:a.b.c.d). */
    unsigned int plen;          /* Of 'ip' as an IPv6 address: 96 to 128
                                 * for IPv4. */
};

/* What happens to a frame with a source MAC that is new to the port once
 * the port has admitted 'mac_learn_limit' MACs (lib/portsec-admission.h). */
enum portsec_limit_action {
    PORTSEC_LIMIT_DROP,         /* Drop, do not admit; counted and logged
                                 * (Cisco "restrict"). */
    PORTSEC_LIMIT_ALLOW,        /* Forward, do not admit (VDS "allow"). */
    PORTSEC_LIMIT_SHUTDOWN,     /* Err-disable the port. */
};

/* The configuration of one port, immutable (see above). */
struct portsec_policy {
    /* True if any port-security column is set for the port.  A policy
     * without settings only contributes its secure MACs (from attached-mac)
     * to its bridge, so that they are protected on the ports that have
     * settings; the port itself behaves exactly as stock Open vSwitch. */
    bool has_settings;

    /* MAC learning limit: -1 for none, otherwise 0 to
     * PORTSEC_MAX_MAC_LEARN_LIMIT entries. */
    int mac_learn_limit;
    enum portsec_limit_action limit_action;

    /* security_policy keys. */
    bool reject_forged_transmits;   /* forged_transmits=reject. */
    bool reject_mac_changes;        /* mac_changes=reject. */
    bool promiscuous;               /* promiscuous=accept. */
    bool unknown_unicast_flooding;  /* unknown_unicast_flooding=true. */
    unsigned int mac_aging_time;    /* Seconds, 0 for the bridge's. */
    unsigned int recovery_interval; /* Seconds, 0 for manual only. */

    /* DHCP snooping and address inspection (security_policy keys).  The
     * checks apply only to an untrusted port. */
    bool trusted;                   /* trusted=true. */
    bool dhcp_snooping;             /* dhcp_snooping=true. */
    bool arp_inspection;            /* arp_inspection=true. */
    bool ip_source_guard;           /* ip_source_guard=true. */
    bool nd_inspection;             /* nd_inspection=true. */
    bool ra_guard;                  /* ra_guard=true. */
    unsigned int dhcp_rate_limit;   /* Packets per second, 0 for none. */
    unsigned int max_bindings;      /* Dynamic bindings. */

    /* ARP and ND snooping (security_policy keys): the first addresses that
     * an untrusted port uses are bound, up to a limit per family, for
     * 'arp_nd_binding_timeout' minutes after the port's last frame from
     * the binding's MAC. */
    bool arp_snooping;              /* arp_snooping=true. */
    bool nd_snooping;               /* nd_snooping=true. */
    unsigned int arp_binding_limit; /* IPv4 bindings from ARP. */
    unsigned int nd_snooping_limit; /* IPv6 bindings from ND. */
    unsigned int arp_nd_binding_timeout;    /* Minutes. */

    /* Whether DHCP snooping binds what the DHCP and DHCPv6 answers that the
     * OpenFlow controller injects give the port's clients, as it binds
     * those of a trusted port's servers (trust_controller=true, the
     * default; see ofproto-dpif-portsec-snoop.c). */
    bool trust_controller;

    /* Layer 2 protocols (security_policy keys).  These apply to trusted
     * ports too. */
    bool bpdu_filter;               /* bpdu_filter=true. */
    uint16_t bpdu_filter_allow;     /* Bit N set: 01:80:c2:00:00:0N passes
                                     * the filter (bpdu_filter_allow). */
    bool bpdu_guard;                /* bpdu_guard=true. */
    bool block_non_ip;              /* block_non_ip=true. */
    bool block_dhcp_client;         /* block_dhcp_client=true. */

    /* Storm control (security_policy keys): the rate of each class of
     * frames received from the port that the datapath lets through, in
     * packets per second, 0 for no limit; and whether exceeding it
     * err-disables the port (storm_control_action=shutdown) rather than
     * only dropping the excess. */
    unsigned int storm_rate[PORTSEC_N_STORM];
    bool storm_shutdown;

    /* ARP and ND suppression (security_policy keys): the port's broadcast
     * ARP requests and multicast Neighbor Solicitations for an address
     * bound on another port of its bridge and VLAN are answered on the
     * owner's behalf instead of flooded.  They apply to trusted ports
     * too. */
    bool arp_suppression;           /* arp_suppression=true. */
    bool nd_suppression;            /* nd_suppression=true. */

    /* err-disable (security_policy key). */
    bool persist_err_disabled;      /* persist_err_disabled=true. */

    /* The err-disabled state that the database kept for the port (its
     * err_disabled column, written by ovs-vswitchd when
     * persist_err_disabled is set), to restore when the port is created,
     * as when ovs-vswitchd starts: the cause ("mac_learn_limit",
     * "bpdu_guard") or NULL if none, and since when, wall clock in ms.
     * State, not configuration: portsec_policy_equal() ignores it. */
    char *restored_cause;
    long long int restored_since;

    /* The VLAN that NORMAL assigns to the port's untagged frames: its
     * "tag" unless it is a trunk, otherwise 0. */
    uint16_t native_vlan;

    /* Static bindings from port_security, in configuration order. */
    struct portsec_static_binding *static_bindings;
    size_t n_static_bindings;

    /* Secure MACs, sorted with eth_addr_compare_3way() and unique. */
    struct eth_addr *secure_macs;
    size_t n_secure_macs;

    /* The names of the Port's interfaces, sorted: the netdevs on which
     * datapath-ext filters the port's frames. */
    char **ifaces;
    size_t n_ifaces;

    /* The settings that the port inherits from its bridge's defaults
     * (PORTSEC_DEFAULTS_PREFIX keys), by name, sorted and separated by
     * spaces ("mac_learn_limit forged_transmits ..."), or NULL for none. */
    char *inherited;

    /* The settings that come from the port's Logical_Port_Security row (its
     * "settings", and "port_security" for its port_security column), in
     * the same form, or NULL for none. */
    char *central;

    /* For a port that inherits some settings or takes some from its
     * Logical_Port_Security row, those that it sets itself, in the same form,
     * or NULL for none; always NULL for a port whose settings are all its own.
     * The others are built-in defaults. */
    char *own;

    /* Human-readable description of every configuration problem, or NULL
     * if there is none. */
    char *error;
};

/* The raw database values a policy is made from.  Pointers may be NULL and
 * counts 0 for unset columns. */
struct portsec_config {
    const int64_t *mac_learn_limit;         /* NULL if unset. */
    const char *mac_learn_limit_policy;     /* NULL if unset. */
    const struct smap *security_policy;     /* NULL or empty if unset. */
    char **port_security;                   /* "MAC [IP[/PLEN]...]" each. */
    size_t n_port_security;
    const char **attached_macs;             /* From external_ids. */
    size_t n_attached_macs;
    const char **ifaces;                    /* Interface names. */
    size_t n_ifaces;
    const struct smap *err_disabled;        /* Port's err_disabled column,
                                             * NULL if none. */
    const int64_t *tag;                     /* NULL if unset. */
    const char *vlan_mode;                  /* NULL if unset. */

    /* The "settings" of the port's Logical_Port_Security row (NULL or empty if
     * it has none): each setting that the port does not set itself is taken
     * from it, before the bridge's defaults.  Keys as in the bridge's
     * defaults, without their prefix; validated by portsec_policy_create(),
     * which reports a problem in the policy's 'error'. */
    const struct smap *central_settings;

    /* The "port_security" of the port's Logical_Port_Security row, "MAC
     * [IP[/PLEN]...]" each: used instead of 'port_security' if that is
     * empty and the port has some other setting, from any of the three
     * places; it never gives a port port security by itself. */
    char **central_port_security;
    size_t n_central_port_security;

    /* The bridge's defaults, if the port inherits them: each setting that the
     * port does not set itself or take from its Logical_Port_Security row is
     * taken from them. */
    const struct portsec_defaults *defaults;
};

/* Parses and validates 'cfg' into a new policy, which the caller must free
 * with portsec_policy_destroy().  Returns NULL if 'cfg' sets nothing and
 * has no attached MAC, meaning the port has no port security at all.  Never
 * fails: problems are reported in the returned policy's 'error' and
 * resolved in the stricter direction. */
struct portsec_policy *portsec_policy_create(const struct portsec_config *);

/* Frees 'policy'.  NULL is a no-op. */
void portsec_policy_destroy(struct portsec_policy *policy);

/* Bridge-wide defaults.
 *
 * The Bridge table's other_config keys that begin with
 * PORTSEC_DEFAULTS_PREFIX hold settings that the bridge's ports inherit,
 * like the policies of a distributed switch's port group: after the
 * prefix come "mac_learn_limit", "mac_learn_limit_policy", every
 * security_policy key, and "apply_to", which says which ports inherit.
 * (A column of our own on the Bridge table would show up in upstream's
 * tests that list every Bridge column, and fail them.)  The keys are
 * validated once per bridge, into a 'struct
 * portsec_defaults' that every inheriting port's configuration points to
 * (portsec_config.defaults), so that a bad value is reported once, for
 * the bridge, and each port enforces the value that the port parser would
 * enforce for it (see portsec_policy_create()): validation fails closed
 * there as it does for a port.  The validation is lib/portsec-defaults.c. */

/* Which ports inherit a bridge's defaults ("apply_to").  Whatever it says,
 * a port with security_policy:inherit=false never inherits, and one with
 * inherit=true always does. */
enum portsec_defaults_scope {
    /* "ports" (the default): every port but the bridge's local port and
     * ports with an internal, patch or tunnel interface. */
    PORTSEC_DEFAULTS_PORTS,

    /* "vm-ports": those of them with an interface whose external_ids has
     * "attached-mac" or "iface-id", as libvirt and OpenStack create a
     * virtual machine's port. */
    PORTSEC_DEFAULTS_VM_PORTS,

    /* "all": every port; the value enforced for a bad "apply_to". */
    PORTSEC_DEFAULTS_ALL,
};

/* Where a set of defaults comes from, which decides the keys that it may
 * hold and how its problems are named. */
enum portsec_defaults_origin {
    /* A Bridge's other_config:port-security-* keys (PORTSEC_DEFAULTS_
     * PREFIX): every key, "apply_to" included. */
    PORTSEC_DEFAULTS_BRIDGE,

    /* A Logical_Port_Security row's settings column (PORTSEC_CENTRAL_PREFIX):
     * every key but "apply_to", which only a bridge has. */
    PORTSEC_DEFAULTS_CENTRAL,
};

/* A bridge's validated defaults, or a port's validated central settings.
 * Immutable once created. */
struct portsec_defaults {
    enum portsec_defaults_scope scope;
    bool has_mac_learn_limit;
    int64_t mac_learn_limit;                /* 0...1000000. */
    const char *mac_learn_limit_policy;     /* Static string, or NULL. */
    struct smap security_policy;            /* Valid keys and values. */
    char *error;                            /* Problems found, or NULL. */
};

/* The prefix of the Bridge other_config keys that hold port security
 * defaults, as an error message names them. */
#define PORTSEC_DEFAULTS_PREFIX "other_config:port-security-"

/* The prefix with which an error message names a key of a
 * Logical_Port_Security row's settings column. */
#define PORTSEC_CENTRAL_PREFIX "Logical_Port_Security settings:"

/* Validates 'column', the defaults with the prefix of their keys removed
 * (NULL or empty for no defaults), that come from 'origin', into a new
 * 'struct portsec_defaults', or returns NULL if it is empty.  A bad value
 * is replaced by what a port enforces for it (for example "reject" for a
 * bad forged_transmits, 0 for a bad mac_learn_limit, "shutdown" for a bad
 * mac_learn_limit_policy, "all" for a bad apply_to), an unknown key, or
 * one that 'origin' may not hold, is ignored, and each is described in
 * 'error', each key named with the prefix of 'origin'.  The caller frees
 * the result with portsec_defaults_destroy().  Pure; any thread. */
struct portsec_defaults *portsec_defaults_create(
    const struct smap *column, enum portsec_defaults_origin origin);
void portsec_defaults_destroy(struct portsec_defaults *);

/* Returns true if 'cfg' sets anything but secure MACs and static bindings
 * (a learning limit or its policy, or any security_policy key).  Pure; any
 * thread. */
bool portsec_config_has_settings(const struct portsec_config *cfg);

/* The layers of a port's configuration (lib/portsec-defaults.c).
 *
 * Makes '*merged' a copy of 'port' in which each setting that 'port' does
 * not set itself comes from 'central' (the port's validated
 * Logical_Port_Security settings, NULL if none), then from
 * 'port->defaults' (its bridge's defaults, NULL if it inherits none).
 * '*sp' is initialized to hold the merged security_policy, which
 * 'merged->security_policy' points to; the caller destroys it with
 * smap_destroy() once done with '*merged', whose other pointers are
 * borrowed from 'port', 'central' and 'port->defaults'.  The central
 * port_security replaces an empty one of the port's own if the merged
 * configuration has any setting (it never gives a port port security by
 * itself).  Appends the names of the settings that came from 'central' and
 * from the defaults, sorted and separated by spaces, to 'central_names'
 * and 'inherited', and, if there are any, those of the port's own settings
 * to 'own'.  Pure; any thread. */
void portsec_config_merge(const struct portsec_config *port,
                          const struct portsec_defaults *central,
                          struct portsec_config *merged, struct smap *sp,
                          struct ds *central_names, struct ds *inherited,
                          struct ds *own);

/* Returns true if 'a' and 'b' (either may be NULL) enforce the same thing
 * and report the same error, so that replacing one by the other needs no
 * revalidation. */
bool portsec_policy_equal(const struct portsec_policy *a,
                          const struct portsec_policy *b);

/* Returns a copy of 'policy' (NULL if 'policy' is NULL). */
struct portsec_policy *portsec_policy_clone(const struct portsec_policy *);

/* Returns true if 'mac' is one of 'policy''s secure MACs.  O(log n).  Safe
 * from any thread while the caller holds a reference to 'policy' (an RCU
 * read section, for a published policy). */
bool portsec_policy_is_secure_mac(const struct portsec_policy *policy,
                                  struct eth_addr mac);

/* Returns true if 'policy' enforces any of the checks that read bindings
 * or DHCP (DHCP snooping, ARP inspection, IP source guard, ND inspection,
 * RA guard) or learns bindings (ARP or ND snooping), that is, if the port
 * is untrusted and one of them is on. */
bool portsec_policy_inspects(const struct portsec_policy *policy);

/* Returns true if 'policy' sets a storm control rate for some class of
 * frames. */
bool portsec_policy_storm_control(const struct portsec_policy *policy);

/* Returns true if ('mac', 'ip') is within one of 'policy''s static
 * bindings.  'ip' is IPv6 or IPv4-mapped.  O(n) in the number of static
 * bindings; any thread, like portsec_policy_is_secure_mac(). */
bool portsec_policy_static_binding(const struct portsec_policy *policy,
                                   struct eth_addr mac,
                                   const struct in6_addr *ip);

/* Returns true if 'ip' is within one of 'policy''s static bindings, with
 * any MAC, and stores that binding's MAC in '*mac'.  'ip' is IPv6 or
 * IPv4-mapped.  O(n) in the number of static bindings; any thread, like
 * portsec_policy_is_secure_mac(). */
bool portsec_policy_static_ip(const struct portsec_policy *policy,
                              const struct in6_addr *ip,
                              struct eth_addr *mac);

/* Returns true if 'mac' is a reserved bridge group address, 01:80:c2:00:00:00
 * to 01:80:c2:00:00:0f (IEEE 802.1Q table 8-1: STP and its successors,
 * pause, LACP and slow protocols, 802.1X, LLDP...), which a bridge does
 * not forward and which bpdu_filter drops. */
bool portsec_is_reserved_group(struct eth_addr mac);

/* Returns true if 'mac' is the destination of a spanning tree BPDU, which
 * bpdu_guard acts on: 01:80:c2:00:00:00 (IEEE 802.1D STP, RSTP, MSTP) or
 * 01:00:0c:cc:cc:cd (Cisco PVST+). */
bool portsec_is_bpdu(struct eth_addr mac);

/* Returns "drop", "allow" or "shutdown". */
const char *portsec_limit_action_to_string(enum portsec_limit_action);

/* Appends a one-line description of the security_policy keys in effect to
 * 'ds', for example "forged_transmits=reject mac_changes=accept ...". */
void portsec_policy_format(const struct portsec_policy *, struct ds *ds);

/* Checks 'value' of security_policy key 'key' as a Port's security_policy
 * column would parse it (see portsec_policy_create()).  Returns true if
 * both are valid, with '*enforced' set to NULL.  Otherwise returns false,
 * appends the problem to 'error' as the port's parser words it
 * ("security_policy:KEY: ...", or "security_policy: unknown key ..."),
 * after "; " if 'error' was not empty, and sets '*enforced' to the value
 * that a port enforces instead, as a string the caller must free(), or
 * NULL if 'key' is unknown or what is enforced means "unset".  Used to
 * validate bridge-wide defaults (lib/portsec-defaults.c) one key at a
 * time.  Pure; safe from any thread. */
bool portsec_policy_check_key(const char *key, const char *value,
                              char **enforced, struct ds *error);

/* Sorts 'macs' ('n' entries) and removes duplicates; returns the new
 * count. */
size_t portsec_sort_macs(struct eth_addr *macs, size_t n);

/* Returns true if 'mac' is in 'macs', which must be sorted with
 * portsec_sort_macs(). */
bool portsec_macs_contain(const struct eth_addr *macs, size_t n,
                          struct eth_addr mac);

#endif /* port-security.h */
