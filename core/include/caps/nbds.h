/* caps/nbds.h - NetBIOS datagram service decoder (UDP 138, RFC 1002 4.4)
 * and the browser frames ([MS-BRWS] 2.2) it carries: for an unfragmented
 * datagram holding an SMB_COM_TRANSACTION to \MAILSLOT\BROWSE or
 * \MAILSLOT\LANMAN, the announcements (OS version, server type, comment),
 * elections and backup lists. Strings are copied into bounded fields.
 */
#ifndef CAPS_NBDS_H
#define CAPS_NBDS_H

#include <stddef.h>
#include <stdint.h>

#include "caps/nbns.h"  /* struct caps_nb_name */

#define CAPS_NBDS_MAILSLOT_TEXT_MAX 64  /* mailslot path kept, NUL included;
                                           "\MAILSLOT\NET\GETDC<n>" fits */
#define CAPS_NBDS_SERVER_TEXT_MAX 17    /* a 16-byte server name field + NUL */
#define CAPS_NBDS_COMMENT_TEXT_MAX 49   /* [MS-BRWS] allows 43 bytes, Samba sends
                                           up to 48 (MAX_SERVER_STRING_LENGTH) */
#define CAPS_NBDS_BACKUP_NAMES_MAX 4    /* names kept from a GetBackupListResponse
                                           (clients ask for 4) */

enum caps_nbds_msg_type {               /* MSG_TYPE, RFC 1002 4.4.1 */
    CAPS_NBDS_DIRECT_UNIQUE = 0x10,
    CAPS_NBDS_DIRECT_GROUP = 0x11,
    CAPS_NBDS_BROADCAST = 0x12,
    CAPS_NBDS_ERROR = 0x13,
    CAPS_NBDS_QUERY_REQUEST = 0x14,
    CAPS_NBDS_POSITIVE_QUERY_RESPONSE = 0x15,
    CAPS_NBDS_NEGATIVE_QUERY_RESPONSE = 0x16
};

enum caps_nbds_mailslot {
    CAPS_NBDS_MAILSLOT_NONE = 0,  /* no SMB transaction in the user data */
    CAPS_NBDS_MAILSLOT_BROWSE,    /* \MAILSLOT\BROWSE ([MS-BRWS] frames) */
    CAPS_NBDS_MAILSLOT_LANMAN,    /* \MAILSLOT\LANMAN (LAN Manager announcements) */
    CAPS_NBDS_MAILSLOT_OTHER      /* any other mailslot, e.g. \MAILSLOT\NET\NETLOGON */
};

enum caps_nbds_browser_opcode {         /* [MS-BRWS] 2.2 */
    CAPS_BRWS_HOST_ANNOUNCEMENT = 1,
    CAPS_BRWS_ANNOUNCEMENT_REQUEST = 2,
    CAPS_BRWS_REQUEST_ELECTION = 8,
    CAPS_BRWS_GET_BACKUP_LIST_REQUEST = 9,
    CAPS_BRWS_GET_BACKUP_LIST_RESPONSE = 10,
    CAPS_BRWS_BECOME_BACKUP = 11,
    CAPS_BRWS_DOMAIN_ANNOUNCEMENT = 12,
    CAPS_BRWS_MASTER_ANNOUNCEMENT = 13,
    CAPS_BRWS_RESET_STATE_REQUEST = 14,
    CAPS_BRWS_LOCAL_MASTER_ANNOUNCEMENT = 15
};

#define CAPS_BRWS_SIGNATURE 0xAA55  /* announcement Signature, [MS-BRWS] 2.2.1 */

/* Server type bits ([MS-RAP] 5.5.6.1 / [MS-BRWS] 2.2.1), the common ones. */
#define CAPS_SV_TYPE_WORKSTATION 0x00000001u
#define CAPS_SV_TYPE_SERVER 0x00000002u
#define CAPS_SV_TYPE_DOMAIN_CTRL 0x00000008u
#define CAPS_SV_TYPE_PRINTQ_SERVER 0x00000200u
#define CAPS_SV_TYPE_SERVER_UNIX 0x00000800u
#define CAPS_SV_TYPE_NT 0x00001000u
#define CAPS_SV_TYPE_SERVER_NT 0x00008000u
#define CAPS_SV_TYPE_POTENTIAL_BROWSER 0x00010000u
#define CAPS_SV_TYPE_BACKUP_BROWSER 0x00020000u
#define CAPS_SV_TYPE_MASTER_BROWSER 0x00040000u
#define CAPS_SV_TYPE_DOMAIN_MASTER 0x00080000u
#define CAPS_SV_TYPE_WINDOWS 0x00400000u
#define CAPS_SV_TYPE_DFS 0x00800000u
#define CAPS_SV_TYPE_DOMAIN_ENUM 0x80000000u

/* A browser frame. Which fields are set depends on opcode; the rest are 0/"".
 *  Host/LocalMaster announcement: update_count, periodicity_ms, server_name,
 *    os_major/minor, server_type, browser_major/minor, signature, comment.
 *  DomainAnnouncement ([MS-BRWS] 2.2.7): the same slots hold MachineGroup
 *    (server_name), BrowserConfigVersionMajor/Minor (os_major/minor; Samba
 *    puts its announce version 6.1 there) and LocalMasterBrowserName (comment).
 *  LAN Manager frames (\MAILSLOT\LANMAN): server_type, os_major/minor,
 *    periodicity_ms (sent in seconds), server_name, comment; no browser
 *    version nor signature.
 *  RequestElection: election_version, election_criteria, election_uptime_ms,
 *    server_name.
 *  GetBackupListRequest: backup_count (requested), backup_token.
 *  GetBackupListResponse: backup_count (returned), backup_token, backup_names.
 *  AnnouncementRequest (ResponseName), BecomeBackup (BrowserToPromote),
 *    MasterAnnouncement (MasterBrowserServerName): server_name.
 *  ResetStateRequest: reset_type. */
struct caps_nbds_browser {
    uint8_t opcode;                /* enum caps_nbds_browser_opcode */
    uint8_t update_count;
    uint8_t os_major, os_minor;
    uint8_t browser_major, browser_minor;  /* 15.1 from Windows and Samba */
    uint16_t signature;            /* CAPS_BRWS_SIGNATURE when well formed */
    uint32_t periodicity_ms;
    uint32_t server_type;          /* CAPS_SV_TYPE_* bits */
    uint8_t election_version;
    uint32_t election_criteria;    /* OS (top byte), browser version, desire */
    uint32_t election_uptime_ms;
    uint8_t backup_count;
    uint8_t backup_names_kept;     /* min(names present, CAPS_NBDS_BACKUP_NAMES_MAX) */
    uint8_t reset_type;
    uint32_t backup_token;
    char server_name[CAPS_NBDS_SERVER_TEXT_MAX];
    char comment[CAPS_NBDS_COMMENT_TEXT_MAX];
    /* Last: only the first backup_names_kept are written. */
    char backup_names[CAPS_NBDS_BACKUP_NAMES_MAX][CAPS_NBDS_SERVER_TEXT_MAX];
};

struct caps_nbds {
    /* header, RFC 1002 4.4.1 */
    uint8_t msg_type;        /* enum caps_nbds_msg_type */
    uint8_t flags;           /* raw: 0 0 0 0 SNT(2) F M */
    uint8_t more;            /* M: more fragments follow */
    uint8_t first;           /* F: first fragment */
    uint8_t node_type;       /* SNT: 0 B, 1 P, 2 M, 3 NBDD */
    uint16_t dgm_id;
    uint8_t src_ip[4];       /* wire order */
    uint16_t src_port;
    uint16_t dgm_length;     /* 0x10-0x12: bytes of names + user data */
    uint16_t packet_offset;  /* 0x10-0x12: offset of this fragment's data */
    uint8_t error_code;      /* 0x13: 0x82 no such name, 0x83/0x84 bad name */
    uint8_t fragmented;      /* M set or offset != 0: user data not decoded */

    uint8_t has_source;      /* source name present (0x10-0x12) */
    uint8_t has_dest;        /* destination name present (0x10-0x12, 0x14-0x16) */
    struct caps_nb_name source;
    struct caps_nb_name dest;

    /* user data (complete datagrams of type 0x10-0x12 only) */
    uint16_t user_data_bytes;       /* DGM_LENGTH minus the two names */
    uint8_t is_smb;                 /* starts with 0xFF 'S' 'M' 'B' */
    uint8_t smb_command;            /* 0x25 SMB_COM_TRANSACTION for mailslots */
    uint8_t mailslot_kind;          /* enum caps_nbds_mailslot */
    uint8_t is_browser;             /* a browser frame was decoded into browser */
    char mailslot[CAPS_NBDS_MAILSLOT_TEXT_MAX];  /* transaction name, "" if none */

    struct caps_nbds_browser browser;  /* last, see its comment */
};

/* Decodes the NBDS datagram buf[0..len) (the UDP payload) into out, which the
 * caller owns; nothing in out points into buf. DGM_LENGTH must be covered by
 * len (bytes past it are ignored); the SMB DataOffset/DataCount are clamped to
 * the bytes present. A datagram that is fragmented, not SMB, not a mailslot
 * transaction or for another mailslot decodes with is_browser 0. Returns 0, or:
 *   CAPS_E_TRUNCATED  header, name, SMB header or browser field past the data,
 *                     or a string without its terminating NUL
 *   CAPS_E_FIELD      unknown MSG_TYPE, SMB transaction of under 14 words
 *   CAPS_E_NAME       first label not 32 characters 'A'..'P', a compression
 *                     pointer (never valid in datagrams), name over 255 bytes
 *   CAPS_E_LENGTH     DGM_LENGTH shorter than the names, mailslot name cut by
 *                     ByteCount, DataOffset inside the SMB header or past the
 *                     data
 * On error out is partly filled and must not be used. */
int caps_nbds_parse(const uint8_t *buf, size_t len, struct caps_nbds *out);

/* Stable name of a browser opcode ("host_announcement", "request_election",
 * ...); never NULL, "unknown" for others. */
const char *caps_nbds_browser_opcode_name(uint8_t opcode);

#endif
