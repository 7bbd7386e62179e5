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

/* The members of ofproto_dpif_class for port security that are not per
 * bridge (ofproto/ofproto-portsec.h, "Per class"): the host-wide run and
 * wait, and the bindings of every port as the IP_Source_Binding table
 * holds them, exported for the bridge to write and restored from what it
 * read back at startup.  Main thread. */

#include <config.h>
#include "ofproto-dpif-portsec-private.h"

#include <errno.h>
#include <stdlib.h>

#include "ofproto/ofproto-provider.h"
#include "ofproto-portsec.h"
#include "port-security.h"
#include "portsec-binding.h"
#include "util.h"

/* Host-wide work. */

void
portsec_class_run(const struct ofproto_portsec_settings *s)
{
    portsec_set_unavailable(s->unavailable);
    if (s->reconfigured) {
        portsec_dpext_check_now();
    }
    portsec_dpext_set_enabled(s->datapath_ext);
    portsec_dpext_run();
    portsec_suppress_run();
}

void
portsec_class_wait(void)
{
    portsec_dpext_wait();
    portsec_suppress_wait();
}

/* The IP_Source_Binding table. */

/* Orders bindings by bridge, port, VLAN, MAC and IP. */
static int
compare_exports(const void *a_, const void *b_)
{
    const struct ofproto_portsec_binding *a = a_;
    const struct ofproto_portsec_binding *b = b_;
    int cmp;

    cmp = strcmp(a->ofproto->name, b->ofproto->name);
    if (!cmp) {
        cmp = strcmp(a->port, b->port);
    }
    if (!cmp) {
        cmp = (a->binding.vlan > b->binding.vlan)
              - (a->binding.vlan < b->binding.vlan);
    }
    if (!cmp) {
        cmp = eth_addr_compare_3way(a->binding.mac, b->binding.mac);
    }
    if (!cmp) {
        cmp = memcmp(&a->binding.ip, &b->binding.ip, sizeof a->binding.ip);
    }
    return cmp;
}

int
portsec_bindings_export(struct ofproto_portsec_binding **bindings,
                        size_t *n)
{
    struct ofproto_portsec_binding *exports = NULL;
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
                struct ofproto_portsec_binding *e;

                if (*n >= allocated) {
                    exports = x2nrealloc(exports, &allocated,
                                         sizeof *exports);
                }
                e = &exports[(*n)++];
                e->port = port->name;
                e->ofproto = br->ofproto;
                if (i < n_dynamic) {
                    e->binding = dynamic[i];
                    e->plen = 128;
                } else {
                    const struct portsec_static_binding *sb
                        = &policy->static_bindings[i - n_dynamic];

                    e->binding = (struct portsec_binding) {
                        .mac = sb->mac,
                        .vlan = policy->native_vlan,
                        .ip = sb->ip,
                        .source = PORTSEC_BINDING_STATIC,
                        .expires = LLONG_MAX,
                    };
                    e->plen = sb->plen;
                }
            }
            free(dynamic);
        }
    }
    if (*n) {
        qsort(exports, *n, sizeof *exports, compare_exports);
    }
    *bindings = exports;
    return 0;
}

int
portsec_binding_restore(const char *name, const struct portsec_binding *b)
{
    struct portsec_port *port = portsec_port_from_name(name);
    const struct portsec_policy *policy;
    bool need_revalidate = false;

    if (!port || b->source == PORTSEC_BINDING_STATIC) {
        return ENOENT;
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
            return ENOSPC;
        }
    } else if (portsec_binding_add(port->bindings, b, policy->max_bindings,
                                   &need_revalidate)
               == PORTSEC_BINDING_FULL) {
        return ENOSPC;
    }
    portsec_port_bindings_changed(port, need_revalidate);
    return 0;
}
