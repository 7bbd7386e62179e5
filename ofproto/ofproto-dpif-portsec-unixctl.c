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
#include "ofproto-portsec.h"
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

/* The ovs-appctl commands of port security: port-security/show (text,
 * JSON and metrics), /recover, /bindings, /clear-bindings and /clear-macs,
 * registered by portsec_init().  Main thread. */

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
        ds_put_format(ds, "\n    from its Logical_Port_Security row: %s",
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
                      " (%"PRIu64" bytes)\n", ds_cstr(&error),
                      stats[PORTSEC_STAT_DATAPATH_EXT_DROPS],
                      stats[PORTSEC_STAT_DATAPATH_EXT_DROP_BYTES]);
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
 *                          Logical_Port_Security row, only if there are any.
 *   "inherited"            Array: the settings that come from the bridge's
 *                          defaults, only if there are any.
 *   "own"                  Array: the settings that the port sets itself,
 *                          only if it takes some from its
 *                          Logical_Port_Security row or inherits some.  The
 *                          others are built-in defaults.
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
 *   "datapath_ext"         Object {"status", "datapath_ext_drops",
 *                          "datapath_ext_drop_bytes"}: the kernel filter
 *                          of each interface, as
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
        json_object_put(dpext, "datapath_ext_drop_bytes", json_integer_create(
                            stats[PORTSEC_STAT_DATAPATH_EXT_DROP_BYTES]));
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

/* port-security/show --format=openmetrics|prometheus. */

/* The formats of port-security/show.  The two metrics formats, OpenMetrics
 * 1.0 and the Prometheus text format 0.0.4 (which node_exporter's textfile
 * collector reads), differ only in the name that a counter family's HELP
 * and TYPE lines give (OpenMetrics: the family's, "ovs_portsec_drops";
 * Prometheus 0.0.4: its samples', "ovs_portsec_drops_total") and in
 * OpenMetrics' final "# EOF" line. */
enum show_format {
    SHOW_TEXT,
    SHOW_JSON,
    SHOW_OPENMETRICS,
    SHOW_PROMETHEUS,
};

/* A metric family. */
struct metric_family {
    const char *name;           /* Without "_total". */
    bool counter;               /* Counter (samples "NAME_total") or
                                 * gauge (samples "NAME"). */
    const char *help;           /* No backslash, quote or new-line. */
};

/* What the metrics report of one port, read once for all the families. */
struct port_metrics {
    const char *bridge;
    const struct portsec_port *port;
    const struct portsec_policy *policy;
    uint64_t stats[PORTSEC_N_STATS];
    enum portsec_err_disable_cause cause;
    bool has_violation;
    struct portsec_violation violation;
    bool has_error;             /* Whether security_status:error is set. */
};

static void
port_metrics_init(struct port_metrics *pm, const char *bridge,
                  struct portsec_port *port)
{
    struct ds error = DS_EMPTY_INITIALIZER;

    pm->bridge = bridge;
    pm->port = port;
    pm->policy = ovsrcu_get_protected(struct portsec_policy *,
                                      &port->policy);
    portsec_port_stats(port, pm->policy, pm->stats);
    pm->cause = portsec_port_err_disable_cause(port);
    pm->has_violation = portsec_port_last_violation(port, &pm->violation);
    portsec_port_error(port, pm->policy, &error);
    pm->has_error = error.length > 0;
    ds_destroy(&error);
}

/* Appends 's' to 'ds' as a label value: with backslash, double quote and
 * line feed escaped, as both formats require. */
static void
put_label_value(struct ds *ds, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\':
            ds_put_cstr(ds, "\\\\");
            break;
        case '"':
            ds_put_cstr(ds, "\\\"");
            break;
        case '\n':
            ds_put_cstr(ds, "\\n");
            break;
        default:
            ds_put_char(ds, *s);
        }
    }
}

/* Appends to 'ds' the start of a sample of 'family' for the port of 'pm':
 * its name and labels "bridge", "port" and, if 'label' is nonnull, 'label'
 * with 'value', then a space.  The caller appends the value and a new-line.
 */
static void
put_series(struct ds *ds, const struct metric_family *family,
           const struct port_metrics *pm, const char *label,
           const char *value)
{
    ds_put_format(ds, "%s%s{bridge=\"", family->name,
                  family->counter ? "_total" : "");
    put_label_value(ds, pm->bridge);
    ds_put_cstr(ds, "\",port=\"");
    put_label_value(ds, pm->port->name);
    if (label) {
        ds_put_format(ds, "\",%s=\"", label);
        put_label_value(ds, value);
    }
    ds_put_cstr(ds, "\"} ");
}

/* Appends to 'ds' a sample of 'family' for 'pm' with value 'n' (see
 * put_series()). */
static void
put_sample(struct ds *ds, const struct metric_family *family,
           const struct port_metrics *pm, const char *label,
           const char *value, uint64_t n)
{
    put_series(ds, family, pm, label, value);
    ds_put_format(ds, "%"PRIu64"\n", n);
}

/* Appends to 'out' the HELP and TYPE lines of 'family' in 'format' and
 * then 'samples', and clears 'samples'.  A family without samples is left
 * out. */
static void
put_family(struct ds *out, enum show_format format,
           const struct metric_family *family, struct ds *samples)
{
    const char *suffix = (family->counter && format == SHOW_PROMETHEUS
                          ? "_total" : "");

    if (samples->length) {
        ds_put_format(out, "# HELP %s%s %s\n", family->name, suffix,
                      family->help);
        ds_put_format(out, "# TYPE %s%s %s\n", family->name, suffix,
                      family->counter ? "counter" : "gauge");
        ds_put_cstr(out, ds_cstr(samples));
        ds_clear(samples);
    }
}

/* Returns true if security_statistics key 'stat' counts the frames that
 * port security dropped for one reason: its name ends in "_drops", and it
 * is not datapath_ext_drops, which counts again frames of the others. */
static bool
stat_is_drop(enum portsec_stat stat)
{
    return (stat != PORTSEC_STAT_DATAPATH_EXT_DROPS
            && string_ends_with(portsec_stat_name(stat), "_drops"));
}

/* The families of the security_statistics keys that are neither drops
 * nor suppressed requests: one key each. */
static const struct {
    enum portsec_stat stat;
    struct metric_family family;
} stat_families[] = {
    { PORTSEC_STAT_LEARN_LIMIT_FORWARDED,
      { "ovs_portsec_learn_limit_forwarded", true,
        "Frames from a new source MAC over mac_learn_limit that policy "
        "allow forwarded without admitting the MAC." } },
    { PORTSEC_STAT_ERR_DISABLED_COUNT,
      { "ovs_portsec_err_disable_events", true,
        "Times the port became err-disabled." } },
    { PORTSEC_STAT_DATAPATH_EXT_DROPS,
      { "ovs_portsec_datapath_ext_drops", true,
        "Frames that datapath-ext dropped in the kernel, also counted in "
        "ovs_portsec_drops by reason." } },
    { PORTSEC_STAT_DATAPATH_EXT_DROP_BYTES,
      { "ovs_portsec_datapath_ext_drop_bytes", true,
        "Bytes of the frames that datapath-ext dropped in the kernel, "
        "whole frames as received." } },
    { PORTSEC_STAT_MACS_LEARNED,
      { "ovs_portsec_macs_learned", false,
        "MACs that the port admitted, in its own address table." } },
    { PORTSEC_STAT_BINDINGS,
      { "ovs_portsec_bindings", false,
        "IP source bindings of the port, static and dynamic." } },
};

static const struct metric_family drops_family = {
    "ovs_portsec_drops", true,
    "Frames that port security dropped, by reason: the security_statistics "
    "key REASON_drops."
};
static const struct metric_family suppressed_family = {
    "ovs_portsec_suppressed", true,
    "ARP requests and Neighbor Solicitations answered on the owner's behalf "
    "instead of flooded, by protocol."
};
static const struct metric_family limit_family = {
    "ovs_portsec_mac_learn_limit", false,
    "The MACs that the port may admit, with its mac_learn_limit_policy."
};
static const struct metric_family err_disabled_family = {
    "ovs_portsec_err_disabled", false,
    "1 if the port is err-disabled for the cause, 0 if not."
};
static const struct metric_family violation_family = {
    "ovs_portsec_last_violation_timestamp_seconds", false,
    "When the port last dropped or refused to admit a frame, in seconds "
    "since the epoch, with security_status:last_violation."
};
static const struct metric_family storm_family = {
    "ovs_portsec_storm_control_enforced", false,
    "For each class with a storm control rate: 1 if a datapath meter "
    "polices it, 0 if not (see security_status:error)."
};
static const struct metric_family dpext_family = {
    "ovs_portsec_datapath_ext_attached", false,
    "1 if the kernel filter of datapath-ext is attached to the interface, "
    "0 if not (see security_status:datapath_ext)."
};
static const struct metric_family error_family = {
    "ovs_portsec_config_error", false,
    "1 if security_status:error reports a configuration problem, 0 if not."
};

/* Appends to 'out', in 'format', the families of the security_statistics
 * of the 'n' ports in 'pms', using 's' for the samples of each. */
static void
metrics_put_stats(struct ds *out, enum show_format format,
                  const struct port_metrics pms[], size_t n, struct ds *s)
{
    for (size_t i = 0; i < n; i++) {
        for (int stat = 0; stat < PORTSEC_N_STATS; stat++) {
            if (stat_is_drop(stat)) {
                const char *name = portsec_stat_name(stat);
                char *reason = xmemdup0(name, strlen(name)
                                              - strlen("_drops"));

                put_sample(s, &drops_family, &pms[i], "reason", reason,
                           pms[i].stats[stat]);
                free(reason);
            }
        }
    }
    put_family(out, format, &drops_family, s);

    for (size_t i = 0; i < n; i++) {
        put_sample(s, &suppressed_family, &pms[i], "protocol", "arp",
                   pms[i].stats[PORTSEC_STAT_ARP_SUPPRESSED]);
        put_sample(s, &suppressed_family, &pms[i], "protocol", "nd",
                   pms[i].stats[PORTSEC_STAT_ND_SUPPRESSED]);
    }
    put_family(out, format, &suppressed_family, s);

    for (size_t f = 0; f < ARRAY_SIZE(stat_families); f++) {
        for (size_t i = 0; i < n; i++) {
            put_sample(s, &stat_families[f].family, &pms[i], NULL, NULL,
                       pms[i].stats[stat_families[f].stat]);
        }
        put_family(out, format, &stat_families[f].family, s);
    }
}

/* Appends to 'out', in 'format', the families of the state of the 'n'
 * ports in 'pms', using 's' for the samples of each. */
static void
metrics_put_states(struct ds *out, enum show_format format,
                   const struct port_metrics pms[], size_t n, struct ds *s)
{
    for (size_t i = 0; i < n; i++) {
        const struct portsec_policy *policy = pms[i].policy;

        if (policy->mac_learn_limit >= 0) {
            put_sample(s, &limit_family, &pms[i], "policy",
                       portsec_limit_action_to_string(policy->limit_action),
                       policy->mac_learn_limit);
        }
    }
    put_family(out, format, &limit_family, s);

    for (size_t i = 0; i < n; i++) {
        for (int c = PORTSEC_CAUSE_NONE + 1; c < PORTSEC_N_CAUSES; c++) {
            put_sample(s, &err_disabled_family, &pms[i], "cause",
                       portsec_err_disable_cause_to_string(c),
                       pms[i].cause == c);
        }
    }
    put_family(out, format, &err_disabled_family, s);

    for (size_t i = 0; i < n; i++) {
        const struct portsec_violation *v = &pms[i].violation;

        if (pms[i].has_violation) {
            put_series(s, &violation_family, &pms[i], "reason", v->reason);
            ds_put_format(s, "%lld.%03lld\n", v->when / 1000,
                          v->when % 1000);
        }
    }
    put_family(out, format, &violation_family, s);

    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < PORTSEC_N_STORM; c++) {
            if (pms[i].policy->storm_rate[c]) {
                put_sample(s, &storm_family, &pms[i], "class",
                           portsec_storm_class_to_string(c),
                           portsec_storm_meter(pms[i].port, c) != UINT32_MAX);
            }
        }
    }
    put_family(out, format, &storm_family, s);

    for (size_t i = 0; i < n; i++) {
        const char *iface;
        bool attached;

        for (size_t j = 0;
             (iface = portsec_dpext_port_iface(pms[i].port, j, &attached));
             j++) {
            put_sample(s, &dpext_family, &pms[i], "interface", iface,
                       attached);
        }
    }
    put_family(out, format, &dpext_family, s);

    for (size_t i = 0; i < n; i++) {
        put_sample(s, &error_family, &pms[i], NULL, NULL,
                   pms[i].has_error);
    }
    put_family(out, format, &error_family, s);
}

/* Appends to 'out' the metrics of the 'n' ports in 'pms', in 'format'
 * (SHOW_OPENMETRICS or SHOW_PROMETHEUS).  Each family is written once,
 * with its samples in the order of 'pms' and then of the other label's
 * values: security_statistics keys, causes, storm control classes and
 * interfaces, each in its own order. */
static void
metrics_put(struct ds *out, enum show_format format,
            const struct port_metrics pms[], size_t n)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    metrics_put_stats(out, format, pms, n, &s);
    metrics_put_states(out, format, pms, n, &s);
    if (format == SHOW_OPENMETRICS) {
        ds_put_cstr(out, "# EOF\n");
    }
    ds_destroy(&s);
}

/* Appends to 'out' the metrics of the ports with port security settings of
 * the 'n' bridges in 'brs', in 'format' (SHOW_OPENMETRICS or
 * SHOW_PROMETHEUS), bridges and ports in the order of 'brs' and of their
 * names. */
static void
bridges_put_metrics(struct ds *out, enum show_format format,
                    const struct portsec_bridge *brs[], size_t n)
{
    struct port_metrics *pms = NULL;
    size_t n_pms = 0, allocated = 0;

    for (size_t i = 0; i < n; i++) {
        struct portsec_port **ports;
        size_t n_ports;

        ports = portsec_bridge_ports(brs[i], &n_ports);
        for (size_t j = 0; j < n_ports; j++) {
            if (n_pms >= allocated) {
                pms = x2nrealloc(pms, &allocated, sizeof *pms);
            }
            port_metrics_init(&pms[n_pms++], brs[i]->ofproto->name,
                              ports[j]);
        }
        free(ports);
    }
    metrics_put(out, format, pms, n_pms);
    free(pms);
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

/* port-security/show [--format=text|json|openmetrics|prometheus] [bridge]:
 * the bridges that have ports with port security settings, or 'bridge', in
 * text, as a JSON object that maps each bridge's name to bridge_to_json(),
 * or as metrics (bridges_put_metrics()). */
static void
portsec_unixctl_show(struct unixctl_conn *conn, int argc, const char *argv[],
                     void *aux OVS_UNUSED)
{
    enum show_format format = SHOW_TEXT;
    const struct portsec_bridge **brs;
    const struct portsec_bridge *br;
    const char *bridge = NULL;
    size_t n = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format=json")) {
            format = SHOW_JSON;
        } else if (!strcmp(argv[i], "--format=text")) {
            format = SHOW_TEXT;
        } else if (!strcmp(argv[i], "--format=openmetrics")) {
            format = SHOW_OPENMETRICS;
        } else if (!strcmp(argv[i], "--format=prometheus")) {
            format = SHOW_PROMETHEUS;
        } else if (argv[i][0] == '-' || bridge) {
            unixctl_command_reply_error(
                conn, "usage: port-security/show "
                "[--format=text|json|openmetrics|prometheus] [bridge]");
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
    } else if (format == SHOW_JSON) {
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
    } else if (format != SHOW_TEXT) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        bridges_put_metrics(&ds, format, brs, n);
        unixctl_command_reply(conn, ds_cstr(&ds));
        ds_destroy(&ds);
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

struct portsec_port *
portsec_port_from_name(const char *name)
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
    struct ofproto_portsec_binding *exports;
    size_t n;

    if (argc > 1 && !ofproto_lookup(argv[1])) {
        unixctl_command_reply_error(conn, "no such bridge");
        return;
    }
    portsec_bindings_export(&exports, &n);
    for (size_t i = 0; i < n; i++) {
        const struct ofproto_portsec_binding *e = &exports[i];

        if (argc > 1 && strcmp(argv[1], e->ofproto->name)) {
            continue;
        }
        if (e->ofproto != last) {
            ds_put_format(&ds, "bridge %s:\n  %-15s %4s  %-17s  %-39s "
                          "%-7s %8s  %s\n", e->ofproto->name, "port", "vlan",
                          "mac", "ip", "source", "expires", "server");
            last = e->ofproto;
        }
        format_binding(&ds, e->port, &e->binding, e->plen);
    }
    if (!ds.length) {
        ds_put_cstr(&ds, "no bindings\n");
    }
    free(exports);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
portsec_unixctl_clear_bindings(struct unixctl_conn *conn,
                               int argc OVS_UNUSED, const char *argv[],
                               void *aux OVS_UNUSED)
{
    struct portsec_port *port = portsec_port_from_name(argv[1]);
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
    struct portsec_port *port = portsec_port_from_name(argv[1]);
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
                                 "[--format=text|json|openmetrics|"
                                 "prometheus] [bridge]", 0, 2,
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
