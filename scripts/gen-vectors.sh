#!/bin/sh
# gen-vectors.sh — record kmsconform's known-answer vectors (vectors/*.json)
# from a real openssl 3.x binary. Re-runnable: messages, passwords and the
# test keys (scripts/genvectors/testkeys/) are fixed; only what openssl
# randomises (salts, RSA padding) changes. Each file records `openssl version`.
#
# Usage: scripts/gen-vectors.sh [OPENSSL_BINARY]   (default: openssl on PATH)
# VECTORS_OUT=DIR writes the files to DIR instead of vectors/.
# OPENSSL111=PATH (an OpenSSL 1.1.1 binary, see scripts/genvectors/fetch-openssl111.sh)
# also records vectors/enc_openssl111.json; without it that file is kept.
set -eu
cd "$(dirname "$0")/.."
OPENSSL="${1:-${OPENSSL:-openssl}}"
if ! command -v "$OPENSSL" >/dev/null 2>&1; then
	echo "gen-vectors: error: no openssl binary '$OPENSSL'" >&2
	echo "gen-vectors: hint: install openssl 3.x or pass its path as the first argument" >&2
	exit 1
fi
echo "gen-vectors: recording from $("$OPENSSL" version)"
exec go run ./scripts/genvectors -openssl "$OPENSSL" -out "${VECTORS_OUT:-vectors}" -keys scripts/genvectors/testkeys \
	-openssl111 "${OPENSSL111:-}"
