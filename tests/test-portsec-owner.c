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

/* Microbenchmark of "who owns IP X in VLAN V on this bridge", the lookup
 * that ARP and ND suppression and ARP and ND snooping's duplicate address
 * detection make in translation (portsec_owner_find()).
 *
 * Usage: test-portsec-owner PORTS [SECONDS]
 *
 * Registers PORTS ports, half on each of two bridges, through the same
 * calls that ofproto-dpif makes (portsec_bundle_set()), each with a static
 * binding "MAC IP" in its native VLAN (tags 10 to 13) and a dynamic
 * binding (as DHCP snooping learns one) in the same VLAN.  Then times
 * lookups on the first bridge of a mix of addresses: a static binding, a
 * dynamic binding and an unbound address, in turn, of ports picked at
 * random.  Prints one line per lookup:
 *
 *     suppression PORTS NS
 *     snooping PORTS NS
 *
 * NS being the median, over 5 runs of about SECONDS / 10 seconds each
 * (default 2 seconds in all), of the nanoseconds per lookup.  The
 * bridges are not real ofprotos: these lookups read only the port
 * security state. */

#include <config.h>
#undef NDEBUG
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mac-learning.h"
#include "ofproto/ofproto-dpif-portsec-private.h"
#include "ofproto/ofproto-dpif.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "port-security.h"
#include "portsec-binding.h"
#include "random.h"
#include "util.h"
#include "openvswitch/vlog.h"

#define N_BRIDGES 2
#define N_QUERIES 1024
#define N_RUNS 5

struct query {
    struct in6_addr ip;
    uint16_t vlan;
};

/* Stand-ins for the bridges' ofprotos and the ports' bundles: only their
 * addresses are used, as keys. */
static struct ofproto_dpif fake_ofprotos[N_BRIDGES];

static uint16_t
port_vlan(int i)
{
    return 10 + i % 4;
}

/* IPv4-mapped address 10.B.X.Y for port 'i', B being 1 for static, 2 for
 * dynamic and 3 for unbound addresses. */
static void
port_ip(int i, int b, struct in6_addr *ip)
{
    in6_addr_set_mapped_ipv4(ip, htonl((10u << 24) | (b << 16) | (i + 1)));
}

/* Registers port 'i', with bundle 'bundle' on 'ofproto', and returns its
 * state, as ofproto-dpif keeps it in the bundle. */
static struct portsec_port *
add_port(const struct ofproto *ofproto, struct mac_learning *ml,
         const struct ofbundle *bundle, int i)
{
    struct eth_addr mac = ETH_ADDR_C(02, 00, 00, 00, 00, 00);
    char *ps, name[32], ip_s[INET6_ADDRSTRLEN];
    struct portsec_config cfg;
    struct portsec_policy *policy;
    struct portsec_port *port = NULL;
    struct portsec_binding b;
    bool need_revalidate;
    struct in6_addr ip;
    int64_t tag = port_vlan(i);

    mac.ea[4] = i >> 8;
    mac.ea[5] = i;
    port_ip(i, 1, &ip);
    ipv6_string_mapped(ip_s, &ip);
    ps = xasprintf(ETH_ADDR_FMT" %s", ETH_ADDR_ARGS(mac), ip_s);

    memset(&cfg, 0, sizeof cfg);
    cfg.port_security = &ps;
    cfg.n_port_security = 1;
    cfg.tag = &tag;
    policy = portsec_policy_create(&cfg);
    ovs_assert(policy && policy->has_settings && !policy->error);
    snprintf(name, sizeof name, "p%d", i);
    portsec_bundle_set(ofproto, ml, bundle, &port, bundle, name, policy);
    portsec_policy_destroy(policy);
    free(ps);

    ovs_assert(port);
    memset(&b, 0, sizeof b);
    b.mac = mac;
    b.vlan = tag;
    port_ip(i, 2, &b.ip);
    b.source = PORTSEC_BINDING_DHCP;
    b.expires = LLONG_MAX;
    ovs_assert(portsec_binding_add(port->bindings, &b, 16, &need_revalidate)
               == PORTSEC_BINDING_ADDED);
    return port;
}

static long long int
now_ns(void)
{
    struct timespec ts;

    xclock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
compare_doubles(const void *a_, const void *b_)
{
    double a = *(const double *) a_, b = *(const double *) b_;

    return a < b ? -1 : a > b;
}

/* Returns the median over N_RUNS runs of 'seconds' each of the ns per
 * lookup of 'suppression' (or snooping's) lookup of 'queries' on 'br'. */
static double
time_lookups(const struct portsec_bridge *br, const struct query *queries,
             bool suppression, double seconds)
{
    double results[N_RUNS];
    unsigned long long int found = 0;

    for (int r = 0; r < N_RUNS; r++) {
        long long int start = now_ns();
        long long int deadline = start + seconds * 1e9;
        long long int n = 0, end;

        do {
            for (int i = 0; i < N_QUERIES; i++) {
                const struct query *q = &queries[i];
                struct eth_addr mac;
                bool contested;

                found += portsec_owner_find(br, &q->ip, q->vlan,
                                            (suppression
                                             ? PORTSEC_OWNER_ADDRESS
                                             : PORTSEC_OWNER_COVERING),
                                            NULL, suppression, &mac,
                                            &contested) != NULL;
            }
            n += N_QUERIES;
            end = now_ns();
        } while (end < deadline);
        results[r] = (double) (end - start) / n;
    }
    /* Two of every three queries have an owner. */
    ovs_assert(found);
    qsort(results, N_RUNS, sizeof *results, compare_doubles);
    return results[N_RUNS / 2];
}

int
main(int argc, char *argv[])
{
    struct mac_learning *ml[N_BRIDGES];
    struct portsec_port **ports;
    struct query *queries;
    char *bundles;
    double seconds;
    int n_ports;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);
    if (argc < 2 || argc > 3) {
        ovs_fatal(0, "usage: %s PORTS [SECONDS]", argv[0]);
    }
    n_ports = atoi(argv[1]);
    seconds = (argc > 2 ? atof(argv[2]) : 2.0) / (2 * N_RUNS);
    if (n_ports < N_BRIDGES || n_ports > 60000 || seconds <= 0) {
        ovs_fatal(0, "PORTS must be %d to 60000, SECONDS positive",
                  N_BRIDGES);
    }

    bundles = xzalloc(n_ports);
    ports = xcalloc(n_ports, sizeof *ports);
    for (int b = 0; b < N_BRIDGES; b++) {
        ml[b] = mac_learning_create(MAC_ENTRY_DEFAULT_IDLE_TIME);
    }
    /* Port 'i' is on bridge i % N_BRIDGES. */
    for (int i = 0; i < n_ports; i++) {
        int b = i % N_BRIDGES;

        ports[i] = add_port(&fake_ofprotos[b].up, ml[b],
                            (const struct ofbundle *) &bundles[i], i);
    }

    /* Queries on bridge 0: its ports are the even ones. */
    random_set_seed(1);
    queries = xmalloc(N_QUERIES * sizeof *queries);
    for (int i = 0; i < N_QUERIES; i++) {
        int p = random_range((n_ports + 1) / 2) * 2;

        port_ip(p, 1 + i % 3, &queries[i].ip);
        queries[i].vlan = port_vlan(p);
    }

    printf("suppression %d %.1f\n", n_ports,
           time_lookups(ports[0]->br, queries, true, seconds));
    printf("snooping %d %.1f\n", n_ports,
           time_lookups(ports[0]->br, queries, false, seconds));

    for (int i = 0; i < n_ports; i++) {
        portsec_bundle_set(NULL, NULL, (const struct ofbundle *) &bundles[i],
                           &ports[i], NULL, NULL, NULL);
        ovs_assert(!ports[i]);
    }
    for (int b = 0; b < N_BRIDGES; b++) {
        mac_learning_unref(ml[b]);
    }
    free(queries);
    free(ports);
    free(bundles);
    return 0;
}
