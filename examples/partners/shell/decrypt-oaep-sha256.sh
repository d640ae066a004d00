#!/bin/sh
# Correct consumer of a KMS data key pair with openssl: decrypts
# RSAES_OAEP_SHA_256 (SHA-256 for the label hash and MGF1) with the
# PKCS#8 private key.
# usage: decrypt-oaep-sha256.sh PRIVKEY_PEM IN OUT
set -eu
exec openssl pkeyutl -decrypt -inkey "$1" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in "$2" -out "$3"
