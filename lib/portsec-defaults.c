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

/* Port security defaults: validation of a Bridge's
 * other_config:port-security-* keys, and of a Logical_Port_Security row's
 * settings column, which holds the same keys, into a 'struct portsec_defaults'
 * (see lib/port-security.h).  Each security_policy key is checked by the same
 * parser as a Port's security_policy (portsec_policy_check_key()), so that a
 * default or a central setting fails closed exactly as the port's own setting
 * would.
 *
 * Then the merge of those layers under a port's own settings
 * (portsec_config_merge()), which portsec_policy_create() parses. */

#include <config.h>
#include "port-security.h"

#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "svec.h"
#include "util.h"

/* Starts a new problem in 'errors', the '; '-separated list of problems
 * that becomes portsec_defaults.error. */
static struct ds *
next_error(struct ds *errors)
{
    if (errors->length) {
        ds_put_cstr(errors, "; ");
    }
    return errors;
}

/* Adds security_policy key 'key' with 'value' to 'defaults', or, if the
 * port parser reports a problem with it, the value that it would enforce
 * (nothing for an unknown key), and reports the problem in 'errors' as the
 * port parser words it, with the key named after 'prefix'. */
static void
add_default_policy_key(struct portsec_defaults *defaults, const char *key,
                       const char *value, const char *prefix,
                       struct ds *errors)
{
    static const char port_prefix[] = "security_policy";
    struct ds error = DS_EMPTY_INITIALIZER;
    char *enforced;

    if (portsec_policy_check_key(key, value, &enforced, &error)) {
        smap_add(&defaults->security_policy, key, value);
    } else {
        const char *msg = ds_cstr(&error);

        if (enforced) {
            smap_add_nocopy(&defaults->security_policy, xstrdup(key),
                            enforced);
        }
        if (!strncmp(msg, port_prefix, strlen(port_prefix))) {
            msg += strlen(port_prefix);
        }
        if (!strncmp(msg, ": unknown key", strlen(": unknown key"))) {
            ds_put_format(next_error(errors), "%s%s: unknown key, ignored",
                          prefix, key);
        } else {
            /* 'msg' is ":KEY: ...". */
            ds_put_format(next_error(errors), "%s%s", prefix,
                          msg + (*msg == ':'));
        }
    }
    ds_destroy(&error);
}
struct portsec_defaults *
portsec_defaults_create(const struct smap *column,
                        enum portsec_defaults_origin origin)
{
    const char *prefix = (origin == PORTSEC_DEFAULTS_BRIDGE
                          ? PORTSEC_DEFAULTS_PREFIX
                          : PORTSEC_CENTRAL_PREFIX);
    struct ds errors = DS_EMPTY_INITIALIZER;
    struct portsec_defaults *defaults;

    if (!column || smap_is_empty(column)) {
        return NULL;
    }

    defaults = xzalloc(sizeof *defaults);
    defaults->scope = PORTSEC_DEFAULTS_PORTS;
    smap_init(&defaults->security_policy);

    /* Sorted, so that 'error' does not depend on hash order. */
    const struct smap_node **nodes = smap_sort(column);
    for (size_t i = 0; i < smap_count(column); i++) {
        const char *key = nodes[i]->key;
        const char *value = nodes[i]->value;

        if (!strcmp(key, "apply_to") && origin != PORTSEC_DEFAULTS_BRIDGE) {
            ds_put_format(next_error(&errors), "%sapply_to: a key of a "
                          "Bridge's other_config:port-security-* defaults "
                          "only, ignored", prefix);
        } else if (!strcmp(key, "apply_to")) {
            if (!strcmp(value, "ports")) {
                defaults->scope = PORTSEC_DEFAULTS_PORTS;
            } else if (!strcmp(value, "vm-ports")) {
                defaults->scope = PORTSEC_DEFAULTS_VM_PORTS;
            } else {
                defaults->scope = PORTSEC_DEFAULTS_ALL;
                if (strcmp(value, "all")) {
                    ds_put_format(next_error(&errors),
                                  "%sapply_to: \"%s\" is not \"ports\", "
                                  "\"vm-ports\" or \"all\", enforcing "
                                  "\"all\"", prefix, value);
                }
            }
        } else if (!strcmp(key, "mac_learn_limit")) {
            int limit;

            defaults->has_mac_learn_limit = true;
            if (str_to_int(value, 10, &limit)
                && limit >= 0 && limit <= PORTSEC_MAX_MAC_LEARN_LIMIT) {
                defaults->mac_learn_limit = limit;
            } else {
                defaults->mac_learn_limit = 0;
                ds_put_format(next_error(&errors),
                              "%smac_learn_limit: \"%s\" is not a number "
                              "between 0 and %d, enforcing 0", prefix, value,
                              PORTSEC_MAX_MAC_LEARN_LIMIT);
            }
        } else if (!strcmp(key, "mac_learn_limit_policy")) {
            static const char *const actions[] = {
                "drop", "allow", "shutdown"
            };

            defaults->mac_learn_limit_policy = "shutdown";
            for (size_t j = 0; j < ARRAY_SIZE(actions); j++) {
                if (!strcmp(value, actions[j])) {
                    defaults->mac_learn_limit_policy = actions[j];
                }
            }
            if (strcmp(value, defaults->mac_learn_limit_policy)) {
                ds_put_format(next_error(&errors), "%smac_learn_limit_policy: "
                              "\"%s\" is not \"drop\", \"allow\" or "
                              "\"shutdown\", enforcing \"shutdown\"",
                              prefix, value);
            }
        } else if (!strcmp(key, "inherit")) {
            ds_put_format(next_error(&errors), "%sinherit: a key of the "
                          "Port's security_policy only, ignored", prefix);
        } else {
            add_default_policy_key(defaults, key, value, prefix, &errors);
        }
    }
    free(nodes);

    defaults->error = errors.length ? ds_steal_cstr(&errors) : NULL;
    ds_destroy(&errors);
    return defaults;
}

void
portsec_defaults_destroy(struct portsec_defaults *defaults)
{
    if (defaults) {
        smap_destroy(&defaults->security_policy);
        free(defaults->error);
        free(defaults);
    }
}

/* Appends the strings in 'names', sorted and separated by spaces, to
 * 'ds', and destroys 'names'. */
static void
put_names(struct svec *names, struct ds *ds)
{
    svec_sort(names);
    for (size_t i = 0; i < names->n; i++) {
        ds_put_format(ds, "%s%s", i ? " " : "", names->names[i]);
    }
    svec_destroy(names);
}

/* Fills in '*merged', a copy of a port's configuration with 'sp' holding
 * its security_policy, with the settings of 'layer' (central settings or
 * bridge defaults) that '*merged' does not have yet, and adds the names
 * of those settings to 'names'. */
static void
merge_layer(const struct portsec_defaults *layer,
            struct portsec_config *merged, struct smap *sp,
            struct svec *names)
{
    const struct smap_node *node;

    if (!merged->mac_learn_limit && layer->has_mac_learn_limit) {
        merged->mac_learn_limit = &layer->mac_learn_limit;
        svec_add(names, "mac_learn_limit");
    }
    if (!merged->mac_learn_limit_policy && layer->mac_learn_limit_policy) {
        merged->mac_learn_limit_policy = layer->mac_learn_limit_policy;
        svec_add(names, "mac_learn_limit_policy");
    }
    SMAP_FOR_EACH (node, &layer->security_policy) {
        if (!smap_get(sp, node->key)) {
            smap_add(sp, node->key, node->value);
            svec_add(names, node->key);
        }
    }
}

bool
portsec_config_has_settings(const struct portsec_config *cfg)
{
    return (cfg->mac_learn_limit || cfg->mac_learn_limit_policy
            || (cfg->security_policy && !smap_is_empty(cfg->security_policy)));
}

void
portsec_config_merge(const struct portsec_config *port,
                     const struct portsec_defaults *central,
                     struct portsec_config *merged, struct smap *sp,
                     struct ds *central_names, struct ds *inherited,
                     struct ds *own)
{
    struct svec from_central = SVEC_EMPTY_INITIALIZER;
    struct svec from_bridge = SVEC_EMPTY_INITIALIZER;
    struct svec own_names = SVEC_EMPTY_INITIALIZER;
    const struct smap_node *node;

    if (port->mac_learn_limit) {
        svec_add(&own_names, "mac_learn_limit");
    }
    if (port->mac_learn_limit_policy) {
        svec_add(&own_names, "mac_learn_limit_policy");
    }
    if (port->security_policy) {
        SMAP_FOR_EACH (node, port->security_policy) {
            svec_add(&own_names, node->key);
        }
    }

    *merged = *port;
    smap_init(sp);
    if (port->security_policy) {
        smap_clone(sp, port->security_policy);
    }
    merged->security_policy = sp;
    if (central) {
        merge_layer(central, merged, sp, &from_central);
    }
    if (port->defaults) {
        merge_layer(port->defaults, merged, sp, &from_bridge);
    }

    /* Central addresses complete a port that has settings from anywhere;
     * the port's own port_security, if any, replaces them. */
    if (!port->n_port_security && port->n_central_port_security
               && portsec_config_has_settings(merged)) {
        merged->port_security = port->central_port_security;
        merged->n_port_security = port->n_central_port_security;
        svec_add(&from_central, "port_security");
    }

    if (from_central.n || from_bridge.n) {
        put_names(&own_names, own);
    } else {
        svec_destroy(&own_names);
    }
    put_names(&from_central, central_names);
    put_names(&from_bridge, inherited);
}
