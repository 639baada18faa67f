/* traffic/profile.h - one device profile as loaded from data/profiles.json
 * (documented in data/profiles.md): addresses, DHCP client behaviour, the
 * protocols it speaks and their schedules, churn, and the truth a perfect
 * sensor would report. Fixed-size fields: a profile is plain data. */
#ifndef TRAFFIC_PROFILE_H
#define TRAFFIC_PROFILE_H

#include <stdint.h>

#define TRAFFIC_OUI_MAX 16
#define TRAFFIC_OPTS_MAX 32
#define TRAFFIC_NT_MAX 8
#define TRAFFIC_SVC_MAX 6
#define TRAFFIC_TXT_MAX 12
#define TRAFFIC_QUERY_MAX 6
#define TRAFFIC_NAMES_MAX 64

enum traffic_churn {
    TRAFFIC_CHURN_STABLE = 0,  /* always on: joins once, leaves only on churn */
    TRAFFIC_CHURN_DAILY = 1,   /* laptop: a working day on, the night off */
    TRAFFIC_CHURN_PHONE = 2,   /* phone/tablet: shorter visits, MAC rotation */
};

enum traffic_client_id {
    TRAFFIC_CLIENT_ID_NONE = 0,
    TRAFFIC_CLIENT_ID_MAC = 1,   /* type 1 + MAC */
    TRAFFIC_CLIENT_ID_DUID = 2,  /* type 255 + IAID + DUID-EN (RFC 4361, systemd) */
};

struct traffic_mdns_service {
    char type[48];                       /* "_googlecast._tcp" */
    char instance[64];                   /* pattern, see data/profiles.md */
    uint16_t port;
    uint32_t txt_count;
    char txt[TRAFFIC_TXT_MAX][96];       /* patterns */
};

struct traffic_profile {
    char name[64];
    double weight;
    uint32_t oui_count;
    uint8_t oui[TRAFFIC_OUI_MAX][3];
    int randomized_mac;
    char hostname[64];                   /* pattern; "" when it sends none */
    uint8_t ttl;

    /* DHCP client */
    uint32_t discover_order_len, request_order_len, inform_order_len;
    uint8_t discover_order[TRAFFIC_OPTS_MAX];
    uint8_t request_order[TRAFFIC_OPTS_MAX];
    uint8_t inform_order[TRAFFIC_OPTS_MAX];
    uint32_t prl_len;
    uint8_t prl[64];
    char vendor_class[96];               /* pattern */
    uint16_t max_msg_bytes;
    int client_id;                       /* enum traffic_client_id */
    uint32_t lease_request_s;            /* option 51 in DISCOVER/REQUEST, 0 none */
    uint16_t pad_to_bytes;
    int broadcast_flag;
    int inform;

    /* ARP */
    uint32_t arp_probes, arp_announces;
    uint32_t arp_interval_min_s, arp_interval_max_s;

    /* NetBIOS */
    int nbns;
    char workgroup[16];
    uint32_t nbns_refresh_s;             /* 0: B nodes without WINS do not refresh */
    int browser;
    uint8_t os_major, os_minor;
    uint32_t server_type;
    char comment[44];

    /* SSDP */
    int ssdp;
    char ssdp_server[128];
    uint32_t max_age_s;
    char location[128];                  /* pattern */
    uint32_t nt_count;
    char nt[TRAFFIC_NT_MAX][96];
    int msearch;
    char msearch_st[96];
    char msearch_ua[128];
    uint32_t msearch_min_s, msearch_max_s;

    /* mDNS */
    int mdns;
    char hinfo_cpu[32], hinfo_os[32];
    uint32_t svc_count;
    struct traffic_mdns_service svc[TRAFFIC_SVC_MAX];
    uint32_t query_count;
    char query[TRAFFIC_QUERY_MAX][64];
    uint32_t query_min_s, query_max_s;

    /* Churn */
    int churn;                           /* enum traffic_churn */

    /* Truth */
    char os_family[16], os_version[16];
    char device_type[16];
    char manufacturer[48];
    char model[64];
};

struct traffic_profiles {
    uint32_t count;
    struct traffic_profile *items;
    uint32_t name_count;                 /* first names for %N */
    char names[TRAFFIC_NAMES_MAX][16];
    uint32_t lease_s;                    /* the gateway's DHCP lease */
    char domain[64];                     /* option 15 the gateway hands out */
};

#endif
