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

#ifndef PORTSEC_TEST_LIB_H
#define PORTSEC_TEST_LIB_H 1

/* What port security's C test programs share.
 *
 * Checks
 * ======
 *
 * A check counts itself and, when it fails, prints "FILE:LINE: FAIL: NAME:
 * what went wrong" to stderr, NAME being what portsec_test_set_name() last
 * named.  By default a failed check lets the program go on, so that one
 * run reports every failure, and portsec_test_report() at the end turns
 * them into the exit status.  A fuzzer calls portsec_test_set_fatal()
 * instead: its first failed check aborts, which libFuzzer records as a
 * crash with the input that caused it.
 *
 * Messages and frames
 * ===================
 *
 * struct portsec_test_msg builds a protocol message (a UDP payload) byte by
 * byte, and remembers the lengths at which a truncated copy of it should
 * still parse.  portsec_test_udp_frame() wraps a payload into an Ethernet
 * frame, with or without an 802.1Q header, with an IPv4 or IPv6 and a UDP
 * header, in a dp_packet, as a port would receive it.
 *
 * Thread safety: none.  The checks count in globals; use them from one
 * thread. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/compiler.h"
#include "openvswitch/util.h"
#include "packets.h"

struct dp_packet;

/* Checks. */

/* Counts a check that COND holds; on failure, prints COND itself.
 * Evaluates to COND, so that a caller can skip what depends on it. */
#define PORTSEC_CHECK(COND) \
    portsec_test_check(COND, OVS_SOURCE_LOCATOR, "%s", #COND)

/* Counts a check that COND holds; on failure, prints the printf()-style
 * FORMAT and its arguments.  Evaluates to COND. */
#define PORTSEC_CHECKF(COND, ...) \
    portsec_test_check(COND, OVS_SOURCE_LOCATOR, __VA_ARGS__)

/* Counts a check that integers ACTUAL and EXPECTED are equal; on failure,
 * prints WHAT (a string) and both values in hexadecimal.  Evaluates to
 * whether they are. */
#define PORTSEC_CHECK_EQ(WHAT, ACTUAL, EXPECTED) \
    portsec_test_check_eq(WHAT, ACTUAL, EXPECTED, OVS_SOURCE_LOCATOR)

/* Counts one check, at source location 'where' ("file:line"), and returns
 * 'ok'.  If 'ok' is false, reports 'format' (printf()-style) as a failure:
 * prints it to stderr and counts it, or, after portsec_test_set_fatal(),
 * aborts with it. */
bool portsec_test_check(bool ok, const char *where, const char *format, ...)
    OVS_PRINTF_FORMAT(3, 4);

/* portsec_test_check() of 'actual' == 'expected', reported as 'what'. */
bool portsec_test_check_eq(const char *what, uintmax_t actual,
                           uintmax_t expected, const char *where);

/* Names what the following checks test, for their failure messages.
 * 'name' must stay valid until the next call (a string literal). */
void portsec_test_set_name(const char *name);

/* Makes every later failed check abort the program, with 'program' (e.g.
 * "portsec-dhcp4-fuzzer") at the start of its message.  For fuzzers. */
void portsec_test_set_fatal(const char *program);

/* The number of checks counted so far, and of those that failed. */
unsigned long long int portsec_test_n_checks(void);
unsigned long long int portsec_test_n_failures(void);

/* Prints "N checks, N failures" to stdout if 'summary' is true, or, if it
 * is false, only "N of N checks failed" to stderr if any failed.  Returns
 * the exit status for the program: EXIT_SUCCESS if no check failed,
 * EXIT_FAILURE otherwise. */
int portsec_test_report(bool summary);

/* Returns a copy of the 'size' bytes at 'data' in a block of memory of
 * exactly that size (but never a null pointer), so that AddressSanitizer
 * reports any read past its end.  The caller frees it. */
void *portsec_test_copy(const void *data, size_t size);

/* Messages. */

/* A message under construction: 'len' bytes in 'b'. */
struct portsec_test_msg {
    uint8_t b[2048];
    size_t len;

    /* The lengths at which a truncated copy of the message still parses
     * (see portsec_test_msg_mark()). */
    size_t ok_lens[128];
    size_t n_ok_lens;

    /* Offsets of the TLVs still open (see portsec_test_msg_tlv16_begin()). */
    size_t open[8];
    size_t n_open;
};

/* Empties 'm'. */
void portsec_test_msg_init(struct portsec_test_msg *m);

/* Appends the 'n' bytes at 'data', or 'n' zero bytes if 'data' is NULL, to
 * 'm'.  Aborts if they do not fit. */
void portsec_test_msg_put(struct portsec_test_msg *m, const void *data,
                          size_t n);

/* Append 'x' to 'm', in network byte order. */
void portsec_test_msg_put_u8(struct portsec_test_msg *m, uint8_t x);
void portsec_test_msg_put_be16(struct portsec_test_msg *m, uint16_t x);
void portsec_test_msg_put_be32(struct portsec_test_msg *m, uint32_t x);

/* Records that 'm''s current length is one at which a truncated copy of
 * the finished message still parses (the end of a header or of a
 * top-level option). */
void portsec_test_msg_mark(struct portsec_test_msg *m);

/* Whether portsec_test_msg_mark() recorded length 'len' of 'm'. */
bool portsec_test_msg_is_marked(const struct portsec_test_msg *m,
                                size_t len);

/* Begins a TLV with a 16-bit type 'code' and a 16-bit length, both in
 * network byte order, as DHCPv6 options are (RFC 8415 section 21.1): what
 * 'm' gets until the matching portsec_test_msg_tlv16_end() is its value.
 * TLVs nest up to 8 deep. */
void portsec_test_msg_tlv16_begin(struct portsec_test_msg *m, uint16_t code);

/* Ends the innermost open TLV of 'm', writing its length, and marks the
 * length of 'm' if it was a top-level one. */
void portsec_test_msg_tlv16_end(struct portsec_test_msg *m);

/* Frames. */

/* What portsec_test_udp_frame() puts around a UDP payload.  Addresses and
 * ports are in host byte order, except for the IPv4 ones, which are
 * IPv4-mapped IPv6 addresses (in6_addr_set_mapped_ipv4()) when 'ipv6' is
 * false. */
struct portsec_test_udp {
    struct eth_addr eth_src, eth_dst;
    int vlan;                   /* 802.1Q VLAN ID, or -1 for none. */
    bool ipv6;
    struct in6_addr ip_src, ip_dst;
    uint16_t udp_src, udp_dst;
};

/* Clears 'packet' and builds in it an Ethernet frame with the headers that
 * 'udp' describes and the 'len' bytes at 'payload' as the UDP payload.
 * The IPv4 header has a valid checksum, the UDP header a zero one (none
 * of our parsers reads it).  The packet's layer offsets are those of
 * eth_compose(): call flow_extract() on it to find the rest. */
void portsec_test_udp_frame(struct dp_packet *packet,
                            const struct portsec_test_udp *udp,
                            const void *payload, size_t len);

#endif /* portsec-test-lib.h */
