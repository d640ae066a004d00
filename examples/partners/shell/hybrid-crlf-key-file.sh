#!/bin/sh
# Broken hybrid tool: the key file went through a Windows editor (CRLF)
# between wrapping it and encrypting the data, so the data's password ends
# in "\r" while the wrapped key does not.
# Usage: hybrid-crlf-key-file.sh PUBKEY.pem DATA_IN DATA_OUT KEY_OUT
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
openssl rand -base64 32 > "$tmp/key.bin"
openssl pkeyutl -encrypt -pubin -inkey "$1" \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
  -in "$tmp/key.bin" -out "$4"
sed 's/$/\r/' "$tmp/key.bin" > "$tmp/key-crlf.txt"
openssl enc -aes-256-cbc -salt -pbkdf2 -in "$2" -out "$3" -pass file:"$tmp/key-crlf.txt"
