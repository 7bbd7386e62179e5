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

#ifndef VSWITCHD_BRIDGE_PORTSEC_H
#define VSWITCHD_BRIDGE_PORTSEC_H 1

/* Port security glue between the Open_vSwitch database and ofproto.
 *
 * bridge.c calls these, from the main thread only, to turn a Port row's
 * port-security columns into a policy for ofproto (member 'portsec' of
 * struct ofproto_bundle_settings), to write the state that ofproto reports
 * back (ofproto/ofproto-portsec.h) into the Port's security_status and
 * security_statistics columns, and to keep the IP_Source_Binding table in
 * step with the bindings that ofproto holds.  They reach the provider
 * only through ofproto.h and ofproto-portsec.h; a provider without port
 * security (EOPNOTSUPP) leaves a port with settings in security_status
 * state "unavailable". */

#include "port-security.h"

struct ofproto;
struct ovsdb_idl;
struct ovsrec_bridge;
struct ovsrec_port;

/* Prepares 'idl' for port security: the columns that ovs-vswitchd writes do
 * not trigger reconfiguration, Interface external_ids (for attached-mac and
 * iface-id) is replicated, and Logical_Port_Security is indexed by bridge and
 * iface_id.  Must be called after bridge.c's own ovsdb_idl_omit() calls and
 * before the IDL's first run.  (The provider registers the port-security
 * commands of ovs-appctl, ofproto-dpif from its class's init.) */
void bridge_portsec_init(struct ovsdb_idl *idl);

/* Returns the policy that 'cfg', a port of bridge 'br_cfg', configures,
 * including the secure MACs in the external_ids:attached-mac of its
 * interfaces, the settings of the Logical_Port_Security row of its interface's
 * external_ids:iface-id that the port does not set itself, and, if the port
 * inherits them (see enum portsec_defaults_scope), the settings of the
 * bridge's defaults (other_config:port-security-*) that neither sets; or NULL
 * if it has none.  The bridge's defaults are validated once, when they change,
 * and a problem with them is logged once per bridge; a problem with a
 * Logical_Port_Security row is reported in the port's policy.  The caller owns
 * the result (portsec_policy_destroy()). */
struct portsec_policy *bridge_portsec_policy_create(
    const struct ovsrec_bridge *br_cfg, const struct ovsrec_port *cfg);

/* Writes the security_status (called when the connectivity seq changes,
 * which port security changes on err-disable and recovery) or the
 * security_statistics (called every stats-update-interval) of the port
 * that 'ofproto' knows as 'aux' into 'cfg', clearing them for a port
 * without port security.  If 'ofproto''s provider has no port security, a
 * port with settings gets security_status state "unavailable" and an
 * error, no statistics, and keeps its err_disabled column.  Requires an
 * open IDL transaction. */
void bridge_portsec_refresh_status(struct ofproto *ofproto, void *aux,
                                   const struct ovsrec_port *cfg);
void bridge_portsec_refresh_statistics(struct ofproto *ofproto, void *aux,
                                       const struct ovsrec_port *cfg);

/* The IP_Source_Binding table.
 *
 * ofproto's in-memory bindings are authoritative.  bridge_portsec_run()
 * reads the table back once, when ovs-vswitchd starts, after the first
 * configuration (so that a restarted ovs-vswitchd enforces the leases it
 * had granted, without the expired ones), then rewrites it to match
 * ofproto's bindings whenever they change, in at most one transaction per
 * second (BRIDGE_PORTSEC_FLUSH_MS), so that a burst of DHCP traffic costs
 * ovsdb-server a transaction a second.  Rows of ports that no longer have
 * port security, or that were deleted, are deleted.  If no provider has port
 * security, the table is left as it is.
 *
 * bridge.c calls bridge_portsec_run() at the end of each bridge_run() and
 * bridge_portsec_wait() from bridge_wait(). */
#define BRIDGE_PORTSEC_FLUSH_MS 1000
void bridge_portsec_run(void);
void bridge_portsec_wait(void);

#endif /* bridge-portsec.h */
