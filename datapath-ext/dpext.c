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
#include "datapath-ext/dpext.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpext);

#ifdef HAVE_PORTSEC_DATAPATH_EXT
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include "datapath-ext/portsec.skel.h"
#include "tc.h"

/* The loaded programs and maps, once dpext_load() succeeded. */
static struct portsec *skel;
static int load_error = -1;         /* -1 until the first dpext_load(). */
static char *load_error_msg;
static uint32_t tc_prog_id, xdp_prog_id;

/* The XDP program's name, by which a previous instance's is known. */
#define XDP_PROG_NAME "portsec_xdp"

/* libbpf's messages: its warnings (e.g. why a program or map could not be
 * loaded) at warning level, its information at info level, its debugging
 * at debug level, rate-limited. */
static int
libbpf_print(enum libbpf_print_level level, const char *format, va_list args)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    enum vlog_level vll = (level == LIBBPF_WARN ? VLL_WARN
                           : level == LIBBPF_INFO ? VLL_INFO
                           : VLL_DBG);

    if (!vlog_should_drop(&this_module, vll, &rl)) {
        vlog_valist(&this_module, vll, format, args);
    }
    return 0;
}

static uint32_t
prog_id(int fd)
{
    struct bpf_prog_info info;
    uint32_t len = sizeof info;

    memset(&info, 0, sizeof info);
    return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

bool
dpext_is_built(void)
{
    return true;
}

int
dpext_load(char **errorp)
{
    if (load_error < 0) {
        int error;

        libbpf_set_print(libbpf_print);
        skel = portsec__open();
        if (!skel) {
            error = errno;
            load_error_msg = xasprintf("opening the BPF object failed (%s)",
                                       ovs_strerror(error));
        } else if ((error = -portsec__load(skel))) {
            load_error_msg = xasprintf(
                "loading the BPF programs failed (%s)%s", ovs_strerror(error),
                error == EPERM ? ": bpf() is not permitted" : "");
            portsec__destroy(skel);
            skel = NULL;
        } else {
            tc_prog_id = prog_id(bpf_program__fd(
                                     skel->progs.portsec_tc_ingress));
            xdp_prog_id = prog_id(bpf_program__fd(skel->progs.portsec_xdp));
            VLOG_INFO("datapath-ext: BPF programs loaded (tc id %"PRIu32", "
                      "XDP id %"PRIu32")", tc_prog_id, xdp_prog_id);
        }
        load_error = error;
        if (error) {
            VLOG_WARN("datapath-ext: %s; port security is enforced in "
                      "ovs-vswitchd only", load_error_msg);
        }
    }
    if (load_error && errorp) {
        *errorp = xstrdup(load_error_msg);
    }
    return load_error;
}

static void
tc_hook_init(struct bpf_tc_hook *hook, int ifindex)
{
    memset(hook, 0, sizeof *hook);
    hook->sz = sizeof *hook;
    hook->ifindex = ifindex;
    hook->attach_point = BPF_TC_INGRESS;
}

static void
tc_opts_init(struct bpf_tc_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->sz = sizeof *opts;
    opts->handle = PORTSEC_DPEXT_TC_HANDLE;
    opts->priority = PORTSEC_DPEXT_TC_PRIORITY;
}

/* Returns the id of the program attached by our tc filter on 'ifindex', 0
 * if there is none. */
static uint32_t
tc_query(int ifindex)
{
    struct bpf_tc_hook hook;
    struct bpf_tc_opts opts;

    tc_hook_init(&hook, ifindex);
    tc_opts_init(&opts);
    return bpf_tc_query(&hook, &opts) ? 0 : opts.prog_id;
}

static int
tc_attach(int ifindex, char **errorp)
{
    struct bpf_tc_hook hook;
    struct bpf_tc_opts opts;
    int error;

    if (tc_query(ifindex) == tc_prog_id) {
        return 0;
    }
    /* An "ingress" qdisc, as OVS's own ingress policing and tc offload
     * make (lib/tc.c): they delete and re-create it, which a clsact qdisc
     * would not let them do.  Its filters attach at the same parent as a
     * clsact qdisc's ingress ones. */
    error = tc_add_del_qdisc(ifindex, true, 0, TC_INGRESS);
    if (error && error != EEXIST) {
        *errorp = xasprintf("creating the ingress qdisc failed (%s)",
                            ovs_strerror(error));
        return error;
    }
    tc_hook_init(&hook, ifindex);
    tc_opts_init(&opts);
    opts.prog_fd = bpf_program__fd(skel->progs.portsec_tc_ingress);
    opts.flags = BPF_TC_F_REPLACE;
    error = -bpf_tc_attach(&hook, &opts);
    if (error) {
        *errorp = xasprintf("attaching the tc ingress filter failed (%s)",
                            ovs_strerror(error));
    }
    return error;
}

static int
tc_detach(int ifindex)
{
    struct bpf_tc_hook hook;
    struct bpf_tc_opts opts;
    int error;

    tc_hook_init(&hook, ifindex);
    tc_opts_init(&opts);
    error = -bpf_tc_detach(&hook, &opts);
    return error == ENOENT || error == ENODEV || error == EINVAL ? 0 : error;
}

/* Returns the XDP program attached to 'ifindex' and its mode
 * (XDP_ATTACHED_*) in '*mode', or 0 if there is none. */
static uint32_t
xdp_query(int ifindex, uint8_t *mode)
{
    LIBBPF_OPTS(bpf_xdp_query_opts, opts);

    if (bpf_xdp_query(ifindex, 0, &opts)) {
        *mode = XDP_ATTACHED_NONE;
        return 0;
    }
    *mode = opts.attach_mode;
    return opts.prog_id;
}

static uint32_t
xdp_mode_flags(uint8_t mode)
{
    return (mode == XDP_ATTACHED_SKB ? XDP_FLAGS_SKB_MODE
            : mode == XDP_ATTACHED_HW ? XDP_FLAGS_HW_MODE
            : XDP_FLAGS_DRV_MODE);
}

static int
xdp_attach(int ifindex, const char **modep, char **errorp)
{
    int fd = bpf_program__fd(skel->progs.portsec_xdp);
    uint8_t mode;
    uint32_t cur = xdp_query(ifindex, &mode);
    int error;

    if (cur && cur == xdp_prog_id) {
        *modep = mode == XDP_ATTACHED_SKB ? "XDP generic" : "XDP native";
        return 0;
    } else if (cur) {
        /* Replace a previous instance's program, and only that. */
        struct bpf_prog_info info;
        uint32_t len = sizeof info;
        int old_fd = bpf_prog_get_fd_by_id(cur);

        memset(&info, 0, sizeof info);
        if (old_fd < 0 || bpf_obj_get_info_by_fd(old_fd, &info, &len)
            || strcmp(info.name, XDP_PROG_NAME)) {
            if (old_fd >= 0) {
                close(old_fd);
            }
            *errorp = xasprintf("another XDP program (id %"PRIu32") is "
                                "attached", cur);
            return EBUSY;
        }

        LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = old_fd);
        error = -bpf_xdp_attach(ifindex, fd,
                                XDP_FLAGS_REPLACE | xdp_mode_flags(mode),
                                &opts);
        close(old_fd);
        if (!error) {
            *modep = mode == XDP_ATTACHED_SKB ? "XDP generic" : "XDP native";
            return 0;
        }
    } else {
        error = -bpf_xdp_attach(ifindex, fd, XDP_FLAGS_UPDATE_IF_NOEXIST
                                | XDP_FLAGS_DRV_MODE, NULL);
        if (!error) {
            *modep = "XDP native";
            return 0;
        }
        error = -bpf_xdp_attach(ifindex, fd, XDP_FLAGS_UPDATE_IF_NOEXIST
                                | XDP_FLAGS_SKB_MODE, NULL);
        if (!error) {
            *modep = "XDP generic";
            return 0;
        }
    }
    *errorp = xasprintf("attaching the XDP program failed (%s)",
                        ovs_strerror(error));
    return error;
}

static int
xdp_detach(int ifindex)
{
    uint8_t mode;
    uint32_t cur = xdp_query(ifindex, &mode);

    if (cur && cur == xdp_prog_id) {
        LIBBPF_OPTS(bpf_xdp_attach_opts, opts,
                    .old_prog_fd = bpf_program__fd(skel->progs.portsec_xdp));
        int error = -bpf_xdp_detach(ifindex, XDP_FLAGS_REPLACE
                                    | xdp_mode_flags(mode), &opts);

        return error == ENODEV ? 0 : error;
    }
    return 0;
}

int
dpext_attach(int ifindex, enum dpext_hook hook, const char **mode,
             char **errorp)
{
    if (!skel) {
        *errorp = xstrdup("the BPF programs are not loaded");
        return EOPNOTSUPP;
    }
    if (hook == DPEXT_HOOK_TC) {
        *mode = "tc ingress";
        return tc_attach(ifindex, errorp);
    }
    return xdp_attach(ifindex, mode, errorp);
}

bool
dpext_is_attached(int ifindex, enum dpext_hook hook)
{
    uint8_t mode;

    if (!skel) {
        return false;
    }
    return (hook == DPEXT_HOOK_TC
            ? tc_query(ifindex) == tc_prog_id
            : xdp_query(ifindex, &mode) == xdp_prog_id);
}

int
dpext_detach(int ifindex, enum dpext_hook hook)
{
    if (!skel) {
        return 0;
    }
    return hook == DPEXT_HOOK_TC ? tc_detach(ifindex) : xdp_detach(ifindex);
}

/* Map updates.  The public functions below check that the programs are
 * loaded ('skel'), since they read its maps; these helpers need it. */

static int
map_update(struct bpf_map *map, const void *key, const void *value)
{
    return -bpf_map__update_elem(map, key, bpf_map__key_size(map), value,
                                 bpf_map__value_size(map), BPF_ANY);
}

static int
map_delete(struct bpf_map *map, const void *key)
{
    int error = -bpf_map__delete_elem(map, key, bpf_map__key_size(map), 0);

    return error == ENOENT ? 0 : error;
}

/* Interfaces' entries, in 'portsec_ifaces' or 'portsec_ifaces_high'
 * (portsec-dpext.h), how many there are in both. */
static size_t n_iface_entries;

static int
iface_write(uint32_t ifindex, const struct portsec_dpext_iface *entry)
{
    return map_update(ifindex < PORTSEC_DPEXT_IFACE_SLOTS
                      ? skel->maps.portsec_ifaces
                      : skel->maps.portsec_ifaces_high, &ifindex, entry);
}

/* Writes 'entry' without its flags, unless it has none: the first step of
 * a change of the fields that select other maps' entries. */
static int
iface_write_unflagged(uint32_t ifindex,
                      const struct portsec_dpext_iface *entry)
{
    struct portsec_dpext_iface unflagged = *entry;

    if (!entry->flags) {
        return 0;
    }
    unflagged.flags = 0;
    return iface_write(ifindex, &unflagged);
}

/* Writing an entry over another, as portsec-dpext.h describes.  A hash
 * map's update replaces its entry whole, for readers, but the steps cost
 * little, only when those fields change, and keep both maps alike. */
int
dpext_iface_set(uint32_t ifindex, const struct portsec_dpext_iface *old,
                const struct portsec_dpext_iface *new)
{
    static const struct portsec_dpext_iface none;
    const struct portsec_dpext_iface *cur = old ? old : &none;
    int error;

    if (!skel) {
        return EOPNOTSUPP;
    } else if (!old && n_iface_entries >= PORTSEC_DPEXT_MAX_IFACES) {
        return E2BIG;
    }
    ovs_assert(!(new->flags & ~PORTSEC_DPEXT_ALL_FLAGS));

    if (cur->port_id != new->port_id || cur->bridge_id != new->bridge_id
        || cur->native_vlan != new->native_vlan) {
        error = iface_write_unflagged(ifindex, cur);
        if (!error) {
            error = iface_write_unflagged(ifindex, new);
        }
        if (error) {
            return error;
        }
    }
    error = iface_write(ifindex, new);
    if (!error && !old) {
        n_iface_entries++;
    }
    return error;
}

int
dpext_iface_delete(uint32_t ifindex, const struct portsec_dpext_iface *old)
{
    static const struct portsec_dpext_iface none;
    int error;

    if (!skel) {
        return EOPNOTSUPP;
    }
    /* An array's slot is never deleted: all zeros, it passes every frame,
     * but only once the flags are 0 (then the rest may change). */
    error = old ? iface_write_unflagged(ifindex, old) : 0;
    if (!error) {
        error = (ifindex < PORTSEC_DPEXT_IFACE_SLOTS
                 ? iface_write(ifindex, &none)
                 : map_delete(skel->maps.portsec_ifaces_high, &ifindex));
    }
    if (!error && old) {
        n_iface_entries--;
    }
    return error;
}

static struct portsec_dpext_mac_key
mac_key(uint32_t port_id, struct eth_addr mac)
{
    struct portsec_dpext_mac_key key;

    memset(&key, 0, sizeof key);
    key.port_id = port_id;
    memcpy(key.mac, mac.ea, sizeof key.mac);
    return key;
}

int
dpext_mac_set(uint32_t port_id, struct eth_addr mac, uint32_t flags)
{
    struct portsec_dpext_mac_key key = mac_key(port_id, mac);

    return skel ? map_update(skel->maps.portsec_macs, &key, &flags)
                : EOPNOTSUPP;
}

int
dpext_mac_delete(uint32_t port_id, struct eth_addr mac)
{
    struct portsec_dpext_mac_key key = mac_key(port_id, mac);

    return skel ? map_delete(skel->maps.portsec_macs, &key) : EOPNOTSUPP;
}

static struct portsec_dpext_secure_key
secure_key(uint32_t bridge_id, struct eth_addr mac)
{
    struct portsec_dpext_secure_key key;

    memset(&key, 0, sizeof key);
    key.bridge_id = bridge_id;
    memcpy(key.mac, mac.ea, sizeof key.mac);
    return key;
}

int
dpext_secure_set(uint32_t bridge_id, struct eth_addr mac, uint32_t owner)
{
    struct portsec_dpext_secure_key key = secure_key(bridge_id, mac);

    return skel ? map_update(skel->maps.portsec_secure, &key, &owner)
                : EOPNOTSUPP;
}

int
dpext_secure_delete(uint32_t bridge_id, struct eth_addr mac)
{
    struct portsec_dpext_secure_key key = secure_key(bridge_id, mac);

    return skel ? map_delete(skel->maps.portsec_secure, &key) : EOPNOTSUPP;
}

static struct portsec_dpext_bind_key
bind_key(uint32_t port_id, uint16_t vlan, struct eth_addr mac,
         const struct in6_addr *ip, unsigned int plen)
{
    struct portsec_dpext_bind_key key;

    memset(&key, 0, sizeof key);
    key.prefixlen = PORTSEC_DPEXT_BIND_KEY_BITS + MIN(plen, 128);
    key.port_id_be = htonl(port_id);
    key.vlan_be = htons(vlan);
    memcpy(key.mac, mac.ea, sizeof key.mac);
    memcpy(key.ip, ip, sizeof key.ip);
    return key;
}

int
dpext_binding_set(uint32_t port_id, uint16_t vlan, struct eth_addr mac,
                  const struct in6_addr *ip, unsigned int plen)
{
    struct portsec_dpext_bind_key key = bind_key(port_id, vlan, mac, ip,
                                                 plen);
    uint32_t one = 1;

    return skel ? map_update(skel->maps.portsec_binds, &key, &one)
                : EOPNOTSUPP;
}

int
dpext_binding_delete(uint32_t port_id, uint16_t vlan, struct eth_addr mac,
                     const struct in6_addr *ip, unsigned int plen)
{
    struct portsec_dpext_bind_key key = bind_key(port_id, vlan, mac, ip,
                                                 plen);

    return skel ? map_delete(skel->maps.portsec_binds, &key) : EOPNOTSUPP;
}

void
dpext_stats_read(uint32_t ifindex,
                 struct portsec_dpext_stats counts[PORTSEC_DPEXT_N_REASONS],
                 bool delete)
{
    int n_cpus = libbpf_num_possible_cpus();
    struct portsec_dpext_stats *values;

    if (!skel || n_cpus <= 0) {
        return;
    }
    values = xcalloc(n_cpus, sizeof *values);
    for (uint32_t r = 0; r < PORTSEC_DPEXT_N_REASONS; r++) {
        struct portsec_dpext_stats_key key = { .ifindex = ifindex,
                                               .reason = r };
        struct bpf_map *map = skel->maps.portsec_stats;

        if (!bpf_map__lookup_elem(map, &key, sizeof key, values,
                                  n_cpus * sizeof *values, 0)) {
            for (int cpu = 0; cpu < n_cpus; cpu++) {
                counts[r].packets += values[cpu].packets;
                counts[r].bytes += values[cpu].bytes;
            }
            if (delete) {
                bpf_map__delete_elem(map, &key, sizeof key, 0);
            }
        }
    }
    free(values);
}

#else  /* !HAVE_PORTSEC_DATAPATH_EXT */

/* Built without datapath-ext: everything is refused. */

bool
dpext_is_built(void)
{
    return false;
}

int
dpext_load(char **errorp)
{
    if (errorp) {
        *errorp = xstrdup("ovs-vswitchd was built without datapath-ext");
    }
    return EOPNOTSUPP;
}

int
dpext_attach(int ifindex OVS_UNUSED, enum dpext_hook hook OVS_UNUSED,
             const char **mode OVS_UNUSED, char **errorp)
{
    *errorp = xstrdup("ovs-vswitchd was built without datapath-ext");
    return EOPNOTSUPP;
}

bool
dpext_is_attached(int ifindex OVS_UNUSED, enum dpext_hook hook OVS_UNUSED)
{
    return false;
}

int
dpext_detach(int ifindex OVS_UNUSED, enum dpext_hook hook OVS_UNUSED)
{
    return 0;
}

int
dpext_iface_set(uint32_t ifindex OVS_UNUSED,
                const struct portsec_dpext_iface *old OVS_UNUSED,
                const struct portsec_dpext_iface *new OVS_UNUSED)
{
    return EOPNOTSUPP;
}

int
dpext_iface_delete(uint32_t ifindex OVS_UNUSED,
                   const struct portsec_dpext_iface *old OVS_UNUSED)
{
    return EOPNOTSUPP;
}

int
dpext_mac_set(uint32_t port_id OVS_UNUSED, struct eth_addr mac OVS_UNUSED,
              uint32_t flags OVS_UNUSED)
{
    return EOPNOTSUPP;
}

int
dpext_mac_delete(uint32_t port_id OVS_UNUSED, struct eth_addr mac OVS_UNUSED)
{
    return EOPNOTSUPP;
}

int
dpext_secure_set(uint32_t bridge_id OVS_UNUSED,
                 struct eth_addr mac OVS_UNUSED, uint32_t owner OVS_UNUSED)
{
    return EOPNOTSUPP;
}

int
dpext_secure_delete(uint32_t bridge_id OVS_UNUSED,
                    struct eth_addr mac OVS_UNUSED)
{
    return EOPNOTSUPP;
}

int
dpext_binding_set(uint32_t port_id OVS_UNUSED, uint16_t vlan OVS_UNUSED,
                  struct eth_addr mac OVS_UNUSED,
                  const struct in6_addr *ip OVS_UNUSED,
                  unsigned int plen OVS_UNUSED)
{
    return EOPNOTSUPP;
}

int
dpext_binding_delete(uint32_t port_id OVS_UNUSED, uint16_t vlan OVS_UNUSED,
                     struct eth_addr mac OVS_UNUSED,
                     const struct in6_addr *ip OVS_UNUSED,
                     unsigned int plen OVS_UNUSED)
{
    return EOPNOTSUPP;
}

void
dpext_stats_read(uint32_t ifindex OVS_UNUSED,
                 struct portsec_dpext_stats counts[PORTSEC_DPEXT_N_REASONS]
                 OVS_UNUSED,
                 bool delete OVS_UNUSED)
{
}

#endif /* !HAVE_PORTSEC_DATAPATH_EXT */
