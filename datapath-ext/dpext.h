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

#ifndef DATAPATH_EXT_DPEXT_H
#define DATAPATH_EXT_DPEXT_H 1

/* datapath-ext: the kernel side, as ovs-vswitchd sees it.
 * ========================================================
 *
 * One instance of the BPF programs of portsec.bpf.c and of their maps
 * (portsec-dpext.h) per ovs-vswitchd, loaded from the object embedded in
 * ovs-vswitchd (a "bpftool gen skeleton" header), attached to the netdevs
 * of the ports that have port security, and filled by
 * ofproto/ofproto-dpif-portsec-dpext.c.  This module knows netdevs by
 * ifindex and nothing of ports or policies.
 *
 * Attachment
 * ----------
 *
 * DPEXT_HOOK_TC attaches the tc program as a filter with our own priority
 * and handle (PORTSEC_DPEXT_TC_PRIORITY, PORTSEC_DPEXT_TC_HANDLE) to the
 * netdev's ingress qdisc, creating an "ingress" qdisc, as OVS's ingress
 * policing and tc offload do, if it has none (an existing clsact qdisc
 * takes the filter as well).  Only that filter is ever replaced or
 * deleted: the qdisc and everybody else's filters stay.
 *
 * DPEXT_HOOK_XDP attaches the XDP program in native mode if the driver
 * has it, otherwise in generic mode.  An XDP program of a previous
 * ovs-vswitchd (same program name) is replaced atomically; anybody else's
 * is left alone, and attaching fails with EBUSY.
 *
 * Either way, attaching over a previous instance's program replaces it
 * in one step, so that a restarted ovs-vswitchd leaves no gap and no
 * duplicate.
 *
 * Errors
 * ------
 *
 * Functions that return an int return 0 or a positive errno value;
 * EOPNOTSUPP from every function when ovs-vswitchd was built without
 * datapath-ext (configure --disable-datapath-ext, or no clang, bpftool or
 * libbpf).
 *
 * Threading: main thread only. */

#include <stdbool.h>
#include <stdint.h>
#include "datapath-ext/portsec-dpext.h"
#include "openvswitch/types.h"

struct in6_addr;

/* Whether ovs-vswitchd was built with datapath-ext. */
bool dpext_is_built(void);

/* Loads the programs and creates the maps, once: later calls return the
 * first call's result.  On failure, '*errorp' gets a malloc()'d message
 * (the caller frees it), e.g. because bpf() is refused (EPERM) or the
 * verifier rejects a program. */
int dpext_load(char **errorp);

/* Where a program runs. */
enum dpext_hook {
    DPEXT_HOOK_TC,              /* tc clsact ingress ("system" datapath). */
    DPEXT_HOOK_XDP,             /* XDP ("netdev" datapath: AF_PACKET reads
                                 * frames before tc ingress). */
};

/* Attaches the program for 'hook' to 'ifindex', or makes sure that it is
 * still attached, replacing a previous instance's.  Returns 0 and stores
 * in '*mode' a static string that names how ("tc ingress", "XDP native",
 * "XDP generic"), or an errno value and a malloc()'d message in
 * '*errorp'.  Requires a successful dpext_load(). */
int dpext_attach(int ifindex, enum dpext_hook hook, const char **mode,
                 char **errorp);

/* Returns true if our program (this instance's) is attached to 'ifindex'
 * for 'hook'.  One netlink round trip. */
bool dpext_is_attached(int ifindex, enum dpext_hook hook);

/* Detaches our program from 'ifindex' for 'hook', if it is attached.  An
 * 'ifindex' that no longer exists is not an error. */
int dpext_detach(int ifindex, enum dpext_hook hook);

/* Map updates (portsec-dpext.h says what each entry means).  Each is one
 * bpf() call, but for an interface's entry; deleting an entry that does
 * not exist is not an error.  An update fails, e.g., with E2BIG
 * ('portsec_macs', 'portsec_secure', or PORTSEC_DPEXT_MAX_IFACES
 * interfaces already have an entry) or ENOSPC ('portsec_binds') when the
 * map is full, or with ENOMEM: the caller must then keep the kernel from
 * dropping on what the map lacks (ofproto-dpif-portsec-dpext.c). */

/* Writes 'new' as the entry of 'ifindex', where the map holds 'old' (NULL
 * if it holds no entry for 'ifindex'), in up to three bpf() calls, so that
 * a program that reads the entry meanwhile never drops what both 'old'
 * and 'new' pass (portsec-dpext.h).  'new->flags' must be within
 * PORTSEC_DPEXT_ALL_FLAGS.  If it fails, the map holds 'old', or 'old' or
 * 'new' without flags; dpext_iface_delete() with 'old' then deletes it. */
int dpext_iface_set(uint32_t ifindex, const struct portsec_dpext_iface *old,
                    const struct portsec_dpext_iface *new);

/* Deletes the entry of 'ifindex', 'old' as dpext_iface_set() was last
 * asked to write it (NULL if it was not), in up to two bpf() calls. */
int dpext_iface_delete(uint32_t ifindex,
                       const struct portsec_dpext_iface *old);

int dpext_mac_set(uint32_t port_id, struct eth_addr mac, uint32_t flags);
int dpext_mac_delete(uint32_t port_id, struct eth_addr mac);
int dpext_secure_set(uint32_t bridge_id, struct eth_addr mac,
                     uint32_t owner_port_id);
int dpext_secure_delete(uint32_t bridge_id, struct eth_addr mac);

/* A binding: 'ip' is IPv6 or IPv4-mapped, 'plen' its prefix length as an
 * IPv6 address (96 to 128 for IPv4), 'vlan' 0 to 4095. */
int dpext_binding_set(uint32_t port_id, uint16_t vlan, struct eth_addr mac,
                      const struct in6_addr *ip, unsigned int plen);
int dpext_binding_delete(uint32_t port_id, uint16_t vlan,
                         struct eth_addr mac, const struct in6_addr *ip,
                         unsigned int plen);

/* Adds to 'counts' the frames that the program dropped on 'ifindex' for
 * each reason, in packets and bytes, summed over CPUs.  With 'delete',
 * also deletes those counters (the interface goes away). */
void dpext_stats_read(uint32_t ifindex,
                      struct portsec_dpext_stats
                      counts[PORTSEC_DPEXT_N_REASONS],
                      bool delete);

#endif /* datapath-ext/dpext.h */
