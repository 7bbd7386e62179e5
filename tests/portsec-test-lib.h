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
 * After portsec_test_set_tap(), every check and every skipped one prints
 * a line of TAP (the Test Anything Protocol) to stdout, which
 * tests/run-suites counts, and portsec_test_report() prints the plan.
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
 * The portsec_test_msg_put_eth() family builds a whole frame in a struct
 * portsec_test_msg instead, header by header: Ethernet, VLAN tags, ARP,
 * IPv4 or IPv6 (with a hop-by-hop header), UDP, TCP or ICMPv6.  It fills
 * in only what its arguments say, leaves every checksum zero and lets a
 * caller set lengths that lie or cut the frame short, for programs that
 * must see malformed frames too (tests/test-portsec-dpext.c).
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

/* Makes every later check print a TAP line to stdout: "ok N - NAME" if it
 * holds, otherwise "not ok N - NAME (FILE:LINE: what went wrong)", N
 * counting the checks from 1 and NAME being what portsec_test_set_name()
 * last named.  portsec_test_report() then prints the plan, "1..N".  Call
 * it before the first check. */
void portsec_test_set_tap(void);

/* Counts a check that is not run, for the reason 'format' (printf()-style),
 * as passed: after portsec_test_set_tap(), prints "ok N - NAME # SKIP
 * reason" to stdout; otherwise prints nothing. */
void portsec_test_skip(const char *format, ...) OVS_PRINTF_FORMAT(1, 2);

/* Skips the whole program: prints "skip: " and 'format' (printf()-style)
 * to stdout and exits with status 77, which autotest and tests/run-suites
 * take for a skipped test.  For what a test needs and does not have (root,
 * a kernel feature). */
void portsec_test_skip_all(const char *format, ...)
    OVS_PRINTF_FORMAT(1, 2) OVS_NO_RETURN;

/* The number of checks counted so far (skipped ones too), of those that
 * failed, and of those skipped. */
unsigned long long int portsec_test_n_checks(void);
unsigned long long int portsec_test_n_failures(void);
unsigned long long int portsec_test_n_skips(void);

/* After portsec_test_set_tap(), prints the plan "1..N" and, if any check
 * failed, "# N of N checks failed", to stdout, and ignores 'summary'.
 * Otherwise prints "N checks, N failures" (and ", N skipped" if any were)
 * to stdout if 'summary' is true, or, if it is false, only "N of N checks
 * failed" to stderr if any failed.  Returns the exit status for the
 * program: EXIT_SUCCESS if no check failed, EXIT_FAILURE otherwise. */
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

/* Frames, header by header, in a message.  Each function appends to 'm'
 * and aborts if the bytes do not fit.  Values are in host byte order; the
 * functions put them in network byte order.  Addresses given as text are
 * parsed with inet_pton(), and a bad one aborts. */

/* Appends an Ethernet header's destination 'dst' and source 'src', each
 * ETH_ADDR_LEN bytes, but not its type: append that, after any VLAN tags,
 * with portsec_test_msg_put_be16(). */
void portsec_test_msg_put_eth(struct portsec_test_msg *m,
                              const uint8_t dst[ETH_ADDR_LEN],
                              const uint8_t src[ETH_ADDR_LEN]);

/* Appends a VLAN tag: TPID 'tpid' (ETH_TYPE_VLAN_8021Q, ETH_TYPE_VLAN_8021AD
 * or any other) and TCI 'tci' (priority, DEI and VLAN ID, IEEE 802.1Q). */
void portsec_test_msg_put_vlan(struct portsec_test_msg *m, uint16_t tpid,
                               uint16_t tci);

/* Appends the address 'text' of family 'af' (AF_INET or AF_INET6): 4 or 16
 * bytes. */
void portsec_test_msg_put_addr(struct portsec_test_msg *m, int af,
                               const char *text);

/* Appends an ARP packet for IPv4 (RFC 826) with operation 'op' (ARP_OP_*),
 * hardware address length 'hlen' (at least ETH_ADDR_LEN; more pads each
 * hardware address with zeros), sender hardware address 'sha', sender and
 * target protocol addresses 'spa' and 'tpa' (IPv4, as text), and a zero
 * target hardware address. */
void portsec_test_msg_put_arp(struct portsec_test_msg *m, uint16_t op,
                              uint8_t hlen, const uint8_t sha[ETH_ADDR_LEN],
                              const char *spa, const char *tpa);

/* Appends an IPv4 header (RFC 791) of IHL 'ihl' (in 32-bit words; the
 * header has max(ihl, 5) of them, options being NOPs), identification
 * 'id', flags and fragment offset 'frag_off' (IP_DONT_FRAGMENT,
 * IP_MORE_FRAGMENTS, offset in 8-byte units), TTL 'ttl', protocol
 * 'proto', source 'src' and destination 'dst' (as text), no total length
 * and a zero checksum.  Returns the header's offset in 'm', for
 * portsec_test_msg_ip_end(). */
size_t portsec_test_msg_put_ipv4(struct portsec_test_msg *m, uint8_t ihl,
                                 uint16_t id, uint16_t frag_off, uint8_t ttl,
                                 uint8_t proto, const char *src,
                                 const char *dst);

/* Appends an IPv6 header (RFC 8200) with traffic class and flow label 0,
 * next header 'next', hop limit 'hlim', source 'src' and destination 'dst'
 * (as text), and no payload length.  Returns the header's offset in 'm',
 * for portsec_test_msg_ip_end(). */
size_t portsec_test_msg_put_ipv6(struct portsec_test_msg *m, uint8_t next,
                                 uint8_t hlim, const char *src,
                                 const char *dst);

/* Appends an 8-byte IPv6 hop-by-hop options header (RFC 8200 section 4.3)
 * with next header 'next' and a router alert option (RFC 2711) of value
 * 'value' (0 for MLD), padded with a PadN option. */
void portsec_test_msg_put_hbh_router_alert(struct portsec_test_msg *m,
                                           uint8_t next, uint16_t value);

/* Writes into the IPv4 or IPv6 header at offset 'ofs' of 'm' (as
 * portsec_test_msg_put_ipv4() or _ipv6() returned) its total or payload
 * length: what 'm' holds from it on, plus 'extra' (negative or positive,
 * to make the length lie).  Call it after appending the payload. */
void portsec_test_msg_ip_end(struct portsec_test_msg *m, size_t ofs,
                             int extra);

/* Appends a UDP header (RFC 768) with ports 'src' and 'dst', a length
 * that covers 'payload_len' more bytes and a zero checksum, then
 * 'payload_len' zero bytes. */
void portsec_test_msg_put_udp(struct portsec_test_msg *m, uint16_t src,
                              uint16_t dst, size_t payload_len);

/* Appends a TCP header (RFC 9293) without options: ports 'src' and 'dst',
 * zero sequence and acknowledgment numbers, control bits 'flags' (TCP_SYN,
 * TCP_ACK, ...), window 'window', zero checksum and urgent pointer. */
void portsec_test_msg_put_tcp(struct portsec_test_msg *m, uint16_t src,
                              uint16_t dst, uint16_t flags, uint16_t window);

/* Appends an ICMPv6 message (RFC 4443) of type 'type' and code 'code'
 * with a zero checksum, then 'body_len' zero bytes. */
void portsec_test_msg_put_icmp6(struct portsec_test_msg *m, uint8_t type,
                                uint8_t code, size_t body_len);

/* Frames in dp_packets. */

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
