/* ssdp_samples.c - SSDP datagrams (UDP payloads to/from port 1900).
 *
 * Every sample is built by hand and reproduces what the named device sends:
 * header order, case, spacing and value formats as seen in published
 * captures and in the sender's source (noted per sample); addresses,
 * identifiers and versions are made up. None is copied from a real capture:
 * the public captures in /work/shared/public_pcaps may be fed to tests
 * through an option only, never committed. Each sample is
 * a string literal whose terminating NUL is not part of the datagram (see
 * TEXT_SAMPLE); a NUL that is part of it is written out as "\0".
 */
#include "sample.h"

/* The literal's own terminating NUL is not sent. */
#define TEXT_SAMPLE(name_, arr_) {name_, arr_, sizeof(arr_) - 1}

/* Windows 10 SSDP Discovery service (ssdpapi): no space after the colons,
 * mixed-case "Host"/"Man", no USER-AGENT. */
static const uint8_t windows10_msearch_all[] =
    "M-SEARCH * HTTP/1.1\r\n"
    "Host:239.255.255.250:1900\r\n"
    "ST:ssdp:all\r\n"
    "Man:\"ssdp:discover\"\r\n"
    "MX:3\r\n"
    "\r\n";

/* Chrome's DIAL discovery (Cast) on Windows: same header set and layout as
 * the macOS sample below, the platform at the end of USER-AGENT. */
static const uint8_t chrome_windows_dial_msearch[] =
    "M-SEARCH * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "MAN: \"ssdp:discover\"\r\n"
    "MX: 1\r\n"
    "ST: urn:dial-multiscreen-org:service:dial:1\r\n"
    "USER-AGENT: Google Chrome/99.0.4844.74 Windows\r\n"
    "\r\n";

/* Modelled on what Chrome's DIAL discovery sends on macOS (header order and
 * "<product>/<version> <platform>" USER-AGENT of Chrome's DialService); the
 * version is a made-up later one. */
static const uint8_t chrome_macos_dial_msearch[] =
    "M-SEARCH * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "MAN: \"ssdp:discover\"\r\n"
    "MX: 1\r\n"
    "ST: urn:dial-multiscreen-org:service:dial:1\r\n"
    "USER-AGENT: Google Chrome/114.0.5735.198 Mac OS X\r\n"
    "\r\n";

/* Modelled on what an Android DIAL client sends: its C string with the
 * terminating NUL, so one NUL after the final empty line. */
static const uint8_t dial_msearch_nul[] =
    "M-SEARCH * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "MAN: \"ssdp:discover\"\r\n"
    "MX: 2\r\n"
    "ST: urn:dial-multiscreen-org:service:dial:1\r\n"
    "\r\n"
    "\0";

/* Roku (OS 9.4) ECP advertisement: mixed-case names, a USN that is a Roku
 * serial rather than an RFC 4122 UUID, no "::" part. */
static const uint8_t roku_notify[] =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "Cache-Control: max-age=3600\r\n"
    "NT: roku:ecp\r\n"
    "NTS: ssdp:alive\r\n"
    "Location: http://192.168.1.134:8060/\r\n"
    "USN: uuid:roku:ecp:P0A070000007\r\n"
    "Server: Roku/9.4.0 UPnP/1.0 Roku/9.4.0\r\n"
    "\r\n";

/* Roku's answer to an M-SEARCH for roku:ecp (Roku ECP documentation), with
 * the empty "Ext:" and the device-group header. */
static const uint8_t roku_search_response[] =
    "HTTP/1.1 200 OK\r\n"
    "Cache-Control: max-age=3600\r\n"
    "ST: roku:ecp\r\n"
    "USN: uuid:roku:ecp:P0A070000007\r\n"
    "Ext: \r\n"
    "Server: Roku/9.4.0 UPnP/1.0 Roku/9.4.0\r\n"
    "LOCATION: http://192.168.1.134:8060/\r\n"
    "device-group.roku.com: 46F5CCE2472F2B14D77\r\n"
    "\r\n";

/* Sonos Play:1 (ZPS1) on S2 70.3: "max-age = 1800" with spaces around '=',
 * RINCON_<MAC>01400 device UUID, X-RINCON-* household headers. */
static const uint8_t sonos_notify[] =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "CACHE-CONTROL: max-age = 1800\r\n"
    "LOCATION: http://192.168.1.60:1400/xml/device_description.xml\r\n"
    "NT: upnp:rootdevice\r\n"
    "NTS: ssdp:alive\r\n"
    "SERVER: Linux UPnP/1.0 Sonos/70.3-35220 (ZPS1)\r\n"
    "USN: uuid:RINCON_000E58A0B1C201400::upnp:rootdevice\r\n"
    "X-RINCON-HOUSEHOLD: Sonos_Fw3RyjYDrUyEaJvS8kWpYbAYLe\r\n"
    "X-RINCON-BOOTSEQ: 82\r\n"
    "BOOTID.UPNP.ORG: 82\r\n"
    "X-RINCON-WIFIMODE: 0\r\n"
    "X-RINCON-VARIANT: 1\r\n"
    "HOUSEHOLD.SMARTSPEAKER.AUDIO: Sonos_Fw3RyjYDrUyEaJvS8kWpYbAYLe.Qz9mB4tN2cXw7LpK1rVh\r\n"
    "\r\n";

/* A newer Sonos (ZPS29, S2 85.0) answering a search, headers as in the sonos
 * fixtures of several open-source controllers: nine beyond the known ones,
 * one more than CAPS_SSDP_EXTRAS_MAX. */
static const uint8_t sonos_search_response[] =
    "HTTP/1.1 200 OK\r\n"
    "CACHE-CONTROL: max-age = 1800\r\n"
    "EXT:\r\n"
    "LOCATION: http://192.168.1.61:1400/xml/device_description.xml\r\n"
    "SERVER: Linux UPnP/1.0 Sonos/85.0-64200 (ZPS29)\r\n"
    "ST: urn:schemas-upnp-org:device:ZonePlayer:1\r\n"
    "USN: uuid:RINCON_48A6B8C0D1E201400::urn:schemas-upnp-org:device:ZonePlayer:1\r\n"
    "X-RINCON-HOUSEHOLD: Sonos_Fw3RyjYDrUyEaJvS8kWpYbAYLe\r\n"
    "X-RINCON-BOOTSEQ: 6\r\n"
    "BOOTID.UPNP.ORG: 6\r\n"
    "X-RINCON-WIFIMODE: 1\r\n"
    "X-RINCON-VARIANT: 2\r\n"
    "HOUSEHOLD.SMARTSPEAKER.AUDIO: Sonos_Fw3RyjYDrUyEaJvS8kWpYbAYLe.Qz9mB4tN2cXw7LpK1rVh\r\n"
    "LOCATION.SMARTSPEAKER.AUDIO: lc_4e8119cfb08d4c5083b6e0c75e47fe50\r\n"
    "SECURELOCATION.UPNP.ORG: https://192.168.1.61:1443/xml/device_description.xml\r\n"
    "X-SONOS-HHSECURELOCATION: https://192.168.1.61:1843/xml/device_description.xml\r\n"
    "\r\n";

/* Samsung TV (Tizen, DMR on 9197) as logged in the openHAB samsungtv
 * binding's documentation, with a DATE header. */
static const uint8_t samsung_tv_notify[] =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "CACHE-CONTROL: max-age=1800\r\n"
    "DATE: Tue, 18 Jan 2022 17:07:18 GMT\r\n"
    "LOCATION: http://192.168.100.73:9197/dmr\r\n"
    "NT: urn:schemas-upnp-org:device:MediaRenderer:1\r\n"
    "NTS: ssdp:alive\r\n"
    "SERVER: SHP, UPnP/1.0, Samsung UPnP SDK/1.0\r\n"
    "USN: uuid:ea645e34-d3dd-4b9b-a246-e1947f8973d6::urn:schemas-upnp-org:device:MediaRenderer:1\r\n"
    "\r\n";

/* Philips Hue bridge v2 (bwssytems/ha-bridge#356 capture, firmware string of
 * 1.26): lower-case "hue-bridgeid", NTS before NT. */
static const uint8_t hue_bridge_notify[] =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "CACHE-CONTROL: max-age=100\r\n"
    "LOCATION: http://192.168.8.8:80/description.xml\r\n"
    "SERVER: Linux/3.14.0 UPnP/1.0 IpBridge/1.26.0\r\n"
    "NTS: ssdp:alive\r\n"
    "hue-bridgeid: 001788FFFE102201\r\n"
    "NT: upnp:rootdevice\r\n"
    "USN: uuid:2f402f80-da50-11e1-9b23-001788102201::upnp:rootdevice\r\n"
    "\r\n";

/* Windows 10 UPnP Device Host (media sharing): "Name:value" without spaces,
 * udhisapi.dll location on 2869, OPT/01-NLS of the UDA 1.1 extension. */
static const uint8_t windows_udh_notify[] =
    "NOTIFY * HTTP/1.1\r\n"
    "Host:239.255.255.250:1900\r\n"
    "NT:urn:schemas-upnp-org:device:MediaServer:1\r\n"
    "NTS:ssdp:alive\r\n"
    "Location:http://192.168.1.20:2869/upnphost/udhisapi.dll?content=uuid:"
    "c17f2c31-d19b-4912-af94-651945c8a84e\r\n"
    "USN:uuid:c17f2c31-d19b-4912-af94-651945c8a84e::urn:schemas-upnp-org:device:"
    "MediaServer:1\r\n"
    "Cache-Control:max-age=900\r\n"
    "Server:Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0\r\n"
    "OPT:\"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
    "01-NLS:c6d434f85431d29de259ea9a6b9fc7d7\r\n"
    "\r\n";

/* pfSense router, MiniUPnPd 2.0 (header order of minissdp.c
 * SendSSDPNotify; server string from bwssytems/ha-bridge#1100): IGD root. */
static const uint8_t pfsense_igd_notify[] =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "CACHE-CONTROL: max-age=120\r\n"
    "LOCATION: http://10.1.2.254:2189/rootDesc.xml\r\n"
    "SERVER: FreeBSD/11.2-RELEASE-p4 UPnP/1.1 MiniUPnPd/2.0\r\n"
    "NT: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
    "USN: uuid:6c1adccc-3538-979d-397a-4135f32611d0::urn:schemas-upnp-org:device:"
    "InternetGatewayDevice:1\r\n"
    "NTS: ssdp:alive\r\n"
    "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
    "01-NLS: 1560803590\r\n"
    "BOOTID.UPNP.ORG: 1560803590\r\n"
    "CONFIGID.UPNP.ORG: 1337\r\n"
    "\r\n";

/* The same MiniUPnPd leaving (minissdp.c SendSSDPbyebye): no LOCATION,
 * SERVER or CACHE-CONTROL. */
static const uint8_t miniupnpd_byebye[] =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "NT: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
    "USN: uuid:6c1adccc-3538-979d-397a-4135f32611d0::urn:schemas-upnp-org:device:"
    "InternetGatewayDevice:1\r\n"
    "NTS: ssdp:byebye\r\n"
    "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
    "01-NLS: 1560803590\r\n"
    "BOOTID.UPNP.ORG: 1560803590\r\n"
    "CONFIGID.UPNP.ORG: 1337\r\n"
    "\r\n";

/* HP OfficeJet Pro 8730 (MAC 98:e7:f4:47:d6:57). Reconstructed, no capture
 * at hand: HP's embedded server token (HP-ChaiSOE) and HP's device UUID
 * scheme 1c852a4d-b800-1f08-abcd-<MAC>. */
static const uint8_t hp_printer_notify[] =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "CACHE-CONTROL: max-age=180\r\n"
    "LOCATION: http://192.168.1.103:80/DevMgmt/DiscoveryTree.xml\r\n"
    "NT: urn:schemas-upnp-org:device:Printer:1\r\n"
    "NTS: ssdp:alive\r\n"
    "SERVER: HP-ChaiSOE/1.0 UPnP/1.0\r\n"
    "USN: uuid:1c852a4d-b800-1f08-abcd-98e7f447d657::urn:schemas-upnp-org:device:"
    "Printer:1\r\n"
    "\r\n";

/* A Hue emulator written in Python (triple-quoted template, as in the
 * fauxmo/ha-bridge family): every line ends in a bare LF. */
static const uint8_t hue_emulator_lf_only[] =
    "NOTIFY * HTTP/1.1\n"
    "HOST: 239.255.255.250:1900\n"
    "CACHE-CONTROL: max-age=100\n"
    "LOCATION: http://192.168.1.10:80/description.xml\n"
    "SERVER: FreeRTOS/7.4.2, UPnP/1.0, IpBridge/1.7.0\n"
    "NTS: ssdp:alive\n"
    "NT: uuid:2f402f80-da50-11e1-9b23-b827eb123456\n"
    "USN: uuid:2f402f80-da50-11e1-9b23-b827eb123456\n"
    "\n";

/* Constructed: a libupnp (Portable SDK) media server whose SERVER value is
 * folded over two continuation lines (one HT, one SP; RFC 7230 3.2.4
 * obs-fold) and whose header names are in mixed case. */
static const uint8_t folded_mixed_case[] =
    "NOTIFY * HTTP/1.1\r\n"
    "Host: 239.255.255.250:1900\r\n"
    "cache-control: max-age=1800\r\n"
    "Location: http://192.168.1.77:49152/description.xml\r\n"
    "nt: upnp:rootdevice\r\n"
    "Nts: ssdp:alive\r\n"
    "server: Linux/2.6.36,\r\n"
    "\tUPnP/1.0,\r\n"
    "   Portable SDK for UPnP devices/1.6.18\r\n"
    "X-User-Agent: redsonic\r\n"
    "Usn: uuid:4d696e69-444c-164e-9d41-b827eb7f0a3e::upnp:rootdevice\r\n"
    "\r\n";

/* Constructed: a cheap IP camera with junk lines: a header missing its ':'
 * and a line with an empty name. Both are skipped and counted. */
static const uint8_t bad_header_line[] =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "CACHE-CONTROL: max-age=1800\r\n"
    "LOCATION: http://192.168.1.64:49152/rootDesc.xml\r\n"
    "NT: upnp:rootdevice\r\n"
    "NTS: ssdp:alive\r\n"
    "SERVER: Linux/3.10 UPnP/1.0 IPCamera/1.0\r\n"
    "X-User-Agent redsonic\r\n"
    "USN: uuid:a1b2c3d4-0000-1000-8000-00127b5c6d7e::upnp:rootdevice\r\n"
    ": empty-name\r\n"
    "\r\n";

static const struct caps_sample samples[] = {
    TEXT_SAMPLE("windows10_msearch_all", windows10_msearch_all),
    TEXT_SAMPLE("chrome_windows_dial_msearch", chrome_windows_dial_msearch),
    TEXT_SAMPLE("chrome_macos_dial_msearch", chrome_macos_dial_msearch),
    TEXT_SAMPLE("dial_msearch_nul", dial_msearch_nul),
    TEXT_SAMPLE("roku_notify", roku_notify),
    TEXT_SAMPLE("roku_search_response", roku_search_response),
    TEXT_SAMPLE("sonos_notify", sonos_notify),
    TEXT_SAMPLE("sonos_search_response", sonos_search_response),
    TEXT_SAMPLE("samsung_tv_notify", samsung_tv_notify),
    TEXT_SAMPLE("hue_bridge_notify", hue_bridge_notify),
    TEXT_SAMPLE("windows_udh_notify", windows_udh_notify),
    TEXT_SAMPLE("pfsense_igd_notify", pfsense_igd_notify),
    TEXT_SAMPLE("miniupnpd_byebye", miniupnpd_byebye),
    TEXT_SAMPLE("hp_printer_notify", hp_printer_notify),
    TEXT_SAMPLE("hue_emulator_lf_only", hue_emulator_lf_only),
    TEXT_SAMPLE("folded_mixed_case", folded_mixed_case),
    TEXT_SAMPLE("bad_header_line", bad_header_line),
};

const struct caps_sample_set caps_samples_ssdp = {"ssdp", samples,
                                                  sizeof samples / sizeof samples[0]};
