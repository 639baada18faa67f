/* nbds_samples.c - NetBIOS datagram service packets (UDP 138 payloads).
 *
 * Browser traffic as Windows 10/7 and Samba nmbd send it: a direct group
 * datagram (DGM_LENGTH = bytes after the 14-byte header, as Samba's
 * build_dgram and Windows compute it) carrying an SMB_COM_TRANSACTION
 * mailslot write (WordCount 17, DataOffset 70 + strlen(mailslot) as Samba's
 * send_mailslot sets it) and the browser frame. Same LAN as nbns_samples.c.
 * Samples named rfc1002_* are built from the RFC for message types that
 * common hosts do not send.
 */
#include <stdint.h>

#include "sample.h"

/* Windows 10 host announcement to WORKGROUP<1D> on \MAILSLOT\BROWSE
 * ([MS-BRWS] 2.2.1): OS 10.0, server type 0x00011003, empty comment, every
 * 12 minutes once settled. Windows sends it as a direct group datagram. */
static const uint8_t win10_host_announcement[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x02,                                               /* FLAGS 0x02: first fragment, B-node */
    0x8a, 0x80,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x17,                             /* SOURCE_IP 192.168.1.23 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xbb,                                         /* DGM_LENGTH 187 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACABN = "WORKGROUP"<1D> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4e,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x21, 0x00,                                         /* TotalDataCount 33 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x21, 0x00,                                         /* DataCount 33 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x32, 0x00,                                         /* ByteCount 50 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x01,                                               /* browser opcode 1 HostAnnouncement */
    0x05,                                               /* UpdateCount 5 */
    0x80, 0xfc, 0x0a, 0x00,                             /* Periodicity 720000 ms */
    0x44, 0x45, 0x53, 0x4b, 0x54, 0x4f, 0x50, 0x2d,     /* ServerName "DESKTOP-ABC123", NUL padded */
    0x41, 0x42, 0x43, 0x31, 0x32, 0x33, 0x00, 0x00,
    0x0a, 0x00,                                         /* OS version 10.0 */
    0x03, 0x10, 0x01, 0x00,                             /* ServerType 0x00011003: workstation, server, NT, potential browser */
    0x0f, 0x01,                                         /* browser version 15.1 */
    0x55, 0xaa,                                         /* Signature 0xAA55 */
    0x00,                                               /* Comment "" + NUL */
};

/* Windows 7 host announcement shortly after boot (periodicity 60 s): OS 6.1,
 * a server comment set with "net config server /srvcomment". */
static const uint8_t win7_host_announcement[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x02,                                               /* FLAGS 0x02: first fragment, B-node */
    0x81, 0xc4,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x1f,                             /* SOURCE_IP 192.168.1.31 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xc5,                                         /* DGM_LENGTH 197 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x4a, 0x45, 0x4f, 0x44, 0x48,     /* FHEJEODHCNFAEDCACACACACACACACAAA = "WIN7-PC"<00> */
    0x43, 0x4e, 0x46, 0x41, 0x45, 0x44, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACABN = "WORKGROUP"<1D> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4e,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x2b, 0x00,                                         /* TotalDataCount 43 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x2b, 0x00,                                         /* DataCount 43 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x3c, 0x00,                                         /* ByteCount 60 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x01,                                               /* browser opcode 1 HostAnnouncement */
    0x00,                                               /* UpdateCount 0 */
    0x60, 0xea, 0x00, 0x00,                             /* Periodicity 60000 ms */
    0x57, 0x49, 0x4e, 0x37, 0x2d, 0x50, 0x43, 0x00,     /* ServerName "WIN7-PC", NUL padded */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x06, 0x01,                                         /* OS version 6.1 */
    0x03, 0x10, 0x01, 0x00,                             /* ServerType 0x00011003: workstation, server, NT, potential browser */
    0x0f, 0x01,                                         /* browser version 15.1 */
    0x55, 0xaa,                                         /* Signature 0xAA55 */
    0x46, 0x72, 0x6f, 0x6e, 0x74, 0x20, 0x64, 0x65,     /* Comment "Front desk" + NUL */
    0x73, 0x6b, 0x00,
};

/* Samba 4.17 nmbd (Debian 12) host announcement (send_host_announcement):
 * OS version 6.1 (SAMBA_MAJOR/MINOR_NBT_ANNOUNCE_VERSION), server type
 * 0x00819a03, the default "server string" as comment; M-node flags 0x0a. */
static const uint8_t samba_host_announcement[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x0a,                                               /* FLAGS 0x0a: first fragment, M-node */
    0x52, 0xe1,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x0a,                             /* SOURCE_IP 192.168.1.10 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xcf,                                         /* DGM_LENGTH 207 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACAAA = "FILESERVER"<00> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACABN = "WORKGROUP"<1D> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4e,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x35, 0x00,                                         /* TotalDataCount 53 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x35, 0x00,                                         /* DataCount 53 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x46, 0x00,                                         /* ByteCount 70 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x01,                                               /* browser opcode 1 HostAnnouncement */
    0x00,                                               /* UpdateCount 0 */
    0x80, 0xfc, 0x0a, 0x00,                             /* Periodicity 720000 ms */
    0x46, 0x49, 0x4c, 0x45, 0x53, 0x45, 0x52, 0x56,     /* ServerName "FILESERVER", NUL padded */
    0x45, 0x52, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x06, 0x01,                                         /* OS version 6.1 */
    0x03, 0x9a, 0x81, 0x00,                             /* ServerType 0x00819a03: workstation, server, print queue, unix, NT, NT server, potential browser, DFS */
    0x0f, 0x01,                                         /* browser version 15.1 */
    0x55, 0xaa,                                         /* Signature 0xAA55 */
    0x53, 0x61, 0x6d, 0x62, 0x61, 0x20, 0x34, 0x2e,     /* Comment "Samba 4.17.12-Debian" + NUL */
    0x31, 0x37, 0x2e, 0x31, 0x32, 0x2d, 0x44, 0x65,
    0x62, 0x69, 0x61, 0x6e, 0x00,
};

/* Windows 10 as local master browser announcing itself to WORKGROUP<1E>
 * ([MS-BRWS] 2.2.9 LocalMasterAnnouncement): server type adds master browser. */
static const uint8_t win10_local_master_announcement[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x02,                                               /* FLAGS 0x02: first fragment, B-node */
    0x8a, 0x81,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x17,                             /* SOURCE_IP 192.168.1.23 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xbb,                                         /* DGM_LENGTH 187 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACABO = "WORKGROUP"<1E> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4f,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x21, 0x00,                                         /* TotalDataCount 33 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x21, 0x00,                                         /* DataCount 33 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x32, 0x00,                                         /* ByteCount 50 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x0f,                                               /* browser opcode 15 LocalMasterAnnouncement */
    0x06,                                               /* UpdateCount 6 */
    0x80, 0xfc, 0x0a, 0x00,                             /* Periodicity 720000 ms */
    0x44, 0x45, 0x53, 0x4b, 0x54, 0x4f, 0x50, 0x2d,     /* ServerName "DESKTOP-ABC123", NUL padded */
    0x41, 0x42, 0x43, 0x31, 0x32, 0x33, 0x00, 0x00,
    0x0a, 0x00,                                         /* OS version 10.0 */
    0x03, 0x10, 0x05, 0x00,                             /* ServerType 0x00051003: workstation, server, NT, potential browser, master browser */
    0x0f, 0x01,                                         /* browser version 15.1 */
    0x55, 0xaa,                                         /* Signature 0xAA55 */
    0x00,                                               /* Comment "" + NUL */
};

/* Samba as local master announcing WORKGROUP to the other masters on
 * \x01\x02__MSBROWSE__\x02<01> (send_workgroup_announcement, [MS-BRWS]
 * 2.2.7 DomainAnnouncement): type domain enum + NT, master name as comment. */
static const uint8_t samba_domain_announcement[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x0a,                                               /* FLAGS 0x0a: first fragment, M-node */
    0x52, 0xe2,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x0a,                             /* SOURCE_IP 192.168.1.10 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xc5,                                         /* DGM_LENGTH 197 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACAAA = "FILESERVER"<00> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x41, 0x42, 0x41, 0x43, 0x46, 0x50, 0x46, 0x50,     /* ABACFPFPENFDECFCEPFHFDEFFPFPACAB = "\x01\x02__MSBROWSE__\x02"<01> */
    0x45, 0x4e, 0x46, 0x44, 0x45, 0x43, 0x46, 0x43,
    0x45, 0x50, 0x46, 0x48, 0x46, 0x44, 0x45, 0x46,
    0x46, 0x50, 0x46, 0x50, 0x41, 0x43, 0x41, 0x42,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x2b, 0x00,                                         /* TotalDataCount 43 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x2b, 0x00,                                         /* DataCount 43 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x3c, 0x00,                                         /* ByteCount 60 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x0c,                                               /* browser opcode 12 DomainAnnouncement */
    0x00,                                               /* UpdateCount 0 */
    0x80, 0xfc, 0x0a, 0x00,                             /* Periodicity 720000 ms */
    0x57, 0x4f, 0x52, 0x4b, 0x47, 0x52, 0x4f, 0x55,     /* ServerName "WORKGROUP", NUL padded */
    0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x06, 0x01,                                         /* BrowserConfigVersion 6.1 */
    0x00, 0x10, 0x00, 0x80,                             /* ServerType 0x80001000: domain enum, NT */
    0x0f, 0x01,                                         /* browser version 15.1 */
    0x55, 0xaa,                                         /* Signature 0xAA55 */
    0x46, 0x49, 0x4c, 0x45, 0x53, 0x45, 0x52, 0x56,     /* Comment "FILESERVER" + NUL */
    0x45, 0x52, 0x00,
};

/* Windows 10 forcing a browser election on WORKGROUP<1E> ([MS-BRWS] 2.2.3
 * RequestElection): criteria OS 0x10 NT workstation, browser 1.15, desire 0. */
static const uint8_t win10_election_request[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x02,                                               /* FLAGS 0x02: first fragment, B-node */
    0x8a, 0x82,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x17,                             /* SOURCE_IP 192.168.1.23 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xb7,                                         /* DGM_LENGTH 183 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACABO = "WORKGROUP"<1E> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4f,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x1d, 0x00,                                         /* TotalDataCount 29 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x1d, 0x00,                                         /* DataCount 29 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x2e, 0x00,                                         /* ByteCount 46 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x08,                                               /* browser opcode 8 RequestElection */
    0x01,                                               /* Version 1 */
    0x00, 0x0f, 0x01, 0x10,                             /* Criteria 0x10010f00 */
    0xe0, 0xf4, 0x01, 0x00,                             /* Uptime 128224 ms */
    0x00, 0x00, 0x00, 0x00,                             /* Unused */
    0x44, 0x45, 0x53, 0x4b, 0x54, 0x4f, 0x50, 0x2d,     /* ServerName "DESKTOP-ABC123" + NUL */
    0x41, 0x42, 0x43, 0x31, 0x32, 0x33, 0x00,
};

/* Windows 10 Explorer asking the master of WORKGROUP<1D> for browse servers
 * ([MS-BRWS] 2.2.4 GetBackupListRequest): 4 wanted, token 1. */
static const uint8_t win10_get_backup_list_request[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x02,                                               /* FLAGS 0x02: first fragment, B-node */
    0x8a, 0x83,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x17,                             /* SOURCE_IP 192.168.1.23 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xa0,                                         /* DGM_LENGTH 160 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACABN = "WORKGROUP"<1D> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4e,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x06, 0x00,                                         /* TotalDataCount 6 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x06, 0x00,                                         /* DataCount 6 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x17, 0x00,                                         /* ByteCount 23 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x09,                                               /* browser opcode 9 GetBackupListRequest */
    0x04,                                               /* RequestedCount 4 */
    0x01, 0x00, 0x00, 0x00,                             /* Token 1 */
};

/* Samba local master answering it (send_backup_list_response), unique to
 * DESKTOP-ABC123<00>: [MS-BRWS] 2.2.5 GetBackupListResponse with 2 servers. */
static const uint8_t samba_get_backup_list_response[] = {
    0x10,                                               /* MSG_TYPE 0x10 DIRECT_UNIQUE DATAGRAM */
    0x0a,                                               /* FLAGS 0x0a: first fragment, M-node */
    0x52, 0xe3,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x0a,                             /* SOURCE_IP 192.168.1.10 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xb3,                                         /* DGM_LENGTH 179 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACAAA = "FILESERVER"<00> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x19, 0x00,                                         /* TotalDataCount 25 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x19, 0x00,                                         /* DataCount 25 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x2a, 0x00,                                         /* ByteCount 42 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x0a,                                               /* browser opcode 10 GetBackupListResponse */
    0x02,                                               /* BackupServerCount 2 */
    0x01, 0x00, 0x00, 0x00,                             /* Token 1 */
    0x46, 0x49, 0x4c, 0x45, 0x53, 0x45, 0x52, 0x56,     /* "FILESERVER" + NUL */
    0x45, 0x52, 0x00,
    0x57, 0x49, 0x4e, 0x37, 0x2d, 0x50, 0x43, 0x00,     /* "WIN7-PC" + NUL */
};

/* Samba asking who is the PDC of CORP: NETLOGON LOGON_PRIMARY_QUERY to
 * CORP<1C> on \MAILSLOT\NET\NETLOGON (lookup_pdc_name), sent from an
 * ephemeral port as a direct unique datagram. Not a browser mailslot. */
static const uint8_t samba_netlogon_query_pdc[] = {
    0x10,                                               /* MSG_TYPE 0x10 DIRECT_UNIQUE DATAGRAM */
    0x0a,                                               /* FLAGS 0x0a: first fragment, M-node */
    0x3c, 0x5d,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x0a,                             /* SOURCE_IP 192.168.1.10 */
    0xc5, 0xe1,                                         /* SOURCE_PORT 50657 */
    0x00, 0xe2,                                         /* DGM_LENGTH 226 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACAAA = "FILESERVER"<00> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x45, 0x44, 0x45, 0x50, 0x46, 0x43, 0x46, 0x41,     /* EDEPFCFACACACACACACACACACACACABM = "CORP"<1C> */
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4d,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x42, 0x00,                                         /* TotalDataCount 66 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x42, 0x00,                                         /* DataCount 66 */
    0x5c, 0x00,                                         /* DataOffset 92 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x59, 0x00,                                         /* ByteCount 89 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\NET\NETLOGON" + NUL */
    0x54, 0x5c, 0x4e, 0x45, 0x54, 0x5c, 0x4e, 0x45,
    0x54, 0x4c, 0x4f, 0x47, 0x4f, 0x4e, 0x00,
    0x07, 0x00,                                         /* NETLOGON opcode 7 LOGON_PRIMARY_QUERY */
    0x46, 0x49, 0x4c, 0x45, 0x53, 0x45, 0x52, 0x56,     /* ComputerName "FILESERVER" */
    0x45, 0x52, 0x00,
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* reply MailslotName "\MAILSLOT\NET\GETDC873" */
    0x54, 0x5c, 0x4e, 0x45, 0x54, 0x5c, 0x47, 0x45,
    0x54, 0x44, 0x43, 0x38, 0x37, 0x33, 0x00,
    0x46, 0x00, 0x49, 0x00, 0x4c, 0x00, 0x45, 0x00,     /* UnicodeComputerName "FILESERVER" (UTF-16LE) + NUL */
    0x53, 0x00, 0x45, 0x00, 0x52, 0x00, 0x56, 0x00,
    0x45, 0x00, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00,                             /* NtVersion 1 */
    0xff, 0xff,                                         /* LmNtToken 0xFFFF */
    0xff, 0xff,                                         /* Lm20Token 0xFFFF */
};

/* First fragment of a datagram split per RFC 1002 4.4.1 (F and M set,
 * offset 0): the first 64 bytes of the Windows 10 host announcement's
 * user data. Built from the RFC; Windows and Samba never fragment browser
 * datagrams. */
static const uint8_t rfc1002_fragment_first[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x03,                                               /* FLAGS 0x03: first fragment, more follow, B-node */
    0x8a, 0x90,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x17,                             /* SOURCE_IP 192.168.1.23 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0x84,                                         /* DGM_LENGTH 132 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACABN = "WORKGROUP"<1D> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4e,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42, 0x25, 0x00, 0x00, 0x00,     /* user data bytes 0..63 (SMB header, transaction words) */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x11, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21,
    0x00, 0x56, 0x00, 0x03, 0x00, 0x01, 0x00, 0x01,
};

/* The second and last fragment (F and M clear, PACKET_OFFSET 64). */
static const uint8_t rfc1002_fragment_last[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x00,                                               /* FLAGS 0x00: not first, no more, B-node */
    0x8a, 0x90,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x17,                             /* SOURCE_IP 192.168.1.23 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0x7b,                                         /* DGM_LENGTH 123 (names + user data) */
    0x00, 0x40,                                         /* PACKET_OFFSET 64 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACABN = "WORKGROUP"<1D> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4e,
    0x00,                                               /* end of name */
    0x00, 0x02, 0x00, 0x32, 0x00, 0x5c, 0x4d, 0x41,     /* user data bytes 64..118 */
    0x49, 0x4c, 0x53, 0x4c, 0x4f, 0x54, 0x5c, 0x42,
    0x52, 0x4f, 0x57, 0x53, 0x45, 0x00, 0x01, 0x05,
    0x80, 0xfc, 0x0a, 0x00, 0x44, 0x45, 0x53, 0x4b,
    0x54, 0x4f, 0x50, 0x2d, 0x41, 0x42, 0x43, 0x31,
    0x32, 0x33, 0x00, 0x00, 0x0a, 0x00, 0x03, 0x10,
    0x01, 0x00, 0x0f, 0x01, 0x55, 0xaa, 0x00,
};

/* DATAGRAM ERROR PACKET (RFC 1002 4.4.3) from an NBDD: ERROR_CODE 0x82,
 * destination name not present. Built from the RFC. */
static const uint8_t rfc1002_error_dest_not_present[] = {
    0x13,                                               /* MSG_TYPE 0x13 DATAGRAM ERROR */
    0x02,                                               /* FLAGS 0x02: first fragment, B-node */
    0x8a, 0x91,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x0a,                             /* SOURCE_IP 192.168.1.10 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x82,                                               /* ERROR_CODE 0x82 DESTINATION NAME NOT PRESENT */
};

/* DATAGRAM QUERY REQUEST (RFC 1002 4.4.4) to an NBDD for FILESERVER<20>.
 * Built from the RFC. */
static const uint8_t rfc1002_query_request[] = {
    0x14,                                               /* MSG_TYPE 0x14 DATAGRAM QUERY REQUEST */
    0x06,                                               /* FLAGS 0x06: first fragment, P-node */
    0x8a, 0x92,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x17,                             /* SOURCE_IP 192.168.1.23 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACACA = "FILESERVER"<20> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x00,                                               /* end of name */
};

/* Samba LAN Manager announcement (send_lm_announcement, "lm announce = yes")
 * to WORKGROUP<00> on \MAILSLOT\LANMAN: 16-bit opcode, type, OS 6.1,
 * periodicity 60 s in seconds, name and upper-cased comment as strings. */
static const uint8_t samba_lanman_host_announcement[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x0a,                                               /* FLAGS 0x0a: first fragment, M-node */
    0x52, 0xe4,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x0a,                             /* SOURCE_IP 192.168.1.10 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xc4,                                         /* DGM_LENGTH 196 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46,     /* EGEJEMEFFDEFFCFGEFFCCACACACACAAA = "FILESERVER"<00> */
    0x46, 0x44, 0x45, 0x46, 0x46, 0x43, 0x46, 0x47,
    0x45, 0x46, 0x46, 0x43, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACAAA = "WORKGROUP"<00> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x2a, 0x00,                                         /* TotalDataCount 42 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x2a, 0x00,                                         /* DataCount 42 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x3b, 0x00,                                         /* ByteCount 59 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\LANMAN" + NUL */
    0x54, 0x5c, 0x4c, 0x41, 0x4e, 0x4d, 0x41, 0x4e,
    0x00,
    0x01, 0x00,                                         /* opcode 1 HostAnnouncement (16-bit) */
    0x03, 0x9a, 0x81, 0x00,                             /* ServerType 0x00819a03 */
    0x06, 0x01,                                         /* OS version 6.1 */
    0x3c, 0x00,                                         /* Periodicity 60 s */
    0x46, 0x49, 0x4c, 0x45, 0x53, 0x45, 0x52, 0x56,     /* ServerName "FILESERVER" + NUL */
    0x45, 0x52, 0x00,
    0x53, 0x41, 0x4d, 0x42, 0x41, 0x20, 0x34, 0x2e,     /* Comment "SAMBA 4.17.12-DEBIAN" + NUL */
    0x31, 0x37, 0x2e, 0x31, 0x32, 0x2d, 0x44, 0x45,
    0x42, 0x49, 0x41, 0x4e, 0x00,
};

/* Windows 10, newly local master, asking every member of WORKGROUP<00> to
 * announce itself ([MS-BRWS] 2.2.2 AnnouncementRequest). */
static const uint8_t win10_announcement_request[] = {
    0x11,                                               /* MSG_TYPE 0x11 DIRECT_GROUP DATAGRAM */
    0x02,                                               /* FLAGS 0x02: first fragment, B-node */
    0x8a, 0x84,                                         /* DGM_ID */
    0xc0, 0xa8, 0x01, 0x17,                             /* SOURCE_IP 192.168.1.23 */
    0x00, 0x8a,                                         /* SOURCE_PORT 138 */
    0x00, 0xab,                                         /* DGM_LENGTH 171 (names + user data) */
    0x00, 0x00,                                         /* PACKET_OFFSET 0 */
    0x20,                                               /* SOURCE_NAME: label length 32 */
    0x45, 0x45, 0x45, 0x46, 0x46, 0x44, 0x45, 0x4c,     /* EEEFFDELFEEPFACNEBECEDDBDCDDCAAA = "DESKTOP-ABC123"<00> */
    0x46, 0x45, 0x45, 0x50, 0x46, 0x41, 0x43, 0x4e,
    0x45, 0x42, 0x45, 0x43, 0x45, 0x44, 0x44, 0x42,
    0x44, 0x43, 0x44, 0x44, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0x20,                                               /* DESTINATION_NAME: label length 32 */
    0x46, 0x48, 0x45, 0x50, 0x46, 0x43, 0x45, 0x4c,     /* FHEPFCELEHFCEPFFFACACACACACACAAA = "WORKGROUP"<00> */
    0x45, 0x48, 0x46, 0x43, 0x45, 0x50, 0x46, 0x46,
    0x46, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x41, 0x41,
    0x00,                                               /* end of name */
    0xff, 0x53, 0x4d, 0x42,                             /* SMB header: protocol 0xFF "SMB" */
    0x25,                                               /* command 0x25 SMB_COM_TRANSACTION */
    0x00, 0x00, 0x00, 0x00,                             /* status 0 */
    0x00,                                               /* flags 0 */
    0x00, 0x00,                                         /* flags2 0 */
    0x00, 0x00,                                         /* PID high 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* security features 0 */
    0x00, 0x00,                                         /* reserved */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* TID, PID low, UID, MID: all 0 */
    0x11,                                               /* WordCount 17 (14 + SetupCount 3) */
    0x00, 0x00,                                         /* TotalParameterCount 0 */
    0x11, 0x00,                                         /* TotalDataCount 17 */
    0x00, 0x00, 0x00, 0x00,                             /* MaxParameterCount 0, MaxDataCount 0 */
    0x00, 0x00,                                         /* MaxSetupCount 0, Reserved1 */
    0x00, 0x00,                                         /* Flags 0 */
    0x00, 0x00, 0x00, 0x00,                             /* Timeout 0 (return immediately) */
    0x00, 0x00,                                         /* Reserved2 */
    0x00, 0x00, 0x00, 0x00,                             /* ParameterCount 0, ParameterOffset 0 */
    0x11, 0x00,                                         /* DataCount 17 */
    0x56, 0x00,                                         /* DataOffset 86 (from the SMB header) */
    0x03, 0x00,                                         /* SetupCount 3, Reserved3 */
    0x01, 0x00, 0x01, 0x00, 0x02, 0x00,                 /* Setup: mailslot write (1), priority 1, class 2 */
    0x22, 0x00,                                         /* ByteCount 34 */
    0x5c, 0x4d, 0x41, 0x49, 0x4c, 0x53, 0x4c, 0x4f,     /* Name "\MAILSLOT\BROWSE" + NUL */
    0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45,
    0x00,
    0x02,                                               /* browser opcode 2 AnnouncementRequest */
    0x00,                                               /* Reserved */
    0x44, 0x45, 0x53, 0x4b, 0x54, 0x4f, 0x50, 0x2d,     /* ResponseName "DESKTOP-ABC123" + NUL */
    0x41, 0x42, 0x43, 0x31, 0x32, 0x33, 0x00,
};
static const struct caps_sample samples[] = {
    CAPS_SAMPLE("win10_host_announcement", win10_host_announcement),
    CAPS_SAMPLE("win7_host_announcement", win7_host_announcement),
    CAPS_SAMPLE("samba_host_announcement", samba_host_announcement),
    CAPS_SAMPLE("win10_local_master_announcement", win10_local_master_announcement),
    CAPS_SAMPLE("samba_domain_announcement", samba_domain_announcement),
    CAPS_SAMPLE("win10_election_request", win10_election_request),
    CAPS_SAMPLE("win10_get_backup_list_request", win10_get_backup_list_request),
    CAPS_SAMPLE("samba_get_backup_list_response", samba_get_backup_list_response),
    CAPS_SAMPLE("samba_netlogon_query_pdc", samba_netlogon_query_pdc),
    CAPS_SAMPLE("rfc1002_fragment_first", rfc1002_fragment_first),
    CAPS_SAMPLE("rfc1002_fragment_last", rfc1002_fragment_last),
    CAPS_SAMPLE("rfc1002_error_dest_not_present", rfc1002_error_dest_not_present),
    CAPS_SAMPLE("rfc1002_query_request", rfc1002_query_request),
    CAPS_SAMPLE("samba_lanman_host_announcement", samba_lanman_host_announcement),
    CAPS_SAMPLE("win10_announcement_request", win10_announcement_request),
};

const struct caps_sample_set caps_samples_nbds = {"nbds", samples,
                                               sizeof samples / sizeof samples[0]};
