/* dhcp.c - DHCPv4 / BOOTP message decoder (see caps/dhcp.h).
 *
 * Reads the fixed BOOTP header, checks the magic cookie, then walks the
 * options field and, when option 52 overloads them, the file and sname fields
 * in the order RFC 2131 section 4.1 gives. Framing errors (an option running
 * past its area) fail the message. A value malformed for its code (wrong fixed
 * length, empty text, bad FQDN labels) is only counted in options_bad: one odd
 * option must not hide the fingerprint the rest of the message carries.
 */
#include "caps/dhcp.h"

#include <stddef.h>
#include <string.h>

#include "caps/error.h"
#include "cursor.h"
#include "text.h"

/* Field offsets, RFC 2131 figure 1. */
#define OFF_XID 4
#define OFF_SECS 8
#define OFF_FLAGS 10
#define OFF_CIADDR 12
#define OFF_YIADDR 16
#define OFF_SIADDR 20
#define OFF_GIADDR 24
#define OFF_CHADDR 28
#define OFF_SNAME 44
#define OFF_FILE 108
#define OFF_COOKIE 236

#define OPT_PAD 0
#define OPT_END 255

/* Where an option area lives: the options field may be cut by the capture,
 * file and sname are fixed fields already known to be whole. */
enum area { AREA_OPTIONS, AREA_FILE, AREA_SNAME };

static void bad(struct caps_dhcp *out)
{
    if (out->options_bad < UINT8_MAX)
        out->options_bad++;
}

/* Copies text up to the first NUL of a fixed header field (RFC 2131: sname
 * and file are "null terminated strings"; bytes after the NUL are junk). */
static void copy_field_text(char *dst, size_t cap, const uint8_t *src, size_t n)
{
    size_t len = 0;

    while (len < n && src[len] != 0)
        len++;
    caps_text_copy(dst, cap, src, len);
}

/* Option 81 name in RFC 1035 wire format (RFC 4702 section 2.3.1): labels of
 * 1..63 bytes, no compression, ending with the root label, or without it for
 * a partial name. Writes dotted text without the trailing dot; returns 0, or
 * -1 when malformed (dst is then ""). A '.' or control byte inside a label
 * becomes '?' so the dotted form cannot be misread. The loop consumes >= 1
 * byte per label and stops at CAPS_DHCP_FQDN_LABELS_MAX labels. */
static int decode_wire_name(char *dst, size_t cap, const uint8_t *v, size_t n)
{
    size_t in = 0, outn = 0;
    unsigned labels = 0;

    dst[0] = '\0';
    while (in < n) {
        size_t l = v[in++];
        if (l == 0 && in == n)
            return 0;                  /* the root label ends a full name */
        if (l == 0 || l > 63 || l > n - in || ++labels > CAPS_DHCP_FQDN_LABELS_MAX) {
            dst[0] = '\0';            /* bytes after the root label, 0xC0 */
            return -1;                 /* pointers, labels past the option */
        }
        if (outn > 0 && outn + 1 < cap)
            dst[outn++] = '.';
        for (size_t i = 0; i < l && outn + 1 < cap; i++) {
            uint8_t b = v[in + i];
            dst[outn++] = (b < 0x20 || b == '.' || b == 0x7f) ? '?' : (char)b;
        }
        dst[outn] = '\0';
        in += l;
    }
    return 0;
}

static uint32_t be32(const uint8_t *v)
{
    return rd_be32(v);
}

/* Decodes one option value v[0..n) of a known code into out. */
static void decode_option(struct caps_dhcp *out, uint8_t code, const uint8_t *v,
                          size_t n, enum area area)
{
    switch (code) {
    case 53:    /* message type, RFC 2132 9.6 */
        if (n != 1) {
            bad(out);
        } else if (!out->has_msg_type) {
            out->has_msg_type = 1;
            out->msg_type = v[0];
        }
        break;
    case 55: {  /* parameter request list, RFC 2132 9.8: concatenated (RFC 3396) */
        size_t room = CAPS_DHCP_PRL_MAX - out->prl_len;
        size_t take = n < room ? n : room;
        if (n == 0) {
            bad(out);
            break;
        }
        if (take > 0)
            memcpy(out->prl + out->prl_len, v, take);
        out->prl_len = (uint16_t)(out->prl_len + take);
        if (take < n)
            out->prl_truncated = 1;
        out->has_prl = 1;
        break;
    }
    case 57:    /* maximum message size, RFC 2132 9.10 */
        if (n != 2) {
            bad(out);
        } else if (!out->has_max_msg_size) {
            out->has_max_msg_size = 1;
            out->max_msg_size_bytes = rd_be16(v);
        }
        break;
    case 60:    /* vendor class identifier, RFC 2132 9.13: n >= 1 */
        if (n == 0) {
            bad(out);
        } else if (!out->has_vendor_class) {
            out->has_vendor_class = 1;
            out->vendor_class_len = (uint8_t)n;   /* n <= 255 == the array size */
            memcpy(out->vendor_class, v, n);
            caps_text_copy(out->vendor_class_text, sizeof out->vendor_class_text, v, n);
        }
        break;
    case 61: {  /* client identifier, RFC 2132 9.14: type + n >= 1 bytes */
        size_t idn;
        if (n < 2) {
            bad(out);
            break;
        }
        if (out->has_client_id)
            break;
        idn = n - 1;
        out->has_client_id = 1;
        out->client_id_type = v[0];
        if (idn > CAPS_DHCP_CLIENT_ID_MAX) {
            idn = CAPS_DHCP_CLIENT_ID_MAX;
            out->client_id_truncated = 1;
        }
        out->client_id_len = (uint8_t)idn;
        memcpy(out->client_id, v + 1, idn);
        break;
    }
    case 12:    /* host name, RFC 2132 3.14: n >= 1 */
        if (n == 0) {
            bad(out);
        } else if (!out->has_host_name) {
            out->has_host_name = 1;
            caps_text_copy(out->host_name, sizeof out->host_name, v, n);
        }
        break;
    case 15:    /* domain name, RFC 2132 3.17: n >= 1 */
        if (n == 0) {
            bad(out);
        } else if (!out->has_domain_name) {
            out->has_domain_name = 1;
            caps_text_copy(out->domain_name, sizeof out->domain_name, v, n);
        }
        break;
    case 81:    /* client FQDN, RFC 4702 2: flags, rcode1, rcode2, name */
        if (n < 3) {
            bad(out);
            break;
        }
        if (out->has_fqdn)
            break;
        out->has_fqdn = 1;
        out->fqdn_flags = v[0];
        out->fqdn_rcode1 = v[1];
        out->fqdn_rcode2 = v[2];
        if (v[0] & CAPS_DHCP_FQDN_E) {
            if (decode_wire_name(out->fqdn_name, sizeof out->fqdn_name, v + 3, n - 3) != 0)
                bad(out);
        } else {
            caps_text_copy(out->fqdn_name, sizeof out->fqdn_name, v + 3, n - 3);
        }
        break;
    case 50:    /* requested IP address, RFC 2132 9.1 */
    case 54:    /* server identifier, RFC 2132 9.7 */
    case 51:    /* lease time, RFC 2132 9.2 */
    case 58:    /* renewal (T1) time, RFC 2132 9.11 */
    case 59:    /* rebinding (T2) time, RFC 2132 9.12 */
    case 1: {   /* subnet mask, RFC 2132 3.3 */
        uint8_t *has;
        uint32_t *val;
        if (n != 4) {
            bad(out);
            break;
        }
        switch (code) {
        case 50: has = &out->has_requested_ip; val = &out->requested_ip; break;
        case 54: has = &out->has_server_id; val = &out->server_id; break;
        case 51: has = &out->has_lease; val = &out->lease_s; break;
        case 58: has = &out->has_t1; val = &out->t1_s; break;
        case 59: has = &out->has_t2; val = &out->t2_s; break;
        default: has = &out->has_subnet_mask; val = &out->subnet_mask; break;
        }
        if (!*has) {
            *has = 1;
            *val = be32(v);
        }
        break;
    }
    case 3:     /* routers, RFC 2132 3.5: n = 4k, k >= 1 */
        if (n == 0 || n % 4 != 0) {
            bad(out);
        } else if (!out->has_router) {
            out->has_router = 1;
            out->router = be32(v);
            out->router_count = (uint8_t)(n / 4);
        }
        break;
    case 6:     /* domain name servers, RFC 2132 3.8: n = 4k, k >= 1 */
        if (n == 0 || n % 4 != 0) {
            bad(out);
        } else if (out->dns_count == 0) {
            size_t k = n / 4;
            out->dns_count = (uint8_t)k;
            for (size_t i = 0; i < k && i < CAPS_DHCP_DNS_MAX; i++)
                out->dns[i] = be32(v + 4 * i);
        }
        break;
    case 77:    /* user class, RFC 3004 (Windows sends plain text): raw bytes */
    case 43: {  /* vendor-specific information, RFC 2132 8.4: raw bytes */
        uint8_t *has = code == 77 ? &out->has_user_class : &out->has_vendor_opts;
        uint8_t *dst = code == 77 ? out->user_class : out->vendor_opts;
        uint8_t *dlen = code == 77 ? &out->user_class_len : &out->vendor_opts_len;
        uint8_t *trunc = code == 77 ? &out->user_class_truncated : &out->vendor_opts_truncated;
        size_t cap = code == 77 ? CAPS_DHCP_USER_CLASS_MAX : CAPS_DHCP_VENDOR_OPTS_MAX;
        size_t take = n < cap ? n : cap;
        if (n == 0) {
            bad(out);
            break;
        }
        if (*has)
            break;
        *has = 1;
        memcpy(dst, v, take);
        *dlen = (uint8_t)take;
        *trunc = (uint8_t)(take < n);
        break;
    }
    case 116:   /* auto-configure, RFC 2563 2 */
        if (n != 1) {
            bad(out);
        } else if (!out->has_auto_config) {
            out->has_auto_config = 1;
            out->auto_config = v[0];
        }
        break;
    case 82:    /* relay agent information, RFC 3046 2: sub-options of >= 2 bytes */
        if (n < 2)
            bad(out);
        else
            out->has_relay_info = 1;
        break;
    case 125:   /* V-I vendor-specific information, RFC 3925 4: enterprise(4) len(1) .. */
        if (n < 5) {
            bad(out);
        } else if (!out->has_vivso) {
            out->has_vivso = 1;
            out->vivso_enterprise = be32(v);
        }
        break;
    case 52:    /* option overload, RFC 2132 9.3: honoured once, in the options
                   field only, so a 52 inside file or sname (or a second 52)
                   can never make an area be walked twice */
        if (n != 1 || v[0] < 1 || v[0] > 3)
            bad(out);
        else if (area == AREA_OPTIONS && out->overload == 0)
            out->overload = v[0];
        break;
    default:
        break;
    }
}

/* Walks one option area. In the options field an option running past the end
 * is a capture cut (CAPS_E_TRUNCATED); in file or sname it contradicts the
 * fixed field size (CAPS_E_LENGTH: RFC 2131 4.1 closes each area with its own
 * end option, and an RFC 3396 split never lets one instance span two areas).
 * The loop consumes >= 1 byte per step and is also bounded by
 * CAPS_DHCP_OPTIONS_MAX non-pad options over the whole message. */
static int walk_area(struct caps_dhcp *out, const uint8_t *p, size_t n, enum area area)
{
    struct cur c = cur_make(p, n);
    int cut = area == AREA_OPTIONS ? CAPS_E_TRUNCATED : CAPS_E_LENGTH;

    while (cur_left(&c) > 0) {
        uint8_t code, len;
        struct cur val;

        (void)cur_u8(&c, &code);
        if (code == OPT_PAD)          /* RFC 2132 3.1 */
            continue;
        if (code == OPT_END) {        /* RFC 2132 3.2 */
            if (area == AREA_OPTIONS)
                out->has_end = 1;
            return CAPS_OK;
        }
        if (cur_u8(&c, &len) != CAPS_OK || cur_sub(&c, len, &val) != CAPS_OK)
            return cut;
        if (out->options_count >= CAPS_DHCP_OPTIONS_MAX)
            return CAPS_E_LIMIT;
        if (out->options_count < CAPS_DHCP_ORDER_MAX)
            out->order[out->options_count] = code;
        else
            out->options_truncated = 1;
        out->options_count++;
        out->present[code >> 3] = (uint8_t)(out->present[code >> 3] | (1u << (code & 7)));
        decode_option(out, code, val.pos, len, area);
    }
    return CAPS_OK;   /* no end option: accepted, has_end stays 0 */
}

int caps_dhcp_parse(const uint8_t *buf, size_t len, struct caps_dhcp *out)
{
    int rc;

    memset(out, 0, offsetof(struct caps_dhcp, order));
    out->vendor_class_text[0] = '\0';
    out->host_name[0] = '\0';
    out->domain_name[0] = '\0';
    out->fqdn_name[0] = '\0';
    out->sname[0] = '\0';
    out->file[0] = '\0';

    if (len < CAPS_DHCP_FIXED_BYTES)
        return CAPS_E_TRUNCATED;
    out->op = buf[0];
    out->htype = buf[1];
    out->hlen = buf[2];
    out->hops = buf[3];
    if (out->op != 1 && out->op != 2)     /* RFC 2131 2: BOOTREQUEST or BOOTREPLY */
        return CAPS_E_FIELD;
    if (out->hlen > CAPS_DHCP_CHADDR_BYTES)   /* chaddr holds 16 bytes */
        return CAPS_E_LENGTH;
    out->xid = rd_be32(buf + OFF_XID);
    out->elapsed_s = rd_be16(buf + OFF_SECS);
    out->flags = rd_be16(buf + OFF_FLAGS);
    out->ciaddr = rd_be32(buf + OFF_CIADDR);
    out->yiaddr = rd_be32(buf + OFF_YIADDR);
    out->siaddr = rd_be32(buf + OFF_SIADDR);
    out->giaddr = rd_be32(buf + OFF_GIADDR);
    memcpy(out->chaddr, buf + OFF_CHADDR, CAPS_DHCP_CHADDR_BYTES);

    if (len < CAPS_DHCP_MIN_BYTES)
        return CAPS_E_TRUNCATED;
    /* RFC 2131 3: the options field starts with 99.130.83.99 (RFC 1497). */
    if (rd_be32(buf + OFF_COOKIE) != 0x63825363u)
        return CAPS_E_MAGIC;

    rc = walk_area(out, buf + CAPS_DHCP_MIN_BYTES, len - CAPS_DHCP_MIN_BYTES, AREA_OPTIONS);
    if (rc != CAPS_OK)
        return rc;
    /* RFC 2131 4.1: after the options field, file (overload 1 or 3), then
     * sname (2 or 3). overload is only set while walking the options field. */
    if (out->overload & 1) {
        rc = walk_area(out, buf + OFF_FILE, CAPS_DHCP_FILE_BYTES, AREA_FILE);
        if (rc != CAPS_OK)
            return rc;
    } else {
        copy_field_text(out->file, sizeof out->file, buf + OFF_FILE, CAPS_DHCP_FILE_BYTES);
    }
    if (out->overload & 2) {
        rc = walk_area(out, buf + OFF_SNAME, CAPS_DHCP_SNAME_BYTES, AREA_SNAME);
        if (rc != CAPS_OK)
            return rc;
    } else {
        copy_field_text(out->sname, sizeof out->sname, buf + OFF_SNAME, CAPS_DHCP_SNAME_BYTES);
    }
    return CAPS_OK;
}

const char *caps_dhcp_msg_type_name(uint8_t t)
{
    /* RFC 2132 9.6 (1-8), RFC 3203 (9), RFC 4388 (10-13), RFC 6926 (14-15),
     * RFC 7724 (16-18); IANA "DHCP Message Type 53 Values". */
    static const char *const names[] = {
        NULL, "discover", "offer", "request", "decline", "ack", "nak", "release",
        "inform", "forcerenew", "leasequery", "leaseunassigned", "leaseunknown",
        "leaseactive", "bulkleasequery", "leasequerydone", "activeleasequery",
        "leasequerystatus", "tls",
    };

    return t < sizeof names / sizeof names[0] ? names[t] : NULL;
}
