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

#include <string.h>

/* This file uses only header-only definitions from Open vSwitch, so that the
 * libFuzzer harnesses in tests/fuzz/ can compile it on its own. */

/* Reads a 16- or 32-bit big-endian value at 'p', which need not be
 * aligned. */
static uint16_t
get_be16(const uint8_t *p)
{
    return (p[0] << 8) | p[1];
}

static uint32_t
get_be32(const uint8_t *p)
{
    return ((uint32_t) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

/* Returns the 32 bits at 'p' in network byte order. */
static ovs_be32
get_net32(const uint8_t *p)
{
    ovs_be32 x;

    memcpy(&x, p, sizeof x);
    return x;
}

/* DHCPv4.
 * ======
 *
 * The fixed header (RFC 2131 figure 1) and its offsets. */
#define DHCP4_OP        0
#define DHCP4_HTYPE     1
#define DHCP4_HLEN      2
#define DHCP4_XID       4
#define DHCP4_CIADDR    12
#define DHCP4_YIADDR    16
#define DHCP4_CHADDR    28
#define DHCP4_SNAME     44
#define DHCP4_SNAME_LEN 64
#define DHCP4_FILE      108
#define DHCP4_FILE_LEN  128
#define DHCP4_COOKIE    236
#define DHCP4_OPTIONS   240     /* Just past the magic cookie. */

#define DHCP4_MAGIC_COOKIE 0x63825363   /* 99.130.83.99. */

/* Options (RFC 2132). */
#define DHCP4_OPT_PAD           0
#define DHCP4_OPT_REQUESTED_IP  50
#define DHCP4_OPT_LEASE_TIME    51
#define DHCP4_OPT_OVERLOAD      52
#define DHCP4_OPT_MSG_TYPE      53
#define DHCP4_OPT_SERVER_ID     54
#define DHCP4_OPT_END           255

/* Values of option 52 (RFC 2132 section 9.3). */
#define DHCP4_OVERLOAD_FILE  1
#define DHCP4_OVERLOAD_SNAME 2
#define DHCP4_OVERLOAD_BOTH  3

/* State of one DHCPv4 parse beyond what 'struct portsec_dhcp4' holds. */
struct dhcp4_state {
    uint8_t overload;           /* Option 52's value, 0 if absent. */
    bool has_msg_type;          /* Option 53 seen? */
};

/* Interprets the DHCPv4 option 'code' whose 'len' bytes of data are at
 * 'data', storing what it says into 'msg' and 'st' unless an earlier
 * instance of the same option already did.  Returns NULL if successful,
 * otherwise an error message. */
static const char *
dhcp4_parse_option(uint8_t code, const uint8_t *data, uint8_t len,
                   struct portsec_dhcp4 *msg, struct dhcp4_state *st)
{
    switch (code) {
    case DHCP4_OPT_REQUESTED_IP:
        if (len != 4) {
            return "DHCPv4 Requested IP Address option length is not 4";
        }
        if (!msg->has_requested_ip) {
            msg->has_requested_ip = true;
            msg->requested_ip = get_net32(data);
        }
        break;

    case DHCP4_OPT_LEASE_TIME:
        if (len != 4) {
            return "DHCPv4 IP Address Lease Time option length is not 4";
        }
        if (!msg->has_lease_time) {
            msg->has_lease_time = true;
            msg->lease_time = get_be32(data);
        }
        break;

    case DHCP4_OPT_OVERLOAD:
        if (len != 1) {
            return "DHCPv4 Option Overload option length is not 1";
        }
        if (data[0] < DHCP4_OVERLOAD_FILE || data[0] > DHCP4_OVERLOAD_BOTH) {
            return "DHCPv4 Option Overload value is not 1, 2 or 3";
        }
        if (!st->overload) {
            st->overload = data[0];
        }
        break;

    case DHCP4_OPT_MSG_TYPE:
        if (len != 1) {
            return "DHCPv4 Message Type option length is not 1";
        }
        if (!st->has_msg_type) {
            st->has_msg_type = true;
            msg->msg_type = data[0];
        }
        break;

    case DHCP4_OPT_SERVER_ID:
        if (len != 4) {
            return "DHCPv4 Server Identifier option length is not 4";
        }
        if (!msg->has_server_id) {
            msg->has_server_id = true;
            msg->server_id = get_net32(data);
        }
        break;

    default:
        break;
    }
    return NULL;
}

/* Parses the options in the 'size' bytes at 'p' (the options field, or
 * the 'file' or 'sname' field when overloaded) up to the End option or
 * the end of the field. */
static const char *
dhcp4_parse_options(const uint8_t *p, size_t size,
                    struct portsec_dhcp4 *msg, struct dhcp4_state *st)
{
    size_t ofs = 0;

    while (ofs < size) {
        uint8_t code = p[ofs];
        const char *error;
        uint8_t len;

        if (code == DHCP4_OPT_END) {
            break;
        } else if (code == DHCP4_OPT_PAD) {
            ofs++;
            continue;
        }

        if (size - ofs < 2) {
            return "DHCPv4 option length runs past the end of its field";
        }
        len = p[ofs + 1];
        if (size - ofs - 2 < len) {
            return "DHCPv4 option runs past the end of its field";
        }
        error = dhcp4_parse_option(code, &p[ofs + 2], len, msg, st);
        if (error) {
            return error;
        }
        ofs += 2 + len;
    }
    return NULL;
}

const char *
portsec_dhcp4_parse(const void *payload, size_t len,
                    struct portsec_dhcp4 *msg)
{
    const uint8_t *p = payload;
    struct dhcp4_state st = { .overload = 0, .has_msg_type = false };
    const char *error;

    memset(msg, 0, sizeof *msg);
    if (len < DHCP4_COOKIE) {
        return "DHCPv4 message shorter than its fixed header";
    }
    if (len < DHCP4_OPTIONS
        || get_be32(&p[DHCP4_COOKIE]) != DHCP4_MAGIC_COOKIE) {
        return "DHCPv4 magic cookie missing";
    }

    msg->op = p[DHCP4_OP];
    if (msg->op != PORTSEC_BOOTREQUEST && msg->op != PORTSEC_BOOTREPLY) {
        return "DHCPv4 op is neither BOOTREQUEST nor BOOTREPLY";
    }
    msg->xid = get_net32(&p[DHCP4_XID]);
    msg->chaddr_is_ether = p[DHCP4_HTYPE] == 1 && p[DHCP4_HLEN] == 6;
    if (msg->chaddr_is_ether) {
        memcpy(msg->chaddr.ea, &p[DHCP4_CHADDR], sizeof msg->chaddr.ea);
    }
    msg->ciaddr = get_net32(&p[DHCP4_CIADDR]);
    msg->yiaddr = get_net32(&p[DHCP4_YIADDR]);

    /* The options field, then the overloaded fields: 'file' before 'sname'
     * (RFC 2131 section 4.1).  Option 52 only counts in the options
     * field, which the loop reads first. */
    error = dhcp4_parse_options(&p[DHCP4_OPTIONS], len - DHCP4_OPTIONS,
                                msg, &st);
    if (!error && (st.overload & DHCP4_OVERLOAD_FILE)) {
        error = dhcp4_parse_options(&p[DHCP4_FILE], DHCP4_FILE_LEN,
                                    msg, &st);
    }
    if (!error && (st.overload & DHCP4_OVERLOAD_SNAME)) {
        error = dhcp4_parse_options(&p[DHCP4_SNAME], DHCP4_SNAME_LEN,
                                    msg, &st);
    }
    return error;
}

bool
portsec_dhcp4_is_server_msg(const struct portsec_dhcp4 *msg)
{
    switch (msg->msg_type) {
    case PORTSEC_DHCPOFFER:
    case PORTSEC_DHCPACK:
    case PORTSEC_DHCPNAK:
        return true;
    case 0:
        return msg->op == PORTSEC_BOOTREPLY;
    default:
        return false;
    }
}

/* DHCPv6.
 * ======
 *
 * Header sizes (RFC 8415 sections 8 and 9). */
#define DHCP6_HEADER_LEN       4    /* msg-type, transaction-id. */
#define DHCP6_RELAY_HEADER_LEN 34   /* msg-type, hop-count, link-address,
                                     * peer-address. */
#define DHCP6_OPT_HEADER_LEN   4    /* option-code, option-len. */

/* Options (RFC 8415 section 21) and their minimum lengths. */
#define DHCP6_OPT_IA_NA       3
#define DHCP6_OPT_IA_TA       4
#define DHCP6_OPT_IAADDR      5
#define DHCP6_OPT_STATUS_CODE 13

#define DHCP6_IA_NA_MIN_LEN       12    /* IAID, T1, T2. */
#define DHCP6_IA_TA_MIN_LEN       4     /* IAID. */
#define DHCP6_IAADDR_MIN_LEN      24    /* Address, lifetimes. */
#define DHCP6_STATUS_CODE_MIN_LEN 2     /* status-code. */

/* Iterates over the DHCPv6 options in a container: a message's options or
 * an option's encapsulated options. */
struct dhcp6_options {
    const uint8_t *p;           /* Next option. */
    size_t left;                /* Bytes from 'p' to the container's end. */
};

/* One DHCPv6 option. */
struct dhcp6_option {
    uint16_t code;
    uint16_t len;
    const uint8_t *data;        /* 'len' bytes. */
};

/* If 'iter' has another option, stores it in '*opt', advances 'iter' past
 * it and returns true.  Otherwise returns false, with '*error' set to NULL
 * at the container's end or to an error message if the next option does
 * not fit. */
static bool
dhcp6_next_option(struct dhcp6_options *iter, struct dhcp6_option *opt,
                  const char **error)
{
    *error = NULL;
    if (!iter->left) {
        return false;
    }
    if (iter->left < DHCP6_OPT_HEADER_LEN) {
        *error = "DHCPv6 option header runs past the end of its container";
        return false;
    }
    opt->code = get_be16(iter->p);
    opt->len = get_be16(iter->p + 2);
    if (iter->left - DHCP6_OPT_HEADER_LEN < opt->len) {
        *error = "DHCPv6 option runs past the end of its container";
        return false;
    }
    opt->data = iter->p + DHCP6_OPT_HEADER_LEN;
    iter->p += DHCP6_OPT_HEADER_LEN + opt->len;
    iter->left -= DHCP6_OPT_HEADER_LEN + opt->len;
    return true;
}

static struct dhcp6_options
dhcp6_encapsulated(const struct dhcp6_option *opt, size_t skip)
{
    return (struct dhcp6_options) {
        .p = opt->data + skip,
        .left = opt->len - skip,
    };
}

/* Parses the Status Code option 'opt' into '*status', unless '*has_status'
 * says that an earlier one already did. */
static const char *
dhcp6_parse_status(const struct dhcp6_option *opt, bool *has_status,
                   uint16_t *status)
{
    if (opt->len < DHCP6_STATUS_CODE_MIN_LEN) {
        return "DHCPv6 Status Code option shorter than 2 bytes";
    }
    if (!*has_status) {
        *has_status = true;
        *status = get_be16(opt->data);
    }
    return NULL;
}

/* Parses the IA Address option 'opt' and appends its address to 'msg',
 * with 'own_status' set to true if the IA Address has a Status Code of
 * its own. */
static const char *
dhcp6_parse_iaaddr(const struct dhcp6_option *opt, struct portsec_dhcp6 *msg,
                   bool *own_status)
{
    struct portsec_dhcp6_addr addr;
    struct dhcp6_options iter;
    struct dhcp6_option sub;
    const char *error;

    *own_status = false;
    if (opt->len < DHCP6_IAADDR_MIN_LEN) {
        return "DHCPv6 IA Address option shorter than 24 bytes";
    }
    memset(&addr, 0, sizeof addr);
    memcpy(&addr.addr, opt->data, sizeof addr.addr);
    addr.preferred_lifetime = get_be32(opt->data + 16);
    addr.valid_lifetime = get_be32(opt->data + 20);

    iter = dhcp6_encapsulated(opt, DHCP6_IAADDR_MIN_LEN);
    while (dhcp6_next_option(&iter, &sub, &error)) {
        if (sub.code == DHCP6_OPT_STATUS_CODE) {
            error = dhcp6_parse_status(&sub, own_status, &addr.status);
            if (error) {
                return error;
            }
        }
    }
    if (error) {
        return error;
    }

    if (msg->n_addrs < PORTSEC_DHCP6_MAX_ADDRS) {
        msg->addrs[msg->n_addrs++] = addr;
    } else {
        msg->addrs_truncated = true;
    }
    return NULL;
}

/* Parses the IA_NA or IA_TA option 'opt', whose fixed part is 'fixed_len'
 * bytes long, appending its addresses to 'msg'. */
static const char *
dhcp6_parse_ia(const struct dhcp6_option *opt, size_t fixed_len,
               struct portsec_dhcp6 *msg)
{
    /* Which of this IA's addresses in 'msg->addrs' have a Status Code of
     * their own. */
    bool own_status[PORTSEC_DHCP6_MAX_ADDRS] = { false };
    size_t first = msg->n_addrs;
    bool has_ia_status = false;
    uint16_t ia_status = 0;
    struct dhcp6_options iter;
    struct dhcp6_option sub;
    const char *error;

    if (opt->len < fixed_len) {
        return (opt->code == DHCP6_OPT_IA_NA
                ? "DHCPv6 IA_NA option shorter than 12 bytes"
                : "DHCPv6 IA_TA option shorter than 4 bytes");
    }

    iter = dhcp6_encapsulated(opt, fixed_len);
    while (dhcp6_next_option(&iter, &sub, &error)) {
        if (sub.code == DHCP6_OPT_IAADDR) {
            size_t n = msg->n_addrs;
            bool own;

            error = dhcp6_parse_iaaddr(&sub, msg, &own);
            if (error) {
                return error;
            }
            if (msg->n_addrs > n) {
                own_status[n] = own;
            }
        } else if (sub.code == DHCP6_OPT_STATUS_CODE) {
            error = dhcp6_parse_status(&sub, &has_ia_status, &ia_status);
            if (error) {
                return error;
            }
        }
    }
    if (error) {
        return error;
    }

    /* The IA's Status Code, wherever it is in the IA, applies to those of
     * its addresses that have none of their own. */
    for (size_t i = first; i < msg->n_addrs; i++) {
        if (!own_status[i]) {
            msg->addrs[i].status = ia_status;
        }
    }
    return NULL;
}

const char *
portsec_dhcp6_parse(const void *payload, size_t len,
                    struct portsec_dhcp6 *msg)
{
    const uint8_t *p = payload;
    struct dhcp6_options iter;
    struct dhcp6_option opt;
    const char *error;
    bool relay;

    memset(msg, 0, sizeof *msg);
    if (len < 1) {
        return "DHCPv6 message is empty";
    }
    msg->msg_type = p[0];
    relay = (msg->msg_type == PORTSEC_DHCP6_RELAY_FORW
             || msg->msg_type == PORTSEC_DHCP6_RELAY_REPL);
    if (relay) {
        if (len < DHCP6_RELAY_HEADER_LEN) {
            return "DHCPv6 relay message shorter than its 34-byte header";
        }
        iter = (struct dhcp6_options) {
            .p = p + DHCP6_RELAY_HEADER_LEN,
            .left = len - DHCP6_RELAY_HEADER_LEN,
        };
    } else {
        if (len < DHCP6_HEADER_LEN) {
            return "DHCPv6 message shorter than its 4-byte header";
        }
        msg->xid = get_be32(p) & 0xffffff;
        iter = (struct dhcp6_options) {
            .p = p + DHCP6_HEADER_LEN,
            .left = len - DHCP6_HEADER_LEN,
        };
    }

    while (dhcp6_next_option(&iter, &opt, &error)) {
        /* Relay messages' options are not descended into. */
        if (opt.code == DHCP6_OPT_STATUS_CODE) {
            error = dhcp6_parse_status(&opt, &msg->has_status, &msg->status);
        } else if (!relay && opt.code == DHCP6_OPT_IA_NA) {
            error = dhcp6_parse_ia(&opt, DHCP6_IA_NA_MIN_LEN, msg);
        } else if (!relay && opt.code == DHCP6_OPT_IA_TA) {
            error = dhcp6_parse_ia(&opt, DHCP6_IA_TA_MIN_LEN, msg);
        }
        if (error) {
            return error;
        }
    }
    return error;
}

bool
portsec_dhcp6_is_server_msg(uint8_t msg_type)
{
    return (msg_type == PORTSEC_DHCP6_ADVERTISE
            || msg_type == PORTSEC_DHCP6_REPLY
            || msg_type == PORTSEC_DHCP6_RECONFIGURE
            || msg_type == PORTSEC_DHCP6_RELAY_REPL);
}
