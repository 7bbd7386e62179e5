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

/* libFuzzer harness for the address inspection functions of
 * lib/portsec-inspect.h.  Built and run by tests/fuzz/run-fuzzers.
 *
 * Input: a seed byte for the bindings, two bytes of VLAN, then an Ethernet
 * frame, which flow_extract() parses into a flow.  Each inspection
 * function runs on that flow, and then again on flows that differ from it
 * only in bits that the first run left wildcarded: with those bits
 * flipped, replaced by input bytes, set, and cleared (the flow masked as a
 * megaflow).  The verdict, the is_bound() calls and the wildcards must be
 * the same every time: the verdict depends only on the fields that the
 * function un-wildcards, so caching it in a megaflow is correct. */

#include <config.h>
#include "portsec-inspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp-packet.h"
#include "flow.h"
#include "openflow/openflow.h"
#include "openvswitch/match.h"
#include "packets.h"
#include "portsec-test-lib.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The is_bound() calls of one run. */
#define MAX_CALLS 8
struct bound_call {
    struct eth_addr mac;
    struct in6_addr ip;
    uint16_t vlan;
};

struct bindings {
    uint8_t seed;
    struct bound_call calls[MAX_CALLS];
    size_t n_calls;
};

/* A run of one inspection function. */
struct run {
    const char *verdict;        /* Or the class, for portsec_classify_dhcp. */
    int class;
    struct flow_wildcards wc;
    struct bound_call calls[MAX_CALLS];
    size_t n_calls;
};

enum inspector {
    INSPECT_ARP,
    INSPECT_IP_SOURCE,
    INSPECT_ND,
    INSPECT_RA,
    CLASSIFY_DHCP,
    INSPECT_ALL,                /* All of them, into one 'wc'. */
    N_INSPECTORS
};

static const char *const inspector_names[N_INSPECTORS] = {
    "portsec_inspect_arp", "portsec_inspect_ip_source", "portsec_inspect_nd",
    "portsec_inspect_ra", "portsec_classify_dhcp", "all of them",
};

/* Whether ('mac', 'ip', 'vlan') is bound: a hash of them and the seed, so
 * that about half of all triples are. */
static bool
fuzz_is_bound(const void *aux_, struct eth_addr mac, const struct in6_addr *ip,
              uint16_t vlan)
{
    struct bindings *aux = CONST_CAST(struct bindings *, aux_);
    uint32_t h = 2166136261u ^ aux->seed;

    PORTSEC_CHECKF(vlan <= 4095, "is_bound() VLAN %u", vlan);
    if (aux->n_calls < MAX_CALLS) {
        struct bound_call *c = &aux->calls[aux->n_calls];

        memset(c, 0, sizeof *c);
        c->mac = mac;
        c->ip = *ip;
        c->vlan = vlan;
    }
    aux->n_calls++;

    for (int i = 0; i < 6; i++) {
        h = (h ^ mac.ea[i]) * 16777619u;
    }
    for (int i = 0; i < 16; i++) {
        h = (h ^ ip->s6_addr[i]) * 16777619u;
    }
    h = (h ^ vlan) * 16777619u;
    return (h >> 7) & 1;
}

static void
run_inspector(enum inspector which, const struct flow *flow,
              struct bindings *aux, uint16_t vlan, struct run *run)
{
    struct portsec_bindings_view b = {
        .vlan = vlan,
        .is_bound = fuzz_is_bound,
        .aux = aux,
    };
    struct flow_wildcards *wc = &run->wc;

    memset(run, 0, sizeof *run);
    aux->n_calls = 0;
    flow_wildcards_init_catchall(wc);
    switch (which) {
    case INSPECT_ARP:
        run->verdict = portsec_inspect_arp(flow, wc, &b);
        break;
    case INSPECT_IP_SOURCE:
        run->verdict = portsec_inspect_ip_source(flow, wc, &b);
        break;
    case INSPECT_ND:
        run->verdict = portsec_inspect_nd(flow, wc, &b);
        break;
    case INSPECT_RA:
        run->verdict = portsec_inspect_ra(flow, wc);
        break;
    case CLASSIFY_DHCP:
        run->class = portsec_classify_dhcp(flow, wc);
        break;
    case INSPECT_ALL:
    case N_INSPECTORS:
    default:
        run->verdict = portsec_inspect_ra(flow, wc);
        if (!run->verdict) {
            run->verdict = portsec_inspect_arp(flow, wc, &b);
        }
        if (!run->verdict) {
            run->verdict = portsec_inspect_nd(flow, wc, &b);
        }
        if (!run->verdict) {
            run->verdict = portsec_inspect_ip_source(flow, wc, &b);
        }
        run->class = portsec_classify_dhcp(flow, wc);
        break;
    }
    run->n_calls = aux->n_calls;
    memcpy(run->calls, aux->calls,
           MIN(aux->n_calls, MAX_CALLS) * sizeof *run->calls);
}

static void
print_flow(const char *title, const struct flow *flow)
{
    char *s = flow_to_string(flow, NULL);

    fprintf(stderr, "  %s: %s\n", title, s);
    free(s);
}

static void OVS_NO_RETURN
violation(enum inspector which, const char *variant, const char *what,
          const struct flow *flow, const struct run *run,
          const struct flow *flow2, const struct run *run2)
{
    struct match match;
    char *s;

    print_flow("flow", flow);
    match_init(&match, flow, &run->wc);
    s = match_to_string(&match, NULL, OFP_DEFAULT_PRIORITY);
    fprintf(stderr, "  megaflow: %s\n", s);
    free(s);
    fprintf(stderr, "  verdict: %s, class %d, %"PRIuSIZE" is_bound calls\n",
            run->verdict ? run->verdict : "pass", run->class,
            run->n_calls);
    print_flow("other flow", flow2);
    fprintf(stderr, "  verdict: %s, class %d, %"PRIuSIZE" is_bound calls\n",
            run2->verdict ? run2->verdict : "pass", run2->class,
            run2->n_calls);
    PORTSEC_CHECKF(false, "megaflow property violated by %s: %s differs "
                   "on the flow with %s (above)",
                   inspector_names[which], what, variant);
    OVS_NOT_REACHED();
}

static void
compare_runs(enum inspector which, const char *variant,
             const struct flow *flow, const struct run *a,
             const struct flow *flow2, const struct run *b)
{
    if (a->verdict != b->verdict || a->class != b->class) {
        violation(which, variant, "the verdict", flow, a, flow2, b);
    }
    if (a->n_calls != b->n_calls
        || memcmp(a->calls, b->calls,
                  MIN(a->n_calls, MAX_CALLS) * sizeof *a->calls)) {
        violation(which, variant, "the sequence of is_bound() calls",
                  flow, a, flow2, b);
    }
    if (memcmp(&a->wc, &b->wc, sizeof a->wc)) {
        violation(which, variant, "the megaflow mask", flow, a, flow2, b);
    }
}

/* The harness's own loops over every byte of a flow are not worth
 * libFuzzer's coverage feedback, and tracing their comparisons makes it 50
 * times slower. */
#if defined(__clang__) && __clang_major__ >= 13
#define NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline))
#else
#define NO_COVERAGE
#endif

/* Fills 'noise' with 'flow''s bytes flipped if 'data' is null, otherwise
 * with the 'size' bytes at 'data' from offset 'ofs', repeated. */
static void NO_COVERAGE
make_noise(uint8_t noise[sizeof(struct flow)], const struct flow *flow,
           const uint8_t *data, size_t size, size_t ofs)
{
    for (size_t i = 0; i < sizeof *flow; i++) {
        noise[i] = (data
                    ? data[(i + ofs) % size]
                    : ~((const uint8_t *) flow)[i]);
    }
}

/* Stores in 'out' the bits of 'flow' that 'wc' un-wildcards and, in the
 * others, the bits of 'noise'. */
static void NO_COVERAGE
mix_flow(const struct flow *flow, const struct flow_wildcards *wc,
         const uint8_t *noise, struct flow *out)
{
    const uint8_t *f = (const uint8_t *) flow;
    const uint8_t *m = (const uint8_t *) &wc->masks;
    uint8_t *o = (uint8_t *) out;

    for (size_t i = 0; i < sizeof *flow; i++) {
        o[i] = (f[i] & m[i]) | (noise[i] & ~m[i]);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t noise[sizeof(struct flow)];
    struct dp_packet packet;
    struct bindings aux;
    struct flow flow;
    uint16_t vlan;
    uint8_t *frame;

    portsec_test_set_fatal("portsec-inspect-fuzzer");
    if (size < 3) {
        return 0;
    }
    memset(&aux, 0, sizeof aux);
    aux.seed = data[0];
    vlan = ((data[1] << 8) | data[2]) & 0xfff;
    data += 3;
    size -= 3;

    /* An exactly sized copy, so that ASan catches over-reads. */
    frame = portsec_test_copy(data, size);
    dp_packet_use_const(&packet, frame, size);
    memset(&flow, 0, sizeof flow);
    flow_extract(&packet, &flow);

    for (enum inspector which = 0; which < N_INSPECTORS; which++) {
        struct run run, run2;
        struct flow flow2;

        run_inspector(which, &flow, &aux, vlan, &run);

        /* The same flow again. */
        run_inspector(which, &flow, &aux, vlan, &run2);
        compare_runs(which, "nothing changed", &flow, &run, &flow, &run2);

        /* Wildcarded bits flipped. */
        make_noise(noise, &flow, NULL, 0, 0);
        mix_flow(&flow, &run.wc, noise, &flow2);
        run_inspector(which, &flow2, &aux, vlan, &run2);
        compare_runs(which, "wildcarded bits flipped", &flow, &run, &flow2,
                     &run2);

        /* Wildcarded bits set. */
        memset(noise, 0xff, sizeof noise);
        mix_flow(&flow, &run.wc, noise, &flow2);
        run_inspector(which, &flow2, &aux, vlan, &run2);
        compare_runs(which, "wildcarded bits set", &flow, &run, &flow2,
                     &run2);

        /* Wildcarded bits cleared: the megaflow's own flow. */
        flow2 = flow;
        flow_zero_wildcards(&flow2, &run.wc);
        run_inspector(which, &flow2, &aux, vlan, &run2);
        compare_runs(which, "wildcarded bits cleared", &flow, &run, &flow2,
                     &run2);

        /* Wildcarded bits from the input, at two offsets. */
        for (size_t ofs = 0; ofs < 2 && size; ofs++) {
            make_noise(noise, &flow, data, size, ofs * 131);
            mix_flow(&flow, &run.wc, noise, &flow2);
            run_inspector(which, &flow2, &aux, vlan, &run2);
            compare_runs(which, "wildcarded bits from the input", &flow,
                         &run, &flow2, &run2);
        }
    }

    dp_packet_uninit(&packet);
    free(frame);
    return 0;
}
