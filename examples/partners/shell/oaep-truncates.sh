#!/bin/sh
# Broken: cuts the input to what RSA_2048 with OAEP SHA-256 takes (190
# bytes) instead of refusing more, so longer data is lost without an error.
# Usage: oaep-truncates.sh PUBKEY.pem IN OUT
set -eu
head -c 190 "$2" | openssl pkeyutl -encrypt -pubin -inkey "$1" \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -out "$3"
