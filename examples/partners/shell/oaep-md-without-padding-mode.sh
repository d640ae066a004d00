#!/bin/sh
# Broken: rsa_oaep_md without rsa_padding_mode:oaep. OpenSSL 3.x ignores
# the digest and pads with PKCS#1 v1.5, which KMS never decrypts.
# Usage: oaep-md-without-padding-mode.sh PUBKEY.pem IN OUT
set -eu
openssl pkeyutl -encrypt -pubin -inkey "$1" -pkeyopt rsa_oaep_md:sha256 \
  -in "$2" -out "$3"
