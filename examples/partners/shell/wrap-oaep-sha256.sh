#!/bin/sh
# Correct key-material wrapping tool for RSAES_OAEP_SHA_256 imports.
# usage: wrap-oaep-sha256.sh WRAPPING_PUBKEY_DER MATERIAL_IN OUT
set -eu
exec openssl pkeyutl -encrypt -pubin -keyform DER -inkey "$1" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in "$2" -out "$3"
