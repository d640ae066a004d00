#!/bin/sh
# Correct: RSA-OAEP with SHA-256 for the label hash and MGF1, as KMS
# RSAES_OAEP_SHA_256 expects. Usage: oaep-sha256.sh PUBKEY.pem IN OUT
set -eu
openssl pkeyutl -encrypt -pubin -inkey "$1" \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
  -in "$2" -out "$3"
