/* caps/fingerprint.h - evidence about what a device is, and the labels it yields.
 *
 * The sensor turns what it decodes into evidence values of a few kinds (the
 * DHCP parameter request list as "1,3,6,15", an SSDP SERVER header, an mDNS
 * TXT string "md=Chromecast", ...). Each value is matched against the
 * fingerprint database (data, not code: data/fingerprints.json, loaded by the
 * codec); the first matching rule, in database order, becomes one piece of
 * evidence on the asset. Labels (OS family, device type) are derived from the
 * evidence held, with the combination rule documented in fingerprint.c.
 * Nothing here allocates; the database is borrowed from the host.
 */
#ifndef CAPS_FINGERPRINT_H
#define CAPS_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

enum caps_os_family {
    CAPS_OS_NONE = 0,            /* the traffic does not tell */
    CAPS_OS_WINDOWS,
    CAPS_OS_MACOS,
    CAPS_OS_IOS,
    CAPS_OS_IPADOS,
    CAPS_OS_TVOS,
    CAPS_OS_ANDROID,
    CAPS_OS_LINUX,
    CAPS_OS_CHROMEOS,
    CAPS_OS_FREEBSD,
    CAPS_OS_EMBEDDED,
    CAPS_OS_COUNT
};

enum caps_device_type {
    CAPS_DEV_NONE = 0,           /* the traffic does not tell */
    CAPS_DEV_WORKSTATION,
    CAPS_DEV_SERVER,
    CAPS_DEV_NAS,
    CAPS_DEV_PHONE,
    CAPS_DEV_TABLET,
    CAPS_DEV_PRINTER,
    CAPS_DEV_TV,
    CAPS_DEV_MEDIA_PLAYER,
    CAPS_DEV_SPEAKER,
    CAPS_DEV_CAMERA,
    CAPS_DEV_VOIP_PHONE,
    CAPS_DEV_GAME_CONSOLE,
    CAPS_DEV_NETWORK,
    CAPS_DEV_IOT,
    CAPS_DEV_COUNT
};

/* Evidence kinds and the exact text the sensor forms for each. */
enum caps_ev_kind {
    CAPS_EV_NONE = 0,
    CAPS_EV_DHCP_PRL,            /* option 55 codes in order, decimal, comma-separated: "1,3,6,15" */
    CAPS_EV_DHCP_OPTIONS,        /* option codes in order of appearance, pad/end excluded: "53,61,12,55" */
    CAPS_EV_DHCP_VENDOR_CLASS,   /* option 60 as text: "MSFT 5.0" */
    CAPS_EV_HOSTNAME,            /* a name the device calls itself (DHCP 12/81, NetBIOS, mDNS host) */
    CAPS_EV_IP_TTL,              /* initial TTL guessed from a DHCP or NetBIOS frame: "32", "64", "128", "255" */
    CAPS_EV_BROWSER_OS,          /* host announcement OS version "major.minor": "10.0" */
    CAPS_EV_SSDP_SERVER,         /* SSDP SERVER header */
    CAPS_EV_SSDP_USER_AGENT,     /* SSDP USER-AGENT header */
    CAPS_EV_SSDP_TYPE,           /* SSDP NT (NOTIFY) or ST (response): "urn:schemas-upnp-org:device:MediaRenderer:1" */
    CAPS_EV_MDNS_SERVICE,        /* a service type the device announces: "_airplay._tcp" */
    CAPS_EV_MDNS_TXT,            /* one TXT string of the device's records: "md=Chromecast" */
    CAPS_EV_MDNS_HINFO,          /* HINFO "cpu os": "X86_64 LINUX" */
    CAPS_EV_OUI_VENDOR,          /* the IEEE organization of the MAC: "Apple, Inc." */
    CAPS_EV_BROWSER_ROLE,        /* one per role in a host announcement's server type
                                  * ([MS-BRWS] 2.2.1): "server_nt" (SV_TYPE_SERVER_NT),
                                  * "domain_controller", "server_unix" (Samba and other
                                  * Unix servers), "workstation_nt" (NT without SERVER_NT),
                                  * "print_server" */
    CAPS_EV_BROWSER_COMMENT,     /* a host announcement's comment: "Samba 4.17.12-Debian" */
    CAPS_EV_KIND_COUNT
};

#define CAPS_FP_ID_MAX 48            /* rule id, NUL included */
#define CAPS_FP_PATTERN_MAX 128      /* match pattern, NUL included */
#define CAPS_FP_TEXT_MAX 32          /* os_version, manufacturer, model, NUL included */
#define CAPS_FP_RULES_MAX 4096       /* rules in one database (base + local) */
#define CAPS_EV_VALUE_MAX 256        /* evidence values longer than this are cut */

/* One rule. pattern: '*' matches any run of characters (possibly empty),
 * every other character matches itself ASCII case-insensitively; the whole
 * value must match. os_version, manufacturer and model may contain "$1",
 * replaced by the text the first '*' matched. Fields that are 0 or "" say
 * nothing about that label. */
struct caps_fp_rule {
    char id[CAPS_FP_ID_MAX];
    uint8_t kind;                        /* enum caps_ev_kind */
    uint8_t os_family;                   /* enum caps_os_family */
    uint8_t device_type;                 /* enum caps_device_type */
    uint16_t score_milli;                /* 1..1000: how sure this rule is alone */
    char pattern[CAPS_FP_PATTERN_MAX];
    char os_version[CAPS_FP_TEXT_MAX];
    char manufacturer[CAPS_FP_TEXT_MAX];
    char model[CAPS_FP_TEXT_MAX];
};

/* A database: rules in precedence order (a user's local rules first). The
 * index (caps_fp_db_index) lists the rules of each kind in that order, so a
 * match scans only its kind; without it every rule is scanned. */
struct caps_fp_db {
    const struct caps_fp_rule *rules;
    uint32_t count;                      /* <= CAPS_FP_RULES_MAX */
    uint8_t indexed;                     /* 1: kind_start and order are valid */
    uint16_t kind_start[CAPS_EV_KIND_COUNT + 1];  /* order[kind_start[k] .. kind_start[k+1]) */
    uint16_t order[CAPS_FP_RULES_MAX];   /* rule indices grouped by kind */
};

/* Builds the per-kind index of db (call again whenever rules or count change). */
void caps_fp_db_index(struct caps_fp_db *db);

#define CAPS_EVIDENCE_MAX 10             /* evidence items kept per asset */
#define CAPS_EV_CAPTURE_MAX 24           /* text of the first '*', NUL included */

struct caps_evidence {
    uint16_t rule;                       /* index into the database */
    uint8_t source;                      /* enum caps_proto that carried it */
    uint8_t kind;                        /* enum caps_ev_kind */
    char capture[CAPS_EV_CAPTURE_MAX];   /* what the first '*' matched, cut to fit */
};

/* What an asset holds: its evidence and the labels derived from it. */
struct caps_labels {
    uint8_t os_family;                   /* enum caps_os_family */
    uint8_t device_type;                 /* enum caps_device_type */
    uint16_t os_confidence_milli;        /* 0..1000 */
    uint16_t device_confidence_milli;    /* 0..1000 */
    uint8_t evidence_count;              /* 0..CAPS_EVIDENCE_MAX */
    struct caps_evidence evidence[CAPS_EVIDENCE_MAX];
};

/* Stable lower-case names (DESIGN.md vocabulary) and their inverses, which
 * return -1 for unknown names. NONE has the name NULL. */
const char *caps_os_family_name(int family);
int caps_os_family_parse(const char *name);
const char *caps_device_type_name(int type);
int caps_device_type_parse(const char *name);
const char *caps_ev_kind_name(int kind);  /* "dhcp_prl", ... ; NULL for NONE/unknown */
int caps_ev_kind_parse(const char *name);

/* Matches text against pattern (rules above). On a match returns 1 and, when
 * capture is not NULL, copies what the first '*' matched into capture
 * (capacity cap >= 1, cut to fit, "" when the pattern has no '*'). Returns 0
 * on no match. Bounded: O(len(pattern) * len(text)) steps, no recursion. */
int caps_fp_glob(const char *pattern, const char *text, char *capture, size_t cap);

/* Index of the first rule of db with this kind whose pattern matches value,
 * or -1. capture as for caps_fp_glob. */
int caps_fp_db_match(const struct caps_fp_db *db, int kind, const char *value,
                     char *capture, size_t cap);

/* Matches (kind, value) and, when a rule matches that the asset does not
 * hold yet, records it as evidence from source and re-derives the labels.
 * When the evidence table is full, the new item replaces the weakest one only
 * if the new rule's score is higher. db may be NULL (nothing happens).
 * Returns 1 when the evidence changed, else 0. */
int caps_fp_observe(struct caps_labels *l, const struct caps_fp_db *db, int kind,
                    const char *value, int source);

/* Derived details, "" when no evidence tells: the OS version of the chosen
 * family (from its strongest evidence that carries a version), and the
 * manufacturer and model (from the strongest evidence that carries each).
 * "$1" is expanded from the evidence's capture. */
void caps_fp_os_version(const struct caps_labels *l, const struct caps_fp_db *db,
                        char *out, size_t cap);
void caps_fp_manufacturer(const struct caps_labels *l, const struct caps_fp_db *db,
                          char *out, size_t cap);
void caps_fp_model(const struct caps_labels *l, const struct caps_fp_db *db, char *out,
                   size_t cap);

#endif
