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
#include "portsec-test-lib.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "packets.h"
#include "util.h"

static unsigned long long int n_checks;
static unsigned long long int n_failures;
static unsigned long long int n_skips;
static const char *test_name = "";
static const char *fatal_program;
static bool tap;

void
portsec_test_set_name(const char *name)
{
    test_name = name;
}

void
portsec_test_set_fatal(const char *program)
{
    fatal_program = program;
}

void
portsec_test_set_tap(void)
{
    tap = true;
}

bool
portsec_test_check(bool ok, const char *where, const char *format, ...)
{
    n_checks++;
    if (ok && tap) {
        printf("ok %llu - %s\n", n_checks, test_name);
    } else if (!ok) {
        va_list args;
        char *msg;

        va_start(args, format);
        msg = xvasprintf(format, args);
        va_end(args);
        if (fatal_program) {
            ovs_abort(0, "%s: %s: %s%s%s", fatal_program, where, test_name,
                      *test_name ? ": " : "", msg);
        }
        if (tap) {
            printf("not ok %llu - %s (%s: %s)\n", n_checks, test_name,
                   where, msg);
        } else {
            fprintf(stderr, "%s: FAIL: %s%s%s\n", where, test_name,
                    *test_name ? ": " : "", msg);
        }
        free(msg);
        n_failures++;
    }
    return ok;
}

bool
portsec_test_check_eq(const char *what, uintmax_t actual, uintmax_t expected,
                      const char *where)
{
    return portsec_test_check(actual == expected, where,
                              "%s is %#"PRIxMAX", expected %#"PRIxMAX,
                              what, actual, expected);
}

void
portsec_test_skip(const char *format, ...)
{
    n_checks++;
    n_skips++;
    if (tap) {
        va_list args;

        printf("ok %llu - %s # SKIP ", n_checks, test_name);
        va_start(args, format);
        vprintf(format, args);
        va_end(args);
        putchar('\n');
    }
}

void
portsec_test_skip_all(const char *format, ...)
{
    va_list args;

    printf("skip: ");
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    putchar('\n');
    exit(77);
}

unsigned long long int
portsec_test_n_checks(void)
{
    return n_checks;
}

unsigned long long int
portsec_test_n_failures(void)
{
    return n_failures;
}

unsigned long long int
portsec_test_n_skips(void)
{
    return n_skips;
}

int
portsec_test_report(bool summary)
{
    if (tap) {
        printf("1..%llu\n", n_checks);
        if (n_failures) {
            printf("# %llu of %llu checks failed\n", n_failures, n_checks);
        }
    } else if (summary) {
        printf("%llu checks, %llu failures", n_checks, n_failures);
        if (n_skips) {
            printf(", %llu skipped", n_skips);
        }
        putchar('\n');
    } else if (n_failures) {
        fprintf(stderr, "%llu of %llu checks failed\n", n_failures, n_checks);
    }
    return n_failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

void *
portsec_test_copy(const void *data, size_t size)
{
    void *copy = xmalloc(size);

    if (size) {
        memcpy(copy, data, size);
    }
    return copy;
}

void
portsec_test_msg_init(struct portsec_test_msg *m)
{
    memset(m, 0, sizeof *m);
}

void
portsec_test_msg_put(struct portsec_test_msg *m, const void *data, size_t n)
{
    ovs_assert(m->len + n <= sizeof m->b);
    if (data) {
        memcpy(&m->b[m->len], data, n);
    } else {
        memset(&m->b[m->len], 0, n);
    }
    m->len += n;
}

void
portsec_test_msg_put_u8(struct portsec_test_msg *m, uint8_t x)
{
    portsec_test_msg_put(m, &x, 1);
}

void
portsec_test_msg_put_be16(struct portsec_test_msg *m, uint16_t x)
{
    ovs_be16 be = htons(x);

    portsec_test_msg_put(m, &be, sizeof be);
}

void
portsec_test_msg_put_be32(struct portsec_test_msg *m, uint32_t x)
{
    ovs_be32 be = htonl(x);

    portsec_test_msg_put(m, &be, sizeof be);
}

void
portsec_test_msg_mark(struct portsec_test_msg *m)
{
    ovs_assert(m->n_ok_lens < ARRAY_SIZE(m->ok_lens));
    m->ok_lens[m->n_ok_lens++] = m->len;
}

bool
portsec_test_msg_is_marked(const struct portsec_test_msg *m, size_t len)
{
    for (size_t i = 0; i < m->n_ok_lens; i++) {
        if (m->ok_lens[i] == len) {
            return true;
        }
    }
    return false;
}

void
portsec_test_msg_tlv16_begin(struct portsec_test_msg *m, uint16_t code)
{
    ovs_assert(m->n_open < ARRAY_SIZE(m->open));
    m->open[m->n_open++] = m->len;
    portsec_test_msg_put_be16(m, code);
    portsec_test_msg_put_be16(m, 0);
}

void
portsec_test_msg_tlv16_end(struct portsec_test_msg *m)
{
    size_t ofs;
    ovs_be16 len;

    ovs_assert(m->n_open > 0);
    ofs = m->open[--m->n_open];
    len = htons(m->len - ofs - 4);
    memcpy(&m->b[ofs + 2], &len, 2);
    if (!m->n_open) {
        portsec_test_msg_mark(m);
    }
}

void
portsec_test_msg_put_eth(struct portsec_test_msg *m,
                         const uint8_t dst[ETH_ADDR_LEN],
                         const uint8_t src[ETH_ADDR_LEN])
{
    portsec_test_msg_put(m, dst, ETH_ADDR_LEN);
    portsec_test_msg_put(m, src, ETH_ADDR_LEN);
}

void
portsec_test_msg_put_vlan(struct portsec_test_msg *m, uint16_t tpid,
                          uint16_t tci)
{
    portsec_test_msg_put_be16(m, tpid);
    portsec_test_msg_put_be16(m, tci);
}

void
portsec_test_msg_put_addr(struct portsec_test_msg *m, int af,
                          const char *text)
{
    struct in6_addr addr;

    if (inet_pton(af, text, &addr) != 1) {
        ovs_abort(0, "bad address %s", text);
    }
    portsec_test_msg_put(m, &addr, af == AF_INET ? 4 : 16);
}

void
portsec_test_msg_put_arp(struct portsec_test_msg *m, uint16_t op,
                         uint8_t hlen, const uint8_t sha[ETH_ADDR_LEN],
                         const char *spa, const char *tpa)
{
    ovs_assert(hlen >= ETH_ADDR_LEN);
    portsec_test_msg_put_be16(m, ARP_HRD_ETHERNET);
    portsec_test_msg_put_be16(m, ARP_PRO_IP);
    portsec_test_msg_put_u8(m, hlen);
    portsec_test_msg_put_u8(m, 4);
    portsec_test_msg_put_be16(m, op);
    portsec_test_msg_put(m, sha, ETH_ADDR_LEN);
    portsec_test_msg_put(m, NULL, hlen - ETH_ADDR_LEN);
    portsec_test_msg_put_addr(m, AF_INET, spa);
    portsec_test_msg_put(m, NULL, hlen);
    portsec_test_msg_put_addr(m, AF_INET, tpa);
}

size_t
portsec_test_msg_put_ipv4(struct portsec_test_msg *m, uint8_t ihl,
                          uint16_t id, uint16_t frag_off, uint8_t ttl,
                          uint8_t proto, const char *src, const char *dst)
{
    size_t ofs = m->len;
    size_t hdr_len = MAX(ihl, 5) * 4;

    portsec_test_msg_put_u8(m, IP_IHL_VER(ihl, IP_VERSION));
    portsec_test_msg_put_u8(m, 0);
    portsec_test_msg_put_be16(m, 0);
    portsec_test_msg_put_be16(m, id);
    portsec_test_msg_put_be16(m, frag_off);
    portsec_test_msg_put_u8(m, ttl);
    portsec_test_msg_put_u8(m, proto);
    portsec_test_msg_put_be16(m, 0);
    portsec_test_msg_put_addr(m, AF_INET, src);
    portsec_test_msg_put_addr(m, AF_INET, dst);
    while (m->len - ofs < hdr_len) {
        portsec_test_msg_put_u8(m, 1); /* NOP option, RFC 791. */
    }
    return ofs;
}

size_t
portsec_test_msg_put_ipv6(struct portsec_test_msg *m, uint8_t next,
                          uint8_t hlim, const char *src, const char *dst)
{
    size_t ofs = m->len;

    portsec_test_msg_put_be32(m, 6u << 28);
    portsec_test_msg_put_be16(m, 0);
    portsec_test_msg_put_u8(m, next);
    portsec_test_msg_put_u8(m, hlim);
    portsec_test_msg_put_addr(m, AF_INET6, src);
    portsec_test_msg_put_addr(m, AF_INET6, dst);
    return ofs;
}

void
portsec_test_msg_put_hbh_router_alert(struct portsec_test_msg *m,
                                      uint8_t next, uint16_t value)
{
    portsec_test_msg_put_u8(m, next);
    portsec_test_msg_put_u8(m, 0);      /* 8 bytes in all. */
    portsec_test_msg_put_u8(m, 5);      /* Router alert. */
    portsec_test_msg_put_u8(m, 2);
    portsec_test_msg_put_be16(m, value);
    portsec_test_msg_put_u8(m, 1);      /* PadN. */
    portsec_test_msg_put_u8(m, 0);
}

void
portsec_test_msg_ip_end(struct portsec_test_msg *m, size_t ofs, int extra)
{
    bool ipv6 = m->b[ofs] >> 4 == 6;
    ovs_be16 len = htons(m->len - ofs - (ipv6 ? IPV6_HEADER_LEN : 0)
                         + extra);

    memcpy(&m->b[ofs + (ipv6 ? 4 : 2)], &len, sizeof len);
}

void
portsec_test_msg_put_udp(struct portsec_test_msg *m, uint16_t src,
                         uint16_t dst, size_t payload_len)
{
    portsec_test_msg_put_be16(m, src);
    portsec_test_msg_put_be16(m, dst);
    portsec_test_msg_put_be16(m, UDP_HEADER_LEN + payload_len);
    portsec_test_msg_put_be16(m, 0);
    portsec_test_msg_put(m, NULL, payload_len);
}

void
portsec_test_msg_put_tcp(struct portsec_test_msg *m, uint16_t src,
                         uint16_t dst, uint16_t flags, uint16_t window)
{
    ovs_be16 ctl = TCP_CTL(flags, TCP_HEADER_LEN / 4);

    portsec_test_msg_put_be16(m, src);
    portsec_test_msg_put_be16(m, dst);
    portsec_test_msg_put(m, NULL, 8);
    portsec_test_msg_put(m, &ctl, sizeof ctl);
    portsec_test_msg_put_be16(m, window);
    portsec_test_msg_put(m, NULL, 4);
}

void
portsec_test_msg_put_icmp6(struct portsec_test_msg *m, uint8_t type,
                           uint8_t code, size_t body_len)
{
    portsec_test_msg_put_u8(m, type);
    portsec_test_msg_put_u8(m, code);
    portsec_test_msg_put(m, NULL, 2 + body_len);
}

void
portsec_test_udp_frame(struct dp_packet *packet,
                       const struct portsec_test_udp *udp,
                       const void *payload, size_t len)
{
    size_t l4_len = UDP_HEADER_LEN + len;
    struct udp_header *uh;

    if (udp->ipv6) {
        eth_compose(packet, udp->eth_dst, udp->eth_src, ETH_TYPE_IPV6,
                    IPV6_HEADER_LEN);
        uh = compose_ipv6(packet, IPPROTO_UDP, &udp->ip_src, &udp->ip_dst,
                          0, 0, 64, l4_len);
    } else {
        struct ip_header *ip;

        ip = eth_compose(packet, udp->eth_dst, udp->eth_src, ETH_TYPE_IP,
                         IP_HEADER_LEN);
        ip->ip_ihl_ver = IP_IHL_VER(5, IP_VERSION);
        ip->ip_tot_len = htons(IP_HEADER_LEN + l4_len);
        ip->ip_ttl = 64;
        ip->ip_proto = IPPROTO_UDP;
        put_16aligned_be32(&ip->ip_src,
                           in6_addr_get_mapped_ipv4(&udp->ip_src));
        put_16aligned_be32(&ip->ip_dst,
                           in6_addr_get_mapped_ipv4(&udp->ip_dst));
        ip->ip_csum = csum(ip, IP_HEADER_LEN);
        uh = dp_packet_put_zeros(packet, l4_len);
        dp_packet_set_l4(packet, uh);
    }
    uh->udp_src = htons(udp->udp_src);
    uh->udp_dst = htons(udp->udp_dst);
    uh->udp_len = htons(l4_len);
    memcpy(uh + 1, payload, len);

    if (udp->vlan >= 0) {
        eth_push_vlan(packet, htons(ETH_TYPE_VLAN),
                      htons(udp->vlan & VLAN_VID_MASK));
    }
}
