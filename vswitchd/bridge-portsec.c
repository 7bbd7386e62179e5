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
#include "bridge-portsec.h"

#include <errno.h>
#include <stdlib.h>

#include "coverage.h"
#include "ofproto/ofproto-portsec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-binding.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"
#include "uuidset.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(bridge_portsec);

COVERAGE_DEFINE(bridge_portsec_binding_txn);
COVERAGE_DEFINE(bridge_portsec_defaults_validated);

static struct ovsdb_idl *idl;

/* Logical_Port_Security rows by bridge and iface_id. */
static struct ovsdb_idl_index *central_index;

/* IP_Source_Binding persistence. */
static bool bindings_restored;      /* Read back from the database yet? */
static bool bindings_dirty = true;  /* Database may differ from memory. */
static uint64_t bindings_seqno;     /* ofproto_portsec_bindings_seqno()
                                     * last written. */
static long long int next_flush;    /* Earliest next write, in ms. */
static struct ovsdb_idl_txn *bindings_txn;

/* False if no ofproto provider has port security: then the
 * IP_Source_Binding table is left as it is. */
static bool provider_has_portsec = true;

/* The Port rows that configure port security (those for which
 * bridge_portsec_policy_create() last returned a policy), so that a port
 * whose provider has no port security can say that its settings are not
 * enforced.  Pruned of deleted rows when the database changes. */
static struct uuidset ports_with_policy = UUIDSET_INITIALIZER(
    &ports_with_policy);

void
bridge_portsec_init(struct ovsdb_idl *idl_)
{
    idl = idl_;
    ovsdb_idl_omit_alert(idl, &ovsrec_port_col_security_status);
    ovsdb_idl_omit_alert(idl, &ovsrec_port_col_security_statistics);
    /* ovs-vswitchd writes the err_disabled column, and reads it back when a
     * port is created. */
    ovsdb_idl_omit_alert(idl, &ovsrec_port_col_err_disabled);

    /* ovs-vswitchd writes IP_Source_Binding and reads it back only at
     * startup, so that its own writes do not reconfigure it. */
    for (size_t i = 0; i < OVSREC_IP_SOURCE_BINDING_N_COLUMNS; i++) {
        ovsdb_idl_omit_alert(idl, &ovsrec_ip_source_binding_columns[i]);
    }

    /* bridge.c does not replicate Interface external_ids, but
     * external_ids:attached-mac holds secure MACs, and external_ids:iface-id
     * names the logical port, the key of the Logical_Port_Security table. */
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_external_ids);
    central_index = ovsdb_idl_index_create2(
        idl, &ovsrec_logical_port_security_col_bridge,
        &ovsrec_logical_port_security_col_iface_id);
}

/* Bridge-wide defaults. */

/* The validated port security defaults of a bridge. */
struct bridge_defaults {
    struct hmap_node node;              /* In 'all_defaults'. */
    struct uuid uuid;                   /* The Bridge row. */
    struct smap column;                 /* What 'defaults' was made from:
                                         * the defaults keys of the Bridge's
                                         * other_config, unprefixed. */
    struct portsec_defaults *defaults;  /* NULL if 'column' is empty. */
};

/* "struct bridge_defaults"s, by uuid_hash(&uuid). */
static struct hmap all_defaults = HMAP_INITIALIZER(&all_defaults);

/* Returns the validated defaults of 'br_cfg' (NULL for none), validating
 * them again only if the column changed, and logging a problem with them
 * once, when it appears. */
static const struct portsec_defaults *
bridge_defaults_get(const struct ovsrec_bridge *br_cfg)
{
    static const char prefix[] = "port-security-";
    struct smap column = SMAP_INITIALIZER(&column);
    const struct smap_node *node;
    struct bridge_defaults *bd;
    char *old_error = NULL;

    SMAP_FOR_EACH (node, &br_cfg->other_config) {
        if (!strncmp(node->key, prefix, strlen(prefix))
            && node->key[strlen(prefix)]) {
            smap_add(&column, node->key + strlen(prefix), node->value);
        }
    }

    HMAP_FOR_EACH_WITH_HASH (bd, node, uuid_hash(&br_cfg->header_.uuid),
                             &all_defaults) {
        if (uuid_equals(&bd->uuid, &br_cfg->header_.uuid)) {
            break;
        }
    }
    if (bd && smap_equal(&bd->column, &column)) {
        smap_destroy(&column);
        return bd->defaults;
    }
    if (!bd) {
        bd = xzalloc(sizeof *bd);
        bd->uuid = br_cfg->header_.uuid;
        smap_init(&bd->column);
        hmap_insert(&all_defaults, &bd->node, uuid_hash(&bd->uuid));
    } else if (bd->defaults) {
        old_error = nullable_xstrdup(bd->defaults->error);
    }

    portsec_defaults_destroy(bd->defaults);
    smap_destroy(&bd->column);
    smap_clone(&bd->column, &column);
    smap_destroy(&column);
    bd->defaults = portsec_defaults_create(&bd->column,
                                           PORTSEC_DEFAULTS_BRIDGE);
    if (bd->defaults) {
        COVERAGE_INC(bridge_portsec_defaults_validated);
    }
    if (bd->defaults && bd->defaults->error
        && !nullable_string_is_equal(old_error, bd->defaults->error)) {
        VLOG_WARN("bridge %s: %s", br_cfg->name, bd->defaults->error);
    }
    free(old_error);
    return bd->defaults;
}

/* Forgets the defaults of bridges that are no longer in the database. */
static void
bridge_defaults_prune(void)
{
    struct bridge_defaults *bd;

    HMAP_FOR_EACH_SAFE (bd, node, &all_defaults) {
        if (!ovsrec_bridge_get_for_uuid(idl, &bd->uuid)) {
            hmap_remove(&all_defaults, &bd->node);
            portsec_defaults_destroy(bd->defaults);
            smap_destroy(&bd->column);
            free(bd);
        }
    }
}

/* Returns true if an interface of 'type' is part of the switch's own
 * plumbing (the bridge's internal ports, patch ports, tunnels) rather
 * than the attachment of a guest or a link. */
static bool
iface_type_is_infrastructure(const char *type)
{
    static const char *const types[] = {
        "internal", "patch", "bareudp", "erspan", "geneve", "gre",
        "gtpu", "ip6erspan", "ip6gre", "lisp", "srv6", "stt", "vxlan",
    };

    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        if (!strcmp(type, types[i])) {
            return true;
        }
    }
    return false;
}

/* Returns true if port 'cfg' of bridge 'br_cfg' inherits 'defaults'. */
static bool
port_inherits(const struct ovsrec_bridge *br_cfg,
              const struct ovsrec_port *cfg,
              const struct portsec_defaults *defaults)
{
    const char *inherit = smap_get(&cfg->security_policy, "inherit");
    bool vm_port = false;

    if (inherit) {
        /* A bad value is reported by the port's policy, and enforced as
         * "true". */
        return strcmp(inherit, "false");
    } else if (defaults->scope == PORTSEC_DEFAULTS_ALL) {
        return true;
    } else if (!strcmp(cfg->name, br_cfg->name)) {
        return false;
    }
    for (size_t i = 0; i < cfg->n_interfaces; i++) {
        const struct ovsrec_interface *iface = cfg->interfaces[i];

        if (iface_type_is_infrastructure(iface->type)) {
            return false;
        }
        vm_port |= (smap_get(&iface->external_ids, "attached-mac")
                    || smap_get(&iface->external_ids, "iface-id"));
    }
    return defaults->scope == PORTSEC_DEFAULTS_PORTS || vm_port;
}

/* Returns the Logical_Port_Security row that applies to port 'cfg' of bridge
 * 'br_cfg', or NULL if there is none: the row of the bridge and of the
 * iface-id of the port's interface, if the port has one interface, is not
 * the bridge's local port, and its interface is not part of the switch's
 * plumbing (internal ports are VIFs under OVN; patch and tunnel
 * interfaces never are). */
static const struct ovsrec_logical_port_security *
central_row_find(const struct ovsrec_bridge *br_cfg,
                 const struct ovsrec_port *cfg)
{
    const struct ovsrec_interface *iface;
    const struct ovsrec_logical_port_security *row;
    struct ovsrec_logical_port_security *target;
    const char *iface_id;

    if (cfg->n_interfaces != 1 || !strcmp(cfg->name, br_cfg->name)) {
        return NULL;
    }
    iface = cfg->interfaces[0];
    iface_id = smap_get(&iface->external_ids, "iface-id");
    if (!iface_id || (strcmp(iface->type, "internal")
                      && iface_type_is_infrastructure(iface->type))) {
        return NULL;
    }
    target = ovsrec_logical_port_security_index_init_row(central_index);
    ovsrec_logical_port_security_index_set_bridge(target, br_cfg->name);
    ovsrec_logical_port_security_index_set_iface_id(target, iface_id);
    row = ovsrec_logical_port_security_index_find(central_index, target);
    ovsrec_logical_port_security_index_destroy_row(target);
    return row;
}

struct portsec_policy *
bridge_portsec_policy_create(const struct ovsrec_bridge *br_cfg,
                             const struct ovsrec_port *cfg)
{
    const struct portsec_defaults *defaults = bridge_defaults_get(br_cfg);
    const struct ovsrec_logical_port_security *central
        = central_row_find(br_cfg, cfg);
    const char **attached_macs = xmalloc(MAX(cfg->n_interfaces, 1)
                                         * sizeof *attached_macs);
    const char **ifaces = xmalloc(MAX(cfg->n_interfaces, 1) * sizeof *ifaces);
    struct portsec_config pc = {
        .mac_learn_limit = (cfg->n_mac_learn_limit
                            ? cfg->mac_learn_limit : NULL),
        .mac_learn_limit_policy = cfg->mac_learn_limit_policy,
        .security_policy = &cfg->security_policy,
        .port_security = cfg->port_security,
        .n_port_security = cfg->n_port_security,
        .central_settings = central ? &central->settings : NULL,
        .central_port_security = central ? central->port_security : NULL,
        .n_central_port_security = central ? central->n_port_security : 0,
        .attached_macs = attached_macs,
        .ifaces = ifaces,
        .n_ifaces = cfg->n_interfaces,
        .err_disabled = &cfg->err_disabled,
        .tag = cfg->n_tag ? cfg->tag : NULL,
        .vlan_mode = cfg->vlan_mode,
        .defaults = (defaults && port_inherits(br_cfg, cfg, defaults)
                     ? defaults : NULL),
    };
    struct portsec_policy *policy;

    for (size_t i = 0; i < cfg->n_interfaces; i++) {
        const char *mac = smap_get(&cfg->interfaces[i]->external_ids,
                                   "attached-mac");
        if (mac) {
            attached_macs[pc.n_attached_macs++] = mac;
        }
        ifaces[i] = cfg->interfaces[i]->name;
    }
    policy = portsec_policy_create(&pc);
    free(attached_macs);
    free(ifaces);

    if (policy) {
        uuidset_insert(&ports_with_policy, &cfg->header_.uuid);
    } else {
        uuidset_find_and_delete(&ports_with_policy, &cfg->header_.uuid);
    }
    return policy;
}

/* Forgets the Port rows that are no longer in the database. */
static void
ports_with_policy_prune(void)
{
    struct uuidset_node *node;

    UUIDSET_FOR_EACH_SAFE (node, &ports_with_policy) {
        if (!ovsrec_port_get_for_uuid(idl, &node->uuid)) {
            uuidset_delete(&ports_with_policy, node);
        }
    }
}

void
bridge_portsec_refresh_status(struct ofproto *ofproto, void *aux,
                              const struct ovsrec_port *cfg)
{
    struct smap status = SMAP_INITIALIZER(&status);
    struct smap persisted = SMAP_INITIALIZER(&persisted);
    int error;

    if (ovsdb_idl_row_is_synthetic(&cfg->header_)) {
        return;
    }
    error = ofproto_portsec_get_status(ofproto, aux, &status, &persisted);
    if (error == EOPNOTSUPP
        && uuidset_contains(&ports_with_policy, &cfg->header_.uuid)) {
        /* Nothing enforces the port's settings: say so rather than show
         * nothing, which would read as a port without settings. */
        smap_add(&status, "state", "unavailable");
        smap_add(&status, "error", "port security settings not enforced: "
                 "this bridge's datapath provider has no port security");
    }
    ovsrec_port_set_security_status(cfg, &status);
    smap_destroy(&status);

    /* persist_err_disabled: the err_disabled column follows the state,
     * and outlives a provider that cannot say what it is. */
    if (error != EOPNOTSUPP && !smap_equal(&persisted, &cfg->err_disabled)) {
        ovsrec_port_set_err_disabled(cfg, &persisted);
    }
    smap_destroy(&persisted);
}

void
bridge_portsec_refresh_statistics(struct ofproto *ofproto, void *aux,
                                  const struct ovsrec_port *cfg)
{
    struct ofproto_portsec_stats stats;

    if (ovsdb_idl_row_is_synthetic(&cfg->header_)) {
        return;
    }
    if (!ofproto_portsec_get_stats(ofproto, aux, &stats)) {
        int64_t values[OFPROTO_PORTSEC_MAX_STATS];

        for (size_t i = 0; i < stats.n; i++) {
            values[i] = MIN(stats.values[i], INT64_MAX);
        }
        ovsrec_port_set_security_statistics(cfg, stats.keys, values,
                                            stats.n);
        if (stats.status_changed) {
            bridge_portsec_refresh_status(ofproto, aux, cfg);
        }
    } else {
        ovsrec_port_set_security_statistics(cfg, NULL, NULL, 0);
    }
}

/* IP_Source_Binding. */

/* Returns the key that identifies a binding in the table. */
static char *
binding_key(const char *port, int64_t vlan, const char *mac, const char *ip)
{
    return xasprintf("%s|%"PRId64"|%s|%s", port, vlan, mac, ip);
}

/* Returns the lease_expiry, in seconds of wall-clock time, of a binding
 * that expires at 'expires' in time_msec() terms. */
static int64_t
wall_expiry(long long int expires)
{
    return time_wall() + (expires - time_msec() + 999) / 1000;
}

/* Parses an IPv4 or IPv6 address into '*ip6' (IPv4-mapped for IPv4). */
static bool
parse_ip(const char *s, struct in6_addr *ip6)
{
    ovs_be32 ip4;

    if (ip_parse(s, &ip4)) {
        in6_addr_set_mapped_ipv4(ip6, ip4);
        return true;
    }
    return ipv6_parse(s, ip6);
}

/* Reads the dynamic bindings of the table back into ofproto. */
static void
bindings_restore(void)
{
    const struct ovsrec_ip_source_binding *row;
    size_t n_restored = 0, n_expired = 0, n_refused = 0;
    long long int now_wall = time_wall();

    OVSREC_IP_SOURCE_BINDING_FOR_EACH (row, idl) {
        enum portsec_binding_source source;
        struct portsec_binding b;

        if (!row->port
            || !portsec_binding_source_from_string(row->source, &source)
            || source == PORTSEC_BINDING_STATIC) {
            continue;
        }
        memset(&b, 0, sizeof b);
        b.source = source;
        b.vlan = row->vlan;
        if (!eth_addr_from_string(row->mac, &b.mac)
            || !parse_ip(row->ip, &b.ip)) {
            n_refused++;
            continue;
        }
        if (row->n_lease_expiry) {
            if (*row->lease_expiry <= now_wall) {
                n_expired++;
                continue;
            }
            b.expires = time_msec() + (*row->lease_expiry - now_wall) * 1000;
        } else {
            b.expires = LLONG_MAX;
        }
        b.has_server = row->server && parse_ip(row->server, &b.server);

        if (!ofproto_portsec_binding_restore(row->port->name, &b)) {
            n_restored++;
        } else {
            n_refused++;
        }
    }
    if (n_restored || n_expired || n_refused) {
        VLOG_INFO("IP_Source_Binding: restored %"PRIuSIZE" bindings, "
                  "dropped %"PRIuSIZE" expired and %"PRIuSIZE" that no "
                  "port takes", n_restored, n_expired, n_refused);
    }
}

/* Makes the IP_Source_Binding table, within 'bindings_txn', hold exactly
 * the 'n' bindings in 'exports'. */
static void
bindings_write(const struct ofproto_portsec_binding *exports, size_t n)
{
    const struct ovsrec_ip_source_binding *row;
    struct shash rows = SHASH_INITIALIZER(&rows);
    struct shash ports = SHASH_INITIALIZER(&ports);
    const struct ovsrec_port *port_cfg;
    struct shash_node *node;

    OVSREC_PORT_FOR_EACH (port_cfg, idl) {
        shash_add_once(&ports, port_cfg->name, port_cfg);
    }
    OVSREC_IP_SOURCE_BINDING_FOR_EACH (row, idl) {
        if (row->port) {
            char *key = binding_key(row->port->name, row->vlan, row->mac,
                                    row->ip);
            if (shash_add_once(&rows, key, row)) {
                free(key);
                continue;
            }
            free(key);
        }
        ovsrec_ip_source_binding_delete(row);
    }

    for (size_t i = 0; i < n; i++) {
        const struct portsec_binding *b = &exports[i].binding;
        const char *source = portsec_binding_source_to_string(b->source);
        char *ip = portsec_binding_ip_to_string(&b->ip, exports[i].plen);
        char server[INET6_ADDRSTRLEN];
        char mac[ETH_ADDR_STRLEN + 1];
        int64_t expiry;
        char *key;

        snprintf(mac, sizeof mac, ETH_ADDR_FMT, ETH_ADDR_ARGS(b->mac));
        key = binding_key(exports[i].port, b->vlan, mac, ip);
        row = shash_find_and_delete(&rows, key);
        free(key);
        if (!row) {
            port_cfg = shash_find_data(&ports, exports[i].port);
            if (!port_cfg) {
                free(ip);
                continue;
            }
            row = ovsrec_ip_source_binding_insert(bindings_txn);
            ovsrec_ip_source_binding_set_port(row, port_cfg);
            ovsrec_ip_source_binding_set_vlan(row, b->vlan);
            ovsrec_ip_source_binding_set_mac(row, mac);
            ovsrec_ip_source_binding_set_ip(row, ip);
        }
        free(ip);

        if (strcmp(row->source, source)) {
            ovsrec_ip_source_binding_set_source(row, source);
        }
        if (b->expires == LLONG_MAX) {
            if (row->n_lease_expiry) {
                ovsrec_ip_source_binding_set_lease_expiry(row, NULL, 0);
            }
        } else {
            /* Rounding makes the computed expiry wobble by a second. */
            expiry = wall_expiry(b->expires);
            if (!row->n_lease_expiry
                || llabs(*row->lease_expiry - expiry) > 1) {
                ovsrec_ip_source_binding_set_lease_expiry(row, &expiry, 1);
            }
        }
        if (b->has_server) {
            ipv6_string_mapped(server, &b->server);
        }
        if (!nullable_string_is_equal(row->server,
                                      b->has_server ? server : NULL)) {
            ovsrec_ip_source_binding_set_server(row, b->has_server
                                                ? server : NULL);
        }
    }
    SHASH_FOR_EACH (node, &rows) {
        ovsrec_ip_source_binding_delete(node->data);
    }
    shash_destroy(&rows);
    shash_destroy(&ports);
}

/* Returns true if bridge_run() reaches bridge_portsec_run(), that is, if
 * ovs-vswitchd holds the database lock and has the database's contents. */
static bool
bridge_is_running(void)
{
    return (idl && !ovsdb_idl_is_lock_contended(idl)
            && ovsdb_idl_has_lock(idl) && ovsdb_idl_has_ever_connected(idl));
}

/* The IDL's seqno when bridge_portsec_run() last saw the database
 * change. */
static unsigned int idl_seqno;

/* Stock Open vSwitch's database, not yet converted (ovsdb-server not
 * restarted after an upgrade): it has none of our columns, every port
 * behaves as stock, and port-security/show says why it has nothing to
 * show.  Upstream's own transactions do not touch our columns, so they go
 * through; ours (security_status, statistics, bindings) are not made, as
 * the IDL knows that the server lacks them.  Returns why port security is
 * unavailable, or NULL if it is available, and logs a change. */
static const char *
bridge_portsec_check_schema(void)
{
    static const char why[] =
        "port security is unavailable: the database has no port security "
        "columns (stock Open vSwitch schema); convert it (\"ovs-ctl start\" "
        "or \"ovsdb-client convert\") to our vswitch.ovsschema";
    static bool was_available = true;
    bool available = ovsdb_idl_server_has_column(
        idl, &ovsrec_port_col_mac_learn_limit);

    if (available != was_available) {
        if (!available) {
            VLOG_WARN("%s", why);
        } else {
            VLOG_INFO("port security columns present in the database");
        }
        was_available = available;
    }
    return available ? NULL : why;
}

/* Writes the bindings to the IP_Source_Binding table if they changed, at
 * most once per BRIDGE_PORTSEC_FLUSH_MS. */
static void
bindings_flush(void)
{
    struct ofproto_portsec_binding *exports;
    size_t n;

    if (ofproto_portsec_bindings_seqno() != bindings_seqno) {
        bindings_dirty = true;
    }
    if (!bindings_dirty || time_msec() < next_flush) {
        return;
    }
    bindings_seqno = ofproto_portsec_bindings_seqno();
    bindings_dirty = false;
    next_flush = time_msec() + BRIDGE_PORTSEC_FLUSH_MS;
    if (ofproto_portsec_bindings_export(&exports, &n)) {
        return;
    }

    COVERAGE_INC(bridge_portsec_binding_txn);
    bindings_txn = ovsdb_idl_txn_create(idl);
    bindings_write(exports, n);
    free(exports);
    if (ovsdb_idl_txn_commit(bindings_txn) != TXN_INCOMPLETE) {
        ovsdb_idl_txn_destroy(bindings_txn);
        bindings_txn = NULL;
    }
}

void
bridge_portsec_run(void)
{
    const struct ovsrec_open_vswitch *ovs_cfg;
    struct ofproto_portsec_settings s;

    if (!bridge_is_running()) {
        return;
    }
    ovs_cfg = ovsrec_open_vswitch_first(idl);
    s = (struct ofproto_portsec_settings) {
        .datapath_ext = (!ovs_cfg
                         || smap_get_bool(&ovs_cfg->other_config,
                                          "datapath-ext", true)),
        /* bridge_reconfigure() may have applied ingress policing. */
        .reconfigured = ovsdb_idl_get_seqno(idl) != idl_seqno,
        .unavailable = bridge_portsec_check_schema(),
    };
    if (s.reconfigured) {
        idl_seqno = ovsdb_idl_get_seqno(idl);
        ports_with_policy_prune();
    }
    provider_has_portsec = !ofproto_portsec_run(&s);

    if (bindings_txn) {
        enum ovsdb_idl_txn_status status
            = ovsdb_idl_txn_commit(bindings_txn);

        if (status == TXN_INCOMPLETE) {
            return;
        }
        if (status != TXN_SUCCESS && status != TXN_UNCHANGED) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            VLOG_WARN_RL(&rl, "IP_Source_Binding: transaction %s, will "
                         "retry", ovsdb_idl_txn_status_to_string(status));
            bindings_dirty = true;
        }
        ovsdb_idl_txn_destroy(bindings_txn);
        bindings_txn = NULL;
    }

    bridge_defaults_prune();

    if (!provider_has_portsec) {
        /* No provider holds bindings: leave the table as it is. */
        return;
    }
    if (!bindings_restored) {
        bindings_restore();
        bindings_restored = true;
        bindings_dirty = true;
    }
    bindings_flush();
}

void
bridge_portsec_wait(void)
{
    /* Until bridge_run() reaches bridge_portsec_run(), there is nothing to
     * do, and a flush timer would only spin the main loop. */
    if (!bridge_is_running()) {
        return;
    }
    ofproto_portsec_wait();
    if (bindings_txn) {
        ovsdb_idl_txn_wait(bindings_txn);
    } else if (!provider_has_portsec) {
        return;
    } else if (bindings_dirty
               || ofproto_portsec_bindings_seqno() != bindings_seqno) {
        poll_timer_wait_until(next_flush);
    } else {
        ofproto_portsec_bindings_wait(bindings_seqno);
    }
}
