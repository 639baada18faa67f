#!/usr/bin/env python3
"""corpus_check.py - compares a caps inventory with what tshark sees in the same capture.

Usage: corpus_check.py --name FILE --inventory OUT.json --fields FIELDS.tsv
                       --malformed MALFORMED.txt

FIELDS.tsv is `tshark -T fields -E header=y -E occurrence=a -E aggregator='|'
-E separator=/t` over the frames of the sensed protocols (corpus_test.sh names
the fields and the display filter); MALFORMED.txt holds the frame numbers of
those protocols' frames tshark marks malformed or in error, one a line.

Checked, as caps defines them (core/src/ingest_*.c):
  devices    ARP (IPv4 request/reply) sender hardware address; DHCP client
             messages (htype 1, hlen 6): chaddr; DHCP replies, NBNS, NetBIOS
             datagrams, SSDP, mDNS: the frame's source MAC. Zero, broadcast
             and multicast MACs are not devices. Each must be an asset.
  DHCP names option 12 of client messages, per chaddr, as caps stores it:
             trailing NULs dropped, control bytes as '?', at most 63 bytes.
             The asset's hostname must be one of the names that MAC sent (a
             later message may rename it; option 81's first label, which caps
             uses when option 12 is absent, also counts).
  mDNS names owners of A/AAAA records (TTL > 0: a TTL 0 record is a goodbye,
             RFC 6762 10.1) whose address is the frame's source address name
             the sender. Unless the asset's hostname is a DHCP or NetBIOS name
             that MAC sent (they outrank mDNS), it must be one of those names
             without a trailing ".local".
Malformed counts are printed for information: caps and tshark do not judge
the same bytes the same way.

Prints one line "ok FILE: ..." or "FAIL FILE: ..." (then one indented line
per problem) and exits 0 or 1.
"""
import argparse
import json
import re
import sys

HOSTNAME_MAX = 63          # CAPS_HOSTNAME_MAX - 1 (core/include/caps/inventory.h)
DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_OPT = 1, 28, 41
DETAILS_MAX = 40           # problem lines printed per file


def device_mac(mac):
    """Lower-case MAC text when it can name a device, else None."""
    if not mac:
        return None
    mac = mac.lower()
    try:
        octets = [int(x, 16) for x in mac.split(":")]
    except ValueError:
        return None
    if len(octets) != 6 or octets[0] & 1 or not any(octets):
        return None
    return mac


def caps_text(raw):
    """caps_text_copy (core/src/text.c): trailing NULs dropped, control bytes
    as '?'; then cut to the inventory's hostname size."""
    raw = raw.rstrip(b"\0")
    out = bytes(b if 0x20 <= b != 0x7F else 0x3F for b in raw)
    return out[:HOSTNAME_MAX]


def shown(name):
    """A name as text for the report."""
    return repr(name.decode("utf-8", "backslashreplace"))


def shown_set(names):
    return ", ".join(shown(n) for n in sorted(names))


def frames_text(frames):
    frames = sorted(set(frames), key=int)
    more = f" (+{len(frames) - 5} more)" if len(frames) > 5 else ""
    return ",".join(frames[:5]) + more


class Row:
    """One tshark line: field values as lists of occurrences (bytes)."""

    def __init__(self, header, line):
        cells = line.split(b"\t")
        cells += [b""] * (len(header) - len(cells))
        self.cells = dict(zip(header, cells))
        self.number = self.text("frame.number") or "?"

    def all(self, field):
        cell = self.cells.get(field, b"")
        return cell.split(b"|") if cell else []

    def text(self, field, index=0):
        values = self.all(field)
        return values[index].decode("utf-8", "replace") if len(values) > index else ""

    def int(self, field, index=0):
        try:
            return int(self.text(field, index), 0)
        except ValueError:
            return None


class Seen:
    """What tshark saw, per MAC."""

    def __init__(self):
        self.devices = {}        # mac -> {protocol: [frame numbers]}
        self.dhcp_names = {}     # mac -> {caps-form name: [frames]} from option 12
        self.fqdn_names = {}     # mac -> {first label of option 81}
        self.netbios_names = {}  # mac -> {names it sent}
        self.mdns_names = {}     # mac -> {name without .local: [frames]}
        self.unparsed = []       # notes on frames whose fields could not be split

    def device(self, mac, proto, frame):
        mac = device_mac(mac)
        if mac is not None:
            self.devices.setdefault(mac, {}).setdefault(proto, []).append(frame)
        return mac


def dhcp_hostname(row):
    """Option 12 of a DHCP message in caps form, from the raw option bytes (the
    text field hides NULs and non-ASCII bytes), or None when absent."""
    types = [t for t in (row.int("dhcp.option.type", i) for i in
                         range(len(row.all("dhcp.option.type"))))]
    lengths = row.all("dhcp.option.length")
    values = row.all("dhcp.option.value")
    # Pad (0) and End (255) carry no length and no value; a zero-length
    # option's value is shown as <MISSING>.
    with_len = [t for t in types if t not in (0, 255)]
    if len(with_len) == len(lengths) == len(values):
        for t, v in zip(with_len, values):
            if t == 12:       # caps keeps the first option 12
                if v == b"<MISSING>":
                    return b""
                try:
                    return caps_text(bytes.fromhex(v.decode("ascii")))
                except ValueError:
                    break
        else:
            return None
    text = row.all("dhcp.option.hostname")
    if not text:
        return None
    # Fallback: the text form (non-ASCII bytes shown as U+FFFD).
    name = text[0].decode("utf-8", "replace").replace("\ufffd", "?")
    return caps_text(name.encode("utf-8"))


def fqdn_label(row):
    names = row.all("dhcp.fqdn.name")
    if not names or not names[0]:
        return None
    return caps_text(names[0].split(b".")[0])


def netbios_names(row):
    out = set()
    for field in ("nbns.name", "nbns.netbios_name", "nbdgm.source_name", "browser.server"):
        for v in row.all(field):
            v = re.sub(rb"<[0-9A-Fa-f]{2}>$", b"", v).rstrip(b" ")
            if v:
                out.add(v)
    return out


def mdns_sender_names(row, seen):
    """Owner names of the A/AAAA records (TTL > 0) whose address is the frame's
    source address."""
    types = [row.int("dns.resp.type", i) for i in range(len(row.all("dns.resp.type")))]
    names = row.all("dns.resp.name")
    ttls = row.all("dns.resp.ttl")
    a = row.all("dns.a")
    aaaa = row.all("dns.aaaa")
    # dns.resp.ttl exists for every record but OPT; dns.a / dns.aaaa for A / AAAA.
    if (len(types) != len(names) or None in types
            or len(ttls) != sum(t != DNS_TYPE_OPT for t in types)
            or len(a) != types.count(DNS_TYPE_A) or len(aaaa) != types.count(DNS_TYPE_AAAA)):
        seen.unparsed.append(f"frame {row.number}: mDNS records not aligned "
                             f"(a name holds '|'?), its names not checked")
        return None
    src4 = row.all("ip.src")[:1]
    src6 = row.all("ipv6.src")[:1]
    out = set()
    ttl_i = a_i = aaaa_i = 0
    for t, name in zip(types, names):
        ttl = None
        if t != DNS_TYPE_OPT:
            ttl = int(ttls[ttl_i] or b"0")
            ttl_i += 1
        if t == DNS_TYPE_A:
            mine = src4 and not src6 and a[a_i] == src4[0]
            a_i += 1
        elif t == DNS_TYPE_AAAA:
            mine = src6 and aaaa[aaaa_i].lower() == src6[0].lower()
            aaaa_i += 1
        else:
            continue
        if mine and ttl:
            if name.lower().endswith(b".local") and len(name) > 6:
                name = name[:-6]
            out.add(name[:HOSTNAME_MAX])
    return out


def read_fields(path, seen):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    header = [h.decode() for h in lines[0].split(b"\t")] if lines and lines[0] else []
    need = {"frame.number", "frame.protocols", "eth.src", "arp.src.hw_mac", "dhcp.type",
            "dhcp.hw.mac_addr", "dns.resp.name"}
    if need - set(header):
        raise SystemExit(f"corpus_check: {path}: tshark fields lack {sorted(need - set(header))}")
    for line in lines[1:]:
        if not line:
            continue
        row = Row(header, line)
        protos = set(row.text("frame.protocols").split(":"))
        src = row.text("eth.src") or row.text("sll.src.eth")
        frame = row.number
        if "arp" in protos:
            # caps reads ARP for IPv4 (RFC 826 request/reply); RARP and InARP
            # are other protocols.
            if row.int("arp.opcode") in (1, 2) and row.int("arp.proto.type") == 0x0800:
                seen.device(row.text("arp.src.hw_mac"), "arp", frame)
        elif "dhcp" in protos:
            op = row.int("dhcp.type")
            if op == 2:
                seen.device(src, "dhcp-reply", frame)
            elif op == 1 and row.int("dhcp.hw.type") == 1 and row.int("dhcp.hw.len") == 6:
                # The header's chaddr is the first dhcp.hw.mac_addr (option 61
                # may add another).
                mac = seen.device(row.text("dhcp.hw.mac_addr"), "dhcp", frame)
                if mac is None:
                    continue
                name = dhcp_hostname(row)
                if name:
                    seen.dhcp_names.setdefault(mac, {}).setdefault(name, []).append(frame)
                elif name is None:
                    label = fqdn_label(row)
                    if label:
                        seen.fqdn_names.setdefault(mac, set()).add(label)
        else:
            for proto in ("nbns", "nbdgm", "ssdp", "mdns"):
                if proto in protos:
                    break
            else:
                continue
            mac = seen.device(src, proto, frame)
            if mac is None:
                continue
            if proto in ("nbns", "nbdgm"):
                seen.netbios_names.setdefault(mac, set()).update(netbios_names(row))
            elif proto == "mdns":
                names = mdns_sender_names(row, seen)
                if names is None:
                    seen.mdns_names.setdefault(mac, {})[None] = [frame]
                for n in names or ():
                    seen.mdns_names.setdefault(mac, {}).setdefault(n, []).append(frame)


def malformed_text(inventory, frames):
    caps = []
    for proto, reasons in sorted(inventory.get("summary", {}).get("malformed", {}).items()):
        if isinstance(reasons, dict):
            caps += [f"{proto}/{r}={n}" for r, n in sorted(reasons.items())]
        else:
            caps.append(f"{proto}={reasons}")
    caps_part = " ".join(caps) if caps else "0"
    tshark_part = str(len(frames))
    if frames:
        tshark_part += f" (frame {frames_text(frames)})"
    return f"malformed: caps {caps_part}, tshark {tshark_part}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--name", required=True)
    ap.add_argument("--inventory", required=True)
    ap.add_argument("--fields", required=True)
    ap.add_argument("--malformed", required=True)
    args = ap.parse_args()

    with open(args.inventory, "rb") as f:
        inventory = json.loads(f.read().decode("utf-8", "surrogateescape"))
    assets = {}
    for a in inventory.get("assets", []):
        host = a.get("hostname")
        assets[a["mac"]] = None if host is None else host.encode("utf-8", "surrogateescape")
    with open(args.malformed, "rb") as f:
        malformed = [x.decode() for x in f.read().split() if x]

    seen = Seen()
    read_fields(args.fields, seen)
    problems = []

    for mac in sorted(seen.devices):
        if mac not in assets:
            how = "; ".join(f"{p} frame {frames_text(fr)}"
                            for p, fr in sorted(seen.devices[mac].items()))
            problems.append(f"missing {mac}: tshark sees it in {how}")

    def higher_names(mac):
        names = set(seen.dhcp_names.get(mac, {})) | seen.fqdn_names.get(mac, set())
        return names | seen.netbios_names.get(mac, set())

    for mac, names in sorted(seen.dhcp_names.items()):
        if mac not in assets:
            continue
        want = set(names) | seen.fqdn_names.get(mac, set())
        got = assets[mac]
        if got not in want:
            frames = [f for fr in names.values() for f in fr]
            problems.append(f"hostname {mac}: caps {shown(got) if got is not None else 'null'}, "
                            f"tshark saw DHCP option 12 {shown_set(names)} "
                            f"(frame {frames_text(frames)})")

    mdns_checked = 0
    for mac, names in sorted(seen.mdns_names.items()):
        if mac not in assets or None in names:
            continue
        mdns_checked += 1
        got = assets[mac]
        if got is not None and got in higher_names(mac):
            continue
        if got not in names:
            frames = [f for fr in names.values() for f in fr]
            problems.append(f"hostname {mac}: caps {shown(got) if got is not None else 'null'}, "
                            f"tshark saw mDNS A/AAAA names for the sender {shown_set(names)} "
                            f"(frame {frames_text(frames)})")

    counts = (f"{len(seen.devices)} devices, {len(seen.dhcp_names)} hostnames, "
              f"{mdns_checked} mDNS names checked")
    tail = "; " + malformed_text(inventory, malformed)
    if seen.unparsed:
        tail += f"; {len(seen.unparsed)} frame(s) not checked"
    if problems:
        print(f"FAIL {args.name}: {len(problems)} problem(s); {counts}{tail}")
        for p in problems[:DETAILS_MAX]:
            print(f"    {p}")
        if len(problems) > DETAILS_MAX:
            print(f"    ... and {len(problems) - DETAILS_MAX} more")
    else:
        print(f"ok {args.name}: {counts}{tail}")
    for note in seen.unparsed[:5]:
        print(f"    note: {note}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
