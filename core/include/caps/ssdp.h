/* caps/ssdp.h - SSDP decoder (UPnP Device Architecture 1.1/2.0, UDP 1900).
 *
 * Parses one HTTPU datagram: a NOTIFY or M-SEARCH request or a 200 OK search
 * response, then its header lines, tolerating what real devices send (bare LF,
 * folded lines, junk lines, NUL padding). Known headers are copied into fixed,
 * NUL-terminated fields, unknown ones into a bounded list of extras. At most
 * CAPS_SSDP_LINES_MAX header lines are read.
 */
#ifndef CAPS_SSDP_H
#define CAPS_SSDP_H

#include <stddef.h>
#include <stdint.h>

/* Field capacities in bytes, NUL included. A longer value is cut at the field
 * size and its bit is set in caps_ssdp.truncated. */
#define CAPS_SSDP_HOST_MAX 64          /* "239.255.255.250:1900", "[FF02::C]:1900" */
#define CAPS_SSDP_NT_MAX 128           /* longest UPnP URN types are ~70 bytes */
#define CAPS_SSDP_ST_MAX 128
#define CAPS_SSDP_USN_MAX 256          /* "uuid:<36>::<NT>" fits with room */
#define CAPS_SSDP_UUID_MAX 64          /* 36 for RFC 4122, vendor forms are shorter */
#define CAPS_SSDP_LOCATION_MAX 256     /* Windows udhisapi.dll URLs are ~110 */
#define CAPS_SSDP_SERVER_MAX 256       /* "OS/ver UPnP/1.1 product/ver", HP adds more */
#define CAPS_SSDP_USER_AGENT_MAX 256
#define CAPS_SSDP_MAN_MAX 32           /* "\"ssdp:discover\"" */

/* Headers other than the known ones (Sonos X-RINCON-*, hue-bridgeid, OPT,
 * 01-NLS, SECURELOCATION.UPNP.ORG, ...) are kept in arrival order: the first
 * CAPS_SSDP_EXTRAS_MAX, the rest counted in extras_dropped. Sonos sends 9. */
#define CAPS_SSDP_EXTRAS_MAX 8
#define CAPS_SSDP_EXTRA_NAME_MAX 40    /* "HOUSEHOLD.SMARTSPEAKER.AUDIO" is 28 */
#define CAPS_SSDP_EXTRA_VALUE_MAX 128

/* Header lines read after the start line (folded continuations and bad lines
 * count). Real messages carry 5-16; more than this is CAPS_E_LIMIT. */
#define CAPS_SSDP_LINES_MAX 64
/* A header value with its folded continuations is assembled in this many
 * bytes (NUL included) before it is stored; beyond it the value is cut. */
#define CAPS_SSDP_VALUE_MAX 512

enum caps_ssdp_method {
    CAPS_SSDP_METHOD_NOTIFY = 1,   /* "NOTIFY * HTTP/1.1": advertisement */
    CAPS_SSDP_METHOD_MSEARCH,      /* "M-SEARCH * HTTP/1.1": search request */
    CAPS_SSDP_METHOD_RESPONSE      /* "HTTP/1.1 200 OK": search response */
};

enum caps_ssdp_nts {
    CAPS_SSDP_NTS_NONE = 0,        /* no NTS header (M-SEARCH, responses) */
    CAPS_SSDP_NTS_ALIVE,           /* "ssdp:alive" */
    CAPS_SSDP_NTS_BYEBYE,          /* "ssdp:byebye" */
    CAPS_SSDP_NTS_UPDATE,          /* "ssdp:update" (UDA 1.1 1.2.4) */
    CAPS_SSDP_NTS_OTHER            /* present, none of the above */
};

/* Bits of caps_ssdp.present (field holds a value) and .truncated (value was
 * cut to the field size). MAX_AGE, MX, BOOTID, CONFIGID are set in present
 * only when the number parsed. */
#define CAPS_SSDP_FIELD_HOST (1u << 0)
#define CAPS_SSDP_FIELD_NT (1u << 1)
#define CAPS_SSDP_FIELD_NTS (1u << 2)
#define CAPS_SSDP_FIELD_USN (1u << 3)
#define CAPS_SSDP_FIELD_UUID (1u << 4)     /* derived from USN "uuid:X[::...]" */
#define CAPS_SSDP_FIELD_LOCATION (1u << 5) /* LOCATION, else AL */
#define CAPS_SSDP_FIELD_SERVER (1u << 6)
#define CAPS_SSDP_FIELD_USER_AGENT (1u << 7)
#define CAPS_SSDP_FIELD_ST (1u << 8)
#define CAPS_SSDP_FIELD_MAN (1u << 9)
#define CAPS_SSDP_FIELD_MX (1u << 10)
#define CAPS_SSDP_FIELD_MAX_AGE (1u << 11) /* CACHE-CONTROL max-age */
#define CAPS_SSDP_FIELD_BOOTID (1u << 12)
#define CAPS_SSDP_FIELD_CONFIGID (1u << 13)

/* Bits of caps_ssdp.flags: what was odd about the message. */
#define CAPS_SSDP_F_NUL (1u << 0)          /* a NUL byte ended the message early */
#define CAPS_SSDP_F_BARE_LF (1u << 1)      /* a line ended in LF without CR */
#define CAPS_SSDP_F_FOLDED (1u << 2)       /* obsolete line folding was joined */
#define CAPS_SSDP_F_NO_END (1u << 3)       /* no empty line before the end */
#define CAPS_SSDP_F_DUPLICATE (1u << 4)    /* a known header repeated (first kept) */
#define CAPS_SSDP_F_BAD_NUMBER (1u << 5)   /* MX, max-age, BOOTID or CONFIGID not a
                                            * decimal number below 2^32 */
#define CAPS_SSDP_F_LOCATION_AL (1u << 6)  /* location taken from the old AL header */
#define CAPS_SSDP_F_EXTRA_TRUNCATED (1u << 7) /* an extra's name or value was cut */

struct caps_ssdp_extra {
    char name[CAPS_SSDP_EXTRA_NAME_MAX];   /* as sent (case kept) */
    char value[CAPS_SSDP_EXTRA_VALUE_MAX];
};

/* One decoded SSDP message. Strings are NUL-terminated copies with control
 * bytes replaced by '?'; an absent header leaves "" (check present). Nothing
 * points into the packet. Only extras[0..extra_count) are written. */
struct caps_ssdp {
    enum caps_ssdp_method method;
    enum caps_ssdp_nts nts;
    uint32_t present;             /* CAPS_SSDP_FIELD_* */
    uint32_t truncated;           /* CAPS_SSDP_FIELD_* */
    uint32_t flags;               /* CAPS_SSDP_F_* */
    uint32_t max_age_s;           /* CACHE-CONTROL max-age, seconds */
    uint32_t mx_s;                /* M-SEARCH MX, seconds */
    uint32_t bootid;              /* BOOTID.UPNP.ORG */
    uint32_t configid;            /* CONFIGID.UPNP.ORG */
    uint16_t bad_lines;           /* header lines without a name and ':' (skipped) */
    uint16_t extra_count;         /* 0..CAPS_SSDP_EXTRAS_MAX */
    uint16_t extras_dropped;      /* unknown headers beyond CAPS_SSDP_EXTRAS_MAX */
    char host[CAPS_SSDP_HOST_MAX];
    char nt[CAPS_SSDP_NT_MAX];
    char usn[CAPS_SSDP_USN_MAX];
    char uuid[CAPS_SSDP_UUID_MAX];    /* USN between "uuid:" and "::" (or end) */
    char location[CAPS_SSDP_LOCATION_MAX];
    char server[CAPS_SSDP_SERVER_MAX];
    char user_agent[CAPS_SSDP_USER_AGENT_MAX];
    char st[CAPS_SSDP_ST_MAX];
    char man[CAPS_SSDP_MAN_MAX];
    struct caps_ssdp_extra extras[CAPS_SSDP_EXTRAS_MAX];
};

/* Parses the UDP payload buf[0..len) into *out (caller memory; unspecified on
 * error). Rules:
 *  - The start line must be exactly one of the three above (trailing spaces
 *    allowed); lines end in CRLF or bare LF.
 *  - The message ends at the first empty line, at the end of the buffer (a
 *    missing final CRLF is fine) or at the first NUL byte: devices pad
 *    datagrams with NULs or send C strings with their terminator, so
 *    everything from a NUL on is ignored (flag CAPS_SSDP_F_NUL), even when
 *    the NUL falls inside a line.
 *  - Header names match case-insensitively; whitespace around names and
 *    values is dropped; a line starting with SP/HT continues the previous
 *    header's value, joined by one space (RFC 7230 3.2.4). A line with no
 *    ':' or an empty name is counted in bad_lines and skipped.
 *  - A repeated known header keeps its first value (CAPS_SSDP_F_DUPLICATE).
 *    LOCATION wins over AL whatever their order; AL's "<url>" loses its
 *    angle brackets.
 * Returns 0, or:
 *   CAPS_E_TRUNCATED  the buffer ends inside what could still be a valid
 *                     start line (includes len 0);
 *   CAPS_E_SYNTAX     the start line is none of the three;
 *   CAPS_E_LIMIT      more than CAPS_SSDP_LINES_MAX header lines. */
int caps_ssdp_parse(const uint8_t *buf, size_t len, struct caps_ssdp *out);

/* Stable names: "notify", "m-search", "response"; "alive", "byebye",
 * "update", "other", "none". Unknown values give "unknown". */
const char *caps_ssdp_method_name(enum caps_ssdp_method method);
const char *caps_ssdp_nts_name(enum caps_ssdp_nts nts);

#endif
