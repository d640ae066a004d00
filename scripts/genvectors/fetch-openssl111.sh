#!/bin/sh
# fetch-openssl111.sh DIR — put a runnable OpenSSL 1.1.1 (Debian bullseye's
# openssl + libssl1.1) in DIR, with apt's own client and private apt state
# (the system's apt configuration is not touched), and write DIR/openssl, a
# wrapper that runs it with its own libraries and no system config.
# Then: OPENSSL111=DIR/openssl scripts/gen-vectors.sh
set -eu
DIR="${1:?usage: fetch-openssl111.sh DIR}"
MIRROR="${MIRROR:-http://deb.debian.org}"
mkdir -p "$DIR/apt/lists/partial" "$DIR/apt/cache/archives/partial" "$DIR/debs"
DIR="$(cd "$DIR" && pwd)"
cat >"$DIR/apt/sources.list" <<LIST
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR/debian bullseye main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR/debian-security bullseye-security main
LIST
set -- -o Dir::Etc::SourceList="$DIR/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
	-o Dir::State::Lists="$DIR/apt/lists" -o Dir::Cache="$DIR/apt/cache" -o Acquire::Check-Valid-Until=false
timeout 600 apt-get "$@" update >/dev/null
V="$(apt-cache "$@" madison openssl | awk '$3 ~ /^1\.1\.1/ {print $3; exit}')"
L="$(apt-cache "$@" madison libssl1.1 | awk '$3 ~ /^1\.1\.1/ {print $3; exit}')"
if [ -z "$V" ] || [ -z "$L" ]; then
	echo "fetch-openssl111: error: no openssl 1.1.1 in bullseye at $MIRROR" >&2
	echo "fetch-openssl111: hint: set MIRROR to a Debian mirror that still has bullseye" >&2
	exit 1
fi
(cd "$DIR/debs" && timeout 300 apt-get "$@" download "openssl=$V" "libssl1.1=$L")
for deb in "$DIR"/debs/*.deb; do dpkg -x "$deb" "$DIR/root"; done
cat >"$DIR/openssl" <<WRAP
#!/bin/sh
LD_LIBRARY_PATH="$DIR/root/usr/lib/x86_64-linux-gnu" OPENSSL_CONF=/dev/null \\
OPENSSL_ENGINES="$DIR/root/usr/lib/x86_64-linux-gnu/engines-1.1" exec "$DIR/root/usr/bin/openssl" "\$@"
WRAP
chmod +x "$DIR/openssl"
"$DIR/openssl" version
