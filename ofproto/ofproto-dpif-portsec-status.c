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

/* Port security status: the security_status and security_statistics of
 * each port, as ovs-vswitchd writes them into the Port table (through the
 * provider interface, ofproto/ofproto-portsec.h, and
 * vswitchd/bridge-portsec.c), and the Port's err_disabled column
 * (persist_err_disabled).  Main thread. */

#include <config.h>
#include "ofproto-dpif-portsec-private.h"

#include <errno.h>

#include "ofproto-portsec.h"
#include "openvswitch/dynamic-string.h"
#include "port-security.h"
#include "portsec-admission.h"
#include "portsec-binding.h"
#include "smap.h"
#include "util.h"

static const char *const stat_names[PORTSEC_N_STATS] = {
    [PORTSEC_STAT_MACS_LEARNED] = "macs_learned",
    [PORTSEC_STAT_LEARN_LIMIT_DROPS] = "learn_limit_drops",
    [PORTSEC_STAT_LEARN_LIMIT_FORWARDED] = "learn_limit_forwarded",
    [PORTSEC_STAT_FORGED_TRANSMIT_DROPS] = "forged_transmit_drops",
    [PORTSEC_STAT_MAC_CHANGE_DROPS] = "mac_change_drops",
    [PORTSEC_STAT_SECURE_MAC_MOVE_DROPS] = "secure_mac_move_drops",
    [PORTSEC_STAT_ERR_DISABLED_DROPS] = "err_disabled_drops",
    [PORTSEC_STAT_ERR_DISABLED_COUNT] = "err_disabled_count",
    [PORTSEC_STAT_DHCP_SERVER_DROPS] = "dhcp_server_drops",
    [PORTSEC_STAT_DHCP_RATE_DROPS] = "dhcp_rate_drops",
    [PORTSEC_STAT_DHCP_MALFORMED_DROPS] = "dhcp_malformed_drops",
    [PORTSEC_STAT_ARP_INSPECTION_DROPS] = "arp_inspection_drops",
    [PORTSEC_STAT_IP_SOURCE_GUARD_DROPS] = "ip_source_guard_drops",
    [PORTSEC_STAT_ND_INSPECTION_DROPS] = "nd_inspection_drops",
    [PORTSEC_STAT_RA_GUARD_DROPS] = "ra_guard_drops",
    [PORTSEC_STAT_BINDING_LIMIT_DROPS] = "binding_limit_drops",
    [PORTSEC_STAT_DUPLICATE_IP_DROPS] = "duplicate_ip_drops",
    [PORTSEC_STAT_BINDINGS] = "bindings",
    [PORTSEC_STAT_BPDU_FILTER_DROPS] = "bpdu_filter_drops",
    [PORTSEC_STAT_BPDU_GUARD_DROPS] = "bpdu_guard_drops",
    [PORTSEC_STAT_NON_IP_DROPS] = "non_ip_drops",
    [PORTSEC_STAT_DHCP_CLIENT_DROPS] = "dhcp_client_drops",
    [PORTSEC_STAT_STORM_BROADCAST_DROPS] = "storm_broadcast_drops",
    [PORTSEC_STAT_STORM_MULTICAST_DROPS] = "storm_multicast_drops",
    [PORTSEC_STAT_STORM_UNKNOWN_UNICAST_DROPS] = "storm_unknown_unicast_drops",
    [PORTSEC_STAT_ARP_SUPPRESSED] = "arp_suppressed",
    [PORTSEC_STAT_ND_SUPPRESSED] = "nd_suppressed",
    [PORTSEC_STAT_DATAPATH_EXT_DROPS] = "datapath_ext_drops",
    [PORTSEC_STAT_DATAPATH_EXT_DROP_BYTES] = "datapath_ext_drop_bytes",
};
BUILD_ASSERT_DECL(PORTSEC_N_STATS <= OFPROTO_PORTSEC_MAX_STATS);

/* Status. */

const char *
portsec_stat_name(enum portsec_stat stat)
{
    ovs_assert(stat < PORTSEC_N_STATS);
    return stat_names[stat];
}

void
portsec_port_stats(struct portsec_port *port,
                   const struct portsec_policy *policy,
                   uint64_t stats[PORTSEC_N_STATS])
{
    for (int i = 0; i < PORTSEC_N_STATS; i++) {
        unsigned long long int value;

        atomic_read_relaxed(&port->counters[i], &value);
        stats[i] = value;
    }
    stats[PORTSEC_STAT_MACS_LEARNED] = portsec_admission_count(
        port->admission);
    stats[PORTSEC_STAT_BINDINGS] = (portsec_binding_count(port->bindings)
                                    + policy->n_static_bindings);
    portsec_storm_stats(port, stats);
    portsec_dpext_port_stats(port, stats);
}

/* Returns true if 'port', with 'policy', has a mac_learn_limit and has
 * admitted that many MACs. */
static bool
port_limit_reached(const struct portsec_port *port,
                   const struct portsec_policy *policy)
{
    return (policy->mac_learn_limit >= 0
            && (portsec_admission_count(port->admission)
                >= policy->mac_learn_limit));
}

void
portsec_port_error(const struct portsec_port *port,
                   const struct portsec_policy *policy, struct ds *error)
{
    unsigned int idle_time = port->br->ml->idle_time;

    if (policy->error) {
        ds_put_cstr(error, policy->error);
    }
    if (portsec_storm_error(port)) {
        ds_put_format(error, "%s%s", error->length ? "; " : "",
                      portsec_storm_error(port));
    }
    if (policy->mac_aging_time > idle_time) {
        ds_put_format(error, "%ssecurity_policy:mac_aging_time: %u exceeds "
                      "the bridge's mac-aging-time, using %u",
                      error->length ? "; " : "", policy->mac_aging_time,
                      idle_time);
    }
}

/* Adds to 'state' what the Port's err_disabled column must hold for
 * 'port', with 'policy' (see portsec_get_status()). */
static void
port_get_persisted(struct portsec_port *port,
                   const struct portsec_policy *policy, struct smap *state)
{
    if (policy->persist_err_disabled && portsec_port_is_err_disabled(port)
        && port->err_disabled_seen) {
        smap_add(state, "cause", portsec_err_disable_cause_to_string(
                     portsec_port_err_disable_cause(port)));
        smap_add_format(state, "since", "%lld", port->err_disabled_wall);
    }
}

int
portsec_get_status(struct ofproto *ofproto, void *aux, struct smap *status,
                   struct smap *err_disabled)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = portsec_port_from_aux(ofproto, aux, &policy);
    struct ds error = DS_EMPTY_INITIALIZER;

    if (!port) {
        return ENOENT;
    }
    port_get_persisted(port, policy, err_disabled);
    if (portsec_port_is_err_disabled(port)) {
        smap_add(status, "state", "err-disabled");
        smap_add(status, "reason", portsec_err_disable_reason(
                     portsec_port_err_disable_cause(port)));
    } else {
        smap_add(status, "state", "forwarding");
    }
    if (policy->inherited) {
        smap_add(status, "inherited", policy->inherited);
    }
    if (policy->central) {
        smap_add(status, "central", policy->central);
    }
    if (policy->mac_learn_limit >= 0) {
        smap_add_format(status, "mac_learn_limit", "%d",
                        policy->mac_learn_limit);
    }
    port->limit_reached_shown = port_limit_reached(port, policy);
    if (port->limit_reached_shown) {
        smap_add(status, "mac_limit_reached", "true");
    }
    if (portsec_dpext_port_status(port, &error)) {
        smap_add(status, "datapath_ext", ds_cstr(&error));
        ds_clear(&error);
    }
    portsec_port_status_violation(port, status);
    portsec_port_error(port, policy, &error);
    if (error.length) {
        smap_add(status, "error", ds_cstr(&error));
    }
    ds_destroy(&error);
    return 0;
}

void
portsec_port_status_violation(struct portsec_port *port, struct smap *status)
{
    struct portsec_violation v;
    uint64_t n = portsec_port_last_violation(port, &v);

    port->n_violations_shown = n;
    if (n) {
        char *when = xastrftime_msec("%Y-%m-%dT%H:%M:%S.###Z", v.when, true);

        smap_add_nocopy(status, xstrdup("last_violation_time"), when);
        smap_add(status, "last_violation", v.reason);
        smap_add_format(status, "last_violation_mac", ETH_ADDR_FMT,
                        ETH_ADDR_ARGS(v.mac));
        smap_add_format(status, "last_violation_vlan", "%"PRIu16, v.vlan);
    }
}

/* Returns true if 'port', with 'policy', had a violation, or reached its
 * mac_learn_limit or fell below it, since portsec_get_status() last
 * reported on it. */
static bool
port_status_changed(struct portsec_port *port,
                    const struct portsec_policy *policy)
{
    struct portsec_violation v;

    return (portsec_port_last_violation(port, &v) != port->n_violations_shown
            || (port_limit_reached(port, policy)
                != port->limit_reached_shown));
}

int
portsec_get_stats(struct ofproto *ofproto, void *aux,
                  struct ofproto_portsec_stats *stats)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = portsec_port_from_aux(ofproto, aux, &policy);
    uint64_t values[PORTSEC_N_STATS];

    if (!port) {
        return ENOENT;
    }
    portsec_port_stats(port, policy, values);
    for (int i = 0; i < PORTSEC_N_STATS; i++) {
        stats->keys[i] = portsec_stat_name(i);
        stats->values[i] = values[i];
    }
    stats->n = PORTSEC_N_STATS;
    stats->status_changed = port_status_changed(port, policy);
    return 0;
}
