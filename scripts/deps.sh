#!/usr/bin/env bash
# deps.sh - installs the Debian 12 packages caps needs to build and test,
# only those missing. As root it runs apt-get; otherwise it prints the line.
#   usage: scripts/deps.sh [build|test]   (test adds the tools tests compare with)
set -euo pipefail
want=(build-essential cmake pkg-config libpcap-dev check libcjson-dev
      libcurl4-openssl-dev libmicrohttpd-dev libsqlite3-dev libssl-dev zlib1g-dev
      gnuplot-nox ieee-data curl)
if [ "${1:-build}" = test ]; then
    want+=(clang libclang-rt-14-dev tshark tcpdump tcpreplay prads iproute2 hyperfine python3)
fi
missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "caps needs these Debian packages; run as root:" >&2
    echo "  apt-get update && $line" >&2
    exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
