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

/* libFuzzer harness for portsec_dhcp4_parse(): the input is a UDP payload.
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
parse_copy(const uint8_t *data, size_t size, struct portsec_dhcp4 *msg)
{
    uint8_t *copy = portsec_test_copy(data, size);
    const char *error = portsec_dhcp4_parse(copy, size, msg);

    free(copy);
    return error;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct portsec_dhcp4 msg, again;
    const char *error, *error2;

    portsec_test_set_fatal("portsec-dhcp4-fuzzer");
    error = parse_copy(data, size, &msg);
    PORTSEC_CHECKF(!error || error[0], "empty error message");

    /* A plain function of its input. */
    error2 = parse_copy(data, size, &again);
    PORTSEC_CHECKF(error == error2, "second parse gives another verdict");
    if (error) {
        PORTSEC_CHECKF(size >= 236 || strstr(error, "fixed header"),
                       "short message rejected for the wrong reason");
    } else {
        PORTSEC_CHECKF(!memcmp(&msg, &again, sizeof msg),
                       "second parse gives another result");
        PORTSEC_CHECKF(size >= 240, "message without a cookie accepted");
        PORTSEC_CHECKF(msg.op == PORTSEC_BOOTREQUEST
                       || msg.op == PORTSEC_BOOTREPLY, "bad op accepted");
        PORTSEC_CHECKF(msg.chaddr_is_ether == (data[1] == 1 && data[2] == 6),
                       "chaddr_is_ether does not match htype and hlen");
        PORTSEC_CHECKF(msg.chaddr_is_ether
                       ? !memcmp(msg.chaddr.ea, &data[28], 6)
                       : !memcmp(msg.chaddr.ea, "\0\0\0\0\0\0", 6),
                       "wrong chaddr");
        PORTSEC_CHECKF(!memcmp(&msg.xid, &data[4], 4), "wrong xid");
        PORTSEC_CHECKF(!memcmp(&msg.ciaddr, &data[12], 4), "wrong ciaddr");
        PORTSEC_CHECKF(!memcmp(&msg.yiaddr, &data[16], 4), "wrong yiaddr");
        PORTSEC_CHECKF(portsec_dhcp4_is_server_msg(&msg)
                       == (msg.msg_type == PORTSEC_DHCPOFFER
                           || msg.msg_type == PORTSEC_DHCPACK
                           || msg.msg_type == PORTSEC_DHCPNAK
                           || (!msg.msg_type && msg.op == PORTSEC_BOOTREPLY)),
                       "portsec_dhcp4_is_server_msg() disagrees");
    }

    /* One byte shorter: must not read past it either. */
    if (size) {
        parse_copy(data, size - 1, &again);
    }
    return 0;
}
