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

/* libFuzzer harness for portsec_dhcp6_parse(): the input is a UDP payload.
 * Built and run by tests/fuzz/run-fuzzers. */

#include <config.h>
#include "portsec-dhcp.h"

#include <stdlib.h>
#include <string.h>

#include "portsec-test-lib.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses a copy of the 'size' bytes at 'data' in a buffer of exactly that
 * size, so that AddressSanitizer reports any read past its end. */
static const char *
parse_copy(const uint8_t *data, size_t size, struct portsec_dhcp6 *msg)
{
    uint8_t *copy = portsec_test_copy(data, size);
    const char *error = portsec_dhcp6_parse(copy, size, msg);

    free(copy);
    return error;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct portsec_dhcp6 msg, again;
    const char *error, *error2;

    portsec_test_set_fatal("portsec-dhcp6-fuzzer");
    error = parse_copy(data, size, &msg);
    PORTSEC_CHECKF(!error || error[0], "empty error message");

    /* A plain function of its input. */
    error2 = parse_copy(data, size, &again);
    PORTSEC_CHECKF(error == error2, "second parse gives another verdict");
    if (!error) {
        bool relay = (data[0] == PORTSEC_DHCP6_RELAY_FORW
                      || data[0] == PORTSEC_DHCP6_RELAY_REPL);

        PORTSEC_CHECKF(!memcmp(&msg, &again, sizeof msg),
                       "second parse gives another result");
        PORTSEC_CHECKF(msg.msg_type == data[0], "wrong msg_type");
        PORTSEC_CHECKF(size >= (relay ? 34 : 4),
                       "message shorter than its header");
        PORTSEC_CHECKF(msg.n_addrs <= PORTSEC_DHCP6_MAX_ADDRS,
                       "too many addresses");
        PORTSEC_CHECKF(!msg.addrs_truncated
                       || msg.n_addrs == PORTSEC_DHCP6_MAX_ADDRS,
                       "addresses truncated below the maximum");
        if (relay) {
            PORTSEC_CHECKF(!msg.n_addrs && !msg.addrs_truncated,
                           "addresses from a relay message");
            PORTSEC_CHECKF(!msg.xid, "xid in a relay message");
        } else {
            PORTSEC_CHECKF(msg.xid == (((uint32_t) data[1] << 16)
                                       | (data[2] << 8) | data[3]),
                           "wrong xid");
            /* An IA Address option takes 28 bytes, in an IA_TA of at least
             * 8, after the 4-byte header. */
            PORTSEC_CHECKF(msg.n_addrs * 28 + (msg.n_addrs ? 12 : 0) <= size,
                           "more addresses than fit in the message");
        }
        PORTSEC_CHECKF(msg.has_status || !msg.status,
                       "status without has_status");
    }

    /* One byte shorter: must not read past it either. */
    if (size) {
        parse_copy(data, size - 1, &again);
    }
    return 0;
}
