#!/bin/sh
# Broken key-material wrapping tool: it wraps key material it generates
# itself instead of the material it is given. KMS imports it, but the key
# is not the one the owner holds.
# usage: wrap-own-material.sh WRAPPING_PUBKEY_DER MATERIAL_IN OUT
set -eu
openssl rand 32 | openssl pkeyutl -encrypt -pubin -keyform DER -inkey "$1" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -out "$3"
