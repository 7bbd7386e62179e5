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

/* Layer-2 protocol controls in translation: BPDU guard and BPDU filter
 * (reserved bridge group addresses, IEEE 802.1D/802.1Q), and the protocol
 * blocks of NSX's segment security (block_non_ip, block_dhcp_client).
 * They are checked at ingress by portsec_xlate_ingress() and, for BPDU
 * filter, on output by portsec_xlate_output(). */

#include <config.h>
#include "ofproto-dpif-portsec-private.h"

#include "coverage.h"
#include "flow.h"
#include "ofproto/ofproto-dpif-xlate.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-inspect.h"

COVERAGE_DEFINE(portsec_bpdu_filter_drop);
COVERAGE_DEFINE(portsec_bpdu_guard_drop);
COVERAGE_DEFINE(portsec_protocol_block_drop);

/* Un-wildcards, in 'wc', the bits of dl_dst that say whether it is a
 * reserved bridge group address (its first 44 bits), and, if it may be, all
 * of it. */
static void
bpdu_mask_dst(const struct flow *flow, struct flow_wildcards *wc)
{
    static const struct eth_addr prefix = ETH_ADDR_C(ff, ff, ff, ff, ff, f0);
    struct eth_addr *mask = &wc->masks.dl_dst;

    for (int i = 0; i < ETH_ADDR_LEN; i++) {
        mask->ea[i] |= prefix.ea[i];
    }
    if (portsec_is_reserved_group(flow->dl_dst)) {
        WC_MASK_FIELD(wc, dl_dst);
    }
}

const char *
portsec_bpdu_check(const struct xlate_in *xin, struct portsec_port *port,
                   const struct portsec_policy *policy,
                   const struct flow *flow, struct flow_wildcards *wc,
                   bool ingress)
{
    if (ingress && policy->bpdu_guard) {
        WC_MASK_FIELD(wc, dl_dst);
        if (portsec_is_bpdu(flow->dl_dst)) {
            COVERAGE_INC(portsec_bpdu_guard_drop);
            if (xin->allow_side_effects) {
                portsec_port_err_disable(port, PORTSEC_CAUSE_BPDU_GUARD);
            }
            return portsec_port_drop(xin, port,
                                     PORTSEC_STAT_BPDU_GUARD_DROPS,
                                     "BPDU guard: BPDU received");
        }
    }
    if (policy->bpdu_filter) {
        bpdu_mask_dst(flow, wc);
        if (portsec_is_reserved_group(flow->dl_dst)
            && !(policy->bpdu_filter_allow
                 & (1u << (flow->dl_dst.ea[5] & 0x0f)))) {
            COVERAGE_INC(portsec_bpdu_filter_drop);
            return portsec_port_drop(xin, port,
                                     PORTSEC_STAT_BPDU_FILTER_DROPS,
                                     "BPDU filter: reserved bridge group "
                                     "address");
        }
    }
    return NULL;
}

const char *
portsec_protocol_block_check(const struct xlate_in *xin,
                             struct portsec_port *port,
                             const struct portsec_policy *policy,
                             const struct flow *flow,
                             struct flow_wildcards *wc)
{
    if (policy->block_non_ip) {
        WC_MASK_FIELD(wc, dl_type);
        if (!is_ip_any(flow) && flow->dl_type != htons(ETH_TYPE_ARP)) {
            bpdu_mask_dst(flow, wc);
            if (!portsec_is_reserved_group(flow->dl_dst)) {
                COVERAGE_INC(portsec_protocol_block_drop);
                return portsec_port_drop(xin, port,
                                         PORTSEC_STAT_NON_IP_DROPS,
                                         "non-IP traffic blocked");
            }
        }
    }
    if (policy->block_dhcp_client) {
        enum portsec_dhcp_class class = portsec_classify_dhcp(flow, wc);

        if (class == PORTSEC_DHCP4_CLIENT || class == PORTSEC_DHCP6_CLIENT) {
            COVERAGE_INC(portsec_protocol_block_drop);
            return portsec_port_drop(xin, port,
                                     PORTSEC_STAT_DHCP_CLIENT_DROPS,
                                     "DHCP client blocked");
        }
    }
    return NULL;
}
