/* nbds.c - NetBIOS datagram service and browser frame decoder (see caps/nbds.h).
 *
 * Layers, each bounded by the one around it: the datagram (RFC 1002 4.4.1-3),
 * whose DGM_LENGTH bounds the names and user data; the SMB header and
 * SMB_COM_TRANSACTION request ([MS-CIFS] 2.2.3.1, 2.2.4.33.1) of a mailslot
 * write ([MS-MAIL] 2.2.1), whose DataOffset/DataCount are clamped to the user
 * data; and the browser frame ([MS-BRWS] 2.2) inside that transaction data.
 * Fragments are not reassembled: their user data is left undecoded.
 */
#include "caps/nbds.h"

#include <string.h>

#include "caps/error.h"
#include "cursor.h"
#include "netbios_name.h"
#include "text.h"

#define NBDS_HEADER_SHORT 10   /* MSG_TYPE .. SOURCE_PORT, RFC 1002 4.4.1 */
#define SMB_HEADER_LEN 32      /* [MS-CIFS] 2.2.3.1 */
#define SMB_COM_TRANSACTION 0x25
#define SMB_TRANS_WORDS_MIN 14 /* [MS-CIFS] 2.2.4.33.1: 14 + SetupCount words */
#define SMB_TRANS_DATA_COUNT 11 /* word index of DataCount */
#define SMB_TRANS_DATA_OFFSET 12 /* word index of DataOffset */
#define BRWS_NAME_FIELD 16     /* fixed ServerName/MachineGroup field */

static const char *const browser_opcode_names[] = {
    [CAPS_BRWS_HOST_ANNOUNCEMENT] = "host_announcement",
    [CAPS_BRWS_ANNOUNCEMENT_REQUEST] = "announcement_request",
    [CAPS_BRWS_REQUEST_ELECTION] = "request_election",
    [CAPS_BRWS_GET_BACKUP_LIST_REQUEST] = "get_backup_list_request",
    [CAPS_BRWS_GET_BACKUP_LIST_RESPONSE] = "get_backup_list_response",
    [CAPS_BRWS_BECOME_BACKUP] = "become_backup",
    [CAPS_BRWS_DOMAIN_ANNOUNCEMENT] = "domain_announcement",
    [CAPS_BRWS_MASTER_ANNOUNCEMENT] = "master_announcement",
    [CAPS_BRWS_RESET_STATE_REQUEST] = "reset_state_request",
    [CAPS_BRWS_LOCAL_MASTER_ANNOUNCEMENT] = "local_master_announcement",
};

const char *caps_nbds_browser_opcode_name(uint8_t opcode)
{
    if (opcode >= sizeof browser_opcode_names / sizeof browser_opcode_names[0] ||
        browser_opcode_names[opcode] == NULL)
        return "unknown";
    return browser_opcode_names[opcode];
}

static uint16_t rd_le16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[1] << 8 | (unsigned)p[0]);
}

/* Reads a NUL-terminated string into dst (cut to the field), consuming the
 * NUL. The frame bounds the scan: no NUL before its end is CAPS_E_TRUNCATED. */
static int read_cstr(struct cur *c, char *dst, size_t cap)
{
    size_t n = cur_left(c);
    const uint8_t *nul = n > 0 ? memchr(c->pos, 0, n) : NULL;

    if (nul == NULL)
        return CAPS_E_TRUNCATED;
    n = (size_t)(nul - c->pos);
    (void)caps_text_copy(dst, cap, c->pos, n);
    c->pos += n + 1;
    return CAPS_OK;
}

/* A fixed 16-byte, NUL-padded name field ([MS-BRWS] 2.2.1 ServerName): the
 * text stops at the first NUL, whatever padding follows it. */
static int read_name_field(struct cur *c, char *dst)
{
    const uint8_t *nul;
    size_t n = BRWS_NAME_FIELD;

    if (!cur_has(c, BRWS_NAME_FIELD))
        return CAPS_E_TRUNCATED;
    nul = memchr(c->pos, 0, BRWS_NAME_FIELD);
    if (nul != NULL)
        n = (size_t)(nul - c->pos);
    (void)caps_text_copy(dst, CAPS_NBDS_SERVER_TEXT_MAX, c->pos, n);
    c->pos += BRWS_NAME_FIELD;
    return CAPS_OK;
}

/* HostAnnouncement, LocalMasterAnnouncement, DomainAnnouncement: [MS-BRWS]
 * 2.2.1, 2.2.9, 2.2.7 share one layout (32 fixed bytes, then a string). */
static int read_announcement(struct cur *c, struct caps_nbds_browser *b)
{
    int rc;

    if ((rc = cur_u8(c, &b->update_count)) != CAPS_OK ||
        (rc = cur_le32(c, &b->periodicity_ms)) != CAPS_OK ||
        (rc = read_name_field(c, b->server_name)) != CAPS_OK ||
        (rc = cur_u8(c, &b->os_major)) != CAPS_OK ||
        (rc = cur_u8(c, &b->os_minor)) != CAPS_OK ||
        (rc = cur_le32(c, &b->server_type)) != CAPS_OK ||
        (rc = cur_u8(c, &b->browser_major)) != CAPS_OK ||
        (rc = cur_u8(c, &b->browser_minor)) != CAPS_OK ||
        (rc = cur_le16(c, &b->signature)) != CAPS_OK)
        return rc;
    return read_cstr(c, b->comment, sizeof b->comment);
}

/* The \MAILSLOT\BROWSE frames, [MS-BRWS] 2.2. */
static int read_browse(struct cur *c, struct caps_nbds_browser *b)
{
    int rc;

    if ((rc = cur_u8(c, &b->opcode)) != CAPS_OK)
        return rc;
    switch (b->opcode) {
    case CAPS_BRWS_HOST_ANNOUNCEMENT:
    case CAPS_BRWS_DOMAIN_ANNOUNCEMENT:
    case CAPS_BRWS_LOCAL_MASTER_ANNOUNCEMENT:
        return read_announcement(c, b);
    case CAPS_BRWS_ANNOUNCEMENT_REQUEST:  /* 2.2.2: Reserved, ResponseName */
        if ((rc = cur_skip(c, 1)) != CAPS_OK)
            return rc;
        return read_cstr(c, b->server_name, sizeof b->server_name);
    case CAPS_BRWS_REQUEST_ELECTION:  /* 2.2.3: Version, Criteria, Uptime, Unused, Name */
        if ((rc = cur_u8(c, &b->election_version)) != CAPS_OK ||
            (rc = cur_le32(c, &b->election_criteria)) != CAPS_OK ||
            (rc = cur_le32(c, &b->election_uptime_ms)) != CAPS_OK ||
            (rc = cur_skip(c, 4)) != CAPS_OK)
            return rc;
        return read_cstr(c, b->server_name, sizeof b->server_name);
    case CAPS_BRWS_GET_BACKUP_LIST_REQUEST:  /* 2.2.4: RequestedCount, Token */
        if ((rc = cur_u8(c, &b->backup_count)) != CAPS_OK)
            return rc;
        return cur_le32(c, &b->backup_token);
    case CAPS_BRWS_GET_BACKUP_LIST_RESPONSE:  /* 2.2.5: Count, Token, names */
        if ((rc = cur_u8(c, &b->backup_count)) != CAPS_OK ||
            (rc = cur_le32(c, &b->backup_token)) != CAPS_OK)
            return rc;
        /* Bounded by the named maximum; the remaining names are not needed. */
        while (b->backup_names_kept < b->backup_count &&
               b->backup_names_kept < CAPS_NBDS_BACKUP_NAMES_MAX) {
            if ((rc = read_cstr(c, b->backup_names[b->backup_names_kept],
                                CAPS_NBDS_SERVER_TEXT_MAX)) != CAPS_OK)
                return rc;
            b->backup_names_kept++;
        }
        return CAPS_OK;
    case CAPS_BRWS_BECOME_BACKUP:       /* 2.2.6: BrowserToPromote */
    case CAPS_BRWS_MASTER_ANNOUNCEMENT: /* 2.2.8: MasterBrowserServerName */
        return read_cstr(c, b->server_name, sizeof b->server_name);
    case CAPS_BRWS_RESET_STATE_REQUEST: /* 2.2.10: TypeOfReset */
        return cur_u8(c, &b->reset_type);
    default:
        return CAPS_OK;  /* unknown opcode: kept, nothing more to read */
    }
}

/* The \MAILSLOT\LANMAN frames as LAN Manager servers and Samba send them:
 * Opcode(16, LE), ServerType(32), OS major, OS minor, Periodicity(16, in
 * seconds), ServerName and Comment as NUL-terminated strings. */
static int read_lanman(struct cur *c, struct caps_nbds_browser *b)
{
    uint16_t opcode, period_s;
    int rc;

    if ((rc = cur_le16(c, &opcode)) != CAPS_OK)
        return rc;
    b->opcode = (uint8_t)(opcode & 0xFF);
    if (b->opcode != CAPS_BRWS_HOST_ANNOUNCEMENT &&
        b->opcode != CAPS_BRWS_DOMAIN_ANNOUNCEMENT &&
        b->opcode != CAPS_BRWS_LOCAL_MASTER_ANNOUNCEMENT)
        return CAPS_OK;
    if ((rc = cur_le32(c, &b->server_type)) != CAPS_OK ||
        (rc = cur_u8(c, &b->os_major)) != CAPS_OK ||
        (rc = cur_u8(c, &b->os_minor)) != CAPS_OK ||
        (rc = cur_le16(c, &period_s)) != CAPS_OK)
        return rc;
    b->periodicity_ms = (uint32_t)period_s * 1000u;
    if ((rc = read_cstr(c, b->server_name, sizeof b->server_name)) != CAPS_OK)
        return rc;
    return read_cstr(c, b->comment, sizeof b->comment);
}

/* User data: an SMB_COM_TRANSACTION request writing to a mailslot. */
static int read_smb(const uint8_t *s, size_t n, struct caps_nbds *out)
{
    const uint8_t *nul;
    size_t words, bytes, avail, data_offset, data_len;
    uint16_t byte_count, data_count;
    uint8_t wct;

    if (n < 4 || s[0] != 0xFF || s[1] != 'S' || s[2] != 'M' || s[3] != 'B')
        return CAPS_OK;  /* some other payload: not ours to judge */
    out->is_smb = 1;
    if (n < SMB_HEADER_LEN + 1)
        return CAPS_E_TRUNCATED;
    out->smb_command = s[4];
    if (out->smb_command != SMB_COM_TRANSACTION)
        return CAPS_OK;
    wct = s[SMB_HEADER_LEN];
    words = SMB_HEADER_LEN + 1;
    bytes = words + 2u * wct + 2;  /* after WordCount, Words, ByteCount */
    if (n < bytes)
        return CAPS_E_TRUNCATED;
    if (wct < SMB_TRANS_WORDS_MIN)
        return CAPS_E_FIELD;
    data_count = rd_le16(s + words + 2 * SMB_TRANS_DATA_COUNT);
    data_offset = rd_le16(s + words + 2 * SMB_TRANS_DATA_OFFSET);
    byte_count = rd_le16(s + bytes - 2);

    /* [MS-CIFS] 2.2.4.33.1: the transaction Name starts the SMB_Data bytes. */
    avail = n - bytes;
    if (byte_count < avail)
        avail = byte_count;
    nul = avail > 0 ? memchr(s + bytes, 0, avail) : NULL;
    if (nul == NULL)
        return byte_count < n - bytes ? CAPS_E_LENGTH : CAPS_E_TRUNCATED;
    (void)caps_text_copy(out->mailslot, sizeof out->mailslot, s + bytes,
                         (size_t)(nul - (s + bytes)));
    if (caps_text_ieq(s + bytes, (size_t)(nul - (s + bytes)), "\\MAILSLOT\\BROWSE"))
        out->mailslot_kind = CAPS_NBDS_MAILSLOT_BROWSE;
    else if (caps_text_ieq(s + bytes, (size_t)(nul - (s + bytes)), "\\MAILSLOT\\LANMAN"))
        out->mailslot_kind = CAPS_NBDS_MAILSLOT_LANMAN;
    else {
        out->mailslot_kind = CAPS_NBDS_MAILSLOT_OTHER;
        return CAPS_OK;
    }

    /* DataOffset counts from the SMB header; it must point past the words
     * and inside the user data. DataCount is clamped to what is there. */
    if (data_offset < bytes || data_offset > n)
        return CAPS_E_LENGTH;
    data_len = n - data_offset;
    if (data_count < data_len)
        data_len = data_count;
    struct cur frame = cur_make(s + data_offset, data_len);
    int rc = out->mailslot_kind == CAPS_NBDS_MAILSLOT_BROWSE
                 ? read_browse(&frame, &out->browser)
                 : read_lanman(&frame, &out->browser);
    if (rc != CAPS_OK)
        return rc;
    out->is_browser = 1;
    return CAPS_OK;
}

/* DIRECT_UNIQUE, DIRECT_GROUP and BROADCAST datagrams, RFC 1002 4.4.2. */
static int read_datagram(struct cur *c, const uint8_t *msg, struct caps_nbds *out)
{
    struct cur d;
    int rc;

    if ((rc = cur_be16(c, &out->dgm_length)) != CAPS_OK ||
        (rc = cur_be16(c, &out->packet_offset)) != CAPS_OK)
        return rc;
    if (cur_sub(c, out->dgm_length, &d) != CAPS_OK)
        return CAPS_E_TRUNCATED;
    if ((rc = caps_nb_name_read(&d, msg, 0, &out->source)) != CAPS_OK ||
        (rc = caps_nb_name_read(&d, msg, 0, &out->dest)) != CAPS_OK) {
        /* A name cut by DGM_LENGTH, not by the capture, is a length lie. */
        if (rc == CAPS_E_TRUNCATED && d.end != c->end)
            rc = CAPS_E_LENGTH;
        return rc;
    }
    out->has_source = 1;
    out->has_dest = 1;
    out->user_data_bytes = (uint16_t)cur_left(&d);
    /* RFC 1002 4.4.1: M set or a non-zero offset marks a fragment. */
    out->fragmented = (uint8_t)(out->more || out->packet_offset != 0);
    if (out->fragmented)
        return CAPS_OK;
    return read_smb(d.pos, cur_left(&d), out);
}

int caps_nbds_parse(const uint8_t *buf, size_t len, struct caps_nbds *out)
{
    struct cur c = cur_make(buf, len);
    int rc;

    memset(out, 0, offsetof(struct caps_nbds, browser.backup_names));
    if (!cur_has(&c, NBDS_HEADER_SHORT))
        return CAPS_E_TRUNCATED;
    out->msg_type = buf[0];
    out->flags = buf[1];
    out->more = (uint8_t)(buf[1] & 1);
    out->first = (uint8_t)(buf[1] >> 1 & 1);
    out->node_type = (uint8_t)(buf[1] >> 2 & 3);
    out->dgm_id = rd_be16(buf + 2);
    memcpy(out->src_ip, buf + 4, 4);
    out->src_port = rd_be16(buf + 8);
    c.pos += NBDS_HEADER_SHORT;

    switch (out->msg_type) {
    case CAPS_NBDS_DIRECT_UNIQUE:
    case CAPS_NBDS_DIRECT_GROUP:
    case CAPS_NBDS_BROADCAST:
        return read_datagram(&c, buf, out);
    case CAPS_NBDS_ERROR:  /* RFC 1002 4.4.3: ERROR_CODE ends the packet */
        return cur_u8(&c, &out->error_code);
    case CAPS_NBDS_QUERY_REQUEST:  /* RFC 1002 4.4.4: DESTINATION_NAME */
    case CAPS_NBDS_POSITIVE_QUERY_RESPONSE:
    case CAPS_NBDS_NEGATIVE_QUERY_RESPONSE:
        if ((rc = caps_nb_name_read(&c, buf, 0, &out->dest)) != CAPS_OK)
            return rc;
        out->has_dest = 1;
        return CAPS_OK;
    default:
        return CAPS_E_FIELD;
    }
}
