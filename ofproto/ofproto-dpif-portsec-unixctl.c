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
#include "ofproto-dpif-portsec-private.h"

#include <stdlib.h>

#include "mac-learning.h"
#include "ofproto/ofproto-provider.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-admission.h"
#include "portsec-binding.h"
#include "seq.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec_unixctl);

/* unixctl commands. */

/* Lists the MACs that 'port' admitted, with the time since each was last
 * seen, for port-security/show. */
static void
port_show_admitted(const struct portsec_port *port, struct ds *ds)
{
    long long int now = time_msec();
    struct portsec_admitted *macs;
    size_t n;

    macs = portsec_admission_snapshot(port->admission, &n);
    ds_put_cstr(ds, "    admitted MACs:");
    for (size_t i = 0; i < n; i++) {
        ds_put_format(ds, "\n      "ETH_ADDR_FMT"  vlan %-4"PRIu16"  dynamic"
                      "  idle %lld s", ETH_ADDR_ARGS(macs[i].mac),
                      macs[i].vlan, MAX(now - macs[i].used, 0) / 1000);
    }
    ds_put_cstr(ds, n ? "\n" : " none\n");
    free(macs);
}

/* Returns true if any of 'stats[first]' to 'stats[last]' is nonzero. */
static bool
stats_any(const uint64_t stats[PORTSEC_N_STATS], int first, int last)
{
    for (int i = first; i <= last; i++) {
        if (stats[i]) {
            return true;
        }
    }
    return false;
}

/* Returns true if the protocol statistics of a port with 'policy' and
 * 'stats' are worth showing: it filters, guards or blocks, or did. */
static bool
port_shows_protocol(const struct portsec_policy *policy,
                    const uint64_t stats[PORTSEC_N_STATS])
{
    return (policy->bpdu_filter || policy->bpdu_guard || policy->block_non_ip
            || policy->block_dhcp_client
            || stats_any(stats, PORTSEC_STAT_BPDU_FILTER_DROPS,
                         PORTSEC_STAT_DHCP_CLIENT_DROPS));
}

/* Returns true if the storm control statistics of a port with 'policy' and
 * 'stats' are worth showing: it polices some class of frames, or did. */
static bool
port_shows_storm(const struct portsec_policy *policy,
                 const uint64_t stats[PORTSEC_N_STATS])
{
    return (portsec_policy_storm_control(policy)
            || stats_any(stats, PORTSEC_STAT_STORM_BROADCAST_DROPS,
                         PORTSEC_STAT_STORM_UNKNOWN_UNICAST_DROPS));
}

/* Returns true if the suppression statistics of a port with 'policy' and
 * 'stats' are worth showing: it suppresses, or did. */
static bool
port_shows_suppression(const struct portsec_policy *policy,
                       const uint64_t stats[PORTSEC_N_STATS])
{
    return (policy->arp_suppression || policy->nd_suppression
            || stats_any(stats, PORTSEC_STAT_ARP_SUPPRESSED,
                         PORTSEC_STAT_ND_SUPPRESSED));
}

/* Appends to 'ds' a line "TITLE: NAME=VALUE..." for 'stats[first]' to
 * 'stats[last]'. */
static void
show_stats(struct ds *ds, const char *title,
           const uint64_t stats[PORTSEC_N_STATS], int first, int last)
{
    ds_put_format(ds, "    %s:", title);
    for (int i = first; i <= last; i++) {
        ds_put_format(ds, " %s=%"PRIu64, portsec_stat_name(i), stats[i]);
    }
    ds_put_char(ds, '\n');
}

/* Appends the last violation of 'port', if any, to 'ds'. */
static void
port_show_violation(struct portsec_port *port, struct ds *ds)
{
    struct portsec_violation v;

    if (portsec_port_last_violation(port, &v)) {
        ds_put_cstr(ds, "    last violation: ");
        ds_put_strftime_msec(ds, "%Y-%m-%dT%H:%M:%S.###Z", v.when, true);
        ds_put_format(ds, " from "ETH_ADDR_FMT" in VLAN %"PRIu16": %s\n",
                      ETH_ADDR_ARGS(v.mac), v.vlan, v.reason);
    }
}

static void
port_show(struct portsec_port *port, struct ds *ds)
{
    const struct portsec_policy *policy
        = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    uint64_t stats[PORTSEC_N_STATS];
    struct ds error = DS_EMPTY_INITIALIZER;

    portsec_port_stats(port, policy, stats);
    ds_put_format(ds, "  port %s: state %s\n", port->name,
                  (portsec_port_is_err_disabled(port)
                   ? "err-disabled" : "forwarding"));
    if (policy->mac_learn_limit >= 0) {
        ds_put_format(ds, "    mac_learn_limit: %d, policy %s, learned %"
                      PRIu64"\n", policy->mac_learn_limit,
                      portsec_limit_action_to_string(policy->limit_action),
                      stats[PORTSEC_STAT_MACS_LEARNED]);
    }
    ds_put_cstr(ds, "    security_policy: ");
    portsec_policy_format(policy, ds);
    if (policy->central) {
        ds_put_format(ds, "\n    from central columns: %s",
                      policy->central);
    }
    if (policy->inherited) {
        ds_put_format(ds, "\n    inherited from the bridge: %s",
                      policy->inherited);
    }
    if (policy->central || policy->inherited) {
        ds_put_format(ds, "\n    set on the port: %s",
                      policy->own ? policy->own : "none");
    }
    ds_put_cstr(ds, "\n    secure MACs:");
    for (size_t i = 0; i < policy->n_secure_macs; i++) {
        ds_put_format(ds, " "ETH_ADDR_FMT,
                      ETH_ADDR_ARGS(policy->secure_macs[i]));
    }
    ds_put_cstr(ds, policy->n_secure_macs ? "\n" : " none\n");
    if (portsec_admission_limit(policy) >= 0) {
        port_show_admitted(port, ds);
    }
    ds_put_cstr(ds, "    statistics:");
    for (int i = 0; i < PORTSEC_STAT_DHCP_SERVER_DROPS; i++) {
        ds_put_format(ds, " %s=%"PRIu64, portsec_stat_name(i), stats[i]);
    }
    ds_put_char(ds, '\n');
    if (portsec_policy_inspects(policy) || policy->trusted
        || stats[PORTSEC_STAT_BINDINGS]) {
        show_stats(ds, "snooping statistics", stats,
                   PORTSEC_STAT_DHCP_SERVER_DROPS, PORTSEC_STAT_BINDINGS);
    }
    if (port_shows_protocol(policy, stats)) {
        show_stats(ds, "protocol statistics", stats,
                   PORTSEC_STAT_BPDU_FILTER_DROPS,
                   PORTSEC_STAT_DHCP_CLIENT_DROPS);
    }
    if (port_shows_storm(policy, stats)) {
        show_stats(ds, "storm control statistics", stats,
                   PORTSEC_STAT_STORM_BROADCAST_DROPS,
                   PORTSEC_STAT_STORM_UNKNOWN_UNICAST_DROPS);
        ds_put_cstr(ds, "    storm control meters:");
        bool any = false;
        for (int i = 0; i < PORTSEC_N_STORM; i++) {
            uint32_t id = portsec_storm_meter(port, i);

            if (id != UINT32_MAX) {
                ds_put_format(ds, " %s=%"PRIu32,
                              portsec_storm_class_to_string(i), id);
                any = true;
            }
        }
        ds_put_format(ds, "%s\n", any ? "" : " none");
    }
    if (port_shows_suppression(policy, stats)) {
        show_stats(ds, "suppression statistics", stats,
                   PORTSEC_STAT_ARP_SUPPRESSED, PORTSEC_STAT_ND_SUPPRESSED);
    }
    if (portsec_dpext_port_status(port, &error)) {
        ds_put_format(ds, "    datapath-ext: %s, datapath_ext_drops=%"PRIu64
                      "\n", ds_cstr(&error), stats[
                          PORTSEC_STAT_DATAPATH_EXT_DROPS]);
        ds_clear(&error);
    }
    port_show_violation(port, ds);
    portsec_port_error(port, policy, &error);
    if (error.length) {
        ds_put_format(ds, "    error: %s\n", ds_cstr(&error));
    }
    ds_destroy(&error);
}

static void
bridge_show(const struct portsec_bridge *br, struct ds *ds)
{
    struct portsec_port **ports;
    size_t n;

    ports = portsec_bridge_ports(br, &n);
    ds_put_format(ds, "bridge %s:\n", br->ofproto->name);
    for (size_t i = 0; i < n; i++) {
        port_show(ports[i], ds);
    }
    if (!n) {
        ds_put_cstr(ds, "  no port has port security settings\n");
    }
    free(ports);
}

/* port-security/show --format=json. */

/* Returns the effective security_policy of 'policy' as a JSON object that
 * maps each key to its value as a string, like the security_policy column
 * (the keys and values that the text output shows). */
static struct json *
policy_to_json(const struct portsec_policy *policy)
{
    struct json *json = json_object_create();
    struct ds s = DS_EMPTY_INITIALIZER;
    char *save_ptr = NULL;

    portsec_policy_format(policy, &s);
    for (char *pair = strtok_r(ds_cstr(&s), " ", &save_ptr); pair;
         pair = strtok_r(NULL, " ", &save_ptr)) {
        char *eq = strchr(pair, '=');

        if (eq) {
            *eq = '\0';
            json_object_put_string(json, pair, eq + 1);
        }
    }
    ds_destroy(&s);
    return json;
}

/* Returns counters 'start' up to but not including 'end' of 'stats' as a
 * JSON object that maps each counter's name to its value. */
static struct json *
stats_to_json(const uint64_t stats[], int start, int end)
{
    struct json *json = json_object_create();

    for (int i = start; i < end; i++) {
        json_object_put(json, portsec_stat_name(i),
                        json_integer_create(stats[i]));
    }
    return json;
}

/* Returns the MACs that 'port' admitted as a JSON array of objects with
 * members "mac", "vlan" and "idle" (seconds since last seen). */
static struct json *
admitted_to_json(const struct portsec_port *port)
{
    struct json *array = json_array_create_empty();
    long long int now = time_msec();
    struct portsec_admitted *macs;
    size_t n;

    macs = portsec_admission_snapshot(port->admission, &n);
    for (size_t i = 0; i < n; i++) {
        struct json *mac = json_object_create();

        json_object_put_format(mac, "mac", ETH_ADDR_FMT,
                               ETH_ADDR_ARGS(macs[i].mac));
        json_object_put(mac, "vlan", json_integer_create(macs[i].vlan));
        json_object_put(mac, "idle", json_integer_create(
                            MAX(now - macs[i].used, 0) / 1000));
        json_array_add(array, mac);
    }
    free(macs);
    return array;
}

/* Returns the names in 'names' (separated by spaces, or NULL for none) as
 * a JSON array of strings. */
static struct json *
names_to_json(const char *names)
{
    struct json *array = json_array_create_empty();
    char *copy = nullable_xstrdup(names);
    char *save_ptr = NULL;

    for (char *name = copy ? strtok_r(copy, " ", &save_ptr) : NULL; name;
         name = strtok_r(NULL, " ", &save_ptr)) {
        json_array_add(array, json_string_create(name));
    }
    free(copy);
    return array;
}

/* Returns what port-security/show reports for 'port' as a JSON object, with
 * the same information as port_show() and under the same conditions:
 *
 *   "state"                "forwarding" or "err-disabled".
 *   "reason"               Why the port is err-disabled, only if it is.
 *   "mac_learn_limit"      The limit and its policy, only if the port has
 *   "mac_learn_limit_policy"  a limit.
 *   "security_policy"      Object: each key in effect and its value.
 *   "central"              Array: the settings that come from the port's
 *                          central_security_policy and
 *                          central_port_security columns, only if there
 *                          are any.
 *   "inherited"            Array: the settings that come from the bridge's
 *                          defaults, only if there are any.
 *   "own"                  Array: the settings that the port sets itself,
 *                          only if it takes some from its central columns
 *                          or inherits some.  The others are built-in
 *                          defaults.
 *   "secure_macs"          Array of MACs.
 *   "admitted_macs"        Array of objects {"mac", "vlan", "idle"}, only
 *                          if the port admits a limited set of MACs.
 *   "statistics"           Object: counter name to value.
 *   "snooping_statistics"  Likewise, only if the port snoops DHCP, inspects
 *                          addresses, is trusted or has bindings.
 *   "protocol_statistics"  Likewise, only if the port has bpdu_filter,
 *                          bpdu_guard, block_non_ip or block_dhcp_client,
 *                          or counted a drop for them.
 *   "storm_control_statistics"  Likewise, only if the port has a
 *                          storm_control_* rate, or counted a drop for
 *                          one.
 *   "storm_control_meters" Object: class ("broadcast", "multicast",
 *                          "unknown_unicast") to its datapath meter ID,
 *                          with the statistics.
 *   "suppression_statistics"  Likewise, only if the port has
 *                          arp_suppression or nd_suppression, or counted
 *                          an answer for them.
 *   "datapath_ext"         Object {"status", "datapath_ext_drops"}: the
 *                          kernel filter of each interface, as
 *                          security_status:datapath_ext says, and the
 *                          frames it dropped; only on a datapath type
 *                          that datapath-ext filters ("system", "netdev").
 *   "last_violation"       Object {"time", "reason", "mac", "vlan"}: the
 *                          last frame that the port's policy dropped or
 *                          refused to admit, in translation; only if any.
 *   "error"                Configuration problems, only if there are any.
 */
static struct json *
port_to_json(struct portsec_port *port)
{
    const struct portsec_policy *policy
        = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    struct json *json = json_object_create();
    struct ds error = DS_EMPTY_INITIALIZER;
    uint64_t stats[PORTSEC_N_STATS];
    struct portsec_violation v;
    struct json *macs;

    portsec_port_stats(port, policy, stats);
    if (portsec_port_is_err_disabled(port)) {
        json_object_put_string(json, "state", "err-disabled");
        json_object_put_string(json, "reason", portsec_err_disable_reason(
                                   portsec_port_err_disable_cause(port)));
    } else {
        json_object_put_string(json, "state", "forwarding");
    }
    if (policy->mac_learn_limit >= 0) {
        json_object_put(json, "mac_learn_limit",
                        json_integer_create(policy->mac_learn_limit));
        json_object_put_string(
            json, "mac_learn_limit_policy",
            portsec_limit_action_to_string(policy->limit_action));
    }
    json_object_put(json, "security_policy", policy_to_json(policy));
    if (policy->central) {
        json_object_put(json, "central", names_to_json(policy->central));
    }
    if (policy->inherited) {
        json_object_put(json, "inherited", names_to_json(policy->inherited));
    }
    if (policy->central || policy->inherited) {
        json_object_put(json, "own", names_to_json(policy->own));
    }

    macs = json_array_create_empty();
    for (size_t i = 0; i < policy->n_secure_macs; i++) {
        json_array_add(macs, json_string_create_nocopy(
                           xasprintf(ETH_ADDR_FMT,
                                     ETH_ADDR_ARGS(policy->secure_macs[i]))));
    }
    json_object_put(json, "secure_macs", macs);
    if (portsec_admission_limit(policy) >= 0) {
        json_object_put(json, "admitted_macs", admitted_to_json(port));
    }

    json_object_put(json, "statistics",
                    stats_to_json(stats, 0, PORTSEC_STAT_DHCP_SERVER_DROPS));
    if (portsec_policy_inspects(policy) || policy->trusted
        || stats[PORTSEC_STAT_BINDINGS]) {
        json_object_put(json, "snooping_statistics",
                        stats_to_json(stats, PORTSEC_STAT_DHCP_SERVER_DROPS,
                                      PORTSEC_STAT_BINDINGS + 1));
    }
    if (port_shows_protocol(policy, stats)) {
        json_object_put(json, "protocol_statistics",
                        stats_to_json(stats, PORTSEC_STAT_BPDU_FILTER_DROPS,
                                      PORTSEC_STAT_DHCP_CLIENT_DROPS + 1));
    }
    if (port_shows_storm(policy, stats)) {
        struct json *meters = json_object_create();

        json_object_put(json, "storm_control_statistics",
                        stats_to_json(stats,
                                      PORTSEC_STAT_STORM_BROADCAST_DROPS,
                                      PORTSEC_STAT_STORM_UNKNOWN_UNICAST_DROPS
                                      + 1));
        for (int i = 0; i < PORTSEC_N_STORM; i++) {
            uint32_t id = portsec_storm_meter(port, i);

            if (id != UINT32_MAX) {
                json_object_put(meters, portsec_storm_class_to_string(i),
                                json_integer_create(id));
            }
        }
        json_object_put(json, "storm_control_meters", meters);
    }
    if (port_shows_suppression(policy, stats)) {
        json_object_put(json, "suppression_statistics",
                        stats_to_json(stats, PORTSEC_STAT_ARP_SUPPRESSED,
                                      PORTSEC_STAT_ND_SUPPRESSED + 1));
    }
    if (portsec_dpext_port_status(port, &error)) {
        struct json *dpext = json_object_create();

        json_object_put_string(dpext, "status", ds_cstr(&error));
        json_object_put(dpext, "datapath_ext_drops", json_integer_create(
                            stats[PORTSEC_STAT_DATAPATH_EXT_DROPS]));
        json_object_put(json, "datapath_ext", dpext);
        ds_clear(&error);
    }
    if (portsec_port_last_violation(port, &v)) {
        struct json *violation = json_object_create();

        json_object_put_nocopy(violation, xstrdup("time"),
                               json_string_create_nocopy(xastrftime_msec(
                                   "%Y-%m-%dT%H:%M:%S.###Z", v.when, true)));
        json_object_put_string(violation, "reason", v.reason);
        json_object_put_format(violation, "mac", ETH_ADDR_FMT,
                               ETH_ADDR_ARGS(v.mac));
        json_object_put(violation, "vlan", json_integer_create(v.vlan));
        json_object_put(json, "last_violation", violation);
    }
    portsec_port_error(port, policy, &error);
    if (error.length) {
        json_object_put_string(json, "error", ds_cstr(&error));
    }
    ds_destroy(&error);
    return json;
}

/* Returns {"ports": {NAME: port_to_json(), ...}} for the ports of 'br' that
 * have port security settings. */
static struct json *
bridge_to_json(const struct portsec_bridge *br)
{
    struct json *ports = json_object_create();
    struct json *json = json_object_create();
    struct portsec_port **array;
    size_t n;

    array = portsec_bridge_ports(br, &n);
    for (size_t i = 0; i < n; i++) {
        json_object_put(ports, array[i]->name, port_to_json(array[i]));
    }
    free(array);
    json_object_put(json, "ports", ports);
    return json;
}

/* Returns true if some port of 'br' has port security settings. */
static bool
bridge_is_active(const struct portsec_bridge *br)
{
    const struct portsec_port *port;

    HMAP_FOR_EACH (port, br_node, &br->ports) {
        if (ovsrcu_get_protected(struct portsec_policy *,
                                 &port->policy)->has_settings) {
            return true;
        }
    }
    return false;
}

static int
compare_bridge_names(const void *a_, const void *b_)
{
    const struct portsec_bridge *const *a = a_;
    const struct portsec_bridge *const *b = b_;

    return strcmp((*a)->ofproto->name, (*b)->ofproto->name);
}

/* Why port security is unavailable, or NULL if it is available. */
static char *unavailable;

void
portsec_set_unavailable(const char *why)
{
    if (!nullable_string_is_equal(why, unavailable)) {
        free(unavailable);
        unavailable = nullable_xstrdup(why);
    }
}

/* port-security/show [--format=text|json] [bridge]: the bridges that have
 * ports with port security settings, or 'bridge', in text or as a JSON
 * object that maps each bridge's name to bridge_to_json(). */
static void
portsec_unixctl_show(struct unixctl_conn *conn, int argc, const char *argv[],
                     void *aux OVS_UNUSED)
{
    const struct portsec_bridge **brs;
    const struct portsec_bridge *br;
    const char *bridge = NULL;
    bool json = false;
    size_t n = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format=json")) {
            json = true;
        } else if (!strcmp(argv[i], "--format=text")) {
            json = false;
        } else if (argv[i][0] == '-' || bridge) {
            unixctl_command_reply_error(
                conn, "usage: port-security/show [--format=text|json] "
                "[bridge]");
            return;
        } else {
            bridge = argv[i];
        }
    }

    if (unavailable) {
        unixctl_command_reply_error(conn, unavailable);
        return;
    }

    brs = xmalloc(MAX(hmap_count(&portsec_bridges), 1) * sizeof *brs);
    HMAP_FOR_EACH (br, node, &portsec_bridges) {
        if (bridge ? !strcmp(bridge, br->ofproto->name)
            : bridge_is_active(br)) {
            brs[n++] = br;
        }
    }
    qsort(brs, n, sizeof *brs, compare_bridge_names);

    if (bridge && !n && !ofproto_lookup(bridge)) {
        unixctl_command_reply_error(conn, "no such bridge");
    } else if (json) {
        struct json *reply = json_object_create();
        struct ds ds = DS_EMPTY_INITIALIZER;

        for (size_t i = 0; i < n; i++) {
            json_object_put(reply, brs[i]->ofproto->name,
                            bridge_to_json(brs[i]));
        }
        if (bridge && !n) {
            struct json *empty = json_object_create();

            json_object_put(empty, "ports", json_object_create());
            json_object_put(reply, bridge, empty);
        }
        json_to_ds(reply, JSSF_SORT, &ds);
        ds_put_char(&ds, '\n');
        unixctl_command_reply(conn, ds_cstr(&ds));
        ds_destroy(&ds);
        json_destroy(reply);
    } else {
        struct ds ds = DS_EMPTY_INITIALIZER;

        if (bridge && !n) {
            ds_put_format(&ds, "bridge %s:\n  no port has port security "
                          "settings\n", bridge);
        }
        for (size_t i = 0; i < n; i++) {
            bridge_show(brs[i], &ds);
        }
        unixctl_command_reply(conn, ds_cstr(&ds));
        ds_destroy(&ds);
    }
    free(brs);
}

static void
portsec_unixctl_recover(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[], void *aux OVS_UNUSED)
{
    struct portsec_bridge *br;

    HMAP_FOR_EACH (br, node, &portsec_bridges) {
        struct portsec_port *port;

        HMAP_FOR_EACH (port, br_node, &br->ports) {
            if (!strcmp(port->name, argv[1])) {
                if (!portsec_port_is_err_disabled(port)) {
                    unixctl_command_reply(conn, "port is not err-disabled");
                } else {
                    VLOG_INFO("port %s: recovered by port-security/recover",
                              port->name);
                    portsec_port_recover(port);
                    unixctl_command_reply(conn, "port recovered");
                }
                return;
            }
        }
    }
    unixctl_command_reply_error(conn, "no such port with port security");
}

static int
compare_exports(const void *a_, const void *b_)
{
    const struct portsec_binding_export *a = a_;
    const struct portsec_binding_export *b = b_;
    int cmp;

    cmp = strcmp(a->ofproto->name, b->ofproto->name);
    if (!cmp) {
        cmp = strcmp(a->port, b->port);
    }
    if (!cmp) {
        cmp = (a->binding->vlan > b->binding->vlan)
              - (a->binding->vlan < b->binding->vlan);
    }
    if (!cmp) {
        cmp = eth_addr_compare_3way(a->binding->mac, b->binding->mac);
    }
    if (!cmp) {
        cmp = memcmp(&a->binding->ip, &b->binding->ip,
                     sizeof a->binding->ip);
    }
    return cmp;
}

struct portsec_binding_export *
portsec_bindings_export(size_t *n)
{
    struct portsec_binding_export *exports = NULL;
    size_t allocated = 0;
    struct portsec_bridge *br;

    *n = 0;
    HMAP_FOR_EACH (br, node, &portsec_bridges) {
        struct portsec_port *port;

        HMAP_FOR_EACH (port, br_node, &br->ports) {
            const struct portsec_policy *policy
                = ovsrcu_get_protected(struct portsec_policy *,
                                       &port->policy);
            struct portsec_binding *dynamic;
            size_t n_dynamic;

            if (!policy->has_settings) {
                continue;
            }
            dynamic = portsec_binding_snapshot(port->bindings, &n_dynamic);
            for (size_t i = 0; i < n_dynamic + policy->n_static_bindings;
                 i++) {
                struct portsec_binding *b = xmalloc(sizeof *b);
                unsigned int plen = 128;

                if (i < n_dynamic) {
                    *b = dynamic[i];
                } else {
                    const struct portsec_static_binding *sb
                        = &policy->static_bindings[i - n_dynamic];

                    *b = (struct portsec_binding) {
                        .mac = sb->mac,
                        .vlan = policy->native_vlan,
                        .ip = sb->ip,
                        .source = PORTSEC_BINDING_STATIC,
                        .expires = LLONG_MAX,
                    };
                    plen = sb->plen;
                }
                if (*n >= allocated) {
                    exports = x2nrealloc(exports, &allocated,
                                         sizeof *exports);
                }
                exports[(*n)++] = (struct portsec_binding_export) {
                    .port = port->name,
                    .ofproto = br->ofproto,
                    .binding = b,
                    .plen = plen,
                };
            }
            free(dynamic);
        }
    }
    if (*n) {
        qsort(exports, *n, sizeof *exports, compare_exports);
    }
    return exports;
}

void
portsec_bindings_export_free(struct portsec_binding_export *exports,
                             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(CONST_CAST(struct portsec_binding *, exports[i].binding));
    }
    free(exports);
}

/* Returns the port named 'name' with port security, or NULL. */
static struct portsec_port *
port_from_name(const char *name)
{
    struct portsec_bridge *br;

    HMAP_FOR_EACH (br, node, &portsec_bridges) {
        struct portsec_port *port;

        HMAP_FOR_EACH (port, br_node, &br->ports) {
            if (!strcmp(port->name, name)) {
                return port;
            }
        }
    }
    return NULL;
}

bool
portsec_binding_restore(const char *name, const struct portsec_binding *b)
{
    struct portsec_port *port = port_from_name(name);
    const struct portsec_policy *policy;
    bool need_revalidate = false;

    if (!port || b->source == PORTSEC_BINDING_STATIC) {
        return false;
    }
    policy = ovsrcu_get_protected(struct portsec_policy *, &port->policy);
    if (portsec_binding_source_is_snooped(b->source)) {
        /* Only while the port still snoops that family, within its
         * limit, as the binding was made. */
        bool arp = b->source == PORTSEC_BINDING_ARP;

        if (!(arp ? policy->arp_snooping : policy->nd_snooping)
            || portsec_binding_add_snooped(
                   port->bindings, b,
                   arp ? policy->arp_binding_limit
                       : policy->nd_snooping_limit,
                   &need_revalidate) == PORTSEC_BINDING_FULL) {
            return false;
        }
    } else if (portsec_binding_add(port->bindings, b, policy->max_bindings,
                                   &need_revalidate)
               == PORTSEC_BINDING_FULL) {
        return false;
    }
    portsec_port_bindings_changed(port, need_revalidate);
    return true;
}

/* Appends 'b' (with prefix length 'plen') to 'ds' as a line of
 * port-security/bindings. */
static void
format_binding(struct ds *ds, const char *port,
               const struct portsec_binding *b, unsigned int plen)
{
    char *ip = portsec_binding_ip_to_string(&b->ip, plen);

    ds_put_format(ds, "  %-15s %4"PRIu16"  "ETH_ADDR_FMT"  %-39s %-7s ",
                  port, b->vlan, ETH_ADDR_ARGS(b->mac), ip,
                  portsec_binding_source_to_string(b->source));
    free(ip);
    if (b->expires == LLONG_MAX) {
        ds_put_format(ds, "%8s", "-");
    } else {
        long long int secs = (b->expires - time_msec() + 999) / 1000;

        ds_put_format(ds, "%8lld", MAX(secs, 0));
    }
    if (b->has_server) {
        char server[INET6_ADDRSTRLEN];

        ipv6_string_mapped(server, &b->server);
        ds_put_format(ds, "  %s", server);
    }
    ds_put_char(ds, '\n');
}

static void
portsec_unixctl_bindings(struct unixctl_conn *conn, int argc,
                         const char *argv[], void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct ofproto *last = NULL;
    struct portsec_binding_export *exports;
    size_t n;

    if (argc > 1 && !ofproto_lookup(argv[1])) {
        unixctl_command_reply_error(conn, "no such bridge");
        return;
    }
    exports = portsec_bindings_export(&n);
    for (size_t i = 0; i < n; i++) {
        const struct portsec_binding_export *e = &exports[i];

        if (argc > 1 && strcmp(argv[1], e->ofproto->name)) {
            continue;
        }
        if (e->ofproto != last) {
            ds_put_format(&ds, "bridge %s:\n  %-15s %4s  %-17s  %-39s "
                          "%-7s %8s  %s\n", e->ofproto->name, "port", "vlan",
                          "mac", "ip", "source", "expires", "server");
            last = e->ofproto;
        }
        format_binding(&ds, e->port, e->binding, e->plen);
    }
    if (!ds.length) {
        ds_put_cstr(&ds, "no bindings\n");
    }
    portsec_bindings_export_free(exports, n);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
portsec_unixctl_clear_bindings(struct unixctl_conn *conn,
                               int argc OVS_UNUSED, const char *argv[],
                               void *aux OVS_UNUSED)
{
    struct portsec_port *port = port_from_name(argv[1]);
    bool need_revalidate = false;
    char *reply;
    size_t n;

    if (!port) {
        unixctl_command_reply_error(conn, "no such port with port security");
        return;
    }
    n = portsec_binding_clear(port->bindings, &need_revalidate);
    if (n) {
        VLOG_INFO("port %s: %"PRIuSIZE" bindings cleared by "
                  "port-security/clear-bindings", port->name, n);
        portsec_port_bindings_changed(port, need_revalidate);
    }
    reply = xasprintf("%"PRIuSIZE" dynamic bindings cleared", n);
    unixctl_command_reply(conn, reply);
    free(reply);
}

/* "port-security/clear-macs PORT [MAC]": forgets the dynamically admitted
 * MACs of PORT (only MAC, in every VLAN, if given), as Cisco's "clear
 * port-security dynamic" does.  The flows that carried them are
 * revalidated, so the next frame from each is admitted anew if there is
 * room. */
static void
portsec_unixctl_clear_macs(struct unixctl_conn *conn, int argc,
                           const char *argv[], void *aux OVS_UNUSED)
{
    struct portsec_port *port = port_from_name(argv[1]);
    struct eth_addr mac;
    char *reply;
    size_t n;

    if (!port) {
        unixctl_command_reply_error(conn, "no such port with port security");
        return;
    }
    if (argc > 2 && !eth_addr_from_string(argv[2], &mac)) {
        unixctl_command_reply_error(conn, "bad MAC address");
        return;
    }

    n = portsec_port_clear_macs(port, argc > 2 ? &mac : NULL);
    if (n) {
        VLOG_INFO("port %s: %"PRIuSIZE" admitted MACs cleared by "
                  "port-security/clear-macs", port->name, n);
    }

    reply = xasprintf("%"PRIuSIZE" admitted MACs cleared", n);
    unixctl_command_reply(conn, reply);
    free(reply);
}

void
portsec_init(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        unixctl_command_register("port-security/show",
                                 "[--format=text|json] [bridge]", 0, 2,
                                 portsec_unixctl_show, NULL);
        unixctl_command_register("port-security/recover", "port", 1, 1,
                                 portsec_unixctl_recover, NULL);
        unixctl_command_register("port-security/bindings", "[bridge]", 0, 1,
                                 portsec_unixctl_bindings, NULL);
        unixctl_command_register("port-security/clear-bindings", "port", 1,
                                 1, portsec_unixctl_clear_bindings, NULL);
        unixctl_command_register("port-security/clear-macs", "port [mac]",
                                 1, 2, portsec_unixctl_clear_macs, NULL);
        ovsthread_once_done(&once);
    }
}
