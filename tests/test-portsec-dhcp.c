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
#include "portsec-dhcp.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovstest.h"
#include "packets.h"
#include "util.h"

/* Usage: ovstest test-portsec-dhcp [dhcp4|dhcp6]...
 *
 * Runs hand-built DHCPv4 and DHCPv6 messages (all of them without
 * arguments) through portsec_dhcp4_parse() and portsec_dhcp6_parse() and
 * checks every field of the result, or the error.  Prints each failure and
 * exits with status 1 if there was any. */

static int n_checks;
static int n_failures;
static const char *test_name;

static void OVS_PRINTF_FORMAT(1, 2)
fail(const char *format, ...)
{
    va_list args;

    fprintf(stderr, "FAIL: %s: ", test_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    n_failures++;
}

#define CHECK_EQ(WHAT, ACTUAL, EXPECTED)                                \
    do {                                                                \
        uintmax_t actual_ = (ACTUAL);                                   \
        uintmax_t expected_ = (EXPECTED);                               \
                                                                        \
        n_checks++;                                                     \
        if (actual_ != expected_) {                                     \
            fail("%s is %#"PRIxMAX", expected %#"PRIxMAX, WHAT,         \
                 actual_, expected_);                                   \
        }                                                               \
    } while (0)

/* A message under construction. */
struct msg {
    uint8_t b[2048];
    size_t len;

    /* The lengths at which a truncated copy of the message still parses:
     * the ends of the top-level options. */
    size_t ok_lens[128];
    size_t n_ok_lens;

    /* DHCPv6 options still open (see put6_begin()). */
    size_t open6[8];
    size_t n_open6;
};

static void
put(struct msg *m, const void *data, size_t n)
{
    ovs_assert(m->len + n <= sizeof m->b);
    memcpy(&m->b[m->len], data, n);
    m->len += n;
}

static void
put_u8(struct msg *m, uint8_t x)
{
    put(m, &x, 1);
}

static void
put_be16(struct msg *m, uint16_t x)
{
    ovs_be16 be = htons(x);

    put(m, &be, sizeof be);
}

static void
put_be32(struct msg *m, uint32_t x)
{
    ovs_be32 be = htonl(x);

    put(m, &be, sizeof be);
}

static void
mark_ok_len(struct msg *m)
{
    ovs_assert(m->n_ok_lens < ARRAY_SIZE(m->ok_lens));
    m->ok_lens[m->n_ok_lens++] = m->len;
}

static bool
is_ok_len(const struct msg *m, size_t len)
{
    for (size_t i = 0; i < m->n_ok_lens; i++) {
        if (m->ok_lens[i] == len) {
            return true;
        }
    }
    return false;
}

/* DHCPv4.
 * ======= */

#define OPT_SERVER_ID 54
#define OPT_REQUESTED_IP 50
#define OPT_LEASE_TIME 51
#define OPT_OVERLOAD 52
#define OPT_MSG_TYPE 53
#define OPT_END 255

#define FILE_OFS 108
#define SNAME_OFS 44

static const struct eth_addr client_mac = ETH_ADDR_C(52, 54, 00, 12, 34, 56);
#define CLIENT_IP 0x0a000005    /* 10.0.0.5. */
#define SERVER_IP 0x0a000001    /* 10.0.0.1. */
#define XID 0xdeadbeef

/* Starts a DHCPv4 message with 'op' and 'msg_type' (0 for none), client
 * 'ciaddr' and 'yiaddr', an Ethernet 'chaddr'. */
static void
dhcp4_start(struct msg *m, uint8_t op, uint8_t msg_type, uint32_t ciaddr,
            uint32_t yiaddr)
{
    memset(m, 0, sizeof *m);
    put_u8(m, op);
    put_u8(m, 1);               /* htype: Ethernet. */
    put_u8(m, 6);               /* hlen. */
    put_u8(m, 0);               /* hops. */
    put_be32(m, XID);
    put_be16(m, 0);             /* secs. */
    put_be16(m, 0x8000);        /* flags: broadcast. */
    put_be32(m, ciaddr);
    put_be32(m, yiaddr);
    put_be32(m, 0);             /* siaddr. */
    put_be32(m, 0);             /* giaddr. */
    put(m, client_mac.ea, 6);
    m->len += 10 + 64 + 128;    /* Rest of chaddr, sname, file. */
    put_be32(m, 0x63825363);
    mark_ok_len(m);
    if (msg_type) {
        put_u8(m, OPT_MSG_TYPE);
        put_u8(m, 1);
        put_u8(m, msg_type);
        mark_ok_len(m);
    }
}

static void
opt4(struct msg *m, uint8_t code, uint8_t len, const void *data)
{
    put_u8(m, code);
    put_u8(m, len);
    put(m, data, len);
    mark_ok_len(m);
}

static void
opt4_u8(struct msg *m, uint8_t code, uint8_t value)
{
    opt4(m, code, 1, &value);
}

static void
opt4_be32(struct msg *m, uint8_t code, uint32_t value)
{
    ovs_be32 be = htonl(value);

    opt4(m, code, 4, &be);
}

static void
opt4_end(struct msg *m)
{
    put_u8(m, OPT_END);
    mark_ok_len(m);
}

/* Writes the options in 'opts' (built with the functions above into a
 * scratch message) at offset 'ofs' of 'm', e.g. into 'file' or 'sname'. */
static void
put4_at(struct msg *m, size_t ofs, const struct msg *opts)
{
    ovs_assert(ofs + opts->len <= m->len);
    memcpy(&m->b[ofs], opts->b, opts->len);
}

/* The expected result of parsing a DHCPv4 message. */
static void
expect4_init(struct portsec_dhcp4 *e, uint8_t op, uint8_t msg_type,
             uint32_t ciaddr, uint32_t yiaddr)
{
    memset(e, 0, sizeof *e);
    e->op = op;
    e->msg_type = msg_type;
    e->xid = htonl(XID);
    e->chaddr_is_ether = true;
    e->chaddr = client_mac;
    e->ciaddr = htonl(ciaddr);
    e->yiaddr = htonl(yiaddr);
}

static void
compare4(const struct portsec_dhcp4 *a, const struct portsec_dhcp4 *e)
{
    CHECK_EQ("op", a->op, e->op);
    CHECK_EQ("msg_type", a->msg_type, e->msg_type);
    CHECK_EQ("xid", ntohl(a->xid), ntohl(e->xid));
    CHECK_EQ("chaddr_is_ether", a->chaddr_is_ether, e->chaddr_is_ether);
    CHECK_EQ("chaddr", eth_addr_to_uint64(a->chaddr),
             eth_addr_to_uint64(e->chaddr));
    CHECK_EQ("ciaddr", ntohl(a->ciaddr), ntohl(e->ciaddr));
    CHECK_EQ("yiaddr", ntohl(a->yiaddr), ntohl(e->yiaddr));
    CHECK_EQ("has_requested_ip", a->has_requested_ip, e->has_requested_ip);
    if (e->has_requested_ip) {
        CHECK_EQ("requested_ip", ntohl(a->requested_ip),
                 ntohl(e->requested_ip));
    }
    CHECK_EQ("has_lease_time", a->has_lease_time, e->has_lease_time);
    if (e->has_lease_time) {
        CHECK_EQ("lease_time", a->lease_time, e->lease_time);
    }
    CHECK_EQ("has_server_id", a->has_server_id, e->has_server_id);
    if (e->has_server_id) {
        CHECK_EQ("server_id", ntohl(a->server_id), ntohl(e->server_id));
    }
}

/* Counts a check of the outcome 'actual' (NULL for success, otherwise an
 * error message) of parsing 'len' bytes, which should have failed with a
 * message containing 'error' or, if 'error' is NULL, succeeded.  Returns
 * true if it succeeded as expected, so that the caller checks the result. */
static bool
check_outcome(const char *actual, size_t len, const char *error)
{
    n_checks++;
    if (error) {
        if (!actual) {
            fail("parsing %"PRIuSIZE" bytes succeeded, expected error "
                 "\"%s\"", len, error);
        } else if (!strstr(actual, error)) {
            fail("parsing %"PRIuSIZE" bytes failed with \"%s\", expected "
                 "\"%s\"", len, actual, error);
        }
        return false;
    } else if (actual) {
        fail("parsing %"PRIuSIZE" bytes failed: %s", len, actual);
        return false;
    }
    return true;
}

/* Parses the first 'len' bytes of 'm' and checks that the result is 'e',
 * or, if 'error' is nonnull, that parsing fails with a message that
 * contains 'error'. */
static void
check4_len(const struct msg *m, size_t len, const struct portsec_dhcp4 *e,
           const char *error)
{
    struct portsec_dhcp4 a;
    const char *actual = portsec_dhcp4_parse(m->b, len, &a);

    if (check_outcome(actual, len, error)) {
        compare4(&a, e);
    }
}

static void
check4(const char *name, const struct msg *m, const struct portsec_dhcp4 *e,
       const char *error)
{
    test_name = name;
    check4_len(m, m->len, e, error);
}

/* Checks every truncation of 'm', whose full parse is 'e': shorter than
 * the fixed header and cookie fails, a cut inside an option fails, and a
 * cut between options gives a subset of 'e'. */
static void
check4_truncations(const char *name, const struct msg *m,
                   const struct portsec_dhcp4 *e)
{
    test_name = name;
    for (size_t len = 0; len < m->len; len++) {
        struct portsec_dhcp4 a;
        const char *error = portsec_dhcp4_parse(m->b, len, &a);

        n_checks++;
        if (len < 236) {
            if (!error || !strstr(error, "fixed header")) {
                fail("%"PRIuSIZE" bytes: got \"%s\", expected short header",
                     len, error ? error : "success");
            }
        } else if (len < 240) {
            if (!error || !strstr(error, "cookie")) {
                fail("%"PRIuSIZE" bytes: got \"%s\", expected no cookie",
                     len, error ? error : "success");
            }
        } else if (is_ok_len(m, len) != !error) {
            fail("%"PRIuSIZE" bytes: got \"%s\", expected %s", len,
                 error ? error : "success",
                 is_ok_len(m, len) ? "success" : "an error");
        } else if (!error) {
            /* Whatever was found is what the full message says. */
            CHECK_EQ("op", a.op, e->op);
            CHECK_EQ("xid", a.xid, e->xid);
            if (a.msg_type) {
                CHECK_EQ("msg_type", a.msg_type, e->msg_type);
            }
            if (a.has_requested_ip) {
                CHECK_EQ("requested_ip", a.requested_ip, e->requested_ip);
            }
            if (a.has_lease_time) {
                CHECK_EQ("lease_time", a.lease_time, e->lease_time);
            }
            if (a.has_server_id) {
                CHECK_EQ("server_id", a.server_id, e->server_id);
            }
        }
    }
}

static void
test_dhcp4_basic(void)
{
    struct portsec_dhcp4 e;
    struct msg m;

    /* DISCOVER, with a requested address. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    e.has_requested_ip = true;
    e.requested_ip = htonl(CLIENT_IP);
    check4("DISCOVER", &m, &e, NULL);
    CHECK_EQ("DISCOVER is server msg", portsec_dhcp4_is_server_msg(&e), 0);
    check4_truncations("DISCOVER truncated", &m, &e);

    /* OFFER. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPOFFER, 0, CLIENT_IP);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_be32(&m, OPT_LEASE_TIME, 3600);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPOFFER, 0, CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    e.has_lease_time = true;
    e.lease_time = 3600;
    check4("OFFER", &m, &e, NULL);
    CHECK_EQ("OFFER is server msg", portsec_dhcp4_is_server_msg(&e), 1);
    check4_truncations("OFFER truncated", &m, &e);

    /* REQUEST, selecting: requested address and server identifier, padded
     * with Pad options, with garbage after End. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
    put_u8(&m, 0);
    mark_ok_len(&m);
    opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
    put_u8(&m, 0);
    mark_ok_len(&m);
    put_u8(&m, 0);
    mark_ok_len(&m);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_end(&m);
    put_u8(&m, OPT_MSG_TYPE);
    mark_ok_len(&m);
    put_u8(&m, 200);
    mark_ok_len(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
    e.has_requested_ip = true;
    e.requested_ip = htonl(CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check4("REQUEST", &m, &e, NULL);
    CHECK_EQ("REQUEST is server msg", portsec_dhcp4_is_server_msg(&e), 0);
    check4_truncations("REQUEST truncated", &m, &e);

    /* ACK with an infinite lease, no End option. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_be32(&m, OPT_LEASE_TIME, UINT32_MAX);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    e.has_lease_time = true;
    e.lease_time = UINT32_MAX;
    check4("ACK", &m, &e, NULL);
    CHECK_EQ("ACK is server msg", portsec_dhcp4_is_server_msg(&e), 1);
    check4_truncations("ACK truncated", &m, &e);

    /* NAK. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPNAK, 0, 0);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPNAK, 0, 0);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check4("NAK", &m, &e, NULL);
    CHECK_EQ("NAK is server msg", portsec_dhcp4_is_server_msg(&e), 1);

    /* RELEASE. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPRELEASE, CLIENT_IP, 0);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPRELEASE, CLIENT_IP, 0);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check4("RELEASE", &m, &e, NULL);
    CHECK_EQ("RELEASE is server msg", portsec_dhcp4_is_server_msg(&e), 0);
    check4_truncations("RELEASE truncated", &m, &e);

    /* DECLINE. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDECLINE, 0, 0);
    opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDECLINE, 0, 0);
    e.has_requested_ip = true;
    e.requested_ip = htonl(CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check4("DECLINE", &m, &e, NULL);
    CHECK_EQ("DECLINE is server msg", portsec_dhcp4_is_server_msg(&e), 0);

    /* INFORM and an unknown message type. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPINFORM, CLIENT_IP, 0);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPINFORM, CLIENT_IP, 0);
    check4("INFORM", &m, &e, NULL);
    CHECK_EQ("INFORM is server msg", portsec_dhcp4_is_server_msg(&e), 0);
    dhcp4_start(&m, PORTSEC_BOOTREPLY, 42, 0, 0);
    expect4_init(&e, PORTSEC_BOOTREPLY, 42, 0, 0);
    check4("unknown message type", &m, &e, NULL);
    CHECK_EQ("type 42 is server msg", portsec_dhcp4_is_server_msg(&e), 0);

    /* BOOTP: no option 53, no options at all. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, 0, 0, CLIENT_IP);
    expect4_init(&e, PORTSEC_BOOTREPLY, 0, 0, CLIENT_IP);
    check4("BOOTP reply", &m, &e, NULL);
    CHECK_EQ("BOOTREPLY is server msg", portsec_dhcp4_is_server_msg(&e), 1);
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, 0, 0, 0);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, 0, 0, 0);
    check4("BOOTP request", &m, &e, NULL);
    CHECK_EQ("BOOTREQUEST is server msg", portsec_dhcp4_is_server_msg(&e),
             0);

    /* Non-Ethernet hardware addresses. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    m.b[1] = 6;                 /* htype: IEEE 802. */
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    e.chaddr_is_ether = false;
    e.chaddr = eth_addr_zero;
    check4("htype 6", &m, &e, NULL);
    m.b[1] = 1;
    m.b[2] = 16;                /* hlen. */
    check4("hlen 16", &m, &e, NULL);
    m.b[2] = 6;
    e.chaddr_is_ether = true;
    e.chaddr = client_mac;
    check4("htype 1 hlen 6", &m, &e, NULL);

    /* Bad fixed header and cookie. */
    m.b[0] = 3;
    check4("op 3", &m, NULL, "op");
    m.b[0] = 0;
    check4("op 0", &m, NULL, "op");
    m.b[0] = PORTSEC_BOOTREQUEST;
    m.b[236] = 0x64;
    check4("bad cookie", &m, NULL, "cookie");
    m.b[236] = 0x63;
    m.b[239] = 0;
    check4("bad cookie", &m, NULL, "cookie");
    m.b[239] = 0x63;
    check4("good cookie", &m, &e, NULL);
    test_name = "short";
    check4_len(&m, 239, NULL, "cookie");
    check4_len(&m, 236, NULL, "cookie");
    check4_len(&m, 235, NULL, "fixed header");
    check4_len(&m, 0, NULL, "fixed header");
    check4_len(&m, 243, &e, NULL);
    e.msg_type = 0;
    check4_len(&m, 240, &e, NULL);
}

static void
test_dhcp4_options(void)
{
    static const uint8_t zeros[8];
    struct portsec_dhcp4 e;
    struct msg m;

    /* The first instance of an option wins, even a zero msg_type. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    opt4_u8(&m, OPT_MSG_TYPE, PORTSEC_DHCPNAK);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP + 1);
    opt4_be32(&m, OPT_LEASE_TIME, 60);
    opt4_be32(&m, OPT_LEASE_TIME, 120);
    opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
    opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP + 1);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    e.has_lease_time = true;
    e.lease_time = 60;
    e.has_requested_ip = true;
    e.requested_ip = htonl(CLIENT_IP);
    check4("duplicate options", &m, &e, NULL);
    check4_truncations("duplicate options truncated", &m, &e);

    dhcp4_start(&m, PORTSEC_BOOTREPLY, 0, 0, 0);
    opt4_u8(&m, OPT_MSG_TYPE, 0);
    opt4_u8(&m, OPT_MSG_TYPE, PORTSEC_DHCPACK);
    expect4_init(&e, PORTSEC_BOOTREPLY, 0, 0, 0);
    check4("msg_type 0 first", &m, &e, NULL);

    /* Unknown options are skipped, including long and empty ones. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    {
        uint8_t big[255];

        memset(big, OPT_MSG_TYPE, sizeof big);
        opt4(&m, 60, sizeof big, big);
    }
    opt4(&m, 61, 0, zeros);
    opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    e.has_requested_ip = true;
    e.requested_ip = htonl(CLIENT_IP);
    check4("unknown options", &m, &e, NULL);
    check4_truncations("unknown options truncated", &m, &e);

    /* Bad lengths of the options that are parsed. */
    static const struct {
        uint8_t code;
        uint8_t len;
        const char *error;
    } bad_lens[] = {
        { OPT_REQUESTED_IP, 0, "Requested IP" },
        { OPT_REQUESTED_IP, 3, "Requested IP" },
        { OPT_REQUESTED_IP, 5, "Requested IP" },
        { OPT_LEASE_TIME, 2, "Lease Time" },
        { OPT_LEASE_TIME, 8, "Lease Time" },
        { OPT_OVERLOAD, 0, "Overload" },
        { OPT_OVERLOAD, 2, "Overload" },
        { OPT_MSG_TYPE, 0, "Message Type" },
        { OPT_MSG_TYPE, 2, "Message Type" },
        { OPT_SERVER_ID, 1, "Server Identifier" },
        { OPT_SERVER_ID, 6, "Server Identifier" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad_lens); i++) {
        static const uint8_t ones[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };

        dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
        opt4(&m, bad_lens[i].code, bad_lens[i].len, ones);
        opt4_end(&m);
        check4("bad option length", &m, NULL, bad_lens[i].error);

        /* Even after a good instance. */
        dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
        opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
        opt4_be32(&m, OPT_LEASE_TIME, 1);
        opt4_u8(&m, OPT_OVERLOAD, 1);
        opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
        opt4(&m, bad_lens[i].code, bad_lens[i].len, ones);
        opt4_end(&m);
        check4("bad option length after good one", &m, NULL,
               bad_lens[i].error);
    }

    /* Options that run past the end of the payload. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    put_u8(&m, OPT_LEASE_TIME);
    put_u8(&m, 4);
    put_be16(&m, 0);
    check4("option data past payload", &m, NULL, "past the end");
    m.len -= 2;
    check4("option data past payload", &m, NULL, "past the end");
    m.len -= 1;
    check4("option length past payload", &m, NULL, "past the end");
    m.len -= 1;
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    check4("options up to payload", &m, &e, NULL);
}

static void
test_dhcp4_overload(void)
{
    struct portsec_dhcp4 e;
    struct msg opts;
    struct msg m;

    /* Overload 1: 'file' holds the server identifier and lease time. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    opt4_u8(&m, OPT_OVERLOAD, 1);
    opt4_end(&m);
    memset(&opts, 0, sizeof opts);
    opt4_be32(&opts, OPT_SERVER_ID, SERVER_IP);
    opt4_be32(&opts, OPT_LEASE_TIME, 86400);
    opt4_end(&opts);
    put4_at(&m, FILE_OFS, &opts);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    e.has_lease_time = true;
    e.lease_time = 86400;
    check4("overload 1", &m, &e, NULL);
    check4_truncations("overload 1 truncated", &m, &e);

    /* The same in 'sname' is ignored with overload 1... */
    put4_at(&m, SNAME_OFS, &opts);
    memset(&m.b[FILE_OFS], 0, 128);
    e.has_server_id = false;
    e.has_lease_time = false;
    check4("overload 1, options in sname", &m, &e, NULL);

    /* ...but read with overload 2 (option 52's value is at 245, after
     * option 53). */
    m.b[245] = 2;
    e.has_server_id = true;
    e.has_lease_time = true;
    check4("overload 2", &m, &e, NULL);
    check4_truncations("overload 2 truncated", &m, &e);

    /* Without option 52, 'file' and 'sname' are not options. */
    memset(&m.b[243], 0, 3);
    e.has_server_id = false;
    e.has_lease_time = false;
    check4("no overload", &m, &e, NULL);

    /* Garbage in 'file' or 'sname' only matters when overloaded. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
    memset(&m.b[SNAME_OFS], 0x42, 64 + 128);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
    check4("garbage in sname and file", &m, &e, NULL);
    for (uint8_t overload = 1; overload <= 3; overload++) {
        dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
        memset(&m.b[SNAME_OFS], 0x42, 64 + 128);
        opt4_u8(&m, OPT_OVERLOAD, overload);
        check4("overloaded garbage", &m, NULL, "past the end");
    }

    /* Overload 3: 'file' then 'sname'; the first instance wins. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPOFFER, 0, CLIENT_IP);
    opt4_u8(&m, OPT_OVERLOAD, 3);
    opt4_end(&m);
    memset(&opts, 0, sizeof opts);
    put_u8(&opts, 0);
    opt4_be32(&opts, OPT_LEASE_TIME, 100);
    opt4_end(&opts);
    put4_at(&m, FILE_OFS, &opts);
    memset(&opts, 0, sizeof opts);
    opt4_be32(&opts, OPT_LEASE_TIME, 200);
    opt4_be32(&opts, OPT_SERVER_ID, SERVER_IP);
    opt4_u8(&opts, OPT_MSG_TYPE, PORTSEC_DHCPACK);
    opt4_u8(&opts, OPT_OVERLOAD, 1);
    opt4_end(&opts);
    put4_at(&m, SNAME_OFS, &opts);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPOFFER, 0, CLIENT_IP);
    e.has_lease_time = true;
    e.lease_time = 100;
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check4("overload 3", &m, &e, NULL);
    check4_truncations("overload 3 truncated", &m, &e);

    /* Overload 3 with no End in either field: the fields end by
     * themselves. */
    memset(&opts, 0, sizeof opts);
    {
        uint8_t data[126];

        memset(data, 0xff, sizeof data);
        opt4(&opts, 200, sizeof data, data);    /* Fills 'file'. */
    }
    put4_at(&m, FILE_OFS, &opts);
    memset(&opts, 0, sizeof opts);
    {
        uint8_t data[56];

        memset(data, 0, sizeof data);
        opt4(&opts, 201, sizeof data, data);
    }
    opt4_be32(&opts, OPT_REQUESTED_IP, CLIENT_IP);  /* Ends 'sname'. */
    put4_at(&m, SNAME_OFS, &opts);
    e.has_lease_time = false;
    e.has_server_id = false;
    e.has_requested_ip = true;
    e.requested_ip = htonl(CLIENT_IP);
    check4("overload 3, full fields", &m, &e, NULL);

    /* An option that runs past the end of 'file' into the cookie. */
    m.b[FILE_OFS + 1] = 127;
    check4("option past file", &m, NULL, "past the end");
    m.b[FILE_OFS + 1] = 126;
    m.b[SNAME_OFS + 58 + 1] = 5;
    check4("option past sname", &m, NULL, "past the end");
    m.b[SNAME_OFS + 58 + 1] = 4;
    check4("option fits sname", &m, &e, NULL);

    /* An option whose length byte would be the first byte past 'sname'. */
    memset(&m.b[SNAME_OFS + 58], 0, 5);
    m.b[SNAME_OFS + 63] = OPT_SERVER_ID;
    check4("option length past sname", &m, NULL, "past the end");

    /* The first option 52 wins: 'file' only, not 'sname'. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    opt4_u8(&m, OPT_OVERLOAD, 1);
    opt4_u8(&m, OPT_OVERLOAD, 2);
    opt4_u8(&m, OPT_OVERLOAD, 3);
    memset(&opts, 0, sizeof opts);
    opt4_be32(&opts, OPT_SERVER_ID, SERVER_IP);
    put4_at(&m, FILE_OFS, &opts);
    memset(&opts, 0, sizeof opts);
    opt4_be32(&opts, OPT_LEASE_TIME, 5);
    put4_at(&m, SNAME_OFS, &opts);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check4("first overload wins", &m, &e, NULL);

    /* Bad overload values, even after a good one. */
    for (int v = 0; v < 256; v++) {
        if (v >= 1 && v <= 3) {
            continue;
        }
        dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
        opt4_u8(&m, OPT_OVERLOAD, v);
        opt4_end(&m);
        check4("bad overload value", &m, NULL, "Overload value");

        dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
        opt4_u8(&m, OPT_OVERLOAD, 2);
        opt4_u8(&m, OPT_OVERLOAD, v);
        opt4_end(&m);
        check4("bad second overload value", &m, NULL, "Overload value");
    }
}

/* DHCPv6.
 * ======= */

#define OPT6_CLIENTID 1
#define OPT6_IA_NA 3
#define OPT6_IA_TA 4
#define OPT6_IAADDR 5
#define OPT6_RELAY_MSG 9
#define OPT6_STATUS_CODE 13
#define OPT6_IA_PD 25
#define OPT6_IAPREFIX 26

#define XID6 0x123456

/* Starts a client/server message. */
static void
dhcp6_start(struct msg *m, uint8_t msg_type, uint32_t xid)
{
    memset(m, 0, sizeof *m);
    put_be32(m, (msg_type << 24) | xid);
    mark_ok_len(m);
}

/* Starts a relay message. */
static void
dhcp6_start_relay(struct msg *m, uint8_t msg_type)
{
    memset(m, 0, sizeof *m);
    put_u8(m, msg_type);
    put_u8(m, 1);               /* hop-count. */
    m->len += 32;               /* link-address, peer-address. */
    mark_ok_len(m);
}

/* Begins an option whose contents follow; put6_end() ends it. */
static void
put6_begin(struct msg *m, uint16_t code)
{
    ovs_assert(m->n_open6 < ARRAY_SIZE(m->open6));
    m->open6[m->n_open6++] = m->len;
    put_be16(m, code);
    put_be16(m, 0);
}

static void
put6_end(struct msg *m)
{
    size_t ofs = m->open6[--m->n_open6];
    ovs_be16 len = htons(m->len - ofs - 4);

    memcpy(&m->b[ofs + 2], &len, 2);
    if (!m->n_open6) {
        mark_ok_len(m);
    }
}

static void
opt6(struct msg *m, uint16_t code, const void *data, size_t len)
{
    put6_begin(m, code);
    put(m, data, len);
    put6_end(m);
}

static void
opt6_status(struct msg *m, uint16_t status, const char *text)
{
    put6_begin(m, OPT6_STATUS_CODE);
    put_be16(m, status);
    put(m, text, strlen(text));
    put6_end(m);
}

static void
opt6_ia_na_begin(struct msg *m, uint32_t iaid)
{
    put6_begin(m, OPT6_IA_NA);
    put_be32(m, iaid);
    put_be32(m, 1800);          /* T1. */
    put_be32(m, 2880);          /* T2. */
}

static void
opt6_ia_ta_begin(struct msg *m, uint32_t iaid)
{
    put6_begin(m, OPT6_IA_TA);
    put_be32(m, iaid);
}

/* The address 2001:db8::N. */
static struct in6_addr
addr6(int n)
{
    struct in6_addr a;

    memset(&a, 0, sizeof a);
    a.s6_addr[0] = 0x20;
    a.s6_addr[1] = 0x01;
    a.s6_addr[2] = 0x0d;
    a.s6_addr[3] = 0xb8;
    a.s6_addr[14] = n >> 8;
    a.s6_addr[15] = n;
    return a;
}

/* Begins an IA Address option for 2001:db8::N. */
static void
opt6_iaaddr_begin(struct msg *m, int n, uint32_t preferred, uint32_t valid)
{
    struct in6_addr a = addr6(n);

    put6_begin(m, OPT6_IAADDR);
    put(m, &a, sizeof a);
    put_be32(m, preferred);
    put_be32(m, valid);
}

static void
opt6_iaaddr(struct msg *m, int n, uint32_t preferred, uint32_t valid)
{
    opt6_iaaddr_begin(m, n, preferred, valid);
    put6_end(m);
}

static void
expect6_init(struct portsec_dhcp6 *e, uint8_t msg_type, uint32_t xid)
{
    memset(e, 0, sizeof *e);
    e->msg_type = msg_type;
    e->xid = xid;
}

static void
expect6_addr(struct portsec_dhcp6 *e, int n, uint32_t preferred,
             uint32_t valid, uint16_t status)
{
    if (e->n_addrs < PORTSEC_DHCP6_MAX_ADDRS) {
        struct portsec_dhcp6_addr *a = &e->addrs[e->n_addrs++];

        a->addr = addr6(n);
        a->preferred_lifetime = preferred;
        a->valid_lifetime = valid;
        a->status = status;
    } else {
        e->addrs_truncated = true;
    }
}

static void
compare6(const struct portsec_dhcp6 *a, const struct portsec_dhcp6 *e)
{
    CHECK_EQ("msg_type", a->msg_type, e->msg_type);
    CHECK_EQ("xid", a->xid, e->xid);
    CHECK_EQ("n_addrs", a->n_addrs, e->n_addrs);
    CHECK_EQ("addrs_truncated", a->addrs_truncated, e->addrs_truncated);
    CHECK_EQ("has_status", a->has_status, e->has_status);
    if (e->has_status) {
        CHECK_EQ("status", a->status, e->status);
    }
    for (size_t i = 0; i < MIN(a->n_addrs, e->n_addrs); i++) {
        const struct portsec_dhcp6_addr *x = &a->addrs[i];
        const struct portsec_dhcp6_addr *y = &e->addrs[i];
        char what[64];

        n_checks++;
        if (memcmp(&x->addr, &y->addr, sizeof x->addr)) {
            char s1[INET6_ADDRSTRLEN], s2[INET6_ADDRSTRLEN];

            fail("addrs[%"PRIuSIZE"] is %s, expected %s", i,
                 inet_ntop(AF_INET6, &x->addr, s1, sizeof s1),
                 inet_ntop(AF_INET6, &y->addr, s2, sizeof s2));
        }
        snprintf(what, sizeof what, "addrs[%"PRIuSIZE"].preferred", i);
        CHECK_EQ(what, x->preferred_lifetime, y->preferred_lifetime);
        snprintf(what, sizeof what, "addrs[%"PRIuSIZE"].valid", i);
        CHECK_EQ(what, x->valid_lifetime, y->valid_lifetime);
        snprintf(what, sizeof what, "addrs[%"PRIuSIZE"].status", i);
        CHECK_EQ(what, x->status, y->status);
    }
}

static void
check6_len(const struct msg *m, size_t len, const struct portsec_dhcp6 *e,
           const char *error)
{
    struct portsec_dhcp6 a;
    const char *actual = portsec_dhcp6_parse(m->b, len, &a);

    if (check_outcome(actual, len, error)) {
        compare6(&a, e);
    }
}

static void
check6(const char *name, const struct msg *m, const struct portsec_dhcp6 *e,
       const char *error)
{
    test_name = name;
    check6_len(m, m->len, e, error);
}

/* Checks every truncation of 'm': a cut anywhere but between two
 * top-level options fails, and a cut between them finds a prefix of the
 * full message's addresses, with the same message type and ID. */
static void
check6_truncations(const char *name, const struct msg *m,
                   const struct portsec_dhcp6 *e, size_t header_len)
{
    test_name = name;
    for (size_t len = 0; len < m->len; len++) {
        struct portsec_dhcp6 a;
        const char *error = portsec_dhcp6_parse(m->b, len, &a);

        n_checks++;
        if (len < header_len) {
            if (!error || (!strstr(error, "header")
                           && !strstr(error, "empty"))) {
                fail("%"PRIuSIZE" bytes: got \"%s\", expected short header",
                     len, error ? error : "success");
            }
        } else if (is_ok_len(m, len) != !error) {
            fail("%"PRIuSIZE" bytes: got \"%s\", expected %s", len,
                 error ? error : "success",
                 is_ok_len(m, len) ? "success" : "an error");
        } else if (!error) {
            CHECK_EQ("msg_type", a.msg_type, e->msg_type);
            CHECK_EQ("xid", a.xid, e->xid);
            n_checks++;
            if (a.n_addrs > e->n_addrs) {
                fail("%"PRIuSIZE" bytes: %"PRIuSIZE" addresses, more than "
                     "the full message's %"PRIuSIZE, len, a.n_addrs,
                     e->n_addrs);
            }
            for (size_t i = 0; i < MIN(a.n_addrs, e->n_addrs); i++) {
                n_checks++;
                if (memcmp(&a.addrs[i].addr, &e->addrs[i].addr,
                           sizeof a.addrs[i].addr)) {
                    fail("%"PRIuSIZE" bytes: address %"PRIuSIZE" differs",
                         len, i);
                }
            }
        }
    }
}

static void
test_dhcp6_messages(void)
{
    static const uint8_t duid[] = { 0, 3, 0, 1, 0x52, 0x54, 0, 1, 2, 3 };
    struct portsec_dhcp6 e;
    struct msg m;

    /* SOLICIT with an empty IA_NA. */
    dhcp6_start(&m, PORTSEC_DHCP6_SOLICIT, XID6);
    opt6(&m, OPT6_CLIENTID, duid, sizeof duid);
    opt6_ia_na_begin(&m, 1);
    put6_end(&m);
    expect6_init(&e, PORTSEC_DHCP6_SOLICIT, XID6);
    check6("SOLICIT", &m, &e, NULL);
    check6_truncations("SOLICIT truncated", &m, &e, 4);
    CHECK_EQ("SOLICIT is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_SOLICIT), 0);

    /* A header alone. */
    dhcp6_start(&m, PORTSEC_DHCP6_INFORMATION_REQUEST, 0xffffff);
    expect6_init(&e, PORTSEC_DHCP6_INFORMATION_REQUEST, 0xffffff);
    check6("header only", &m, &e, NULL);
    test_name = "short header";
    check6_len(&m, 3, NULL, "header");
    check6_len(&m, 0, NULL, "empty");

    /* REPLY: two IA_NAs, statuses at every level. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_CLIENTID, duid, sizeof duid);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr(&m, 1, 3600, 7200);
    opt6_iaaddr_begin(&m, 2, 0, 0);
    opt6(&m, 99, duid, sizeof duid);        /* Unknown, skipped. */
    opt6_status(&m, 2, "no addrs");         /* The address's own. */
    opt6_status(&m, 4, "ignored");          /* Second: ignored. */
    put6_end(&m);
    opt6_status(&m, 3, "");                 /* The IA's. */
    opt6_status(&m, 5, "");                 /* Second: ignored. */
    opt6_iaaddr(&m, 3, 0, UINT32_MAX);
    put6_end(&m);
    opt6_ia_na_begin(&m, 2);
    opt6_iaaddr(&m, 4, UINT32_MAX, UINT32_MAX);
    opt6_iaaddr_begin(&m, 5, 10, 20);
    opt6_status(&m, 0, "Success");
    put6_end(&m);
    put6_end(&m);
    opt6_status(&m, 6, "Use multicast");
    opt6_status(&m, 0, "second: ignored");
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    expect6_addr(&e, 1, 3600, 7200, 3);
    expect6_addr(&e, 2, 0, 0, 2);
    expect6_addr(&e, 3, 0, UINT32_MAX, 3);
    expect6_addr(&e, 4, UINT32_MAX, UINT32_MAX, 0);
    expect6_addr(&e, 5, 10, 20, 0);
    e.has_status = true;
    e.status = 6;
    check6("REPLY", &m, &e, NULL);
    check6_truncations("REPLY truncated", &m, &e, 4);
    CHECK_EQ("REPLY is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_REPLY), 1);

    /* REPLY with only a top-level status; ADVERTISE with IA_TA; IA_PD and
     * addresses outside IAs are not read. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, 0);
    opt6_status(&m, 3, "NoBinding");
    expect6_init(&e, PORTSEC_DHCP6_REPLY, 0);
    e.has_status = true;
    e.status = 3;
    check6("REPLY, status only", &m, &e, NULL);

    dhcp6_start(&m, PORTSEC_DHCP6_ADVERTISE, 7);
    opt6_iaaddr(&m, 10, 1, 2);              /* Top-level: skipped. */
    put6_begin(&m, OPT6_IA_PD);
    put_be32(&m, 1);
    put_be32(&m, 0);
    put_be32(&m, 0);
    opt6_iaaddr(&m, 11, 1, 2);              /* In IA_PD: skipped. */
    put6_end(&m);
    opt6_ia_ta_begin(&m, 9);
    opt6_iaaddr(&m, 12, UINT32_MAX, UINT32_MAX);
    opt6_status(&m, 1, "");
    opt6_iaaddr_begin(&m, 13, 5, 6);
    opt6_iaaddr(&m, 14, 5, 6);              /* Nested: skipped. */
    put6_end(&m);
    put6_end(&m);
    opt6_ia_ta_begin(&m, 10);               /* Empty IA_TA. */
    put6_end(&m);
    expect6_init(&e, PORTSEC_DHCP6_ADVERTISE, 7);
    expect6_addr(&e, 12, UINT32_MAX, UINT32_MAX, 1);
    expect6_addr(&e, 13, 5, 6, 1);
    check6("ADVERTISE, IA_TA", &m, &e, NULL);
    check6_truncations("ADVERTISE truncated", &m, &e, 4);
    CHECK_EQ("ADVERTISE is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_ADVERTISE), 1);

    /* More than 8 addresses: in one IA_NA, then across an IA_NA and an
     * IA_TA, where the IA status only applies to its own addresses. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    for (int i = 0; i < 11; i++) {
        opt6_iaaddr(&m, i + 1, i, i + 100);
        expect6_addr(&e, i + 1, i, i + 100, 0);
    }
    put6_end(&m);
    check6("11 addresses", &m, &e, NULL);
    ovs_assert(e.n_addrs == 8 && e.addrs_truncated);

    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    for (int i = 0; i < 5; i++) {
        opt6_iaaddr(&m, i + 1, 1, 2);
        expect6_addr(&e, i + 1, 1, 2, 0);
    }
    put6_end(&m);
    opt6_ia_ta_begin(&m, 2);
    for (int i = 5; i < 9; i++) {
        opt6_iaaddr(&m, i + 1, 1, 2);
        expect6_addr(&e, i + 1, 1, 2, 2);
    }
    opt6_status(&m, 2, "");
    put6_end(&m);
    check6("9 addresses in two IAs", &m, &e, NULL);
    ovs_assert(e.n_addrs == 8 && e.addrs_truncated);
    check6_truncations("9 addresses truncated", &m, &e, 4);

    /* Exactly 8 addresses are not truncated. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    for (int i = 0; i < 8; i++) {
        opt6_ia_na_begin(&m, i);
        opt6_iaaddr(&m, i + 1, 1, 2);
        expect6_addr(&e, i + 1, 1, 2, 0);
        put6_end(&m);
    }
    check6("8 addresses", &m, &e, NULL);
    ovs_assert(e.n_addrs == 8 && !e.addrs_truncated);

    /* Message types that only servers and relays send. */
    for (int type = 0; type < 256; type++) {
        bool server = (type == PORTSEC_DHCP6_ADVERTISE
                       || type == PORTSEC_DHCP6_REPLY
                       || type == PORTSEC_DHCP6_RECONFIGURE
                       || type == PORTSEC_DHCP6_RELAY_REPL);

        test_name = "is_server_msg";
        CHECK_EQ("portsec_dhcp6_is_server_msg",
                 portsec_dhcp6_is_server_msg(type), server);
    }

    /* An unknown message type is a client/server message. */
    dhcp6_start(&m, 200, 1);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr(&m, 1, 1, 2);
    put6_end(&m);
    expect6_init(&e, 200, 1);
    expect6_addr(&e, 1, 1, 2, 0);
    check6("unknown message type", &m, &e, NULL);
}

static void
test_dhcp6_errors(void)
{
    static const uint8_t zeros[32];
    struct portsec_dhcp6 e;
    struct msg m;

    /* Options shorter than their fixed parts, at every level. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_IA_NA, zeros, 11);
    check6("IA_NA of 11 bytes", &m, NULL, "IA_NA option shorter");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_IA_NA, zeros, 12);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    check6("IA_NA of 12 bytes", &m, &e, NULL);

    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_IA_TA, zeros, 3);
    check6("IA_TA of 3 bytes", &m, NULL, "IA_TA option shorter");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_IA_TA, zeros, 0);
    check6("IA_TA of 0 bytes", &m, NULL, "IA_TA option shorter");

    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6(&m, OPT6_IAADDR, zeros, 23);
    put6_end(&m);
    check6("IA Address of 23 bytes", &m, NULL, "IA Address option shorter");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_ta_begin(&m, 1);
    opt6(&m, OPT6_IAADDR, zeros, 24);
    put6_end(&m);
    expect6_addr(&e, 0, 0, 0, 0);
    memset(&e.addrs[0].addr, 0, sizeof e.addrs[0].addr);
    check6("IA Address of 24 bytes", &m, &e, NULL);

    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_STATUS_CODE, zeros, 1);
    check6("top-level Status Code of 1 byte", &m, NULL, "Status Code");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6(&m, OPT6_STATUS_CODE, zeros, 0);
    put6_end(&m);
    check6("IA Status Code of 0 bytes", &m, NULL, "Status Code");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr_begin(&m, 1, 1, 1);
    opt6_status(&m, 0, "");
    opt6(&m, OPT6_STATUS_CODE, zeros, 1);   /* Even a second one. */
    put6_end(&m);
    put6_end(&m);
    check6("IA Address Status Code of 1 byte", &m, NULL, "Status Code");

    /* Options that run past their container. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    put_be16(&m, OPT6_CLIENTID);
    put_be16(&m, 10);
    put(&m, zeros, 9);
    check6("option past message", &m, NULL, "past the end");
    m.len = 4 + 3;
    check6("option header past message", &m, NULL, "header runs past");

    /* An IA Address that runs past its IA_NA, though not past the
     * message. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr(&m, 1, 1, 1);
    put6_end(&m);
    opt6(&m, OPT6_CLIENTID, zeros, 16);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    expect6_addr(&e, 1, 1, 1, 0);
    check6("nested, fits", &m, &e, NULL);
    m.b[4 + 4 + 12 + 3] = 29;               /* IAADDR length 28 -> 29. */
    check6("IA Address past IA_NA", &m, NULL, "past the end");
    m.b[4 + 4 + 12 + 3] = 28;
    m.b[4 + 3] -= 1;                        /* IA_NA length 40 -> 39. */
    check6("IA_NA cuts its IA Address", &m, NULL, "past the end");
    m.b[4 + 3] -= 2;                        /* IA_NA length 40 -> 37. */
    check6("IA_NA cuts its IA Address", &m, NULL, "past the end");
    m.b[4 + 3] = 40 - 28 + 3;               /* 3 bytes of IAADDR header. */
    check6("IA_NA cuts an option header", &m, NULL, "header runs past");

    /* A Status Code that runs past its IA Address. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr_begin(&m, 1, 1, 1);
    opt6_status(&m, 2, "ab");
    put6_end(&m);
    opt6_status(&m, 2, "abcdefgh");
    put6_end(&m);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    expect6_addr(&e, 1, 1, 1, 2);
    check6("status in IA Address", &m, &e, NULL);
    m.b[4 + 4 + 12 + 4 + 24 + 3] = 5;       /* Status length 4 -> 5. */
    check6("Status Code past IA Address", &m, NULL, "past the end");
    m.b[4 + 4 + 12 + 4 + 24 + 3] = 3;       /* Status length 4 -> 3. */
    check6("Status Code leaves 1 byte", &m, NULL, "header runs past");
}

static void
test_dhcp6_relay(void)
{
    struct portsec_dhcp6 e;
    struct msg inner;
    struct msg m;

    /* RELAY-FORW of a SOLICIT with an address: not descended into. */
    dhcp6_start(&inner, PORTSEC_DHCP6_REQUEST, XID6);
    opt6_ia_na_begin(&inner, 1);
    opt6_iaaddr(&inner, 1, 1, 2);
    put6_end(&inner);

    dhcp6_start_relay(&m, PORTSEC_DHCP6_RELAY_FORW);
    opt6(&m, 18, "eth0", 4);                /* Interface-Id. */
    opt6(&m, OPT6_RELAY_MSG, inner.b, inner.len);
    expect6_init(&e, PORTSEC_DHCP6_RELAY_FORW, 0);
    check6("RELAY-FORW", &m, &e, NULL);
    check6_truncations("RELAY-FORW truncated", &m, &e, 34);
    CHECK_EQ("RELAY-FORW is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_RELAY_FORW), 0);

    /* RELAY-REPL whose relayed message is garbage, and with IA_NA options
     * at its top level that would be malformed. */
    dhcp6_start_relay(&m, PORTSEC_DHCP6_RELAY_REPL);
    opt6(&m, OPT6_RELAY_MSG, "\x07\x00\x00\x01\x00\x03\xff\xff", 8);
    opt6(&m, OPT6_IA_NA, "x", 1);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr(&m, 1, 1, 2);
    put6_end(&m);
    opt6_status(&m, 1, "UnspecFail");
    expect6_init(&e, PORTSEC_DHCP6_RELAY_REPL, 0);
    e.has_status = true;
    e.status = 1;
    check6("RELAY-REPL", &m, &e, NULL);
    check6_truncations("RELAY-REPL truncated", &m, &e, 34);
    CHECK_EQ("RELAY-REPL is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_RELAY_REPL), 1);

    /* A relay message's own options must still fit. */
    dhcp6_start_relay(&m, PORTSEC_DHCP6_RELAY_FORW);
    opt6(&m, OPT6_RELAY_MSG, inner.b, inner.len);
    m.len--;
    check6("relay option past message", &m, NULL, "past the end");

    /* Header lengths. */
    dhcp6_start_relay(&m, PORTSEC_DHCP6_RELAY_FORW);
    test_name = "relay header";
    check6_len(&m, 33, NULL, "34-byte header");
    check6_len(&m, 4, NULL, "34-byte header");
    check6_len(&m, 1, NULL, "34-byte header");
    expect6_init(&e, PORTSEC_DHCP6_RELAY_FORW, 0);
    check6_len(&m, 34, &e, NULL);
}

static void
test_portsec_dhcp_main(int argc, char *argv[])
{
    static const struct {
        const char *name;
        void (*run)(void);
    } groups[] = {
        { "dhcp4", test_dhcp4_basic },
        { "dhcp4", test_dhcp4_options },
        { "dhcp4", test_dhcp4_overload },
        { "dhcp6", test_dhcp6_messages },
        { "dhcp6", test_dhcp6_errors },
        { "dhcp6", test_dhcp6_relay },
    };

    set_program_name(argv[0]);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "dhcp4") && strcmp(argv[i], "dhcp6")) {
            ovs_fatal(0, "usage: %s [dhcp4|dhcp6]...", argv[0]);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
        bool run = argc < 2;

        for (int j = 1; j < argc; j++) {
            run |= !strcmp(argv[j], groups[i].name);
        }
        if (run) {
            groups[i].run();
        }
    }

    printf("%d checks, %d failures\n", n_checks, n_failures);
    exit(n_failures ? EXIT_FAILURE : EXIT_SUCCESS);
}

OVSTEST_REGISTER("test-portsec-dhcp", test_portsec_dhcp_main);
