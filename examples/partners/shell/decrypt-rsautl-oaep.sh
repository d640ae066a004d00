#!/bin/sh
# Broken consumer where RSAES_OAEP_SHA_256 was agreed: `rsautl -oaep` is
# OAEP with SHA-1 only.
# usage: decrypt-rsautl-oaep.sh PRIVKEY_PEM IN OUT
set -eu
exec openssl rsautl -decrypt -oaep -inkey "$1" -in "$2" -out "$3"
