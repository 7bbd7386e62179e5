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
#undef NDEBUG
#include "port-security.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "ovstest.h"
#include "packets.h"
#include "portsec-admission.h"
#include "portsec-binding.h"
#include "portsec-test-lib.h"
#include "random.h"
#include "smap.h"
#include "util.h"

/* "parse ARG...": builds a portsec_config from ARGs and prints the policy.
 * Each ARG is one of:
 *     limit=N           mac_learn_limit
 *     policy=P          mac_learn_limit_policy
 *     sp:KEY=VALUE      a security_policy key
 *     ps=ENTRY          a port_security entry
 *     central:KEY=VALUE a key of a Logical_Port_Security's settings
 *     cps=ENTRY         an entry of a Logical_Port_Security's port_security
 *     attached=MAC      an interface's external_ids:attached-mac
 *     tag=N             the Port's tag
 *     vlan_mode=MODE    the Port's vlan_mode */
static void
test_parse(struct ovs_cmdl_context *ctx)
{
    struct smap security_policy = SMAP_INITIALIZER(&security_policy);
    struct smap central = SMAP_INITIALIZER(&central);
    char **port_security = xmalloc(ctx->argc * sizeof *port_security);
    char **central_ps = xmalloc(ctx->argc * sizeof *central_ps);
    const char **attached = xmalloc(ctx->argc * sizeof *attached);
    struct portsec_config cfg = {
        .security_policy = &security_policy,
        .port_security = port_security,
        .central_settings = &central,
        .central_port_security = central_ps,
        .attached_macs = attached,
    };
    struct portsec_policy *policy, *clone;
    int64_t limit, tag;

    for (int i = 1; i < ctx->argc; i++) {
        const char *arg = ctx->argv[i];

        if (!strncmp(arg, "limit=", 6)) {
            limit = strtoll(arg + 6, NULL, 10);
            cfg.mac_learn_limit = &limit;
        } else if (!strncmp(arg, "policy=", 7)) {
            cfg.mac_learn_limit_policy = arg + 7;
        } else if ((!strncmp(arg, "sp:", 3) || !strncmp(arg, "central:", 8))
                   && strchr(arg, '=')) {
            bool is_sp = arg[0] == 's';
            char *key = xstrdup(arg + (is_sp ? 3 : 8));
            char *value = strchr(key, '=');

            *value++ = '\0';
            smap_add(is_sp ? &security_policy : &central, key, value);
            free(key);
        } else if (!strncmp(arg, "ps=", 3)) {
            port_security[cfg.n_port_security++] = CONST_CAST(char *,
                                                              arg + 3);
        } else if (!strncmp(arg, "cps=", 4)) {
            central_ps[cfg.n_central_port_security++] = CONST_CAST(char *,
                                                                   arg + 4);
        } else if (!strncmp(arg, "attached=", 9)) {
            attached[cfg.n_attached_macs++] = arg + 9;
        } else if (!strncmp(arg, "tag=", 4)) {
            tag = strtoll(arg + 4, NULL, 10);
            cfg.tag = &tag;
        } else if (!strncmp(arg, "vlan_mode=", 10)) {
            cfg.vlan_mode = arg + 10;
        } else {
            ovs_fatal(0, "%s: unknown argument", arg);
        }
    }

    policy = portsec_policy_create(&cfg);
    if (!policy) {
        printf("no port security\n");
    } else {
        struct ds ds = DS_EMPTY_INITIALIZER;

        printf("has_settings: %s\n", policy->has_settings ? "true" : "false");
        if (policy->mac_learn_limit >= 0) {
            printf("mac_learn_limit: %d, policy %s\n",
                   policy->mac_learn_limit,
                   portsec_limit_action_to_string(policy->limit_action));
        }
        portsec_policy_format(policy, &ds);
        printf("security_policy: %s\n", ds_cstr(&ds));
        ds_destroy(&ds);
        printf("secure MACs:");
        for (size_t i = 0; i < policy->n_secure_macs; i++) {
            printf(" "ETH_ADDR_FMT, ETH_ADDR_ARGS(policy->secure_macs[i]));
        }
        printf("\n");
        if (policy->n_static_bindings) {
            printf("static bindings (vlan %"PRIu16"):", policy->native_vlan);
            for (size_t i = 0; i < policy->n_static_bindings; i++) {
                const struct portsec_static_binding *b
                    = &policy->static_bindings[i];
                char ip[INET6_ADDRSTRLEN];

                ipv6_string_mapped(ip, &b->ip);
                printf(" "ETH_ADDR_FMT"=%s/%u", ETH_ADDR_ARGS(b->mac), ip,
                       IN6_IS_ADDR_V4MAPPED(&b->ip) ? b->plen - 96 : b->plen);
            }
            printf("\n");
        }
        if (policy->central) {
            printf("central: %s\n", policy->central);
        }
        if (policy->own) {
            printf("own: %s\n", policy->own);
        }
        if (policy->error) {
            printf("error: %s\n", policy->error);
        }

        /* A clone is equal; a change in any field is not. */
        clone = portsec_policy_clone(policy);
        PORTSEC_CHECK(portsec_policy_equal(policy, clone));
        clone->promiscuous = !clone->promiscuous;
        PORTSEC_CHECK(!portsec_policy_equal(policy, clone));
        clone->promiscuous = !clone->promiscuous;
        clone->ip_source_guard = !clone->ip_source_guard;
        PORTSEC_CHECK(!portsec_policy_equal(policy, clone));
        clone->ip_source_guard = !clone->ip_source_guard;
        clone->native_vlan++;
        PORTSEC_CHECK(!portsec_policy_equal(policy, clone));
        portsec_policy_destroy(clone);
    }
    PORTSEC_CHECK(portsec_policy_equal(NULL, NULL));
    PORTSEC_CHECK(!portsec_policy_equal(policy, NULL) || !policy);

    portsec_policy_destroy(policy);
    smap_destroy(&security_policy);
    smap_destroy(&central);
    free(port_security);
    free(central_ps);
    free(attached);
}

/* "macs": portsec_sort_macs() and portsec_macs_contain() against a
 * brute-force search, on random sets with duplicates. */
static void
test_macs(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    enum { N = 200 };

    random_set_seed(0x2026);
    for (int round = 0; round < 100; round++) {
        struct eth_addr macs[N], orig[N];
        size_t n = random_range(N + 1);
        size_t n_unique;

        for (size_t i = 0; i < n; i++) {
            /* Few distinct values, so that duplicates are common. */
            macs[i] = (struct eth_addr) ETH_ADDR_C(02, 00, 00, 00, 00, 00);
            macs[i].ea[5] = random_range(64);
            macs[i].ea[4] = random_range(2);
        }
        memcpy(orig, macs, sizeof macs);
        n_unique = portsec_sort_macs(macs, n);

        for (size_t i = 1; i < n_unique; i++) {
            PORTSEC_CHECK(eth_addr_compare_3way(macs[i - 1], macs[i]) < 0);
        }
        for (int v = 0; v < 128; v++) {
            struct eth_addr probe = ETH_ADDR_C(02, 00, 00, 00, 00, 00);
            bool expected = false;

            probe.ea[5] = v % 64;
            probe.ea[4] = v / 64;
            for (size_t i = 0; i < n; i++) {
                expected |= eth_addr_equals(orig[i], probe);
            }
            PORTSEC_CHECK(portsec_macs_contain(macs, n_unique, probe)
                          == expected);
        }
    }
}

/* "admit-race N_THREADS LIMIT": N_THREADS threads admit random source MACs
 * into one port's admission table with limit LIMIT, as handler threads do
 * at ingress, while another thread samples the table's count.  The count
 * must reach LIMIT and never exceed it. */
struct admit_race {
    struct portsec_admission *table;
    size_t limit;
    unsigned int n_macs;        /* Per admitting thread. */
    atomic_bool done;
};

static void *
admit_race_thread(void *race_)
{
    struct admit_race *race = race_;
    unsigned int seed = random_uint32();

    for (unsigned int i = 0; i < race->n_macs; i++) {
        struct eth_addr mac = ETH_ADDR_C(02, 00, 00, 00, 00, 00);
        uint32_t r = hash_int(i, seed);

        memcpy(&mac.ea[2], &r, sizeof r);
        portsec_admission_admit(race->table, mac, 0, race->limit, i);
    }
    return NULL;
}

static void *
admit_race_sampler(void *race_)
{
    struct admit_race *race = race_;
    size_t max = 0;
    bool done;

    do {
        size_t n;

        atomic_read(&race->done, &done);
        /* Count what a reader sees, not the table's own counter. */
        free(portsec_admission_snapshot(race->table, &n));
        max = MAX(max, n);
    } while (!done);
    return (void *) (uintptr_t) max;
}

static void
test_admit_race(struct ovs_cmdl_context *ctx)
{
    int n_threads = atoi(ctx->argv[1]);
    struct admit_race race = {
        .table = portsec_admission_create(300 * 1000),
        .limit = atoi(ctx->argv[2]),
    };
    pthread_t *threads = xmalloc(n_threads * sizeof *threads);
    pthread_t sampler;
    size_t max, n;

    race.n_macs = 4 * race.limit;
    atomic_init(&race.done, false);
    sampler = ovs_thread_create("sampler", admit_race_sampler, &race);
    for (int i = 0; i < n_threads; i++) {
        threads[i] = ovs_thread_create("admitter", admit_race_thread, &race);
    }
    for (int i = 0; i < n_threads; i++) {
        xpthread_join(threads[i], NULL);
    }
    atomic_store(&race.done, true);
    xpthread_join(sampler, (void **) &max);

    free(portsec_admission_snapshot(race.table, &n));
    printf("admitted %"PRIuSIZE", most seen %"PRIuSIZE"\n", n, max);

    portsec_admission_destroy(race.table);
    free(threads);
}

static struct eth_addr
test_mac(int i)
{
    return (struct eth_addr) ETH_ADDR_C(50, 54, 00, 00, 00, 00 + i);
}

static int
compare_admitted_macs(const void *a_, const void *b_)
{
    const struct portsec_admitted *a = a_, *b = b_;

    return eth_addr_compare_3way(a->mac, b->mac);
}

/* Prints the 'n' entries of 'removed', sorted by MAC, and frees it. */
static void
print_removed(const char *what, struct portsec_admitted *removed, size_t n)
{
    if (n) {
        qsort(removed, n, sizeof *removed, compare_admitted_macs);
    }
    printf("%s:", what);
    for (size_t i = 0; i < n; i++) {
        printf(" "ETH_ADDR_FMT"/%"PRIu16, ETH_ADDR_ARGS(removed[i].mac),
               removed[i].vlan);
    }
    printf("\n");
    free(removed);
}

/* "admission": the table's limit, refresh, LRU trimming and aging, with
 * times given explicitly (ms). */
static void
test_admission(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct portsec_admission *t = portsec_admission_create(20000);
    struct portsec_admitted *removed;
    size_t n;

    PORTSEC_CHECK(portsec_admission_next_expiry(t) == LLONG_MAX);
    for (int i = 1; i <= 4; i++) {
        PORTSEC_CHECK(portsec_admission_admit(t, test_mac(i), 0, 4, i * 1000)
                      == PORTSEC_ADMIT_NEW);
    }
    /* The same MAC in another VLAN is another entry. */
    PORTSEC_CHECK(portsec_admission_admit(t, test_mac(1), 10, 4, 5000)
                  == PORTSEC_ADMIT_FULL);
    PORTSEC_CHECK(portsec_admission_admit(t, test_mac(1), 0, 4, 5000)
                  == PORTSEC_ADMIT_KNOWN);
    PORTSEC_CHECK(portsec_admission_contains(t, test_mac(1), 0));
    PORTSEC_CHECK(!portsec_admission_contains(t, test_mac(1), 10));
    PORTSEC_CHECK(portsec_admission_count(t) == 4);
    PORTSEC_CHECK(portsec_admission_next_expiry(t) == 21000);

    /* MAC 3 is seen again; the least recently used are now 2 and 4. */
    portsec_admission_refresh(t, test_mac(3), 0, 6000);
    portsec_admission_refresh(t, test_mac(5), 0, 6000);   /* Not there. */
    PORTSEC_CHECK(portsec_admission_count(t) == 4);
    n = portsec_admission_trim(t, 4, &removed);
    PORTSEC_CHECK(!n && !removed);
    n = portsec_admission_trim(t, 2, &removed);
    print_removed("trim to 2", removed, n);

    /* Nothing is due before MAC 1's 20 s have passed. */
    n = portsec_admission_expire(t, 20999, &removed);
    print_removed("expire at 20.999 s", removed, n);
    n = portsec_admission_expire(t, 21000, &removed);
    print_removed("expire at 21 s", removed, n);
    PORTSEC_CHECK(portsec_admission_next_expiry(t) == 25000);
    portsec_admission_set_aging(t, 10000);
    n = portsec_admission_expire(t, 21000, &removed);
    print_removed("aging 10 s, expire at 21 s", removed, n);
    PORTSEC_CHECK(portsec_admission_count(t) == 0);
    PORTSEC_CHECK(portsec_admission_next_expiry(t) == LLONG_MAX);

    PORTSEC_CHECK(portsec_admission_admit(t, test_mac(2), 7, 1, 30000)
                  == PORTSEC_ADMIT_NEW);
    struct portsec_admitted *all = portsec_admission_snapshot(t, &n);
    PORTSEC_CHECK(n == 1 && all[0].vlan == 7 && all[0].used == 30000);
    free(all);
    n = portsec_admission_flush(t, &removed);
    print_removed("flush", removed, n);
    PORTSEC_CHECK(!portsec_admission_count(t));
    portsec_admission_destroy(t);
}

/* Returns a binding of test_mac('i') to 10.0.0.'i' in VLAN 'vlan' from
 * 'source', expiring at 'expires'. */
static struct portsec_binding
test_binding(int i, uint16_t vlan, enum portsec_binding_source source,
             long long int expires)
{
    struct portsec_binding b;

    memset(&b, 0, sizeof b);
    b.mac = test_mac(i);
    b.vlan = vlan;
    in6_addr_set_mapped_ipv4(&b.ip, htonl(0x0a000000 | i));
    b.source = source;
    b.expires = expires;
    return b;
}

/* "snooped-bindings": ARP and ND snooping bindings in the binding table:
 * limits per source, renewal, refresh and lookup by IP. */
static void
test_snooped_bindings(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct portsec_binding_table *t = portsec_binding_table_create();
    enum portsec_binding_source source;
    struct portsec_binding b;
    bool revalidate = false;
    struct eth_addr mac;

    /* The names round-trip. */
    for (int i = PORTSEC_BINDING_DHCP; i <= PORTSEC_BINDING_ND; i++) {
        PORTSEC_CHECK(portsec_binding_source_from_string(
                          portsec_binding_source_to_string(i), &source)
                      && source == i);
    }
    PORTSEC_CHECK(!strcmp(portsec_binding_source_to_string(PORTSEC_BINDING_ND),
                          "nd"));
    PORTSEC_CHECK(!portsec_binding_source_from_string("ndp", &source));

    /* ARP: a limit of 2 ARP bindings; a DHCP binding does not count. */
    b = test_binding(1, 0, PORTSEC_BINDING_DHCP, 1000000);
    PORTSEC_CHECK(portsec_binding_add(t, &b, 1, &revalidate)
                  == PORTSEC_BINDING_ADDED);
    b = test_binding(2, 0, PORTSEC_BINDING_ARP, 300000);
    PORTSEC_CHECK(portsec_binding_add_snooped(t, &b, 2, &revalidate)
                  == PORTSEC_BINDING_ADDED);
    b = test_binding(3, 0, PORTSEC_BINDING_ARP, 300000);
    PORTSEC_CHECK(portsec_binding_add_snooped(t, &b, 2, &revalidate)
                  == PORTSEC_BINDING_ADDED);
    b = test_binding(4, 0, PORTSEC_BINDING_ARP, 300000);
    PORTSEC_CHECK(portsec_binding_add_snooped(t, &b, 2, &revalidate)
                  == PORTSEC_BINDING_FULL);
    /* ... nor do ARP bindings count toward DHCP's max_bindings. */
    b = test_binding(5, 0, PORTSEC_BINDING_DHCP, 1000000);
    PORTSEC_CHECK(portsec_binding_add(t, &b, 2, &revalidate)
                  == PORTSEC_BINDING_ADDED);
    PORTSEC_CHECK(portsec_binding_count(t) == 4);
    PORTSEC_CHECK(portsec_binding_count_source(t, PORTSEC_BINDING_ARP) == 2);
    PORTSEC_CHECK(portsec_binding_count_source(t, PORTSEC_BINDING_ND) == 0);

    /* An address that the table has, from any source, is not added
     * again, even when the source is full. */
    b = test_binding(1, 0, PORTSEC_BINDING_ARP, 300000);
    PORTSEC_CHECK(portsec_binding_add_snooped(t, &b, 2, &revalidate)
                  == PORTSEC_BINDING_RENEWED);
    PORTSEC_CHECK(portsec_binding_count(t) == 4);

    /* ND has its own limit. */
    b = test_binding(6, 0, PORTSEC_BINDING_ND, 300000);
    PORTSEC_CHECK(portsec_binding_add_snooped(t, &b, 2, &revalidate)
                  == PORTSEC_BINDING_ADDED);

    /* Lookup by IP, whatever the MAC, in the right VLAN only. */
    struct in6_addr ip;
    in6_addr_set_mapped_ipv4(&ip, htonl(0x0a000003));
    PORTSEC_CHECK(portsec_binding_lookup_ip(t, &ip, 0, false, &mac) == 1
                  && eth_addr_equals(mac, test_mac(3)));
    PORTSEC_CHECK(!portsec_binding_lookup_ip(t, &ip, 10, false, &mac));

    /* Refresh: only the snooped bindings of the MAC and VLAN that expire
     * before 'due'. */
    PORTSEC_CHECK(portsec_binding_refresh(t, test_mac(2), 0, 200000, 500000)
                  == 0);
    PORTSEC_CHECK(portsec_binding_refresh(t, test_mac(2), 10, 400000, 500000)
                  == 0);
    PORTSEC_CHECK(portsec_binding_refresh(t, test_mac(1), 0, 2000000, 500000)
                  == 0);                           /* DHCP: not refreshed. */
    PORTSEC_CHECK(portsec_binding_refresh(t, test_mac(2), 0, 400000, 500000)
                  == 1);
    long long int next;
    size_t n = portsec_binding_expire(t, 300000, &next, &revalidate);
    PORTSEC_CHECK(n == 2);                         /* MACs 3 and 6. */
    PORTSEC_CHECK(next == 500000);
    b = test_binding(2, 0, PORTSEC_BINDING_ARP, 0);
    PORTSEC_CHECK(portsec_binding_lookup(t, b.mac, &b.ip, 0));
    PORTSEC_CHECK(portsec_binding_count_source(t, PORTSEC_BINDING_ARP) == 1);

    /* Turning ARP snooping off removes only its bindings. */
    PORTSEC_CHECK(portsec_binding_remove_source(t, PORTSEC_BINDING_ARP,
                                                &revalidate) == 1);
    PORTSEC_CHECK(portsec_binding_count(t) == 2);
    PORTSEC_CHECK(!portsec_binding_count_source(t, PORTSEC_BINDING_ARP));
    portsec_binding_table_destroy(t);
    printf("ok\n");
}

static const struct ovs_cmdl_command commands[] = {
    {"parse", "[arg...]", 0, INT_MAX, test_parse, OVS_RO},
    {"macs", NULL, 0, 0, test_macs, OVS_RO},
    {"admit-race", "n_threads limit", 2, 2, test_admit_race, OVS_RO},
    {"admission", NULL, 0, 0, test_admission, OVS_RO},
    {"snooped-bindings", NULL, 0, 0, test_snooped_bindings, OVS_RO},
    {NULL, NULL, 0, 0, NULL, OVS_RO},
};

static void
test_port_security_main(int argc, char *argv[])
{
    struct ovs_cmdl_context ctx = {
        .argc = argc - 1,
        .argv = argv + 1,
    };

    set_program_name(argv[0]);
    ovs_cmdl_run_command(&ctx, commands);
    exit(portsec_test_report(false));
}

OVSTEST_REGISTER("test-port-security", test_port_security_main);
