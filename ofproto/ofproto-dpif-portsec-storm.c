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

/* Storm control: per-port limits, in packets per second, on the broadcast,
 * multicast and unknown-unicast frames that a port receives, as Cisco's
 * "storm-control" and NSX's rx broadcast/multicast rate limits.
 *
 * The datapath polices, not ovs-vswitchd: each limited class of a port has
 * a datapath meter (one drop band, packets per second, a burst of one
 * second), allocated from the backer's meter IDs as ofproto-dpif's own
 * OpenFlow meters are, and translation puts a "meter" action in front of
 * the actions of such frames.  Broadcast and multicast are recognized at
 * ingress, before the OpenFlow pipeline, so they are policed whatever it
 * does; unknown unicast is what NORMAL floods for lack of a learned
 * destination, so its meter goes in front of that flood.
 *
 * The meters count what they drop.  With storm_control_action=shutdown the
 * main thread reads them once a second and err-disables a port whose meter
 * dropped something. */

#include <config.h>
#include "ofproto-dpif-portsec-private.h"

#include <errno.h>

#include "coverage.h"
#include "dpif.h"
#include "flow.h"
#include "id-pool.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "ofproto/ofproto-dpif.h"
#include "ofproto/ofproto-dpif-xlate.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "packets.h"
#include "port-security.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(portsec_storm);

COVERAGE_DEFINE(portsec_storm_meter);

/* How often, in ms, a port with storm_control_action=shutdown has its
 * meters read. */
#define STORM_CHECK_MS 1000

/* The datapath backer of 'port''s bridge. */
static struct dpif_backer *
port_backer(const struct portsec_port *port)
{
    return port->br->ofproto_dpif->backer;
}

/* Reads the number of frames that 'port''s meter for 'class' has dropped
 * since it was set.  Returns 0 if it has no meter or the datapath does not
 * answer. */
static uint64_t
meter_drops(const struct portsec_port *port, enum portsec_storm_class class)
{
    uint32_t id = portsec_storm_meter(port, class);
    struct ofputil_meter_band_stats band;
    struct ofputil_meter_stats stats;

    if (id == UINT32_MAX) {
        return 0;
    }
    memset(&stats, 0, sizeof stats);
    memset(&band, 0, sizeof band);
    stats.bands = &band;
    if (dpif_meter_get(port_backer(port)->dpif, (ofproto_meter_id) { id },
                       &stats, 1) || !stats.n_bands) {
        return 0;
    }
    return band.packet_count;
}

struct meter_free {
    struct dpif_backer *backer;
    uint32_t id;
};

static void
meter_free_cb(struct meter_free *mf)
{
    dpif_meter_del(mf->backer->dpif, (ofproto_meter_id) { mf->id }, NULL, 0);
    id_pool_free_id(mf->backer->meter_ids, mf->id);
    free(mf);
}

/* Removes 'port''s meter for 'class', if any, keeping its count of drops.
 * Translations that read the ID may still be running, and flows that use
 * it are revalidated after this change, so the meter is deleted after an
 * RCU grace period, as ofproto-dpif deletes OpenFlow meters. */
static void
meter_remove(struct portsec_port *port, enum portsec_storm_class class)
{
    uint32_t id;

    atomic_read_relaxed(&port->storm_meter[class], &id);
    if (id == UINT32_MAX) {
        return;
    }
    port->storm_base[class] += meter_drops(port, class);
    port->storm_rate_set[class] = 0;
    atomic_store_relaxed(&port->storm_meter[class], UINT32_MAX);

    struct meter_free *mf = xmalloc(sizeof *mf);
    mf->backer = port_backer(port);
    mf->id = id;
    ovsrcu_postpone(meter_free_cb, mf);
}

/* Gives 'port' a meter for 'class' that lets 'rate' packets per second
 * through, with a burst of one second's worth.  Returns 0 if successful,
 * otherwise a positive errno value (EOPNOTSUPP: the datapath has no
 * meters). */
static int
meter_set(struct portsec_port *port, enum portsec_storm_class class,
          unsigned int rate)
{
    struct dpif_backer *backer = port_backer(port);
    struct ofputil_meter_band band = {
        .type = OFPMBT13_DROP,
        .rate = rate,
        .burst_size = rate,
    };
    struct ofputil_meter_config config = {
        .flags = OFPMF13_PKTPS | OFPMF13_BURST | OFPMF13_STATS,
        .n_bands = 1,
        .bands = &band,
    };
    bool allocated = false;
    uint64_t drops = 0;
    uint32_t id;
    int error;

    atomic_read_relaxed(&port->storm_meter[class], &id);
    if (id == UINT32_MAX) {
        if (!backer->meter_ids) {
            return EOPNOTSUPP;
        }
        if (!id_pool_alloc_id(backer->meter_ids, &id)) {
            return ENOSPC;
        }
        allocated = true;
    } else {
        /* Setting a meter again starts its statistics over. */
        drops = meter_drops(port, class);
    }

    config.meter_id = id;
    error = dpif_meter_set(backer->dpif, (ofproto_meter_id) { id }, &config);
    if (error) {
        if (allocated) {
            id_pool_free_id(backer->meter_ids, id);
        } else {
            meter_remove(port, class);
        }
        return error;
    }
    port->storm_base[class] += drops;
    port->storm_rate_set[class] = rate;
    if (allocated) {
        atomic_store_relaxed(&port->storm_meter[class], id);
    }
    return 0;
}

void
portsec_storm_init(struct portsec_port *port)
{
    for (int i = 0; i < PORTSEC_N_STORM; i++) {
        atomic_init(&port->storm_meter[i], UINT32_MAX);
        port->storm_rate_set[i] = 0;
        port->storm_base[i] = 0;
        port->storm_seen[i] = 0;
    }
    port->storm_error = NULL;
    port->storm_next_check = LLONG_MIN;
}

void
portsec_storm_configure(struct portsec_port *port,
                        const struct portsec_policy *policy)
{
    const char *why = NULL;

    for (int i = 0; i < PORTSEC_N_STORM; i++) {
        unsigned int rate = policy->has_settings ? policy->storm_rate[i] : 0;
        int error;

        if (!rate) {
            meter_remove(port, i);
            continue;
        }
        if (rate == port->storm_rate_set[i]) {
            continue;
        }
        error = meter_set(port, i, rate);
        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

            why = (error == EOPNOTSUPP ? "the datapath has no meters"
                   : error == ENOSPC ? "the datapath is out of meters"
                   : "the datapath refused the meter");
            VLOG_WARN_RL(&rl, "port %s: storm control of %s frames is not "
                         "enforced: %s (%s)", port->name,
                         portsec_storm_class_to_string(i), why,
                         ovs_strerror(error));
        }
    }
    free(port->storm_error);
    port->storm_error = why ? xasprintf("storm control is not enforced: %s",
                                        why) : NULL;

    /* Only drops from now on may shut the port, not those counted before
     * storm_control_action=shutdown was set. */
    portsec_storm_rebase(port);
}

void
portsec_storm_rebase(struct portsec_port *port)
{
    for (int i = 0; i < PORTSEC_N_STORM; i++) {
        port->storm_seen[i] = meter_drops(port, i);
    }
    port->storm_next_check = LLONG_MIN;
}

void
portsec_storm_destroy(struct portsec_port *port)
{
    for (int i = 0; i < PORTSEC_N_STORM; i++) {
        meter_remove(port, i);
    }
    free(port->storm_error);
    port->storm_error = NULL;
}

void
portsec_storm_run(struct portsec_port *port,
                  const struct portsec_policy *policy)
{
    if (!policy->storm_shutdown || time_msec() < port->storm_next_check) {
        return;
    }
    port->storm_next_check = time_msec() + STORM_CHECK_MS;

    for (int i = 0; i < PORTSEC_N_STORM; i++) {
        uint64_t drops = meter_drops(port, i);

        if (drops > port->storm_seen[i]) {
            port->storm_seen[i] = drops;
            if (!portsec_port_is_err_disabled(port)) {
                VLOG_WARN("port %s: %s frames exceeded storm_control_%s=%u "
                          "packets per second", port->name,
                          portsec_storm_class_to_string(i),
                          portsec_storm_class_to_string(i),
                          policy->storm_rate[i]);
                portsec_port_err_disable(port, PORTSEC_CAUSE_STORM_CONTROL);
            }
        }
    }
}

void
portsec_storm_wait(const struct portsec_port *port,
                   const struct portsec_policy *policy)
{
    if (policy->storm_shutdown && portsec_policy_storm_control(policy)) {
        poll_timer_wait_until(port->storm_next_check);
    }
}

void
portsec_storm_stats(const struct portsec_port *port,
                    uint64_t stats[PORTSEC_N_STATS])
{
    for (int i = 0; i < PORTSEC_N_STORM; i++) {
        stats[PORTSEC_STAT_STORM_BROADCAST_DROPS + i]
            = port->storm_base[i] + meter_drops(port, i);
    }
}

const char *
portsec_storm_error(const struct portsec_port *port)
{
    return port->storm_error;
}

uint32_t
portsec_storm_meter(const struct portsec_port *port,
                    enum portsec_storm_class class)
{
    uint32_t id;

    atomic_read_relaxed(&CONST_CAST(struct portsec_port *,
                                    port)->storm_meter[class], &id);
    return id;
}

/* Puts 'port''s meter for 'class', if it has one, into 'odp_actions'. */
static void
put_meter(struct portsec_port *port, enum portsec_storm_class class,
          struct ofpbuf *odp_actions)
{
    uint32_t id = portsec_storm_meter(port, class);

    if (id != UINT32_MAX && odp_actions) {
        COVERAGE_INC(portsec_storm_meter);
        nl_msg_put_u32(odp_actions, OVS_ACTION_ATTR_METER, id);
    }
}

void
portsec_storm_xlate_ingress(const struct xlate_in *xin,
                            struct portsec_port *port,
                            const struct portsec_policy *policy,
                            const struct flow *flow,
                            struct flow_wildcards *wc)
{
    enum portsec_storm_class class;

    if (!policy->storm_rate[PORTSEC_STORM_BROADCAST]
        && !policy->storm_rate[PORTSEC_STORM_MULTICAST]) {
        return;
    }

    /* The group bit tells unicast apart; the rest of the address, which of
     * the two classes a group address belongs to. */
    wc->masks.dl_dst.ea[0] |= 0x01;
    if (!eth_addr_is_multicast(flow->dl_dst)) {
        return;
    }
    WC_MASK_FIELD(wc, dl_dst);
    class = (eth_addr_is_broadcast(flow->dl_dst)
             ? PORTSEC_STORM_BROADCAST : PORTSEC_STORM_MULTICAST);
    if (policy->storm_rate[class]) {
        put_meter(port, class, xin->odp_actions);
    }
}

void
portsec_xlate_flood(struct portsec_port *in_port, const struct flow *flow,
                    struct ofpbuf *odp_actions)
{
    const struct portsec_policy *policy;
    struct portsec_port *port = portsec_port_with_settings(in_port, &policy);

    if (port && policy->storm_rate[PORTSEC_STORM_UNKNOWN_UNICAST]
        && !eth_addr_is_multicast(flow->dl_dst)) {
        put_meter(port, PORTSEC_STORM_UNKNOWN_UNICAST, odp_actions);
    }
}
