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

#include <stdlib.h>

#include "ofproto/ofproto-dpif-portsec.h"
#include "ovsdb-idl.h"
#include "port-security.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

void
bridge_portsec_init(struct ovsdb_idl *idl)
{
    ovsdb_idl_omit_alert(idl, &ovsrec_port_col_security_status);
    ovsdb_idl_omit_alert(idl, &ovsrec_port_col_security_statistics);

    /* bridge.c does not replicate Interface external_ids, but
     * external_ids:attached-mac holds secure MACs. */
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_external_ids);
    portsec_init();
}

struct portsec_policy *
bridge_portsec_policy_create(const struct ovsrec_port *cfg)
{
    const char **attached_macs = xmalloc(MAX(cfg->n_interfaces, 1)
                                         * sizeof *attached_macs);
    struct portsec_config pc = {
        .mac_learn_limit = (cfg->n_mac_learn_limit
                            ? cfg->mac_learn_limit : NULL),
        .mac_learn_limit_policy = cfg->mac_learn_limit_policy,
        .security_policy = &cfg->security_policy,
        .port_security = cfg->port_security,
        .n_port_security = cfg->n_port_security,
        .attached_macs = attached_macs,
    };
    struct portsec_policy *policy;

    for (size_t i = 0; i < cfg->n_interfaces; i++) {
        const char *mac = smap_get(&cfg->interfaces[i]->external_ids,
                                   "attached-mac");
        if (mac) {
            attached_macs[pc.n_attached_macs++] = mac;
        }
    }
    policy = portsec_policy_create(&pc);
    free(attached_macs);
    return policy;
}

void
bridge_portsec_refresh_status(const struct ofproto *ofproto, const void *aux,
                              const struct ovsrec_port *cfg)
{
    struct smap status = SMAP_INITIALIZER(&status);

    if (ovsdb_idl_row_is_synthetic(&cfg->header_)) {
        return;
    }
    portsec_port_get_status(ofproto, aux, &status);
    ovsrec_port_set_security_status(cfg, &status);
    smap_destroy(&status);
}

void
bridge_portsec_refresh_statistics(const struct ofproto *ofproto,
                                  const void *aux,
                                  const struct ovsrec_port *cfg)
{
    uint64_t stats[PORTSEC_N_STATS];

    if (ovsdb_idl_row_is_synthetic(&cfg->header_)) {
        return;
    }
    if (portsec_port_get_stats(ofproto, aux, stats)) {
        const char *keys[PORTSEC_N_STATS];
        int64_t values[PORTSEC_N_STATS];

        for (int i = 0; i < PORTSEC_N_STATS; i++) {
            keys[i] = portsec_stat_name(i);
            values[i] = MIN(stats[i], INT64_MAX);
        }
        ovsrec_port_set_security_statistics(cfg, keys, values,
                                            PORTSEC_N_STATS);
    } else {
        ovsrec_port_set_security_statistics(cfg, NULL, NULL, 0);
    }
}
