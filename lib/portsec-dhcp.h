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

#ifndef PORTSEC_DHCP_H
#define PORTSEC_DHCP_H 1

/* DHCP message parsers for DHCP snooping.
 * =======================================
 *
 * DHCP snooping reads a few fields of the DHCPv4 (RFC 2131, options from
 * RFC 2132) and DHCPv6 (RFC 8415) messages that it sees, to learn which
 * client was given which address, for how long, and by which server.
 * These parsers extract exactly those fields from a UDP payload.
 *
 * The input comes from untrusted guests, so the parsers check every length
 * against the bytes that are really there, never read past 'len', never
 * allocate, and reject a message whose structure is inconsistent (an option
 * that runs past its container, a message shorter than its fixed header, a
 * DHCP magic cookie that is missing).  They are plain functions of their
 * input: thread-safe, no global state.  Each has a libFuzzer harness in
 * tests/fuzz/.
 *
 * Both parsers return NULL on success, or a static string that says what is
 * wrong with the message (suitable for a log message), in which case the
 * output structure's contents are unspecified. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "openvswitch/types.h"

/* UDP ports (RFC 2131 section 4.1, RFC 8415 section 7.2). */
#define PORTSEC_DHCP4_SERVER_PORT 67
#define PORTSEC_DHCP4_CLIENT_PORT 68
#define PORTSEC_DHCP6_CLIENT_PORT 546
#define PORTSEC_DHCP6_SERVER_PORT 547

/* DHCPv4 'op' (RFC 2131 section 2). */
#define PORTSEC_BOOTREQUEST 1
#define PORTSEC_BOOTREPLY 2

/* DHCPv4 message types, the value of option 53 (RFC 2132 section 9.6). */
enum portsec_dhcp4_type {
    PORTSEC_DHCPDISCOVER = 1,
    PORTSEC_DHCPOFFER = 2,
    PORTSEC_DHCPREQUEST = 3,
    PORTSEC_DHCPDECLINE = 4,
    PORTSEC_DHCPACK = 5,
    PORTSEC_DHCPNAK = 6,
    PORTSEC_DHCPRELEASE = 7,
    PORTSEC_DHCPINFORM = 8,
};

/* What DHCP snooping needs from a DHCPv4 message. */
struct portsec_dhcp4 {
    uint8_t op;                 /* PORTSEC_BOOTREQUEST or BOOTREPLY. */
    uint8_t msg_type;           /* Option 53 (enum portsec_dhcp4_type, or
                                 * another value), 0 if absent (BOOTP). */
    ovs_be32 xid;               /* Transaction ID. */
    bool chaddr_is_ether;       /* htype 1 (Ethernet) and hlen 6? */
    struct eth_addr chaddr;     /* Client hardware address, all-zeros
                                 * unless 'chaddr_is_ether'. */
    ovs_be32 ciaddr;            /* Client IP address. */
    ovs_be32 yiaddr;            /* "Your" (client) IP address. */

    bool has_requested_ip;      /* Option 50 present (4 bytes)? */
    ovs_be32 requested_ip;
    bool has_lease_time;        /* Option 51 present (4 bytes)? */
    uint32_t lease_time;        /* Seconds, UINT32_MAX for infinity. */
    bool has_server_id;         /* Option 54 present (4 bytes)? */
    ovs_be32 server_id;
};

/* Parses the DHCPv4 message in the 'len' bytes at 'payload' (a UDP
 * payload, starting at 'op') into '*msg'.
 *
 * Requires the 236-byte fixed header (RFC 2131 figure 1) and the magic
 * cookie 99.130.83.99.  Options are read up to the End option (255) or the
 * end of the payload; Pad (0) is skipped.  With option 52 (Option
 * Overload, RFC 2132 section 9.3) set to 1, 2 or 3, the 'file' field, the
 * 'sname' field, or both are also read as options, in that order, after
 * the options field (RFC 2131 section 4.1); an overload value outside 1..3
 * is an error.  When an option appears more than once, the first
 * well-formed instance wins; an option 50, 51, 52, 53 or 54 whose length
 * is not the one that RFC 2132 gives is an error.  An option whose length
 * runs past the end of its field is an error. */
const char *portsec_dhcp4_parse(const void *payload, size_t len,
                                struct portsec_dhcp4 *msg);

/* DHCPv6 message types (RFC 8415 section 7.3). */
enum portsec_dhcp6_type {
    PORTSEC_DHCP6_SOLICIT = 1,
    PORTSEC_DHCP6_ADVERTISE = 2,
    PORTSEC_DHCP6_REQUEST = 3,
    PORTSEC_DHCP6_CONFIRM = 4,
    PORTSEC_DHCP6_RENEW = 5,
    PORTSEC_DHCP6_REBIND = 6,
    PORTSEC_DHCP6_REPLY = 7,
    PORTSEC_DHCP6_RELEASE = 8,
    PORTSEC_DHCP6_DECLINE = 9,
    PORTSEC_DHCP6_RECONFIGURE = 10,
    PORTSEC_DHCP6_INFORMATION_REQUEST = 11,
    PORTSEC_DHCP6_RELAY_FORW = 12,
    PORTSEC_DHCP6_RELAY_REPL = 13,
};

/* One address from an IA Address option (RFC 8415 section 21.6) inside an
 * IA_NA (21.4) or IA_TA (21.5) option. */
struct portsec_dhcp6_addr {
    struct in6_addr addr;
    uint32_t preferred_lifetime;    /* Seconds, UINT32_MAX for infinity. */
    uint32_t valid_lifetime;        /* Seconds, UINT32_MAX for infinity. */
    uint16_t status;                /* Status Code option (21.13) nested in
                                     * the IA Address option, or in its IA
                                     * when the address has none; 0
                                     * (Success) if neither has one. */
};

#define PORTSEC_DHCP6_MAX_ADDRS 8

/* What DHCP snooping needs from a DHCPv6 message. */
struct portsec_dhcp6 {
    uint8_t msg_type;           /* enum portsec_dhcp6_type or another. */
    uint32_t xid;               /* Transaction ID (24 bits), 0 for relay
                                 * messages. */

    /* Addresses of the IA_NA and IA_TA options of a client/server message,
     * in message order.  Always empty for relay messages (RELAY-FORW,
     * RELAY-REPL), whose options are not descended into. */
    struct portsec_dhcp6_addr addrs[PORTSEC_DHCP6_MAX_ADDRS];
    size_t n_addrs;
    bool addrs_truncated;       /* More than PORTSEC_DHCP6_MAX_ADDRS? */

    bool has_status;            /* Top-level Status Code option? */
    uint16_t status;
};

/* Parses the DHCPv6 message in the 'len' bytes at 'payload' (a UDP
 * payload, starting at msg-type) into '*msg'.
 *
 * A client/server message (RFC 8415 section 8) needs its 4-byte header; a
 * relay message (section 9) its 34-byte header.  Every option (2-byte code,
 * 2-byte length) must fit in its container (the message or an enclosing
 * option); an IA_NA shorter than 12 bytes, an IA_TA shorter than 4, an IA
 * Address shorter than 24 or a Status Code shorter than 2 is an error.
 * Unknown options are skipped. */
const char *portsec_dhcp6_parse(const void *payload, size_t len,
                                struct portsec_dhcp6 *msg);

/* Returns true for the DHCPv4 message types that only servers send
 * (OFFER, ACK, NAK) and for a BOOTREPLY without option 53. */
bool portsec_dhcp4_is_server_msg(const struct portsec_dhcp4 *msg);

/* Returns true for the DHCPv6 message types that only servers and relay
 * agents send toward clients: ADVERTISE, REPLY, RECONFIGURE and
 * RELAY-REPL. */
bool portsec_dhcp6_is_server_msg(uint8_t msg_type);

#endif /* portsec-dhcp.h */
