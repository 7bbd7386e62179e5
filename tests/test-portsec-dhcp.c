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

#include "portsec-dhcp.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp-packet.h"
#include "flow.h"
#include "ovstest.h"
#include "packets.h"
#include "portsec-inspect.h"
#include "portsec-test-lib.h"
#include "util.h"

/* Usage: ovstest test-portsec-dhcp [dhcp4|dhcp6]...
 *
 * Runs hand-built DHCPv4 and DHCPv6 messages (all of them without
 * arguments) through portsec_dhcp4_parse() and portsec_dhcp6_parse() and
 * checks every field of the result, or the error.  Each message that
 * parses is also sent in an Ethernet frame, with and without a VLAN tag,
 * through flow_extract(), portsec_classify_dhcp() and the parser again,
 * from the frame's UDP payload, as snooping sees it.  Prints each failure,
 * then "N checks, N failures", and exits with status 1 if any check
 * failed. */

/* The harness, one for both families.
 * ===================================
 *
 * A message is built into a struct portsec_test_msg, which marks the
 * lengths at which a truncated copy still parses; the expected result is
 * a struct portsec_dhcp4 or portsec_dhcp6, passed as 'const void *' to the
 * functions below with the family that says which. */

/* DHCPv4 messages start with a 236-byte fixed header (RFC 2131 section 2)
 * and a 4-byte magic cookie (RFC 2131 section 3). */
#define DHCP4_HEADER_LEN 240

/* A DHCP family: its parser and how to compare what it found. */
struct dhcp_family {
    const char *name;           /* "dhcp4" or "dhcp6". */

    /* Parses the 'len' bytes at 'payload' into 'result', a struct
     * portsec_dhcp4 or portsec_dhcp6, as portsec_dhcp4_parse() or
     * portsec_dhcp6_parse() do. */
    const char *(*parse)(const void *payload, size_t len, void *result);

    /* Checks every field of 'a', the parse of a whole message, against
     * 'e'. */
    void (*compare)(const void *a, const void *e);

    /* Checks 'error', what parsing the first 'len' bytes of a message gave
     * when 'len' is shorter than the message's header: returns true if it
     * is the right error, otherwise false with what was expected in
     * '*expected'. */
    bool (*short_header_ok)(size_t len, const char *error,
                            const char **expected);

    /* Checks that 'a', the parse of the first 'len' bytes of a message
     * whose full parse is 'e', found nothing that 'e' does not say. */
    void (*compare_truncated)(size_t len, const void *a, const void *e);

    /* Whether the message 'msg' comes from a server or relay agent. */
    bool (*is_server_msg)(const void *msg);

    /* The servers' and clients' UDP ports (RFC 2131 section 4.1, RFC 8415
     * section 7.2), and whether the family runs over IPv6. */
    uint16_t server_port, client_port;
    bool ipv6;
};

union dhcp_result {
    struct portsec_dhcp4 v4;
    struct portsec_dhcp6 v6;
};

static const char *
parse4(const void *payload, size_t len, void *result)
{
    return portsec_dhcp4_parse(payload, len, result);
}

static void
compare4(const void *a_, const void *e_)
{
    const struct portsec_dhcp4 *a = a_;
    const struct portsec_dhcp4 *e = e_;

    PORTSEC_CHECK_EQ("op", a->op, e->op);
    PORTSEC_CHECK_EQ("msg_type", a->msg_type, e->msg_type);
    PORTSEC_CHECK_EQ("xid", ntohl(a->xid), ntohl(e->xid));
    PORTSEC_CHECK_EQ("chaddr_is_ether", a->chaddr_is_ether,
                     e->chaddr_is_ether);
    PORTSEC_CHECK_EQ("chaddr", eth_addr_to_uint64(a->chaddr),
                     eth_addr_to_uint64(e->chaddr));
    PORTSEC_CHECK_EQ("ciaddr", ntohl(a->ciaddr), ntohl(e->ciaddr));
    PORTSEC_CHECK_EQ("yiaddr", ntohl(a->yiaddr), ntohl(e->yiaddr));
    PORTSEC_CHECK_EQ("has_requested_ip", a->has_requested_ip,
                     e->has_requested_ip);
    if (e->has_requested_ip) {
        PORTSEC_CHECK_EQ("requested_ip", ntohl(a->requested_ip),
                         ntohl(e->requested_ip));
    }
    PORTSEC_CHECK_EQ("has_lease_time", a->has_lease_time,
                     e->has_lease_time);
    if (e->has_lease_time) {
        PORTSEC_CHECK_EQ("lease_time", a->lease_time, e->lease_time);
    }
    PORTSEC_CHECK_EQ("has_server_id", a->has_server_id, e->has_server_id);
    if (e->has_server_id) {
        PORTSEC_CHECK_EQ("server_id", ntohl(a->server_id),
                         ntohl(e->server_id));
    }
}

/* Shorter than the fixed header fails, and so does a message without the
 * whole cookie. */
static bool
short_header_ok4(size_t len, const char *error, const char **expected)
{
    *expected = len < 236 ? "short header" : "no cookie";
    return error && strstr(error, len < 236 ? "fixed header" : "cookie");
}

/* Whatever a truncated message gave is what the full message says. */
static void
compare_truncated4(size_t len OVS_UNUSED, const void *a_, const void *e_)
{
    const struct portsec_dhcp4 *a = a_;
    const struct portsec_dhcp4 *e = e_;

    PORTSEC_CHECK_EQ("op", a->op, e->op);
    PORTSEC_CHECK_EQ("xid", a->xid, e->xid);
    if (a->msg_type) {
        PORTSEC_CHECK_EQ("msg_type", a->msg_type, e->msg_type);
    }
    if (a->has_requested_ip) {
        PORTSEC_CHECK_EQ("requested_ip", a->requested_ip, e->requested_ip);
    }
    if (a->has_lease_time) {
        PORTSEC_CHECK_EQ("lease_time", a->lease_time, e->lease_time);
    }
    if (a->has_server_id) {
        PORTSEC_CHECK_EQ("server_id", a->server_id, e->server_id);
    }
}

static bool
is_server_msg4(const void *msg)
{
    return portsec_dhcp4_is_server_msg(msg);
}

static const struct dhcp_family dhcp4 = {
    .name = "dhcp4",
    .parse = parse4,
    .compare = compare4,
    .short_header_ok = short_header_ok4,
    .compare_truncated = compare_truncated4,
    .is_server_msg = is_server_msg4,
    .server_port = 67,
    .client_port = 68,
    .ipv6 = false,
};

static const char *
parse6(const void *payload, size_t len, void *result)
{
    return portsec_dhcp6_parse(payload, len, result);
}

static void
compare6(const void *a_, const void *e_)
{
    const struct portsec_dhcp6 *a = a_;
    const struct portsec_dhcp6 *e = e_;

    PORTSEC_CHECK_EQ("msg_type", a->msg_type, e->msg_type);
    PORTSEC_CHECK_EQ("xid", a->xid, e->xid);
    PORTSEC_CHECK_EQ("n_addrs", a->n_addrs, e->n_addrs);
    PORTSEC_CHECK_EQ("addrs_truncated", a->addrs_truncated,
                     e->addrs_truncated);
    PORTSEC_CHECK_EQ("has_status", a->has_status, e->has_status);
    if (e->has_status) {
        PORTSEC_CHECK_EQ("status", a->status, e->status);
    }
    for (size_t i = 0; i < MIN(a->n_addrs, e->n_addrs); i++) {
        const struct portsec_dhcp6_addr *x = &a->addrs[i];
        const struct portsec_dhcp6_addr *y = &e->addrs[i];
        char s1[INET6_ADDRSTRLEN], s2[INET6_ADDRSTRLEN];
        char what[64];

        PORTSEC_CHECKF(!memcmp(&x->addr, &y->addr, sizeof x->addr),
                       "addrs[%"PRIuSIZE"] is %s, expected %s", i,
                       inet_ntop(AF_INET6, &x->addr, s1, sizeof s1),
                       inet_ntop(AF_INET6, &y->addr, s2, sizeof s2));
        snprintf(what, sizeof what, "addrs[%"PRIuSIZE"].preferred", i);
        PORTSEC_CHECK_EQ(what, x->preferred_lifetime, y->preferred_lifetime);
        snprintf(what, sizeof what, "addrs[%"PRIuSIZE"].valid", i);
        PORTSEC_CHECK_EQ(what, x->valid_lifetime, y->valid_lifetime);
        snprintf(what, sizeof what, "addrs[%"PRIuSIZE"].status", i);
        PORTSEC_CHECK_EQ(what, x->status, y->status);
    }
}

/* Shorter than the header (4 bytes, or 34 for a relay message) fails. */
static bool
short_header_ok6(size_t len OVS_UNUSED, const char *error,
                 const char **expected)
{
    *expected = "short header";
    return error && (strstr(error, "header") || strstr(error, "empty"));
}

/* A truncated message has the same type and ID and a prefix of the full
 * message's addresses. */
static void
compare_truncated6(size_t len, const void *a_, const void *e_)
{
    const struct portsec_dhcp6 *a = a_;
    const struct portsec_dhcp6 *e = e_;

    PORTSEC_CHECK_EQ("msg_type", a->msg_type, e->msg_type);
    PORTSEC_CHECK_EQ("xid", a->xid, e->xid);
    PORTSEC_CHECKF(a->n_addrs <= e->n_addrs,
                   "%"PRIuSIZE" bytes: %"PRIuSIZE" addresses, more than the "
                   "full message's %"PRIuSIZE, len, a->n_addrs, e->n_addrs);
    for (size_t i = 0; i < MIN(a->n_addrs, e->n_addrs); i++) {
        PORTSEC_CHECKF(!memcmp(&a->addrs[i].addr, &e->addrs[i].addr,
                               sizeof a->addrs[i].addr),
                       "%"PRIuSIZE" bytes: address %"PRIuSIZE" differs",
                       len, i);
    }
}

static bool
is_server_msg6(const void *msg)
{
    return portsec_dhcp6_is_server_msg(
        ((const struct portsec_dhcp6 *) msg)->msg_type);
}

static const struct dhcp_family dhcp6 = {
    .name = "dhcp6",
    .parse = parse6,
    .compare = compare6,
    .short_header_ok = short_header_ok6,
    .compare_truncated = compare_truncated6,
    .is_server_msg = is_server_msg6,
    .server_port = 547,
    .client_port = 546,
    .ipv6 = true,
};

/* Counts a check of the outcome 'actual' (NULL for success, otherwise an
 * error message) of parsing 'len' bytes, which should have failed with a
 * message containing 'error' or, if 'error' is NULL, succeeded.  Returns
 * true if it succeeded as expected, so that the caller checks the result. */
static bool
check_outcome(const char *actual, size_t len, const char *error)
{
    if (error) {
        PORTSEC_CHECKF(actual && strstr(actual, error),
                       "parsing %"PRIuSIZE" bytes %s \"%s\", expected "
                       "error \"%s\"", len,
                       actual ? "failed with" : "succeeded",
                       actual ? actual : "", error);
        return false;
    }
    return PORTSEC_CHECKF(!actual, "parsing %"PRIuSIZE" bytes failed: %s",
                          len, actual);
}

/* Parses the first 'len' bytes of 'm' as family 'f' and checks that the
 * result is 'e', or, if 'error' is nonnull, that parsing fails with a
 * message that contains 'error'. */
static void
check_len(const struct dhcp_family *f, const struct portsec_test_msg *m,
          size_t len, const void *e, const char *error)
{
    union dhcp_result a;
    const char *actual = f->parse(m->b, len, &a);

    if (check_outcome(actual, len, error)) {
        f->compare(&a, e);
    }
}

/* Sends 'm', whose parse is 'e', in a UDP frame on VLAN 'vlan' (-1 for
 * none), from the server port to the client port if it is a server's
 * message, otherwise from the client port to the server port, and checks
 * that portsec_classify_dhcp() classifies the frame that way and that its
 * UDP payload parses to 'e' too. */
static void
check_frame(const struct dhcp_family *f, const struct portsec_test_msg *m,
            const void *e, int vlan)
{
    static const enum portsec_dhcp_class classes[2][2] = {
        { PORTSEC_DHCP4_CLIENT, PORTSEC_DHCP4_SERVER },
        { PORTSEC_DHCP6_CLIENT, PORTSEC_DHCP6_SERVER },
    };
    bool server = f->is_server_msg(e);
    struct portsec_test_udp udp = {
        .eth_src = ETH_ADDR_C(52, 54, 00, 00, 00, 01),
        .eth_dst = ETH_ADDR_C(52, 54, 00, 00, 00, 02),
        .vlan = vlan,
        .ipv6 = f->ipv6,
        .udp_src = server ? f->server_port : f->client_port,
        .udp_dst = server ? f->client_port : f->server_port,
    };
    struct flow_wildcards wc;
    struct dp_packet packet;
    union dhcp_result a;
    const char *actual;
    struct flow flow;

    if (f->ipv6) {
        ipv6_parse("fe80::1", &udp.ip_src);
        ipv6_parse("ff02::1:2", &udp.ip_dst);
    } else {
        in6_addr_set_mapped_ipv4(&udp.ip_src, htonl(0x0a000001));
        in6_addr_set_mapped_ipv4(&udp.ip_dst, htonl(0xffffffff));
    }
    dp_packet_init(&packet, 0);
    portsec_test_udp_frame(&packet, &udp, m->b, m->len);
    flow_extract(&packet, &flow);
    flow_wildcards_init_catchall(&wc);
    PORTSEC_CHECK_EQ("portsec_classify_dhcp", portsec_classify_dhcp(&flow,
                                                                    &wc),
                     classes[f->ipv6][server]);
    PORTSEC_CHECK_EQ("VLAN", vlan_tci_to_vid(flow.vlans[0].tci),
                     vlan < 0 ? 0 : vlan);
    if (PORTSEC_CHECK(dp_packet_get_udp_payload(&packet) != NULL)) {
        size_t len = dp_packet_l4_size(&packet) - UDP_HEADER_LEN;

        PORTSEC_CHECK_EQ("UDP payload length", len, m->len);
        actual = f->parse(dp_packet_get_udp_payload(&packet), len, &a);
        if (check_outcome(actual, len, NULL)) {
            f->compare(&a, e);
        }
    }
    dp_packet_uninit(&packet);
}

/* Checks that 'm' parses as family 'f' to 'e', or, if 'error' is nonnull,
 * that parsing it fails with a message that contains 'error'.  A message
 * that parses is also checked in frames, untagged and on VLAN 100. */
static void
check(const struct dhcp_family *f, const char *name,
      const struct portsec_test_msg *m, const void *e, const char *error)
{
    portsec_test_set_name(name);
    check_len(f, m, m->len, e, error);
    if (!error) {
        check_frame(f, m, e, -1);
        check_frame(f, m, e, 100);
    }
}

/* Checks every truncation of 'm', whose full parse as family 'f' is 'e'
 * and whose header is 'header_len' bytes: shorter than the header fails, a
 * cut inside an option fails, and a cut between options gives a subset of
 * 'e'. */
static void
check_truncations(const struct dhcp_family *f, const char *name,
                  const struct portsec_test_msg *m, const void *e,
                  size_t header_len)
{
    portsec_test_set_name(name);
    for (size_t len = 0; len < m->len; len++) {
        bool ok_len = portsec_test_msg_is_marked(m, len);
        union dhcp_result a;
        const char *error = f->parse(m->b, len, &a);
        const char *expected;

        if (len < header_len) {
            bool ok = f->short_header_ok(len, error, &expected);

            PORTSEC_CHECKF(ok, "%"PRIuSIZE" bytes: got \"%s\", expected %s",
                           len, error ? error : "success", expected);
        } else if (PORTSEC_CHECKF(ok_len == !error,
                                  "%"PRIuSIZE" bytes: got \"%s\", expected "
                                  "%s", len, error ? error : "success",
                                  ok_len ? "success" : "an error")
                   && !error) {
            f->compare_truncated(len, &a, e);
        }
    }
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
dhcp4_start(struct portsec_test_msg *m, uint8_t op, uint8_t msg_type,
            uint32_t ciaddr, uint32_t yiaddr)
{
    portsec_test_msg_init(m);
    portsec_test_msg_put_u8(m, op);
    portsec_test_msg_put_u8(m, 1);               /* htype: Ethernet. */
    portsec_test_msg_put_u8(m, 6);               /* hlen. */
    portsec_test_msg_put_u8(m, 0);               /* hops. */
    portsec_test_msg_put_be32(m, XID);
    portsec_test_msg_put_be16(m, 0);             /* secs. */
    portsec_test_msg_put_be16(m, 0x8000);        /* flags: broadcast. */
    portsec_test_msg_put_be32(m, ciaddr);
    portsec_test_msg_put_be32(m, yiaddr);
    portsec_test_msg_put_be32(m, 0);             /* siaddr. */
    portsec_test_msg_put_be32(m, 0);             /* giaddr. */
    portsec_test_msg_put(m, client_mac.ea, 6);
    m->len += 10 + 64 + 128;    /* Rest of chaddr, sname, file. */
    portsec_test_msg_put_be32(m, 0x63825363);
    portsec_test_msg_mark(m);
    if (msg_type) {
        portsec_test_msg_put_u8(m, OPT_MSG_TYPE);
        portsec_test_msg_put_u8(m, 1);
        portsec_test_msg_put_u8(m, msg_type);
        portsec_test_msg_mark(m);
    }
}

static void
opt4(struct portsec_test_msg *m, uint8_t code, uint8_t len, const void *data)
{
    portsec_test_msg_put_u8(m, code);
    portsec_test_msg_put_u8(m, len);
    portsec_test_msg_put(m, data, len);
    portsec_test_msg_mark(m);
}

static void
opt4_u8(struct portsec_test_msg *m, uint8_t code, uint8_t value)
{
    opt4(m, code, 1, &value);
}

static void
opt4_be32(struct portsec_test_msg *m, uint8_t code, uint32_t value)
{
    ovs_be32 be = htonl(value);

    opt4(m, code, 4, &be);
}

static void
opt4_end(struct portsec_test_msg *m)
{
    portsec_test_msg_put_u8(m, OPT_END);
    portsec_test_msg_mark(m);
}

/* Writes the options in 'opts' (built with the functions above into a
 * scratch message) at offset 'ofs' of 'm', e.g. into 'file' or 'sname'. */
static void
put4_at(struct portsec_test_msg *m, size_t ofs,
        const struct portsec_test_msg *opts)
{
    ovs_assert(ofs + opts->len <= m->len);
    memcpy(&m->b[ofs], opts->b, opts->len);
}


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
test_dhcp4_basic(void)
{
    struct portsec_dhcp4 e;
    struct portsec_test_msg m;

    /* DISCOVER, with a requested address. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    e.has_requested_ip = true;
    e.requested_ip = htonl(CLIENT_IP);
    check(&dhcp4, "DISCOVER", &m, &e, NULL);
    PORTSEC_CHECK_EQ("DISCOVER is server msg",
                     portsec_dhcp4_is_server_msg(&e), 0);
    check_truncations(&dhcp4, "DISCOVER truncated", &m, &e,
                      DHCP4_HEADER_LEN);

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
    check(&dhcp4, "OFFER", &m, &e, NULL);
    PORTSEC_CHECK_EQ("OFFER is server msg",
                     portsec_dhcp4_is_server_msg(&e), 1);
    check_truncations(&dhcp4, "OFFER truncated", &m, &e,
                      DHCP4_HEADER_LEN);

    /* REQUEST, selecting: requested address and server identifier, padded
     * with Pad options, with garbage after End. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
    portsec_test_msg_put_u8(&m, 0);
    portsec_test_msg_mark(&m);
    opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
    portsec_test_msg_put_u8(&m, 0);
    portsec_test_msg_mark(&m);
    portsec_test_msg_put_u8(&m, 0);
    portsec_test_msg_mark(&m);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_end(&m);
    portsec_test_msg_put_u8(&m, OPT_MSG_TYPE);
    portsec_test_msg_mark(&m);
    portsec_test_msg_put_u8(&m, 200);
    portsec_test_msg_mark(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
    e.has_requested_ip = true;
    e.requested_ip = htonl(CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check(&dhcp4, "REQUEST", &m, &e, NULL);
    PORTSEC_CHECK_EQ("REQUEST is server msg",
                     portsec_dhcp4_is_server_msg(&e), 0);
    check_truncations(&dhcp4, "REQUEST truncated", &m, &e,
                      DHCP4_HEADER_LEN);

    /* ACK with an infinite lease, no End option. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_be32(&m, OPT_LEASE_TIME, UINT32_MAX);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    e.has_lease_time = true;
    e.lease_time = UINT32_MAX;
    check(&dhcp4, "ACK", &m, &e, NULL);
    PORTSEC_CHECK_EQ("ACK is server msg",
                     portsec_dhcp4_is_server_msg(&e), 1);
    check_truncations(&dhcp4, "ACK truncated", &m, &e,
                      DHCP4_HEADER_LEN);

    /* NAK. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPNAK, 0, 0);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPNAK, 0, 0);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check(&dhcp4, "NAK", &m, &e, NULL);
    PORTSEC_CHECK_EQ("NAK is server msg",
                     portsec_dhcp4_is_server_msg(&e), 1);

    /* RELEASE. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPRELEASE, CLIENT_IP, 0);
    opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPRELEASE, CLIENT_IP, 0);
    e.has_server_id = true;
    e.server_id = htonl(SERVER_IP);
    check(&dhcp4, "RELEASE", &m, &e, NULL);
    PORTSEC_CHECK_EQ("RELEASE is server msg",
                     portsec_dhcp4_is_server_msg(&e), 0);
    check_truncations(&dhcp4, "RELEASE truncated", &m, &e,
                      DHCP4_HEADER_LEN);

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
    check(&dhcp4, "DECLINE", &m, &e, NULL);
    PORTSEC_CHECK_EQ("DECLINE is server msg",
                     portsec_dhcp4_is_server_msg(&e), 0);

    /* INFORM and an unknown message type. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPINFORM, CLIENT_IP, 0);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPINFORM, CLIENT_IP, 0);
    check(&dhcp4, "INFORM", &m, &e, NULL);
    PORTSEC_CHECK_EQ("INFORM is server msg",
                     portsec_dhcp4_is_server_msg(&e), 0);
    dhcp4_start(&m, PORTSEC_BOOTREPLY, 42, 0, 0);
    expect4_init(&e, PORTSEC_BOOTREPLY, 42, 0, 0);
    check(&dhcp4, "unknown message type", &m, &e, NULL);
    PORTSEC_CHECK_EQ("type 42 is server msg",
                     portsec_dhcp4_is_server_msg(&e), 0);

    /* BOOTP: no option 53, no options at all. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, 0, 0, CLIENT_IP);
    expect4_init(&e, PORTSEC_BOOTREPLY, 0, 0, CLIENT_IP);
    check(&dhcp4, "BOOTP reply", &m, &e, NULL);
    PORTSEC_CHECK_EQ("BOOTREPLY is server msg",
                     portsec_dhcp4_is_server_msg(&e), 1);
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, 0, 0, 0);
    opt4_end(&m);
    expect4_init(&e, PORTSEC_BOOTREQUEST, 0, 0, 0);
    check(&dhcp4, "BOOTP request", &m, &e, NULL);
    PORTSEC_CHECK_EQ("BOOTREQUEST is server msg",
                     portsec_dhcp4_is_server_msg(&e), 0);

    /* Non-Ethernet hardware addresses. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    m.b[1] = 6;                 /* htype: IEEE 802. */
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPDISCOVER, 0, 0);
    e.chaddr_is_ether = false;
    e.chaddr = eth_addr_zero;
    check(&dhcp4, "htype 6", &m, &e, NULL);
    m.b[1] = 1;
    m.b[2] = 16;                /* hlen. */
    check(&dhcp4, "hlen 16", &m, &e, NULL);
    m.b[2] = 6;
    e.chaddr_is_ether = true;
    e.chaddr = client_mac;
    check(&dhcp4, "htype 1 hlen 6", &m, &e, NULL);

    /* Bad fixed header and cookie. */
    m.b[0] = 3;
    check(&dhcp4, "op 3", &m, NULL, "op");
    m.b[0] = 0;
    check(&dhcp4, "op 0", &m, NULL, "op");
    m.b[0] = PORTSEC_BOOTREQUEST;
    m.b[236] = 0x64;
    check(&dhcp4, "bad cookie", &m, NULL, "cookie");
    m.b[236] = 0x63;
    m.b[239] = 0;
    check(&dhcp4, "bad cookie", &m, NULL, "cookie");
    m.b[239] = 0x63;
    check(&dhcp4, "good cookie", &m, &e, NULL);
    portsec_test_set_name("short");
    check_len(&dhcp4, &m, 239, NULL, "cookie");
    check_len(&dhcp4, &m, 236, NULL, "cookie");
    check_len(&dhcp4, &m, 235, NULL, "fixed header");
    check_len(&dhcp4, &m, 0, NULL, "fixed header");
    check_len(&dhcp4, &m, 243, &e, NULL);
    e.msg_type = 0;
    check_len(&dhcp4, &m, 240, &e, NULL);
}

static void
test_dhcp4_options(void)
{
    static const uint8_t zeros[8];
    struct portsec_dhcp4 e;
    struct portsec_test_msg m;

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
    check(&dhcp4, "duplicate options", &m, &e, NULL);
    check_truncations(&dhcp4, "duplicate options truncated", &m, &e,
                      DHCP4_HEADER_LEN);

    dhcp4_start(&m, PORTSEC_BOOTREPLY, 0, 0, 0);
    opt4_u8(&m, OPT_MSG_TYPE, 0);
    opt4_u8(&m, OPT_MSG_TYPE, PORTSEC_DHCPACK);
    expect4_init(&e, PORTSEC_BOOTREPLY, 0, 0, 0);
    check(&dhcp4, "msg_type 0 first", &m, &e, NULL);

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
    check(&dhcp4, "unknown options", &m, &e, NULL);
    check_truncations(&dhcp4, "unknown options truncated", &m, &e,
                      DHCP4_HEADER_LEN);

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
        check(&dhcp4, "bad option length", &m, NULL, bad_lens[i].error);

        /* Even after a good instance. */
        dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
        opt4_be32(&m, OPT_REQUESTED_IP, CLIENT_IP);
        opt4_be32(&m, OPT_LEASE_TIME, 1);
        opt4_u8(&m, OPT_OVERLOAD, 1);
        opt4_be32(&m, OPT_SERVER_ID, SERVER_IP);
        opt4(&m, bad_lens[i].code, bad_lens[i].len, ones);
        opt4_end(&m);
        check(&dhcp4, "bad option length after good one", &m, NULL,
               bad_lens[i].error);
    }

    /* Options that run past the end of the payload. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    portsec_test_msg_put_u8(&m, OPT_LEASE_TIME);
    portsec_test_msg_put_u8(&m, 4);
    portsec_test_msg_put_be16(&m, 0);
    check(&dhcp4, "option data past payload", &m, NULL, "past the end");
    m.len -= 2;
    check(&dhcp4, "option data past payload", &m, NULL, "past the end");
    m.len -= 1;
    check(&dhcp4, "option length past payload", &m, NULL, "past the end");
    m.len -= 1;
    expect4_init(&e, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
    check(&dhcp4, "options up to payload", &m, &e, NULL);
}

static void
test_dhcp4_overload(void)
{
    struct portsec_dhcp4 e;
    struct portsec_test_msg opts;
    struct portsec_test_msg m;

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
    check(&dhcp4, "overload 1", &m, &e, NULL);
    check_truncations(&dhcp4, "overload 1 truncated", &m, &e,
                      DHCP4_HEADER_LEN);

    /* The same in 'sname' is ignored with overload 1... */
    put4_at(&m, SNAME_OFS, &opts);
    memset(&m.b[FILE_OFS], 0, 128);
    e.has_server_id = false;
    e.has_lease_time = false;
    check(&dhcp4, "overload 1, options in sname", &m, &e, NULL);

    /* ...but read with overload 2 (option 52's value is at 245, after
     * option 53). */
    m.b[245] = 2;
    e.has_server_id = true;
    e.has_lease_time = true;
    check(&dhcp4, "overload 2", &m, &e, NULL);
    check_truncations(&dhcp4, "overload 2 truncated", &m, &e,
                      DHCP4_HEADER_LEN);

    /* Without option 52, 'file' and 'sname' are not options. */
    memset(&m.b[243], 0, 3);
    e.has_server_id = false;
    e.has_lease_time = false;
    check(&dhcp4, "no overload", &m, &e, NULL);

    /* Garbage in 'file' or 'sname' only matters when overloaded. */
    dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
    memset(&m.b[SNAME_OFS], 0x42, 64 + 128);
    expect4_init(&e, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
    check(&dhcp4, "garbage in sname and file", &m, &e, NULL);
    for (uint8_t overload = 1; overload <= 3; overload++) {
        dhcp4_start(&m, PORTSEC_BOOTREQUEST, PORTSEC_DHCPREQUEST, 0, 0);
        memset(&m.b[SNAME_OFS], 0x42, 64 + 128);
        opt4_u8(&m, OPT_OVERLOAD, overload);
        check(&dhcp4, "overloaded garbage", &m, NULL, "past the end");
    }

    /* Overload 3: 'file' then 'sname'; the first instance wins. */
    dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPOFFER, 0, CLIENT_IP);
    opt4_u8(&m, OPT_OVERLOAD, 3);
    opt4_end(&m);
    memset(&opts, 0, sizeof opts);
    portsec_test_msg_put_u8(&opts, 0);
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
    check(&dhcp4, "overload 3", &m, &e, NULL);
    check_truncations(&dhcp4, "overload 3 truncated", &m, &e,
                      DHCP4_HEADER_LEN);

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
    check(&dhcp4, "overload 3, full fields", &m, &e, NULL);

    /* An option that runs past the end of 'file' into the cookie. */
    m.b[FILE_OFS + 1] = 127;
    check(&dhcp4, "option past file", &m, NULL, "past the end");
    m.b[FILE_OFS + 1] = 126;
    m.b[SNAME_OFS + 58 + 1] = 5;
    check(&dhcp4, "option past sname", &m, NULL, "past the end");
    m.b[SNAME_OFS + 58 + 1] = 4;
    check(&dhcp4, "option fits sname", &m, &e, NULL);

    /* An option whose length byte would be the first byte past 'sname'. */
    memset(&m.b[SNAME_OFS + 58], 0, 5);
    m.b[SNAME_OFS + 63] = OPT_SERVER_ID;
    check(&dhcp4, "option length past sname", &m, NULL, "past the end");

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
    check(&dhcp4, "first overload wins", &m, &e, NULL);

    /* Bad overload values, even after a good one. */
    for (int v = 0; v < 256; v++) {
        if (v >= 1 && v <= 3) {
            continue;
        }
        dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
        opt4_u8(&m, OPT_OVERLOAD, v);
        opt4_end(&m);
        check(&dhcp4, "bad overload value", &m, NULL, "Overload value");

        dhcp4_start(&m, PORTSEC_BOOTREPLY, PORTSEC_DHCPACK, 0, CLIENT_IP);
        opt4_u8(&m, OPT_OVERLOAD, 2);
        opt4_u8(&m, OPT_OVERLOAD, v);
        opt4_end(&m);
        check(&dhcp4, "bad second overload value", &m, NULL, "Overload value");
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
dhcp6_start(struct portsec_test_msg *m, uint8_t msg_type, uint32_t xid)
{
    portsec_test_msg_init(m);
    portsec_test_msg_put_be32(m, ((uint32_t) msg_type << 24) | xid);
    portsec_test_msg_mark(m);
}

/* Starts a relay message. */
static void
dhcp6_start_relay(struct portsec_test_msg *m, uint8_t msg_type)
{
    portsec_test_msg_init(m);
    portsec_test_msg_put_u8(m, msg_type);
    portsec_test_msg_put_u8(m, 1);               /* hop-count. */
    m->len += 32;               /* link-address, peer-address. */
    portsec_test_msg_mark(m);
}

static void
opt6(struct portsec_test_msg *m, uint16_t code, const void *data, size_t len)
{
    portsec_test_msg_tlv16_begin(m, code);
    portsec_test_msg_put(m, data, len);
    portsec_test_msg_tlv16_end(m);
}

static void
opt6_status(struct portsec_test_msg *m, uint16_t status, const char *text)
{
    portsec_test_msg_tlv16_begin(m, OPT6_STATUS_CODE);
    portsec_test_msg_put_be16(m, status);
    portsec_test_msg_put(m, text, strlen(text));
    portsec_test_msg_tlv16_end(m);
}

static void
opt6_ia_na_begin(struct portsec_test_msg *m, uint32_t iaid)
{
    portsec_test_msg_tlv16_begin(m, OPT6_IA_NA);
    portsec_test_msg_put_be32(m, iaid);
    portsec_test_msg_put_be32(m, 1800);          /* T1. */
    portsec_test_msg_put_be32(m, 2880);          /* T2. */
}

static void
opt6_ia_ta_begin(struct portsec_test_msg *m, uint32_t iaid)
{
    portsec_test_msg_tlv16_begin(m, OPT6_IA_TA);
    portsec_test_msg_put_be32(m, iaid);
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
opt6_iaaddr_begin(struct portsec_test_msg *m, int n, uint32_t preferred,
                  uint32_t valid)
{
    struct in6_addr a = addr6(n);

    portsec_test_msg_tlv16_begin(m, OPT6_IAADDR);
    portsec_test_msg_put(m, &a, sizeof a);
    portsec_test_msg_put_be32(m, preferred);
    portsec_test_msg_put_be32(m, valid);
}

static void
opt6_iaaddr(struct portsec_test_msg *m, int n, uint32_t preferred,
            uint32_t valid)
{
    opt6_iaaddr_begin(m, n, preferred, valid);
    portsec_test_msg_tlv16_end(m);
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
test_dhcp6_messages(void)
{
    static const uint8_t duid[] = { 0, 3, 0, 1, 0x52, 0x54, 0, 1, 2, 3 };
    struct portsec_dhcp6 e;
    struct portsec_test_msg m;

    /* SOLICIT with an empty IA_NA. */
    dhcp6_start(&m, PORTSEC_DHCP6_SOLICIT, XID6);
    opt6(&m, OPT6_CLIENTID, duid, sizeof duid);
    opt6_ia_na_begin(&m, 1);
    portsec_test_msg_tlv16_end(&m);
    expect6_init(&e, PORTSEC_DHCP6_SOLICIT, XID6);
    check(&dhcp6, "SOLICIT", &m, &e, NULL);
    check_truncations(&dhcp6, "SOLICIT truncated", &m, &e, 4);
    PORTSEC_CHECK_EQ("SOLICIT is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_SOLICIT), 0);

    /* A header alone. */
    dhcp6_start(&m, PORTSEC_DHCP6_INFORMATION_REQUEST, 0xffffff);
    expect6_init(&e, PORTSEC_DHCP6_INFORMATION_REQUEST, 0xffffff);
    check(&dhcp6, "header only", &m, &e, NULL);
    portsec_test_set_name("short header");
    check_len(&dhcp6, &m, 3, NULL, "header");
    check_len(&dhcp6, &m, 0, NULL, "empty");

    /* REPLY: two IA_NAs, statuses at every level. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_CLIENTID, duid, sizeof duid);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr(&m, 1, 3600, 7200);
    opt6_iaaddr_begin(&m, 2, 0, 0);
    opt6(&m, 99, duid, sizeof duid);        /* Unknown, skipped. */
    opt6_status(&m, 2, "no addrs");         /* The address's own. */
    opt6_status(&m, 4, "ignored");          /* Second: ignored. */
    portsec_test_msg_tlv16_end(&m);
    opt6_status(&m, 3, "");                 /* The IA's. */
    opt6_status(&m, 5, "");                 /* Second: ignored. */
    opt6_iaaddr(&m, 3, 0, UINT32_MAX);
    portsec_test_msg_tlv16_end(&m);
    opt6_ia_na_begin(&m, 2);
    opt6_iaaddr(&m, 4, UINT32_MAX, UINT32_MAX);
    opt6_iaaddr_begin(&m, 5, 10, 20);
    opt6_status(&m, 0, "Success");
    portsec_test_msg_tlv16_end(&m);
    portsec_test_msg_tlv16_end(&m);
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
    check(&dhcp6, "REPLY", &m, &e, NULL);
    check_truncations(&dhcp6, "REPLY truncated", &m, &e, 4);
    PORTSEC_CHECK_EQ("REPLY is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_REPLY), 1);

    /* REPLY with only a top-level status; ADVERTISE with IA_TA; IA_PD and
     * addresses outside IAs are not read. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, 0);
    opt6_status(&m, 3, "NoBinding");
    expect6_init(&e, PORTSEC_DHCP6_REPLY, 0);
    e.has_status = true;
    e.status = 3;
    check(&dhcp6, "REPLY, status only", &m, &e, NULL);

    dhcp6_start(&m, PORTSEC_DHCP6_ADVERTISE, 7);
    opt6_iaaddr(&m, 10, 1, 2);              /* Top-level: skipped. */
    portsec_test_msg_tlv16_begin(&m, OPT6_IA_PD);
    portsec_test_msg_put_be32(&m, 1);
    portsec_test_msg_put_be32(&m, 0);
    portsec_test_msg_put_be32(&m, 0);
    opt6_iaaddr(&m, 11, 1, 2);              /* In IA_PD: skipped. */
    portsec_test_msg_tlv16_end(&m);
    opt6_ia_ta_begin(&m, 9);
    opt6_iaaddr(&m, 12, UINT32_MAX, UINT32_MAX);
    opt6_status(&m, 1, "");
    opt6_iaaddr_begin(&m, 13, 5, 6);
    opt6_iaaddr(&m, 14, 5, 6);              /* Nested: skipped. */
    portsec_test_msg_tlv16_end(&m);
    portsec_test_msg_tlv16_end(&m);
    opt6_ia_ta_begin(&m, 10);               /* Empty IA_TA. */
    portsec_test_msg_tlv16_end(&m);
    expect6_init(&e, PORTSEC_DHCP6_ADVERTISE, 7);
    expect6_addr(&e, 12, UINT32_MAX, UINT32_MAX, 1);
    expect6_addr(&e, 13, 5, 6, 1);
    check(&dhcp6, "ADVERTISE, IA_TA", &m, &e, NULL);
    check_truncations(&dhcp6, "ADVERTISE truncated", &m, &e, 4);
    PORTSEC_CHECK_EQ("ADVERTISE is server msg",
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
    portsec_test_msg_tlv16_end(&m);
    check(&dhcp6, "11 addresses", &m, &e, NULL);
    ovs_assert(e.n_addrs == 8 && e.addrs_truncated);

    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    for (int i = 0; i < 5; i++) {
        opt6_iaaddr(&m, i + 1, 1, 2);
        expect6_addr(&e, i + 1, 1, 2, 0);
    }
    portsec_test_msg_tlv16_end(&m);
    opt6_ia_ta_begin(&m, 2);
    for (int i = 5; i < 9; i++) {
        opt6_iaaddr(&m, i + 1, 1, 2);
        expect6_addr(&e, i + 1, 1, 2, 2);
    }
    opt6_status(&m, 2, "");
    portsec_test_msg_tlv16_end(&m);
    check(&dhcp6, "9 addresses in two IAs", &m, &e, NULL);
    ovs_assert(e.n_addrs == 8 && e.addrs_truncated);
    check_truncations(&dhcp6, "9 addresses truncated", &m, &e, 4);

    /* Exactly 8 addresses are not truncated. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    for (int i = 0; i < 8; i++) {
        opt6_ia_na_begin(&m, i);
        opt6_iaaddr(&m, i + 1, 1, 2);
        expect6_addr(&e, i + 1, 1, 2, 0);
        portsec_test_msg_tlv16_end(&m);
    }
    check(&dhcp6, "8 addresses", &m, &e, NULL);
    ovs_assert(e.n_addrs == 8 && !e.addrs_truncated);

    /* Message types that only servers and relays send. */
    for (int type = 0; type < 256; type++) {
        bool server = (type == PORTSEC_DHCP6_ADVERTISE
                       || type == PORTSEC_DHCP6_REPLY
                       || type == PORTSEC_DHCP6_RECONFIGURE
                       || type == PORTSEC_DHCP6_RELAY_REPL);

        portsec_test_set_name("is_server_msg");
        PORTSEC_CHECK_EQ("portsec_dhcp6_is_server_msg",
                 portsec_dhcp6_is_server_msg(type), server);
    }

    /* An unknown message type is a client/server message. */
    dhcp6_start(&m, 200, 1);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr(&m, 1, 1, 2);
    portsec_test_msg_tlv16_end(&m);
    expect6_init(&e, 200, 1);
    expect6_addr(&e, 1, 1, 2, 0);
    check(&dhcp6, "unknown message type", &m, &e, NULL);
}

static void
test_dhcp6_errors(void)
{
    static const uint8_t zeros[32];
    struct portsec_dhcp6 e;
    struct portsec_test_msg m;

    /* Options shorter than their fixed parts, at every level. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_IA_NA, zeros, 11);
    check(&dhcp6, "IA_NA of 11 bytes", &m, NULL, "IA_NA option shorter");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_IA_NA, zeros, 12);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    check(&dhcp6, "IA_NA of 12 bytes", &m, &e, NULL);

    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_IA_TA, zeros, 3);
    check(&dhcp6, "IA_TA of 3 bytes", &m, NULL, "IA_TA option shorter");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_IA_TA, zeros, 0);
    check(&dhcp6, "IA_TA of 0 bytes", &m, NULL, "IA_TA option shorter");

    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6(&m, OPT6_IAADDR, zeros, 23);
    portsec_test_msg_tlv16_end(&m);
    check(&dhcp6, "IA Address of 23 bytes", &m, NULL,
          "IA Address option shorter");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_ta_begin(&m, 1);
    opt6(&m, OPT6_IAADDR, zeros, 24);
    portsec_test_msg_tlv16_end(&m);
    expect6_addr(&e, 0, 0, 0, 0);
    memset(&e.addrs[0].addr, 0, sizeof e.addrs[0].addr);
    check(&dhcp6, "IA Address of 24 bytes", &m, &e, NULL);

    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6(&m, OPT6_STATUS_CODE, zeros, 1);
    check(&dhcp6, "top-level Status Code of 1 byte", &m, NULL, "Status Code");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6(&m, OPT6_STATUS_CODE, zeros, 0);
    portsec_test_msg_tlv16_end(&m);
    check(&dhcp6, "IA Status Code of 0 bytes", &m, NULL, "Status Code");
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr_begin(&m, 1, 1, 1);
    opt6_status(&m, 0, "");
    opt6(&m, OPT6_STATUS_CODE, zeros, 1);   /* Even a second one. */
    portsec_test_msg_tlv16_end(&m);
    portsec_test_msg_tlv16_end(&m);
    check(&dhcp6, "IA Address Status Code of 1 byte", &m, NULL, "Status Code");

    /* Options that run past their container. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    portsec_test_msg_put_be16(&m, OPT6_CLIENTID);
    portsec_test_msg_put_be16(&m, 10);
    portsec_test_msg_put(&m, zeros, 9);
    check(&dhcp6, "option past message", &m, NULL, "past the end");
    m.len = 4 + 3;
    check(&dhcp6, "option header past message", &m, NULL, "header runs past");

    /* An IA Address that runs past its IA_NA, though not past the
     * message. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr(&m, 1, 1, 1);
    portsec_test_msg_tlv16_end(&m);
    opt6(&m, OPT6_CLIENTID, zeros, 16);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    expect6_addr(&e, 1, 1, 1, 0);
    check(&dhcp6, "nested, fits", &m, &e, NULL);
    m.b[4 + 4 + 12 + 3] = 29;               /* IAADDR length 28 -> 29. */
    check(&dhcp6, "IA Address past IA_NA", &m, NULL, "past the end");
    m.b[4 + 4 + 12 + 3] = 28;
    m.b[4 + 3] -= 1;                        /* IA_NA length 40 -> 39. */
    check(&dhcp6, "IA_NA cuts its IA Address", &m, NULL, "past the end");
    m.b[4 + 3] -= 2;                        /* IA_NA length 40 -> 37. */
    check(&dhcp6, "IA_NA cuts its IA Address", &m, NULL, "past the end");
    m.b[4 + 3] = 40 - 28 + 3;               /* 3 bytes of IAADDR header. */
    check(&dhcp6, "IA_NA cuts an option header", &m, NULL, "header runs past");

    /* A Status Code that runs past its IA Address. */
    dhcp6_start(&m, PORTSEC_DHCP6_REPLY, XID6);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr_begin(&m, 1, 1, 1);
    opt6_status(&m, 2, "ab");
    portsec_test_msg_tlv16_end(&m);
    opt6_status(&m, 2, "abcdefgh");
    portsec_test_msg_tlv16_end(&m);
    expect6_init(&e, PORTSEC_DHCP6_REPLY, XID6);
    expect6_addr(&e, 1, 1, 1, 2);
    check(&dhcp6, "status in IA Address", &m, &e, NULL);
    m.b[4 + 4 + 12 + 4 + 24 + 3] = 5;       /* Status length 4 -> 5. */
    check(&dhcp6, "Status Code past IA Address", &m, NULL, "past the end");
    m.b[4 + 4 + 12 + 4 + 24 + 3] = 3;       /* Status length 4 -> 3. */
    check(&dhcp6, "Status Code leaves 1 byte", &m, NULL, "header runs past");
}

static void
test_dhcp6_relay(void)
{
    struct portsec_dhcp6 e;
    struct portsec_test_msg inner;
    struct portsec_test_msg m;

    /* RELAY-FORW of a SOLICIT with an address: not descended into. */
    dhcp6_start(&inner, PORTSEC_DHCP6_REQUEST, XID6);
    opt6_ia_na_begin(&inner, 1);
    opt6_iaaddr(&inner, 1, 1, 2);
    portsec_test_msg_tlv16_end(&inner);

    dhcp6_start_relay(&m, PORTSEC_DHCP6_RELAY_FORW);
    opt6(&m, 18, "eth0", 4);                /* Interface-Id. */
    opt6(&m, OPT6_RELAY_MSG, inner.b, inner.len);
    expect6_init(&e, PORTSEC_DHCP6_RELAY_FORW, 0);
    check(&dhcp6, "RELAY-FORW", &m, &e, NULL);
    check_truncations(&dhcp6, "RELAY-FORW truncated", &m, &e, 34);
    PORTSEC_CHECK_EQ("RELAY-FORW is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_RELAY_FORW), 0);

    /* RELAY-REPL whose relayed message is garbage, and with IA_NA options
     * at its top level that would be malformed. */
    dhcp6_start_relay(&m, PORTSEC_DHCP6_RELAY_REPL);
    opt6(&m, OPT6_RELAY_MSG, "\x07\x00\x00\x01\x00\x03\xff\xff", 8);
    opt6(&m, OPT6_IA_NA, "x", 1);
    opt6_ia_na_begin(&m, 1);
    opt6_iaaddr(&m, 1, 1, 2);
    portsec_test_msg_tlv16_end(&m);
    opt6_status(&m, 1, "UnspecFail");
    expect6_init(&e, PORTSEC_DHCP6_RELAY_REPL, 0);
    e.has_status = true;
    e.status = 1;
    check(&dhcp6, "RELAY-REPL", &m, &e, NULL);
    check_truncations(&dhcp6, "RELAY-REPL truncated", &m, &e, 34);
    PORTSEC_CHECK_EQ("RELAY-REPL is server msg",
             portsec_dhcp6_is_server_msg(PORTSEC_DHCP6_RELAY_REPL), 1);

    /* A relay message's own options must still fit. */
    dhcp6_start_relay(&m, PORTSEC_DHCP6_RELAY_FORW);
    opt6(&m, OPT6_RELAY_MSG, inner.b, inner.len);
    m.len--;
    check(&dhcp6, "relay option past message", &m, NULL, "past the end");

    /* Header lengths. */
    dhcp6_start_relay(&m, PORTSEC_DHCP6_RELAY_FORW);
    portsec_test_set_name("relay header");
    check_len(&dhcp6, &m, 33, NULL, "34-byte header");
    check_len(&dhcp6, &m, 4, NULL, "34-byte header");
    check_len(&dhcp6, &m, 1, NULL, "34-byte header");
    expect6_init(&e, PORTSEC_DHCP6_RELAY_FORW, 0);
    check_len(&dhcp6, &m, 34, &e, NULL);
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

    exit(portsec_test_report(true));
}

OVSTEST_REGISTER("test-portsec-dhcp", test_portsec_dhcp_main);
