#!/usr/bin/env bash
# scripts/setup.sh — make this machine ready for `make test` (Debian 12,
# Go on PATH). Installs only what is missing, builds the openssl images
# when Docker answers, then returns. Used by `make test` (skip it with
# KMSCONFORM_SKIP_SETUP=1) and by .ci/run.
#
#   apt packages: openssl debootstrap debian-archive-keyring ca-certificates
#                 jq bc chromium openjdk-17-jdk-headless nodejs awscli
#                 python3-cryptography libbcprov-java
#   moto:         from local wheels only (pip --no-index) when not importable
#   images:       kmsconform/openssl:{1.1.1,3.0,3.5,3.6,4.0} (`kmsconform images build`)
#
# Exit 0 when ready; 3 (setup error) when something is missing and this
# user cannot install it: the message names the exact command to run.
# KMSCONFORM_SETUP_IMAGES=0 skips the image build.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }
fail() {
	echo "kmsconform: error: setup: $1" >&2
	[ -n "${2:-}" ] && echo "kmsconform: hint: $2" >&2
	exit 3
}

root=0
[ "$(id -u)" = 0 ] && root=1
export DEBIAN_FRONTEND=noninteractive
# The mirror may be a dated snapshot whose Release files are past Valid-Until.
APT=(apt-get -o Acquire::Check-Valid-Until=false)

# 1. Debian packages: one "command-or-test package" per line.
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
check() { # check TEST PACKAGE
	case "$1" in
	pkg:*) have_pkg "${1#pkg:}" || missing+=("$2") ;;
	py:*) python3 -c "import ${1#py:}" 2>/dev/null || missing+=("$2") ;;
	*) have_cmd "$1" || missing+=("$2") ;;
	esac
}
check make make
check git git
check openssl openssl
check debootstrap debootstrap
check pkg:debian-archive-keyring debian-archive-keyring
check pkg:ca-certificates ca-certificates
check jq jq
check bc bc
check chromium chromium
check javac openjdk-17-jdk-headless
check node nodejs
check aws awscli
check py:cryptography python3-cryptography
check pkg:libbcprov-java libbcprov-java

if [ "${#missing[@]}" -gt 0 ]; then
	cmd="apt-get -o Acquire::Check-Valid-Until=false update && apt-get -o Acquire::Check-Valid-Until=false install -y --no-install-recommends ${missing[*]}"
	if [ "$root" != 1 ]; then
		fail "missing: ${missing[*]} (installing needs root)" "run as root: $cmd   (then \`make test\` again)"
	fi
	say "installing ${missing[*]}"
	"${APT[@]}" update -qq
	"${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	say "Debian packages: all present"
fi

# 2. moto (the KMS emulator some specs compare against): from local wheels
# only, since no Python registry is reachable here.
if python3 -c 'import moto' 2>/dev/null; then
	say "moto: $(python3 -c 'import moto; print(moto.__version__)')"
else
	dirs=()
	for d in ${PIP_FIND_LINKS:-} $(python3 -m pip config get global.find-links 2>/dev/null || true) \
		/opt/wheels "$HOME/.cache/pip" "$HOME/wheels" /usr/share/python-wheels; do
		[ -d "$d" ] && ls "$d" 2>/dev/null | grep -qi '^moto-.*\.whl$' && dirs+=("--find-links=$d")
	done
	if [ "${#dirs[@]}" -gt 0 ]; then
		say "moto: installing from local wheels (${dirs[*]})"
		python3 -m pip install -q --no-index "${dirs[@]}" 'moto[server]' ||
			fail "moto did not install from the local wheels" "python3 -m pip install --no-index ${dirs[*]} 'moto[server]'"
	else
		say "WARNING: moto is not importable and no local moto wheel was found (looked in /opt/wheels, \$PIP_FIND_LINKS, pip's find-links, ~/.cache/pip, ~/wheels): the moto specs cannot run"
	fi
fi

# 3. The openssl images, when Docker answers.
if [ "${KMSCONFORM_SETUP_IMAGES:-1}" = 0 ]; then
	say "images: skipped (KMSCONFORM_SETUP_IMAGES=0)"
	exit 0
fi
if ! have_cmd docker || ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
	if [ "${KMSCONFORM_REQUIRE_DOCKER:-}" = 1 ]; then
		fail "Docker does not answer and KMSCONFORM_REQUIRE_DOCKER=1" "start the Docker daemon (\`docker info\` must work), or unset KMSCONFORM_REQUIRE_DOCKER"
	fi
	say "WARNING: no Docker: the openssl images are not built and every container spec will be SKIPPED"
	exit 0
fi
go build -buildvcs=auto -o bin/kmsconform ./cmd/kmsconform
if [ "$root" = 1 ]; then
	# Cached lines take a second; missing ones are built (a few minutes each,
	# three at a time).
	./bin/kmsconform images build >/dev/null
	say "images: $(./bin/kmsconform images list 2>/dev/null | awk 'NR > 1 { printf "%s ", $2 }')"
	exit 0
fi
lines=$(./bin/kmsconform images build --help | sed -n 's/.*--versions .*(default \([0-9.,]*\)).*/\1/p')
want=$(echo "${lines:-1.1.1,3.0,3.5,3.6,4.0}" | tr ',' '\n' | grep -c .)
have=$(./bin/kmsconform images list 2>/dev/null | awk 'NR > 1 { print $1 }' | sort -u | wc -l)
if [ "$have" -lt "$want" ]; then
	fail "$((want - have)) of the $want openssl images are missing (building them needs root: debootstrap)" \
		"run as root: $(pwd)/bin/kmsconform images build   (then \`make test\` again)"
fi
say "images: all $want present"
