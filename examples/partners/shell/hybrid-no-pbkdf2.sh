#!/bin/sh
# Broken hybrid tool: `openssl enc` without -pbkdf2 (the legacy
# EVP_BytesToKey derivation) while the consumer decrypts with -pbkdf2.
# Usage: hybrid-no-pbkdf2.sh PUBKEY.pem DATA_IN DATA_OUT KEY_OUT
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
openssl rand -base64 32 > "$tmp/key.bin"
openssl pkeyutl -encrypt -pubin -inkey "$1" \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
  -in "$tmp/key.bin" -out "$4"
openssl enc -aes-256-cbc -salt -in "$2" -out "$3" -pass file:"$tmp/key.bin" 2>/dev/null
