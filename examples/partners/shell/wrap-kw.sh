#!/bin/sh
# Broken key-material wrapping tool for RSA_AES_KEY_WRAP_SHA_256: AES key
# wrap WITHOUT padding (RFC 3394, -id-aes256-wrap) where KMS needs KWP.
# usage: wrap-kw.sh WRAPPING_PUBKEY_DER MATERIAL_IN OUT
exec "$(dirname "$0")/wrap-kwp.sh" "$1" "$2" "$3" -id-aes256-wrap
