/* nbns_samples.c - NetBIOS name service messages (UDP 137 payloads).
 *
 * Byte for byte as the named implementation builds them: Windows 10 as a
 * B-node (flags, TTL 300000 s, the 0xC00C pointer in the additional record),
 * Samba nmbd from its nmblib.c/nmbd_packets.c builders, on a LAN
 * 192.168.1.0/24 with DESKTOP-ABC123 (.23), FILESERVER (.10, Samba 4.17 on
 * Debian 12) and WORKGROUP. Names are shown decoded in the comments.
 */
#include <stdint.h>

#include "sample.h"

/* Windows 10 (B-node, no WINS) registering its workgroup WORKGROUP<00> as a
 * group at boot, broadcast: RFC 1002 4.2.2 NAME REGISTRATION REQUEST. The
 * additional record names the question by a pointer; TTL 300000 s as Windows. */
static const uint8_t win10_register_workgroup[] = {
    0x8a, 0x41,                                         /* NAME_TRN_ID */
    0x29, 0x10,                                         /* flags 0x2910: request, opcode 5 registration, RD, B */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 1 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACAAA = "WORKGROUP"<00> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
    0xc0, 0x0c,                                         /* RR_NAME: pointer to offset 12, the question name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x04, 0x93, 0xe0,                             /* TTL 300000 s */
    0x00, 0x06,                                         /* RDLENGTH 6 */
    0x80, 0x00,                                         /* NB_FLAGS 0x8000: group, B-node */
    0xc0, 0xa8, 0x01, 0x17,                             /* NB_ADDRESS 192.168.1.23 */
};

/* Windows 10 registering its computer name DESKTOP-ABC123<00> (workstation). */
static const uint8_t win10_register_desktop_00[] = {
    0x8a, 0x42,                                         /* NAME_TRN_ID */
    0x29, 0x10,                                         /* flags 0x2910: request, opcode 5 registration, RD, B */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 1 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
    0xc0, 0x0c,                                         /* RR_NAME: pointer to offset 12, the question name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x04, 0x93, 0xe0,                             /* TTL 300000 s */
    0x00, 0x06,                                         /* RDLENGTH 6 */
    0x00, 0x00,                                         /* NB_FLAGS 0x0000: unique, B-node */
    0xc0, 0xa8, 0x01, 0x17,                             /* NB_ADDRESS 192.168.1.23 */
};

/* Windows 10 registering DESKTOP-ABC123<20> (file server service). */
static const uint8_t win10_register_desktop_20[] = {
    0x8a, 0x43,                                         /* NAME_TRN_ID */
    0x29, 0x10,                                         /* flags 0x2910: request, opcode 5 registration, RD, B */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 1 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCACA = "DESKTOP-ABC123"<20> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x43, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
    0xc0, 0x0c,                                         /* RR_NAME: pointer to offset 12, the question name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x04, 0x93, 0xe0,                             /* TTL 300000 s */
    0x00, 0x06,                                         /* RDLENGTH 6 */
    0x00, 0x00,                                         /* NB_FLAGS 0x0000: unique, B-node */
    0xc0, 0xa8, 0x01, 0x17,                             /* NB_ADDRESS 192.168.1.23 */
};

/* Samba nmbd (H-node WINS client) refreshing FILESERVER<20> with its WINS
 * server, unicast: opcode 8 (initiate_name_refresh_packet), RD clear, TTL
 * 259200 s ("max ttl"), NB_FLAGS ONT 3 = H-node as Microsoft defines it. */
static const uint8_t samba_wins_refresh[] = {
    0x1f, 0x2e,                                         /* NAME_TRN_ID */
    0x40, 0x00,                                         /* flags 0x4000: request, opcode 8 refresh */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 1 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACACA = "FILESERVER"<20> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
    0xc0, 0x0c,                                         /* RR_NAME: pointer to offset 12, the question name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x03, 0xf4, 0x80,                             /* TTL 259200 s */
    0x00, 0x06,                                         /* RDLENGTH 6 */
    0x60, 0x00,                                         /* NB_FLAGS 0x6000: unique, ONT 3 (H-node) */
    0xc0, 0xa8, 0x01, 0x0a,                             /* NB_ADDRESS 192.168.1.10 */
};

/* NAME REFRESH REQUEST with the opcode 0x9 that the RFC 1002 4.2.4 diagram
 * shows (4.2.1.1 lists 8; Samba accepts both, some implementations send 9):
 * DESKTOP-ABC123<00> refreshed with a WINS server, unicast. */
static const uint8_t rfc1002_refresh_opcode9[] = {
    0x8a, 0x44,                                         /* NAME_TRN_ID */
    0x48, 0x00,                                         /* flags 0x4800: request, opcode 9 refresh (alternate) */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 1 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
    0xc0, 0x0c,                                         /* RR_NAME: pointer to offset 12, the question name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x04, 0x93, 0xe0,                             /* TTL 300000 s */
    0x00, 0x06,                                         /* RDLENGTH 6 */
    0x60, 0x00,                                         /* NB_FLAGS 0x6000: unique, ONT 3 (H-node) */
    0xc0, 0xa8, 0x01, 0x17,                             /* NB_ADDRESS 192.168.1.23 */
};

/* Windows 10 releasing DESKTOP-ABC123<20> at shutdown, broadcast: RFC 1002
 * 4.2.10 NAME RELEASE REQUEST (no RD), TTL 0. */
static const uint8_t win10_release_desktop_20[] = {
    0x8a, 0x50,                                         /* NAME_TRN_ID */
    0x30, 0x10,                                         /* flags 0x3010: request, opcode 6 release, B */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 1 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCACA = "DESKTOP-ABC123"<20> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x43, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
    0xc0, 0x0c,                                         /* RR_NAME: pointer to offset 12, the question name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x00, 0x00, 0x00,                             /* TTL 0 s */
    0x00, 0x06,                                         /* RDLENGTH 6 */
    0x00, 0x00,                                         /* NB_FLAGS 0x0000: unique, B-node */
    0xc0, 0xa8, 0x01, 0x17,                             /* NB_ADDRESS 192.168.1.23 */
};

/* Windows 10 WPAD auto-discovery falling back to NetBIOS: broadcast NAME
 * QUERY REQUEST for WPAD<00> (RFC 1002 4.2.12), RD and B set. */
static const uint8_t win10_query_wpad[] = {
    0x8a, 0x60,                                         /* NAME_TRN_ID */
    0x01, 0x10,                                         /* flags 0x0110: request, opcode 0 query, RD, B */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x46, 0x48, 0x46, 0x41, 0x45, 0x42, 0x45, 0x45,     /* FHFAEBEECACACACACACACACACACACAAA = "WPAD"<00> */
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
};

/* Windows 10 "nbtstat -A 192.168.1.10": unicast NODE STATUS REQUEST
 * (RFC 1002 4.2.17) for the wildcard name "*" (0x2A then 15 NULs). */
static const uint8_t win10_nbstat_query_star[] = {
    0x8a, 0x61,                                         /* NAME_TRN_ID */
    0x00, 0x00,                                         /* flags 0x0000: request, opcode 0 query */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x43, 0x4b, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,     /* CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA = "*"<00> */
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x21, 0x00, 0x01,                             /* QUESTION_TYPE NBSTAT, QUESTION_CLASS IN */
};

/* Windows 10 answering a broadcast query for DESKTOP-ABC123<20>, unicast:
 * POSITIVE NAME QUERY RESPONSE (RFC 1002 4.2.13), flags 0x8500 as Windows. */
static const uint8_t win10_query_response_positive[] = {
    0x3a, 0x2b,                                         /* NAME_TRN_ID */
    0x85, 0x00,                                         /* flags 0x8500: response, opcode 0, AA, RD */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 0 ANCOUNT 1 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* RR_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCACA = "DESKTOP-ABC123"<20> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x43, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x04, 0x93, 0xe0,                             /* TTL 300000 s */
    0x00, 0x06,                                         /* RDLENGTH 6 */
    0x00, 0x00,                                         /* NB_FLAGS 0x0000: unique, B-node */
    0xc0, 0xa8, 0x01, 0x17,                             /* NB_ADDRESS 192.168.1.23 */
};

/* Samba WINS server (send_wins_wack_response) asking DESKTOP-ABC123<00> to
 * wait 60 s while it challenges the old owner: WAIT FOR ACKNOWLEDGEMENT
 * RESPONSE (RFC 1002 4.2.16); RDATA 0x2900 echoes the registration request. */
static const uint8_t samba_wins_wack[] = {
    0x8a, 0x45,                                         /* NAME_TRN_ID */
    0xbc, 0x00,                                         /* flags 0xbc00: response, opcode 7 WACK, AA */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 0 ANCOUNT 1 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* RR_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x00, 0x00, 0x3c,                             /* TTL 60 s */
    0x00, 0x02,                                         /* RDLENGTH 2 */
    0x29, 0x00,                                         /* RDATA: request flags, opcode 5 registration, RD */
};

/* Samba 4.17 nmbd (local master browser of WORKGROUP) answering the node
 * status request above: RFC 1002 4.2.18 NODE STATUS RESPONSE, 7 names. Samba
 * deliberately sends 46 zero bytes of statistics, so its UNIT_ID is 0. */
static const uint8_t samba_node_status_response[] = {
    0x8a, 0x61,                                         /* NAME_TRN_ID */
    0x84, 0x00,                                         /* flags 0x8400: response, opcode 0, AA */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 0 ANCOUNT 1 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* RR_NAME: label length 32 */
    0x43, 0x4b, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,     /* CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA = "*"<00> */
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x21, 0x00, 0x01,                             /* RR_TYPE NBSTAT, RR_CLASS IN */
    0x00, 0x00, 0x00, 0x00,                             /* TTL 0 s */
    0x00, 0xad,                                         /* RDLENGTH 173 */
    0x07,                                               /* NUM_NAMES 7 */
    0x46, 0x49, 0x4c, 0x45, 0x53, 0x45, 0x52, 0x56,     /* NODE_NAME "FILESERVER"<00> */
    0x45, 0x52, 0x20, 0x20, 0x20, 0x20, 0x20, 0x00,
    0x04, 0x00,                                         /* NAME_FLAGS 0x0400: unique, B, active */
    0x46, 0x49, 0x4c, 0x45, 0x53, 0x45, 0x52, 0x56,     /* NODE_NAME "FILESERVER"<03> */
    0x45, 0x52, 0x20, 0x20, 0x20, 0x20, 0x20, 0x03,
    0x04, 0x00,                                         /* NAME_FLAGS 0x0400: unique, B, active */
    0x46, 0x49, 0x4c, 0x45, 0x53, 0x45, 0x52, 0x56,     /* NODE_NAME "FILESERVER"<20> */
    0x45, 0x52, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x04, 0x00,                                         /* NAME_FLAGS 0x0400: unique, B, active */
    0x01, 0x02, 0x5f, 0x5f, 0x4d, 0x53, 0x42, 0x52,     /* NODE_NAME "\x01\x02__MSBROWSE__\x02"<01> */
    0x4f, 0x57, 0x53, 0x45, 0x5f, 0x5f, 0x02, 0x01,
    0x84, 0x00,                                         /* NAME_FLAGS 0x8400: group, B, active */
    0x57, 0x4f, 0x52, 0x4b, 0x47, 0x52, 0x4f, 0x55,     /* NODE_NAME "WORKGROUP"<00> */
    0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x00,
    0x84, 0x00,                                         /* NAME_FLAGS 0x8400: group, B, active */
    0x57, 0x4f, 0x52, 0x4b, 0x47, 0x52, 0x4f, 0x55,     /* NODE_NAME "WORKGROUP"<1D> */
    0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x1d,
    0x04, 0x00,                                         /* NAME_FLAGS 0x0400: unique, B, active */
    0x57, 0x4f, 0x52, 0x4b, 0x47, 0x52, 0x4f, 0x55,     /* NODE_NAME "WORKGROUP"<1E> */
    0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x1e,
    0x84, 0x00,                                         /* NAME_FLAGS 0x8400: group, B, active */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,                 /* STATISTICS: UNIT_ID 00:00:00:00:00:00 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* STATISTICS: jumpers .. session data packet size, all 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Windows 10 answering "nmblookup -A 192.168.1.23": NODE STATUS RESPONSE with
 * 4 names and the adapter MAC (Dell OUI 18:66:da) as UNIT_ID. */
static const uint8_t win10_node_status_response[] = {
    0x5c, 0x1d,                                         /* NAME_TRN_ID */
    0x84, 0x00,                                         /* flags 0x8400: response, opcode 0, AA */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 0 ANCOUNT 1 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* RR_NAME: label length 32 */
    0x43, 0x4b, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,     /* CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA = "*"<00> */
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x21, 0x00, 0x01,                             /* RR_TYPE NBSTAT, RR_CLASS IN */
    0x00, 0x00, 0x00, 0x00,                             /* TTL 0 s */
    0x00, 0x77,                                         /* RDLENGTH 119 */
    0x04,                                               /* NUM_NAMES 4 */
    0x44, 0x45, 0x53, 0x4b, 0x54, 0x4f, 0x50, 0x2d,     /* NODE_NAME "DESKTOP-ABC123"<00> */
    0x41, 0x42, 0x43, 0x31, 0x32, 0x33, 0x20, 0x00,
    0x04, 0x00,                                         /* NAME_FLAGS 0x0400: unique, B, active */
    0x57, 0x4f, 0x52, 0x4b, 0x47, 0x52, 0x4f, 0x55,     /* NODE_NAME "WORKGROUP"<00> */
    0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x00,
    0x84, 0x00,                                         /* NAME_FLAGS 0x8400: group, B, active */
    0x44, 0x45, 0x53, 0x4b, 0x54, 0x4f, 0x50, 0x2d,     /* NODE_NAME "DESKTOP-ABC123"<20> */
    0x41, 0x42, 0x43, 0x31, 0x32, 0x33, 0x20, 0x20,
    0x04, 0x00,                                         /* NAME_FLAGS 0x0400: unique, B, active */
    0x57, 0x4f, 0x52, 0x4b, 0x47, 0x52, 0x4f, 0x55,     /* NODE_NAME "WORKGROUP"<1E> */
    0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x1e,
    0x84, 0x00,                                         /* NAME_FLAGS 0x8400: group, B, active */
    0x18, 0x66, 0xda, 0x3c, 0x5e, 0x7f,                 /* STATISTICS: UNIT_ID 18:66:da:3c:5e:7f */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* STATISTICS: jumpers .. session data packet size, all 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Samba defending FILESERVER<20> against a broadcast registration from
 * 192.168.1.77: NEGATIVE NAME REGISTRATION RESPONSE (RFC 1002 4.2.6), RCODE 6
 * ACT_ERR, RDATA echoing the request (send_name_registration_response). */
static const uint8_t samba_negative_registration_response[] = {
    0x51, 0xc3,                                         /* NAME_TRN_ID */
    0xad, 0x06,                                         /* flags 0xad06: response, opcode 5, AA, RD, RCODE 6 ACT_ERR */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 0 ANCOUNT 1 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* RR_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACACA = "FILESERVER"<20> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x00, 0x00, 0x00,                             /* TTL 0 s */
    0x00, 0x06,                                         /* RDLENGTH 6 */
    0x00, 0x00,                                         /* NB_FLAGS 0x0000: unique, B-node */
    0xc0, 0xa8, 0x01, 0x4d,                             /* NB_ADDRESS 192.168.1.77 */
};

/* Samba WINS server: NEGATIVE NAME QUERY RESPONSE for PRINTER01<20>, RCODE 3
 * NAM_ERR; Samba answers with an NB record of RDLENGTH 0 (RFC 1002 4.2.14
 * draws a NULL record). */
static const uint8_t samba_wins_negative_query_response[] = {
    0x8a, 0x62,                                         /* NAME_TRN_ID */
    0x85, 0x83,                                         /* flags 0x8583: response, opcode 0, AA, RD, RA, RCODE 3 NAM_ERR */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 0 ANCOUNT 1 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* RR_NAME: label length 32 */
    0x46, 0x41, 0x46, 0x43, 0x45, 0x4a, 0x45, 0x4f,     /* FAFCEJEOFEEFFCDADBCACACACACACACA = "PRINTER01"<20> */
    0x46, 0x45, 0x45, 0x46, 0x46, 0x43, 0x44, 0x41,
    0x44, 0x42, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x00, 0x00, 0x00,                             /* TTL 0 s */
    0x00, 0x00,                                         /* RDLENGTH 0 */
};

/* Samba WINS server answering a query for the multi-homed FILESERVER<20>:
 * POSITIVE NAME QUERY RESPONSE with two NB entries (RDLENGTH 12). */
static const uint8_t samba_wins_query_response_multihomed[] = {
    0x8a, 0x63,                                         /* NAME_TRN_ID */
    0x85, 0x80,                                         /* flags 0x8580: response, opcode 0, AA, RD, RA */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 0 ANCOUNT 1 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* RR_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACACA = "FILESERVER"<20> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* RR_TYPE NB, RR_CLASS IN */
    0x00, 0x03, 0xf4, 0x80,                             /* TTL 259200 s */
    0x00, 0x0c,                                         /* RDLENGTH 12 */
    0x60, 0x00,                                         /* NB_FLAGS 0x6000: unique, ONT 3 (H-node) */
    0xc0, 0xa8, 0x01, 0x0a,                             /* NB_ADDRESS 192.168.1.10 */
    0x60, 0x00,                                         /* NB_FLAGS 0x6000: unique, ONT 3 (H-node) */
    0x0a, 0x14, 0x00, 0x0a,                             /* NB_ADDRESS 10.20.0.10 */
};

/* Samba "nmblookup -i corp.example FILESERVER#20" with a NetBIOS scope:
 * broadcast query, B only (nmblookup sets RD only with -R); the scope id
 * follows the encoded name as ordinary labels (RFC 1001 14.1). */
static const uint8_t samba_nmblookup_query_scope[] = {
    0x2b, 0x7e,                                         /* NAME_TRN_ID */
    0x00, 0x10,                                         /* flags 0x0010: request, opcode 0 query, B */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* QDCOUNT 1 ANCOUNT 0 NSCOUNT 0 ARCOUNT 0 */
    0x20,                                               /* QUESTION_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACACA = "FILESERVER"<20> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x04, 0x63, 0x6f, 0x72, 0x70,                       /* scope label "corp" */
    0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,     /* scope label "example" */
    0x00,                                               /* end of name */
    0x00, 0x20, 0x00, 0x01,                             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
};
static const struct caps_sample samples[] = {
    CAPS_SAMPLE("win10_register_workgroup", win10_register_workgroup),
    CAPS_SAMPLE("win10_register_desktop_00", win10_register_desktop_00),
    CAPS_SAMPLE("win10_register_desktop_20", win10_register_desktop_20),
    CAPS_SAMPLE("samba_wins_refresh", samba_wins_refresh),
    CAPS_SAMPLE("rfc1002_refresh_opcode9", rfc1002_refresh_opcode9),
    CAPS_SAMPLE("win10_release_desktop_20", win10_release_desktop_20),
    CAPS_SAMPLE("win10_query_wpad", win10_query_wpad),
    CAPS_SAMPLE("win10_nbstat_query_star", win10_nbstat_query_star),
    CAPS_SAMPLE("win10_query_response_positive", win10_query_response_positive),
    CAPS_SAMPLE("samba_wins_wack", samba_wins_wack),
    CAPS_SAMPLE("samba_node_status_response", samba_node_status_response),
    CAPS_SAMPLE("win10_node_status_response", win10_node_status_response),
    CAPS_SAMPLE("samba_negative_registration_response", samba_negative_registration_response),
    CAPS_SAMPLE("samba_wins_negative_query_response", samba_wins_negative_query_response),
    CAPS_SAMPLE("samba_wins_query_response_multihomed", samba_wins_query_response_multihomed),
    CAPS_SAMPLE("samba_nmblookup_query_scope", samba_nmblookup_query_scope),
};

const struct caps_sample_set caps_samples_nbns = {"nbns", samples,
                                               sizeof samples / sizeof samples[0]};
