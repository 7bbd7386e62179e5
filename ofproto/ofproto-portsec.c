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

/* Dispatch of ofproto-portsec.h to the providers' 'struct ofproto_class'
 * members, in the manner of ofproto.c's ofproto_mirror_get_stats(). */

#include <config.h>
#include "ofproto-portsec.h"

#include <errno.h>

#include "ofproto-provider.h"
#include "openvswitch/poll-loop.h"
#include "sset.h"
#include "util.h"

/* Per port. */

int
ofproto_portsec_get_status(struct ofproto *ofproto, void *aux,
                           struct smap *status, struct smap *err_disabled)
{
    if (!ofproto->ofproto_class->portsec_get_status) {
        return EOPNOTSUPP;
    }
    return ofproto->ofproto_class->portsec_get_status(ofproto, aux, status,
                                                      err_disabled);
}

int
ofproto_portsec_get_stats(struct ofproto *ofproto, void *aux,
                          struct ofproto_portsec_stats *stats)
{
    int error;

    stats->n = 0;
    stats->status_changed = false;
    if (!ofproto->ofproto_class->portsec_get_stats) {
        return EOPNOTSUPP;
    }
    error = ofproto->ofproto_class->portsec_get_stats(ofproto, aux, stats);
    ovs_assert(stats->n <= OFPROTO_PORTSEC_MAX_STATS);
    if (error) {
        stats->n = 0;
    }
    return error;
}

/* Per class. */

/* Stores in 'classes' each registered ofproto class once, however many
 * datapath types it serves, and returns their number, at most 'max'. */
static size_t
portsec_classes(const struct ofproto_class *classes[], size_t max)
{
    struct sset types = SSET_INITIALIZER(&types);
    const char *type;
    size_t n = 0;

    ofproto_enumerate_types(&types);
    SSET_FOR_EACH (type, &types) {
        const struct ofproto_class *class = ofproto_class_find__(type);
        size_t i;

        for (i = 0; i < n && classes[i] != class; i++) {
            continue;
        }
        if (class && i == n && n < max) {
            classes[n++] = class;
        }
    }
    sset_destroy(&types);
    return n;
}

/* Upstream has one class, ofproto-dpif; a few more fit. */
#define MAX_CLASSES 8

int
ofproto_portsec_run(const struct ofproto_portsec_settings *s)
{
    const struct ofproto_class *classes[MAX_CLASSES];
    size_t n = portsec_classes(classes, ARRAY_SIZE(classes));
    int error = EOPNOTSUPP;

    for (size_t i = 0; i < n; i++) {
        if (classes[i]->portsec_run) {
            classes[i]->portsec_run(s);
            error = 0;
        }
    }
    return error;
}

void
ofproto_portsec_wait(void)
{
    const struct ofproto_class *classes[MAX_CLASSES];
    size_t n = portsec_classes(classes, ARRAY_SIZE(classes));

    for (size_t i = 0; i < n; i++) {
        if (classes[i]->portsec_wait) {
            classes[i]->portsec_wait();
        }
    }
}

int
ofproto_portsec_bindings_export(struct ofproto_portsec_binding **bindings,
                                size_t *n)
{
    const struct ofproto_class *classes[MAX_CLASSES];
    size_t n_classes = portsec_classes(classes, ARRAY_SIZE(classes));
    int error = EOPNOTSUPP;

    *bindings = NULL;
    *n = 0;
    for (size_t i = 0; i < n_classes; i++) {
        struct ofproto_portsec_binding *some;
        size_t n_some;

        if (!classes[i]->portsec_bindings_export
            || classes[i]->portsec_bindings_export(&some, &n_some)) {
            continue;
        }
        error = 0;
        if (!*n) {
            *bindings = some;
            *n = n_some;
        } else {
            *bindings = xrealloc(*bindings,
                                 (*n + n_some) * sizeof **bindings);
            memcpy(*bindings + *n, some, n_some * sizeof *some);
            *n += n_some;
            free(some);
        }
    }
    return error;
}

int
ofproto_portsec_binding_restore(const char *port,
                                const struct portsec_binding *b)
{
    const struct ofproto_class *classes[MAX_CLASSES];
    size_t n = portsec_classes(classes, ARRAY_SIZE(classes));
    int error = EOPNOTSUPP;

    for (size_t i = 0; i < n; i++) {
        if (classes[i]->portsec_binding_restore) {
            int retval = classes[i]->portsec_binding_restore(port, b);

            if (!retval) {
                return 0;
            } else if (error == EOPNOTSUPP || error == ENOENT) {
                error = retval;
            }
        }
    }
    return error;
}

uint64_t
ofproto_portsec_bindings_seqno(void)
{
    const struct ofproto_class *classes[MAX_CLASSES];
    size_t n = portsec_classes(classes, ARRAY_SIZE(classes));
    uint64_t seqno = 0;

    /* Each provider's number only increases, so their sum changes whenever
     * one of them does. */
    for (size_t i = 0; i < n; i++) {
        if (classes[i]->portsec_bindings_seqno) {
            seqno += classes[i]->portsec_bindings_seqno();
        }
    }
    return seqno;
}

void
ofproto_portsec_bindings_wait(uint64_t seqno)
{
    const struct ofproto_class *classes[MAX_CLASSES];
    size_t n = portsec_classes(classes, ARRAY_SIZE(classes));

    if (ofproto_portsec_bindings_seqno() != seqno) {
        poll_immediate_wake();
        return;
    }
    /* Nothing changed since the caller read 'seqno': each provider's own
     * number is what it was then. */
    for (size_t i = 0; i < n; i++) {
        if (classes[i]->portsec_bindings_seqno) {
            classes[i]->portsec_bindings_wait(
                classes[i]->portsec_bindings_seqno());
        }
    }
}
