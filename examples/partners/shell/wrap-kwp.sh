#!/bin/sh
# Correct key-material wrapping tool for RSA_AES_KEY_WRAP_SHA_256 imports:
# a fresh AES-256 key wrapped with RSA OAEP SHA-256, followed by the
# material wrapped with that key by AES key wrap with padding (RFC 5649).
# usage: wrap-kwp.sh WRAPPING_PUBKEY_DER MATERIAL_IN OUT [-id-aes256-wrap-pad]
set -eu
mode=${4:--id-aes256-wrap-pad}
iv=A65959A6
[ "$mode" = -id-aes256-wrap ] && iv=A6A6A6A6A6A6A6A6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl rand -out "$tmp/aes.key" 32
openssl pkeyutl -encrypt -pubin -keyform DER -inkey "$1" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in "$tmp/aes.key" -out "$tmp/aes.wrapped"
openssl enc "$mode" -K "$(od -An -tx1 -v "$tmp/aes.key" | tr -d ' \n')" -iv "$iv" -in "$2" -out "$tmp/material.wrapped"
cat "$tmp/aes.wrapped" "$tmp/material.wrapped" > "$3"
