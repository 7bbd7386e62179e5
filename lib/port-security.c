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
#include "port-security.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "smap.h"
#include "util.h"

/* A security_policy key whose value is one of two words.  'strict' is the
 * value that is enforced when the configured value is not understood. */
struct portsec_switch_key {
    const char *key;
    const char *on;             /* Value that makes '*member' true. */
    const char *off;            /* Value that makes '*member' false. */
    bool dflt;                  /* Value of '*member' when unset. */
    bool strict;                /* Value of '*member' when invalid. */
    size_t offset;              /* offsetof(struct portsec_policy, ...). */
};

static const struct portsec_switch_key switch_keys[] = {
    { "forged_transmits", "reject", "accept", false, true,
      offsetof(struct portsec_policy, reject_forged_transmits) },
    { "mac_changes", "reject", "accept", false, true,
      offsetof(struct portsec_policy, reject_mac_changes) },
    { "promiscuous", "accept", "reject", false, false,
      offsetof(struct portsec_policy, promiscuous) },
    { "unknown_unicast_flooding", "true", "false", true, false,
      offsetof(struct portsec_policy, unknown_unicast_flooding) },
};

/* The DHCP snooping and address inspection switches.  An invalid value of
 * "trusted" means untrusted; of "arp_snooping" or "nd_snooping", that the
 * port binds nothing on first use (inspection then drops what no other
 * source bound); of "trust_controller", that the DHCP answers that the
 * OpenFlow controller injects bind nothing; of any other, that the check
 * is on. */
static const struct portsec_switch_key snoop_keys[] = {
    { "trusted", "true", "false", false, false,
      offsetof(struct portsec_policy, trusted) },
    { "dhcp_snooping", "true", "false", false, true,
      offsetof(struct portsec_policy, dhcp_snooping) },
    { "arp_inspection", "true", "false", false, true,
      offsetof(struct portsec_policy, arp_inspection) },
    { "ip_source_guard", "true", "false", false, true,
      offsetof(struct portsec_policy, ip_source_guard) },
    { "nd_inspection", "true", "false", false, true,
      offsetof(struct portsec_policy, nd_inspection) },
    { "ra_guard", "true", "false", false, true,
      offsetof(struct portsec_policy, ra_guard) },
    { "arp_snooping", "true", "false", false, false,
      offsetof(struct portsec_policy, arp_snooping) },
    { "nd_snooping", "true", "false", false, false,
      offsetof(struct portsec_policy, nd_snooping) },
    { "trust_controller", "true", "false", true, false,
      offsetof(struct portsec_policy, trust_controller) },
};

/* The storm control switch.  An invalid value means "shutdown", the
 * stricter action. */
static const struct portsec_switch_key storm_keys[] = {
    { "storm_control_action", "shutdown", "drop", false, true,
      offsetof(struct portsec_policy, storm_shutdown) },
};

/* The err-disable switches.  An invalid value of "persist_err_disabled"
 * means that the err-disabled state persists, the stricter choice. */
static const struct portsec_switch_key errdisable_keys[] = {
    { "persist_err_disabled", "true", "false", false, true,
      offsetof(struct portsec_policy, persist_err_disabled) },
};

/* The protocol switches.  An invalid value means that the check is on. */
static const struct portsec_switch_key protocol_keys[] = {
    { "bpdu_filter", "true", "false", false, true,
      offsetof(struct portsec_policy, bpdu_filter) },
    { "bpdu_guard", "true", "false", false, true,
      offsetof(struct portsec_policy, bpdu_guard) },
    { "block_non_ip", "true", "false", false, true,
      offsetof(struct portsec_policy, block_non_ip) },
    { "block_dhcp_client", "true", "false", false, true,
      offsetof(struct portsec_policy, block_dhcp_client) },
};

static void OVS_PRINTF_FORMAT(2, 3)
add_error(struct ds *errors, const char *format, ...)
{
    va_list args;

    if (errors->length) {
        ds_put_cstr(errors, "; ");
    }
    va_start(args, format);
    ds_put_format_valist(errors, format, args);
    va_end(args);
}

static bool *
switch_member(struct portsec_policy *policy,
              const struct portsec_switch_key *sk)
{
    return (bool *) ((char *) policy + sk->offset);
}

static void
parse_switch_key(struct portsec_policy *policy,
                 const struct portsec_switch_key *sk, const char *value,
                 struct ds *errors)
{
    bool *member = switch_member(policy, sk);

    if (!strcmp(value, sk->on)) {
        *member = true;
    } else if (!strcmp(value, sk->off)) {
        *member = false;
    } else {
        *member = sk->strict;
        add_error(errors, "security_policy:%s: \"%s\" is not \"%s\" or "
                  "\"%s\", enforcing \"%s\"", sk->key, value, sk->on,
                  sk->off, sk->strict ? sk->on : sk->off);
    }
}

static void
parse_mac_aging_time(struct portsec_policy *policy, const char *value,
                     struct ds *errors)
{
    unsigned int secs;

    if (!str_to_uint(value, 10, &secs)) {
        policy->mac_aging_time = 0;
        add_error(errors, "security_policy:mac_aging_time: \"%s\" is not a "
                  "number of seconds, using the bridge's mac-aging-time",
                  value);
    } else if (secs < PORTSEC_MIN_MAC_AGING_TIME) {
        policy->mac_aging_time = PORTSEC_MIN_MAC_AGING_TIME;
        add_error(errors, "security_policy:mac_aging_time: %u is below the "
                  "minimum of %d seconds, using %d", secs,
                  PORTSEC_MIN_MAC_AGING_TIME, PORTSEC_MIN_MAC_AGING_TIME);
    } else {
        policy->mac_aging_time = secs;
    }
}

static void
parse_recovery_interval(struct portsec_policy *policy, const char *value,
                        struct ds *errors)
{
    unsigned int secs;

    if (str_to_uint(value, 10, &secs)
        && (!secs || (secs >= PORTSEC_MIN_RECOVERY_INTERVAL
                      && secs <= PORTSEC_MAX_RECOVERY_INTERVAL))) {
        policy->recovery_interval = secs;
    } else {
        policy->recovery_interval = 0;
        add_error(errors, "security_policy:recovery_interval: \"%s\" is not "
                  "0 or %d..%d seconds, recovery is manual only", value,
                  PORTSEC_MIN_RECOVERY_INTERVAL,
                  PORTSEC_MAX_RECOVERY_INTERVAL);
    }
}

/* Parses 'value' of security_policy key 'key' as an integer between 0 and
 * 'max' into '*member', or reports it and uses 'dflt'. */
static void
parse_uint_key(unsigned int *member, const char *key, const char *value,
               unsigned int max, unsigned int dflt, struct ds *errors)
{
    unsigned int n;

    if (str_to_uint(value, 10, &n) && n <= max) {
        *member = n;
    } else {
        *member = dflt;
        add_error(errors, "security_policy:%s: \"%s\" is not a number "
                  "between 0 and %u, using the default of %u", key, value,
                  max, dflt);
    }
}

/* The ARP and ND suppression switches.  An invalid value means that the
 * port's requests are suppressed, the choice that keeps them from the
 * other ports. */
static const struct portsec_switch_key suppression_keys[] = {
    { "arp_suppression", "true", "false", false, true,
      offsetof(struct portsec_policy, arp_suppression) },
    { "nd_suppression", "true", "false", false, true,
      offsetof(struct portsec_policy, nd_suppression) },
};

/* Parses 'value' of security_policy key 'key' as an integer between 'min'
 * and 'max' into '*member'.  A value that does not parse or is out of
 * range is reported and replaced by 'min', the strictest: a lower
 * binding limit binds fewer addresses, a shorter binding timeout keeps
 * them for less time. */
static void
parse_range_key(unsigned int *member, const char *key, const char *value,
                unsigned int min, unsigned int max, struct ds *errors)
{
    unsigned int n;

    if (str_to_uint(value, 10, &n) && n >= min && n <= max) {
        *member = n;
    } else {
        *member = min;
        add_error(errors, "security_policy:%s: \"%s\" is not a number "
                  "between %u and %u, enforcing %u", key, value, min, max,
                  min);
    }
}

/* Returns the switch key named 'key' in 'keys' ('n' of them), if any. */
static const struct portsec_switch_key *
find_switch_key(const struct portsec_switch_key *keys, size_t n,
                const char *key)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(key, keys[i].key)) {
            return &keys[i];
        }
    }
    return NULL;
}

/* Returns the switch key named 'key' in any of the tables, if any. */
static const struct portsec_switch_key *
find_any_switch_key(const char *key)
{
    const struct portsec_switch_key *sk;

    sk = find_switch_key(switch_keys, ARRAY_SIZE(switch_keys), key);
    if (!sk) {
        sk = find_switch_key(snoop_keys, ARRAY_SIZE(snoop_keys), key);
    }
    if (!sk) {
        sk = find_switch_key(protocol_keys, ARRAY_SIZE(protocol_keys), key);
    }
    if (!sk) {
        sk = find_switch_key(errdisable_keys, ARRAY_SIZE(errdisable_keys),
                             key);
    }
    if (!sk) {
        sk = find_switch_key(storm_keys, ARRAY_SIZE(storm_keys), key);
    }
    if (!sk) {
        sk = find_switch_key(suppression_keys, ARRAY_SIZE(suppression_keys),
                             key);
    }
    return sk;
}

/* The reserved bridge group addresses, 01:80:c2:00:00:00 to
 * 01:80:c2:00:00:0f (IEEE 802.1Q, table 8-1), by their last nibble. */
static const struct eth_addr reserved_group_base
    = ETH_ADDR_C(01, 80, c2, 00, 00, 00);

/* Parses "bpdu_filter_allow", a list of reserved bridge group addresses
 * separated by spaces or commas, into 'policy->bpdu_filter_allow'.  Other
 * entries are reported and ignored, so that they are filtered. */
static void
parse_bpdu_filter_allow(struct portsec_policy *policy, const char *value,
                        struct ds *errors)
{
    char *copy = xstrdup(value);
    char *save_ptr = NULL;

    policy->bpdu_filter_allow = 0;
    for (char *token = strtok_r(copy, " ,", &save_ptr); token;
         token = strtok_r(NULL, " ,", &save_ptr)) {
        struct eth_addr mac;

        if (eth_addr_from_string(token, &mac)
            && portsec_is_reserved_group(mac)) {
            policy->bpdu_filter_allow |= 1u << (mac.ea[5] & 0x0f);
        } else {
            add_error(errors, "security_policy:bpdu_filter_allow: \"%s\" is "
                      "not a reserved bridge group address "
                      "(01:80:c2:00:00:00 to 01:80:c2:00:00:0f), filtered",
                      token);
        }
    }
    free(copy);
}

/* Appends the addresses of 'allow', a bpdu_filter_allow bitmap, to 'ds',
 * separated by commas. */
static void
format_bpdu_filter_allow(uint16_t allow, struct ds *ds)
{
    bool first = true;

    for (int i = 0; i < 16; i++) {
        if (allow & (1u << i)) {
            struct eth_addr mac = reserved_group_base;

            mac.ea[5] = i;
            ds_put_format(ds, "%s"ETH_ADDR_FMT, first ? "" : ",",
                          ETH_ADDR_ARGS(mac));
            first = false;
        }
    }
}

bool
portsec_is_reserved_group(struct eth_addr mac)
{
    return (mac.ea[0] == 0x01 && mac.ea[1] == 0x80 && mac.ea[2] == 0xc2
            && !mac.ea[3] && !mac.ea[4] && !(mac.ea[5] & 0xf0));
}

bool
portsec_is_bpdu(struct eth_addr mac)
{
    static const struct eth_addr pvst = ETH_ADDR_C(01, 00, 0c, cc, cc, cd);

    return eth_addr_equals(mac, reserved_group_base)
           || eth_addr_equals(mac, pvst);
}

const char *
portsec_storm_class_to_string(enum portsec_storm_class class)
{
    switch (class) {
    case PORTSEC_STORM_BROADCAST:
        return "broadcast";
    case PORTSEC_STORM_MULTICAST:
        return "multicast";
    case PORTSEC_STORM_UNKNOWN_UNICAST:
        return "unknown_unicast";
    case PORTSEC_N_STORM:
    default:
        OVS_NOT_REACHED();
    }
}

#define STORM_KEY_PREFIX "storm_control_"

/* Returns the storm control class whose rate key is 'key'
 * ("storm_control_broadcast"...), or PORTSEC_N_STORM if it is not one. */
static enum portsec_storm_class
storm_class_from_key(const char *key)
{
    if (!strncmp(key, STORM_KEY_PREFIX, strlen(STORM_KEY_PREFIX))) {
        for (int i = 0; i < PORTSEC_N_STORM; i++) {
            if (!strcmp(key + strlen(STORM_KEY_PREFIX),
                        portsec_storm_class_to_string(i))) {
                return i;
            }
        }
    }
    return PORTSEC_N_STORM;
}

/* Parses 'value', the rate of storm control key 'key' for 'class', into
 * 'policy'.  A value that is not a rate from 1 to PORTSEC_MAX_STORM_RATE
 * packets per second keeps a limit: PORTSEC_FAIL_CLOSED_STORM_RATE, or the
 * maximum for a larger number. */
static void
parse_storm_rate(struct portsec_policy *policy,
                 enum portsec_storm_class class, const char *key,
                 const char *value, struct ds *errors)
{
    unsigned int *rate = &policy->storm_rate[class];
    unsigned int n;

    if (str_to_uint(value, 10, &n) && n >= 1
        && n <= PORTSEC_MAX_STORM_RATE) {
        *rate = n;
    } else {
        *rate = (str_to_uint(value, 10, &n) && n > PORTSEC_MAX_STORM_RATE
                 ? PORTSEC_MAX_STORM_RATE : PORTSEC_FAIL_CLOSED_STORM_RATE);
        add_error(errors, "security_policy:%s: \"%s\" is not a rate "
                  "between 1 and %u packets per second, enforcing %u", key,
                  value, PORTSEC_MAX_STORM_RATE, *rate);
    }
}

static void
parse_security_policy(struct portsec_policy *policy, const struct smap *sp,
                      struct ds *errors)
{
    for (size_t i = 0; i < ARRAY_SIZE(switch_keys); i++) {
        *switch_member(policy, &switch_keys[i]) = switch_keys[i].dflt;
    }
    for (size_t i = 0; i < ARRAY_SIZE(snoop_keys); i++) {
        *switch_member(policy, &snoop_keys[i]) = snoop_keys[i].dflt;
    }
    for (size_t i = 0; i < ARRAY_SIZE(errdisable_keys); i++) {
        *switch_member(policy, &errdisable_keys[i]) = errdisable_keys[i].dflt;
    }
    for (size_t i = 0; i < ARRAY_SIZE(protocol_keys); i++) {
        *switch_member(policy, &protocol_keys[i]) = protocol_keys[i].dflt;
    }
    for (size_t i = 0; i < ARRAY_SIZE(storm_keys); i++) {
        *switch_member(policy, &storm_keys[i]) = storm_keys[i].dflt;
    }
    memset(policy->storm_rate, 0, sizeof policy->storm_rate);
    for (size_t i = 0; i < ARRAY_SIZE(suppression_keys); i++) {
        *switch_member(policy, &suppression_keys[i])
            = suppression_keys[i].dflt;
    }
    policy->bpdu_filter_allow = 0;
    policy->dhcp_rate_limit = PORTSEC_DEFAULT_DHCP_RATE_LIMIT;
    policy->max_bindings = PORTSEC_DEFAULT_MAX_BINDINGS;
    policy->arp_binding_limit = PORTSEC_DEFAULT_ARP_BINDING_LIMIT;
    policy->nd_snooping_limit = PORTSEC_DEFAULT_ND_SNOOPING_LIMIT;
    policy->arp_nd_binding_timeout = PORTSEC_DEFAULT_ARP_ND_BINDING_TIMEOUT;
    if (!sp) {
        return;
    }

    /* Sorted, so that 'error' does not depend on hash order. */
    const struct smap_node **nodes = smap_sort(sp);
    for (size_t i = 0; i < smap_count(sp); i++) {
        const struct smap_node *node = nodes[i];
        enum portsec_storm_class storm = storm_class_from_key(node->key);
        const struct portsec_switch_key *sk;

        sk = find_any_switch_key(node->key);
        if (sk) {
            parse_switch_key(policy, sk, node->value, errors);
        } else if (storm != PORTSEC_N_STORM) {
            parse_storm_rate(policy, storm, node->key, node->value, errors);
        } else if (!strcmp(node->key, "bpdu_filter_allow")) {
            parse_bpdu_filter_allow(policy, node->value, errors);
        } else if (!strcmp(node->key, "dhcp_rate_limit")) {
            parse_uint_key(&policy->dhcp_rate_limit, node->key, node->value,
                           PORTSEC_MAX_DHCP_RATE_LIMIT,
                           PORTSEC_DEFAULT_DHCP_RATE_LIMIT, errors);
        } else if (!strcmp(node->key, "max_bindings")) {
            parse_uint_key(&policy->max_bindings, node->key, node->value,
                           PORTSEC_MAX_MAX_BINDINGS,
                           PORTSEC_DEFAULT_MAX_BINDINGS, errors);
        } else if (!strcmp(node->key, "arp_binding_limit")) {
            parse_range_key(&policy->arp_binding_limit, node->key,
                            node->value, PORTSEC_MIN_ARP_BINDING_LIMIT,
                            PORTSEC_MAX_ARP_BINDING_LIMIT, errors);
        } else if (!strcmp(node->key, "nd_snooping_limit")) {
            parse_range_key(&policy->nd_snooping_limit, node->key,
                            node->value, PORTSEC_MIN_ND_SNOOPING_LIMIT,
                            PORTSEC_MAX_ND_SNOOPING_LIMIT, errors);
        } else if (!strcmp(node->key, "arp_nd_binding_timeout")) {
            parse_range_key(&policy->arp_nd_binding_timeout, node->key,
                            node->value, PORTSEC_MIN_ARP_ND_BINDING_TIMEOUT,
                            PORTSEC_MAX_ARP_ND_BINDING_TIMEOUT, errors);
        } else if (!strcmp(node->key, "mac_aging_time")) {
            parse_mac_aging_time(policy, node->value, errors);
        } else if (!strcmp(node->key, "recovery_interval")) {
            parse_recovery_interval(policy, node->value, errors);
        } else if (!strcmp(node->key, "inherit")) {
            /* Read by the caller, which decides whether the port inherits
             * its bridge's defaults. */
            if (strcmp(node->value, "true") && strcmp(node->value, "false")) {
                add_error(errors, "security_policy:inherit: \"%s\" is not "
                          "\"true\" or \"false\", enforcing \"true\"",
                          node->value);
            }
        } else {
            add_error(errors, "security_policy: unknown key \"%s\" ignored",
                      node->key);
        }
    }
    free(nodes);
}

/* Parses a unicast, nonzero MAC from 's'.  Returns true if successful. */
static bool
parse_unicast_mac(const char *s, struct eth_addr *mac)
{
    return (eth_addr_from_string(s, mac)
            && !eth_addr_is_multicast(*mac)
            && !eth_addr_is_zero(*mac));
}

/* Parses 's', an IPv4 or IPv6 address optionally followed by "/PLEN" with
 * a prefix length that fits the address family, into 'b''s address and
 * prefix.  Returns true if successful. */
static bool
parse_ip_prefix(const char *s, struct portsec_static_binding *b)
{
    char *addr = xstrdup(s);
    char *slash = strchr(addr, '/');
    unsigned int plen;
    unsigned int max;
    ovs_be32 ip;
    bool ok;

    if (slash) {
        *slash = '\0';
    }
    if (ip_parse(addr, &ip)) {
        max = 32;
        in6_addr_set_mapped_ipv4(&b->ip, ip);
    } else if (ipv6_parse(addr, &b->ip)) {
        max = 128;
    } else {
        free(addr);
        return false;
    }
    plen = max;
    ok = !slash || (str_to_uint(slash + 1, 10, &plen) && plen <= max);
    b->plen = plen + (128 - max);

    /* Keep only the prefix bits, so that matching is a masked compare. */
    struct in6_addr mask = ipv6_create_mask(b->plen);
    b->ip = ipv6_addr_bitand(&b->ip, &mask);
    free(addr);
    return ok;
}

/* Parses one entry "MAC [IP[/PLEN] ...]" of 'column' (a Port's or a
 * Logical_Port_Security's port_security), as in OVN's Logical_Switch_Port
 * port_security column.  Appends its MAC to 'macs' and returns true if the
 * whole entry is valid; otherwise reports why and returns false, so that the
 * entry grants nothing. */
static bool
parse_port_security_entry(const char *column, const char *entry,
                          struct eth_addr *mac,
                          struct portsec_static_binding **bindingsp,
                          size_t *n_bindingsp, size_t *allocated,
                          struct ds *errors)
{
    struct portsec_static_binding *bindings = *bindingsp;
    size_t n_bindings = *n_bindingsp;
    char *copy = xstrdup(entry);
    char *save_ptr = NULL;
    bool ok = true;
    char *token;

    token = strtok_r(copy, " \t", &save_ptr);
    if (!token || !parse_unicast_mac(token, mac)) {
        add_error(errors, "%s: \"%s\" does not start with a unicast MAC "
                  "address, entry ignored", column, entry);
        ok = false;
    }
    while (ok && (token = strtok_r(NULL, " \t", &save_ptr))) {
        struct portsec_static_binding *b;

        if (n_bindings >= *allocated) {
            bindings = x2nrealloc(bindings, allocated, sizeof *bindings);
        }
        b = &bindings[n_bindings];
        memset(b, 0, sizeof *b);    /* Compared with memcmp(). */
        if (parse_ip_prefix(token, b)) {
            b->mac = *mac;
            n_bindings++;
        } else {
            add_error(errors, "%s: \"%s\": \"%s\" is not an IPv4 or "
                      "IPv6 address or prefix, entry ignored", column, entry,
                      token);
            ok = false;
        }
    }
    /* An entry with a bad IP grants nothing. */
    *bindingsp = bindings;
    if (ok) {
        *n_bindingsp = n_bindings;
    }
    free(copy);
    return ok;
}

static int
compare_macs(const void *a_, const void *b_)
{
    const struct eth_addr *a = a_;
    const struct eth_addr *b = b_;

    return eth_addr_compare_3way(*a, *b);
}

size_t
portsec_sort_macs(struct eth_addr *macs, size_t n)
{
    size_t n_unique = 0;

    qsort(macs, n, sizeof *macs, compare_macs);
    for (size_t i = 0; i < n; i++) {
        if (!n_unique || !eth_addr_equals(macs[n_unique - 1], macs[i])) {
            macs[n_unique++] = macs[i];
        }
    }
    return n_unique;
}

bool
portsec_macs_contain(const struct eth_addr *macs, size_t n,
                     struct eth_addr mac)
{
    return n && bsearch(&mac, macs, n, sizeof *macs, compare_macs) != NULL;
}

static void
parse_limit(struct portsec_policy *policy, const struct portsec_config *cfg,
            struct ds *errors)
{
    const char *action = cfg->mac_learn_limit_policy;

    policy->mac_learn_limit = -1;
    if (cfg->mac_learn_limit) {
        int64_t limit = *cfg->mac_learn_limit;

        /* The schema constrains the value; clamp anyway, toward strict. */
        if (limit < 0 || limit > PORTSEC_MAX_MAC_LEARN_LIMIT) {
            add_error(errors, "mac_learn_limit: %"PRId64" out of range",
                      limit);
            limit = limit < 0 ? 0 : PORTSEC_MAX_MAC_LEARN_LIMIT;
        }
        policy->mac_learn_limit = limit;
    }

    policy->limit_action = PORTSEC_LIMIT_DROP;
    if (!action || !strcmp(action, "drop")) {
        /* Default. */
    } else if (!strcmp(action, "allow")) {
        policy->limit_action = PORTSEC_LIMIT_ALLOW;
    } else if (!strcmp(action, "shutdown")) {
        policy->limit_action = PORTSEC_LIMIT_SHUTDOWN;
    } else {
        add_error(errors, "mac_learn_limit_policy: unknown value \"%s\", "
                  "using \"drop\"", action);
    }
}

/* Returns the VLAN that NORMAL gives the untagged frames of the port that
 * 'cfg' describes (see the Port table's vlan_mode column). */
static uint16_t
parse_native_vlan(const struct portsec_config *cfg)
{
    if (!cfg->tag || *cfg->tag < 0 || *cfg->tag > 4095
        || (cfg->vlan_mode && !strcmp(cfg->vlan_mode, "trunk"))) {
        return 0;
    }
    return *cfg->tag;
}

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;

    return strcmp(*a, *b);
}

/* Returns true if the N bytes at A and B are the same.  Either may be null
 * when N is 0, as an empty array is, where memcmp() may not be called. */
static bool
bytes_equal(const void *a, const void *b, size_t n)
{
    return !n || !memcmp(a, b, n);
}

static bool
strings_equal(char **a, size_t n_a, char **b, size_t n_b)
{
    if (n_a != n_b) {
        return false;
    }
    for (size_t i = 0; i < n_a; i++) {
        if (strcmp(a[i], b[i])) {
            return false;
        }
    }
    return true;
}

struct portsec_policy *
portsec_policy_create(const struct portsec_config *port_cfg)
{
    struct portsec_policy *policy = xzalloc(sizeof *policy);
    struct ds central_names = DS_EMPTY_INITIALIZER;
    struct ds inherited = DS_EMPTY_INITIALIZER;
    struct ds own = DS_EMPTY_INITIALIZER;
    struct ds errors = DS_EMPTY_INITIALIZER;
    const struct portsec_config *cfg = port_cfg;
    struct portsec_defaults *central = NULL;
    struct portsec_config merged;
    struct smap merged_sp;

    if (port_cfg->central_settings) {
        central = portsec_defaults_create(port_cfg->central_settings,
                                          PORTSEC_DEFAULTS_CENTRAL);
        if (central && central->error) {
            add_error(&errors, "%s", central->error);
        }
    }
    if (central || port_cfg->defaults || port_cfg->n_central_port_security) {
        portsec_config_merge(port_cfg, central, &merged, &merged_sp,
                             &central_names, &inherited, &own);
        cfg = &merged;
    }
    size_t n_max = cfg->n_port_security + cfg->n_attached_macs;

    policy->has_settings = (portsec_config_has_settings(cfg)
                            || cfg->n_port_security);

    parse_limit(policy, cfg, &errors);
    parse_security_policy(policy, cfg->security_policy, &errors);

    policy->native_vlan = parse_native_vlan(cfg);

    size_t allocated_bindings = 0;
    policy->secure_macs = xmalloc(MAX(n_max, 1) * sizeof *policy->secure_macs);
    const char *ps_column = (cfg->port_security == port_cfg->port_security
                             ? "port_security"
                             : "Logical_Port_Security port_security");
    for (size_t i = 0; i < cfg->n_port_security; i++) {
        struct eth_addr *mac = &policy->secure_macs[policy->n_secure_macs];

        if (parse_port_security_entry(ps_column, cfg->port_security[i], mac,
                                      &policy->static_bindings,
                                      &policy->n_static_bindings,
                                      &allocated_bindings, &errors)) {
            policy->n_secure_macs++;
        }
    }
    for (size_t i = 0; i < cfg->n_attached_macs; i++) {
        struct eth_addr *mac = &policy->secure_macs[policy->n_secure_macs];

        if (parse_unicast_mac(cfg->attached_macs[i], mac)) {
            policy->n_secure_macs++;
        } else if (policy->has_settings) {
            add_error(&errors, "external_ids:attached-mac: \"%s\" is not a "
                      "unicast MAC address, ignored", cfg->attached_macs[i]);
        }
    }
    policy->n_secure_macs = portsec_sort_macs(policy->secure_macs,
                                              policy->n_secure_macs);

    if (port_cfg->err_disabled) {
        const char *cause = smap_get(port_cfg->err_disabled, "cause");
        const char *since = smap_get(port_cfg->err_disabled, "since");
        long long int when;

        if (cause && since && str_to_llong(since, 10, &when)) {
            policy->restored_cause = xstrdup(cause);
            policy->restored_since = when;
        }
    }

    policy->n_ifaces = cfg->n_ifaces;
    policy->ifaces = xmalloc(MAX(cfg->n_ifaces, 1) * sizeof *policy->ifaces);
    for (size_t i = 0; i < cfg->n_ifaces; i++) {
        policy->ifaces[i] = xstrdup(cfg->ifaces[i]);
    }
    qsort(policy->ifaces, policy->n_ifaces, sizeof *policy->ifaces,
          compare_strings);

    if (policy->has_settings && policy->reject_forged_transmits
        && !policy->n_secure_macs) {
        add_error(&errors, "forged_transmits=reject but the port has no "
                  "secure MAC (port_security or external_ids:attached-mac), "
                  "so every frame from it is dropped");
    }
    policy->error = errors.length ? ds_steal_cstr(&errors) : NULL;
    ds_destroy(&errors);
    policy->inherited = inherited.length ? ds_steal_cstr(&inherited) : NULL;
    ds_destroy(&inherited);
    policy->central = (central_names.length
                       ? ds_steal_cstr(&central_names) : NULL);
    ds_destroy(&central_names);
    policy->own = own.length ? ds_steal_cstr(&own) : NULL;
    ds_destroy(&own);
    if (cfg == &merged) {
        smap_destroy(&merged_sp);
    }
    portsec_defaults_destroy(central);

    if (!policy->has_settings && !policy->n_secure_macs) {
        portsec_policy_destroy(policy);
        return NULL;
    }
    return policy;
}

void
portsec_policy_destroy(struct portsec_policy *policy)
{
    if (policy) {
        free(policy->secure_macs);
        free(policy->static_bindings);
        for (size_t i = 0; i < policy->n_ifaces; i++) {
            free(policy->ifaces[i]);
        }
        free(policy->ifaces);
        free(policy->restored_cause);
        free(policy->inherited);
        free(policy->central);
        free(policy->own);
        free(policy->error);
        free(policy);
    }
}

bool
portsec_policy_equal(const struct portsec_policy *a,
                     const struct portsec_policy *b)
{
    if (!a || !b) {
        return a == b;
    }
    return (a->has_settings == b->has_settings
            && a->mac_learn_limit == b->mac_learn_limit
            && a->limit_action == b->limit_action
            && a->reject_forged_transmits == b->reject_forged_transmits
            && a->reject_mac_changes == b->reject_mac_changes
            && a->promiscuous == b->promiscuous
            && a->unknown_unicast_flooding == b->unknown_unicast_flooding
            && a->mac_aging_time == b->mac_aging_time
            && a->recovery_interval == b->recovery_interval
            && a->trusted == b->trusted
            && a->dhcp_snooping == b->dhcp_snooping
            && a->arp_inspection == b->arp_inspection
            && a->ip_source_guard == b->ip_source_guard
            && a->nd_inspection == b->nd_inspection
            && a->ra_guard == b->ra_guard
            && a->bpdu_filter == b->bpdu_filter
            && a->bpdu_filter_allow == b->bpdu_filter_allow
            && a->bpdu_guard == b->bpdu_guard
            && a->block_non_ip == b->block_non_ip
            && a->block_dhcp_client == b->block_dhcp_client
            && a->arp_suppression == b->arp_suppression
            && a->nd_suppression == b->nd_suppression
            && a->persist_err_disabled == b->persist_err_disabled
            && !memcmp(a->storm_rate, b->storm_rate, sizeof a->storm_rate)
            && a->storm_shutdown == b->storm_shutdown
            && a->dhcp_rate_limit == b->dhcp_rate_limit
            && a->max_bindings == b->max_bindings
            && a->arp_snooping == b->arp_snooping
            && a->nd_snooping == b->nd_snooping
            && a->trust_controller == b->trust_controller
            && a->arp_binding_limit == b->arp_binding_limit
            && a->nd_snooping_limit == b->nd_snooping_limit
            && a->arp_nd_binding_timeout == b->arp_nd_binding_timeout
            && a->native_vlan == b->native_vlan
            && a->n_static_bindings == b->n_static_bindings
            && bytes_equal(a->static_bindings, b->static_bindings,
                           a->n_static_bindings * sizeof *a->static_bindings)
            && a->n_secure_macs == b->n_secure_macs
            && bytes_equal(a->secure_macs, b->secure_macs,
                           a->n_secure_macs * sizeof *a->secure_macs)
            && strings_equal(a->ifaces, a->n_ifaces, b->ifaces, b->n_ifaces)
            && nullable_string_is_equal(a->inherited, b->inherited)
            && nullable_string_is_equal(a->central, b->central)
            && nullable_string_is_equal(a->own, b->own)
            && nullable_string_is_equal(a->error, b->error));
}

struct portsec_policy *
portsec_policy_clone(const struct portsec_policy *policy)
{
    struct portsec_policy *clone;

    if (!policy) {
        return NULL;
    }
    clone = xmemdup(policy, sizeof *policy);
    clone->secure_macs = xmemdup(policy->secure_macs,
                                 MAX(policy->n_secure_macs, 1)
                                 * sizeof *policy->secure_macs);
    clone->static_bindings = (policy->n_static_bindings
                              ? xmemdup(policy->static_bindings,
                                        policy->n_static_bindings
                                        * sizeof *policy->static_bindings)
                              : NULL);
    clone->ifaces = xmalloc(MAX(policy->n_ifaces, 1) * sizeof *clone->ifaces);
    for (size_t i = 0; i < policy->n_ifaces; i++) {
        clone->ifaces[i] = xstrdup(policy->ifaces[i]);
    }
    clone->restored_cause = nullable_xstrdup(policy->restored_cause);
    clone->inherited = nullable_xstrdup(policy->inherited);
    clone->central = nullable_xstrdup(policy->central);
    clone->own = nullable_xstrdup(policy->own);
    clone->error = nullable_xstrdup(policy->error);
    return clone;
}

bool
portsec_policy_is_secure_mac(const struct portsec_policy *policy,
                             struct eth_addr mac)
{
    return portsec_macs_contain(policy->secure_macs, policy->n_secure_macs,
                                mac);
}

bool
portsec_policy_inspects(const struct portsec_policy *policy)
{
    return (policy->has_settings && !policy->trusted
            && (policy->dhcp_snooping || policy->arp_inspection
                || policy->ip_source_guard || policy->nd_inspection
                || policy->ra_guard || policy->arp_snooping
                || policy->nd_snooping));
}

bool
portsec_policy_static_binding(const struct portsec_policy *policy,
                              struct eth_addr mac, const struct in6_addr *ip)
{
    for (size_t i = 0; i < policy->n_static_bindings; i++) {
        const struct portsec_static_binding *b = &policy->static_bindings[i];

        if (eth_addr_equals(b->mac, mac)) {
            struct in6_addr mask = ipv6_create_mask(b->plen);
            struct in6_addr masked = ipv6_addr_bitand(ip, &mask);

            if (ipv6_addr_equals(&masked, &b->ip)) {
                return true;
            }
        }
    }
    return false;
}

bool
portsec_policy_static_ip(const struct portsec_policy *policy,
                         const struct in6_addr *ip, struct eth_addr *mac)
{
    for (size_t i = 0; i < policy->n_static_bindings; i++) {
        const struct portsec_static_binding *b = &policy->static_bindings[i];
        struct in6_addr mask = ipv6_create_mask(b->plen);
        struct in6_addr masked = ipv6_addr_bitand(ip, &mask);

        if (ipv6_addr_equals(&masked, &b->ip)) {
            *mac = b->mac;
            return true;
        }
    }
    return false;
}

const char *
portsec_limit_action_to_string(enum portsec_limit_action action)
{
    switch (action) {
    case PORTSEC_LIMIT_DROP:
        return "drop";
    case PORTSEC_LIMIT_ALLOW:
        return "allow";
    case PORTSEC_LIMIT_SHUTDOWN:
        return "shutdown";
    }
    OVS_NOT_REACHED();
}

void
portsec_policy_format(const struct portsec_policy *policy, struct ds *ds)
{
    for (size_t i = 0; i < ARRAY_SIZE(switch_keys); i++) {
        const struct portsec_switch_key *sk = &switch_keys[i];
        bool value = *switch_member(CONST_CAST(struct portsec_policy *,
                                               policy), sk);

        ds_put_format(ds, "%s%s=%s", i ? " " : "", sk->key,
                      value ? sk->on : sk->off);
    }
    if (policy->mac_aging_time) {
        ds_put_format(ds, " mac_aging_time=%u", policy->mac_aging_time);
    }
    ds_put_format(ds, " recovery_interval=%u", policy->recovery_interval);

    /* The DHCP snooping settings, only where they differ from their
     * defaults. */
    for (size_t i = 0; i < ARRAY_SIZE(snoop_keys); i++) {
        const struct portsec_switch_key *sk = &snoop_keys[i];
        bool value = *switch_member(CONST_CAST(struct portsec_policy *,
                                               policy), sk);

        if (value != sk->dflt) {
            ds_put_format(ds, " %s=%s", sk->key, value ? sk->on : sk->off);
        }
    }
    if (portsec_policy_inspects(policy)) {
        ds_put_format(ds, " dhcp_rate_limit=%u max_bindings=%u",
                      policy->dhcp_rate_limit, policy->max_bindings);
        if (policy->arp_snooping) {
            ds_put_format(ds, " arp_binding_limit=%u",
                          policy->arp_binding_limit);
        }
        if (policy->nd_snooping) {
            ds_put_format(ds, " nd_snooping_limit=%u",
                          policy->nd_snooping_limit);
        }
        if (policy->arp_snooping || policy->nd_snooping) {
            ds_put_format(ds, " arp_nd_binding_timeout=%u",
                          policy->arp_nd_binding_timeout);
        }
    }

    /* The protocol settings, likewise. */
    for (size_t i = 0; i < ARRAY_SIZE(protocol_keys); i++) {
        const struct portsec_switch_key *sk = &protocol_keys[i];

        if (*switch_member(CONST_CAST(struct portsec_policy *, policy), sk)) {
            ds_put_format(ds, " %s=%s", sk->key, sk->on);
        }
    }
    if (policy->bpdu_filter && policy->bpdu_filter_allow) {
        ds_put_cstr(ds, " bpdu_filter_allow=");
        format_bpdu_filter_allow(policy->bpdu_filter_allow, ds);
    }
    if (policy->persist_err_disabled) {
        ds_put_cstr(ds, " persist_err_disabled=true");
    }

    /* Storm control, only if it polices something. */
    if (portsec_policy_storm_control(policy)) {
        for (int i = 0; i < PORTSEC_N_STORM; i++) {
            if (policy->storm_rate[i]) {
                ds_put_format(ds, " "STORM_KEY_PREFIX"%s=%u",
                              portsec_storm_class_to_string(i),
                              policy->storm_rate[i]);
            }
        }
        ds_put_format(ds, " storm_control_action=%s",
                      policy->storm_shutdown ? "shutdown" : "drop");
    }

    /* The suppression settings, only those that are on. */
    for (size_t i = 0; i < ARRAY_SIZE(suppression_keys); i++) {
        const struct portsec_switch_key *sk = &suppression_keys[i];

        if (*switch_member(CONST_CAST(struct portsec_policy *, policy), sk)) {
            ds_put_format(ds, " %s=%s", sk->key, sk->on);
        }
    }
}

bool
portsec_policy_storm_control(const struct portsec_policy *policy)
{
    for (int i = 0; i < PORTSEC_N_STORM; i++) {
        if (policy->storm_rate[i]) {
            return true;
        }
    }
    return false;
}

/* Checking one key. */

/* Returns the value that a port with 'policy' enforces for security_policy
 * key 'key', as a malloc()'d string, or NULL if 'key' is not a
 * security_policy key or its value means "unset" (a mac_aging_time of 0,
 * the bridge's). */
static char *
format_policy_key(const struct portsec_policy *policy, const char *key)
{
    const struct portsec_switch_key *sk = find_any_switch_key(key);

    if (sk) {
        return xstrdup(*switch_member(CONST_CAST(struct portsec_policy *,
                                                 policy), sk)
                       ? sk->on : sk->off);
    } else if (storm_class_from_key(key) != PORTSEC_N_STORM) {
        unsigned int rate = policy->storm_rate[storm_class_from_key(key)];

        return rate ? xasprintf("%u", rate) : NULL;
    } else if (!strcmp(key, "dhcp_rate_limit")) {
        return xasprintf("%u", policy->dhcp_rate_limit);
    } else if (!strcmp(key, "max_bindings")) {
        return xasprintf("%u", policy->max_bindings);
    } else if (!strcmp(key, "arp_binding_limit")) {
        return xasprintf("%u", policy->arp_binding_limit);
    } else if (!strcmp(key, "nd_snooping_limit")) {
        return xasprintf("%u", policy->nd_snooping_limit);
    } else if (!strcmp(key, "arp_nd_binding_timeout")) {
        return xasprintf("%u", policy->arp_nd_binding_timeout);
    } else if (!strcmp(key, "recovery_interval")) {
        return xasprintf("%u", policy->recovery_interval);
    } else if (!strcmp(key, "mac_aging_time") && policy->mac_aging_time) {
        return xasprintf("%u", policy->mac_aging_time);
    } else if (!strcmp(key, "bpdu_filter_allow")
               && policy->bpdu_filter_allow) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        format_bpdu_filter_allow(policy->bpdu_filter_allow, &ds);
        return ds_steal_cstr(&ds);
    }
    return NULL;
}

bool
portsec_policy_check_key(const char *key, const char *value,
                         char **enforced, struct ds *error)
{
    struct portsec_policy scratch;
    struct smap one = SMAP_INITIALIZER(&one);
    size_t length = error->length;

    memset(&scratch, 0, sizeof scratch);
    smap_add(&one, key, value);
    parse_security_policy(&scratch, &one, error);
    smap_destroy(&one);

    *enforced = NULL;
    if (error->length == length) {
        return true;
    }
    *enforced = format_policy_key(&scratch, key);
    return false;
}
