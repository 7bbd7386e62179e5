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

/* Usage: test-portsec-provider
 *
 * Checks ofproto/ofproto-portsec.c, the dispatch of port security from the
 * bridge to the providers' struct ofproto_class members:
 *
 *   - ofproto_dpif_class implements every member (the hook in
 *     patches/0006 points each at ofproto-dpif-portsec);
 *
 *   - a provider that leaves them NULL makes every function report
 *     EOPNOTSUPP and return nothing, per port and per class, which is what
 *     vswitchd/bridge-portsec.c turns into security_status state
 *     "unavailable" and into leaving IP_Source_Binding alone;
 *
 *   - per class members are called once per class however many datapath
 *     types it serves, bindings of several classes are concatenated, a
 *     restore goes to the class that takes it, and the bindings seqno
 *     changes when any class's does.
 *
 * Registers test classes of its own and never the real ones, so it needs
 * no datapath.  Prints each failed check and exits with status 1 if any
 * failed, 0 otherwise. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofproto/ofproto-portsec.h"
#include "ofproto/ofproto-provider.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

static int n_failures;

#define CHECK(COND)                                                     \
    do {                                                                \
        if (!(COND)) {                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n",                \
                    __FILE__, __LINE__, #COND);                         \
            n_failures++;                                               \
        }                                                               \
    } while (0)

/* A provider without port security, serving type "portsec-none". */

static void
none_enumerate_types(struct sset *types)
{
    sset_add(types, "portsec-none");
}

static struct ofproto_class none_class = {
    .enumerate_types = none_enumerate_types,
};

/* A provider with port security, serving two types, that counts calls and
 * holds 'n_full_bindings' bindings of port "p1". */

static int n_run, n_wait;
static bool last_datapath_ext;
static uint64_t full_seqno = 5;

static void
full_enumerate_types(struct sset *types)
{
    sset_add(types, "portsec-full-a");
    sset_add(types, "portsec-full-b");
}

static void
full_run(const struct ofproto_portsec_settings *s)
{
    n_run++;
    last_datapath_ext = s->datapath_ext;
}

static void
full_wait(void)
{
    n_wait++;
}

static int
full_bindings_export(struct ofproto_portsec_binding **bindings, size_t *n)
{
    *n = 2;
    *bindings = xcalloc(*n, sizeof **bindings);
    for (size_t i = 0; i < *n; i++) {
        (*bindings)[i].port = "p1";
        (*bindings)[i].binding.vlan = i;
        (*bindings)[i].plen = 128;
    }
    return 0;
}

static int
full_binding_restore(const char *port, const struct portsec_binding *b)
{
    if (strcmp(port, "p1")) {
        return ENOENT;
    }
    return b->vlan < 100 ? 0 : ENOSPC;
}

static uint64_t
full_bindings_seqno(void)
{
    return full_seqno;
}

static void
full_bindings_wait(uint64_t seqno OVS_UNUSED)
{
}

static struct ofproto_class full_class = {
    .enumerate_types = full_enumerate_types,
    .portsec_run = full_run,
    .portsec_wait = full_wait,
    .portsec_bindings_export = full_bindings_export,
    .portsec_binding_restore = full_binding_restore,
    .portsec_bindings_seqno = full_bindings_seqno,
    .portsec_bindings_wait = full_bindings_wait,
};

/* A second provider like 'full_class', serving a type of its own. */
static void
full2_enumerate_types(struct sset *types)
{
    sset_add(types, "portsec-full-c");
}

static struct ofproto_class full2_class;

static void
test_dpif_class(void)
{
    CHECK(ofproto_dpif_class.portsec_get_status);
    CHECK(ofproto_dpif_class.portsec_get_stats);
    CHECK(ofproto_dpif_class.portsec_run);
    CHECK(ofproto_dpif_class.portsec_wait);
    CHECK(ofproto_dpif_class.portsec_bindings_export);
    CHECK(ofproto_dpif_class.portsec_binding_restore);
    CHECK(ofproto_dpif_class.portsec_bindings_seqno);
    CHECK(ofproto_dpif_class.portsec_bindings_wait);
}

/* Per port, through an ofproto of 'none_class'. */
static void
test_per_port_unsupported(void)
{
    struct ofproto ofproto = { .ofproto_class = &none_class };
    struct smap status = SMAP_INITIALIZER(&status);
    struct smap err_disabled = SMAP_INITIALIZER(&err_disabled);
    struct ofproto_portsec_stats stats;
    int aux;

    CHECK(ofproto_portsec_get_status(&ofproto, &aux, &status, &err_disabled)
          == EOPNOTSUPP);
    CHECK(smap_is_empty(&status));
    CHECK(smap_is_empty(&err_disabled));

    memset(&stats, 0xff, sizeof stats);
    CHECK(ofproto_portsec_get_stats(&ofproto, &aux, &stats) == EOPNOTSUPP);
    CHECK(stats.n == 0);
    CHECK(!stats.status_changed);

    smap_destroy(&status);
    smap_destroy(&err_disabled);
}

/* Per class, with only 'none_class' registered. */
static void
test_per_class_unsupported(void)
{
    struct ofproto_portsec_settings s = { .datapath_ext = true };
    struct ofproto_portsec_binding *bindings = (void *) &s;
    struct portsec_binding b = { .vlan = 1 };
    size_t n = 1;

    CHECK(ofproto_portsec_run(&s) == EOPNOTSUPP);
    ofproto_portsec_wait();
    CHECK(ofproto_portsec_bindings_export(&bindings, &n) == EOPNOTSUPP);
    CHECK(!bindings && !n);
    CHECK(ofproto_portsec_binding_restore("p1", &b) == EOPNOTSUPP);
    CHECK(ofproto_portsec_bindings_seqno() == 0);
    ofproto_portsec_bindings_wait(0);
}

/* Per class, with 'none_class', 'full_class' and 'full2_class'
 * registered. */
static void
test_per_class_dispatch(void)
{
    struct ofproto_portsec_settings s = { .datapath_ext = true };
    struct ofproto_portsec_binding *bindings;
    struct portsec_binding b = { .vlan = 1 };
    uint64_t seqno;
    size_t n;

    /* Once per class, not once per type. */
    CHECK(!ofproto_portsec_run(&s));
    CHECK(n_run == 2);
    CHECK(last_datapath_ext);
    ofproto_portsec_wait();
    CHECK(n_wait == 2);

    /* Both classes' bindings, one after the other. */
    CHECK(!ofproto_portsec_bindings_export(&bindings, &n));
    CHECK(n == 4);
    if (n == 4) {
        CHECK(!strcmp(bindings[0].port, "p1"));
        CHECK(bindings[1].binding.vlan == 1);
        CHECK(bindings[2].binding.vlan == 0);
        CHECK(bindings[3].binding.vlan == 1);
    }
    free(bindings);

    CHECK(!ofproto_portsec_binding_restore("p1", &b));
    CHECK(ofproto_portsec_binding_restore("p2", &b) == ENOENT);
    b.vlan = 100;
    CHECK(ofproto_portsec_binding_restore("p1", &b) == ENOSPC);

    seqno = ofproto_portsec_bindings_seqno();
    CHECK(seqno == 2 * full_seqno);
    full_seqno++;
    CHECK(ofproto_portsec_bindings_seqno() != seqno);
    ofproto_portsec_bindings_wait(seqno);
}

int
main(int argc OVS_UNUSED, char *argv[])
{
    set_program_name(argv[0]);

    test_dpif_class();
    test_per_port_unsupported();

    CHECK(!ofproto_class_register(&none_class));
    test_per_class_unsupported();

    CHECK(!ofproto_class_register(&full_class));
    full2_class = full_class;
    full2_class.enumerate_types = full2_enumerate_types;
    CHECK(!ofproto_class_register(&full2_class));
    test_per_class_dispatch();

    if (n_failures) {
        fprintf(stderr, "%d checks failed\n", n_failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
