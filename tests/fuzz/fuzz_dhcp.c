/* fuzz_dhcp.c - libFuzzer target for the DHCPv4 decoder.
 *
 * Parses the input, then checks what every consumer relies on: return codes
 * from the caps table, counts within their arrays, text fields terminated in
 * their fields, has_* flags 0/1, the order list consistent with the bitmap.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "caps/dhcp.h"
#include "caps/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void text_ok(const char *s, size_t cap)
{
    const char *nul = memchr(s, '\0', cap);
    assert(nul != NULL);
    for (const char *p = s; p < nul; p++)
        assert((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct caps_dhcp d;
    int rc;

    memset(&d, 0xA5, sizeof d);    /* stale bytes must never leak through */
    rc = caps_dhcp_parse(data, size, &d);
    assert(rc <= 0 && rc > -CAPS_ERR_COUNT);
    if (rc != CAPS_OK)
        return 0;

    assert(size >= CAPS_DHCP_MIN_BYTES);
    assert(d.op == 1 || d.op == 2);
    assert(d.hlen <= CAPS_DHCP_CHADDR_BYTES);
    assert(d.options_count <= CAPS_DHCP_OPTIONS_MAX);
    assert(d.options_truncated == (d.options_count > CAPS_DHCP_ORDER_MAX));
    assert(d.overload <= 3);
    assert(d.has_end <= 1);
    for (size_t i = 0; i < d.options_count && i < CAPS_DHCP_ORDER_MAX; i++) {
        assert(d.order[i] != 0 && d.order[i] != 255);
        assert(caps_dhcp_option_seen(&d, d.order[i]));
    }
    assert(!caps_dhcp_option_seen(&d, 0) && !caps_dhcp_option_seen(&d, 255));
    if (d.options_count == 0)
        for (size_t i = 0; i < sizeof d.present; i++)
            assert(d.present[i] == 0);

    assert(d.prl_len <= CAPS_DHCP_PRL_MAX);
    assert(d.has_prl == (d.prl_len > 0));
    assert(!d.prl_truncated || d.prl_len == CAPS_DHCP_PRL_MAX);
    assert(d.client_id_len <= CAPS_DHCP_CLIENT_ID_MAX);
    assert(d.user_class_len <= CAPS_DHCP_USER_CLASS_MAX);
    assert(d.vendor_opts_len <= CAPS_DHCP_VENDOR_OPTS_MAX);
    assert(d.dns_count <= 255 / 4);
    assert(d.router_count <= 255 / 4);
    assert(d.has_router == (d.router_count > 0));
    assert(!d.has_vendor_class || d.vendor_class_len > 0);
    assert(!d.has_client_id || !d.client_id_truncated ||
           d.client_id_len == CAPS_DHCP_CLIENT_ID_MAX);

    const uint8_t flags[] = {
        d.has_msg_type, d.has_prl, d.prl_truncated, d.has_max_msg_size,
        d.has_vendor_class, d.has_client_id, d.client_id_truncated, d.has_host_name,
        d.has_domain_name, d.has_fqdn, d.has_requested_ip, d.has_server_id,
        d.has_lease, d.has_t1, d.has_t2, d.has_subnet_mask, d.has_router,
        d.has_user_class, d.user_class_truncated, d.has_vendor_opts,
        d.vendor_opts_truncated, d.has_auto_config, d.has_relay_info, d.has_vivso,
        d.options_truncated,
    };
    for (size_t i = 0; i < sizeof flags; i++)
        assert(flags[i] <= 1);
    assert(!d.has_msg_type || caps_dhcp_option_seen(&d, 53));
    assert(!d.has_host_name || caps_dhcp_option_seen(&d, 12));
    assert(!d.has_fqdn || caps_dhcp_option_seen(&d, 81));
    if (d.has_msg_type)
        (void)caps_dhcp_msg_type_name(d.msg_type);

    /* text fields are read only when valid, like a consumer does */
    if (d.has_vendor_class)
        text_ok(d.vendor_class_text, sizeof d.vendor_class_text);
    if (d.has_host_name)
        text_ok(d.host_name, sizeof d.host_name);
    if (d.has_domain_name)
        text_ok(d.domain_name, sizeof d.domain_name);
    text_ok(d.fqdn_name, sizeof d.fqdn_name);   /* always set: "" unless decoded */
    text_ok(d.sname, sizeof d.sname);
    text_ok(d.file, sizeof d.file);
    if (d.overload & 1)
        assert(d.file[0] == '\0');
    if (d.overload & 2)
        assert(d.sname[0] == '\0');
    return 0;
}
