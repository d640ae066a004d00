#!/bin/sh
# Correct hybrid tool (the runbook's steps): a random password, wrapped
# with RSA-OAEP SHA-256, and the data encrypted with
# `openssl enc -aes-256-cbc -pbkdf2` under it.
# Usage: hybrid.sh PUBKEY.pem DATA_IN DATA_OUT KEY_OUT
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
openssl rand -base64 32 > "$tmp/key.bin"
openssl pkeyutl -encrypt -pubin -inkey "$1" \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
  -in "$tmp/key.bin" -out "$4"
openssl enc -aes-256-cbc -salt -pbkdf2 -in "$2" -out "$3" -pass file:"$tmp/key.bin"
