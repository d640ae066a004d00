#!/bin/sh
# ECDH partner tool with openssl that writes its public key as PEM: fine when
# any format is accepted, wrong where DER was agreed (--pubkey-format der).
# usage: ecdh-pem.sh KMS_PUBKEY_PEM PUBKEY_OUT SECRET_OUT
set -eu
kms=$1 pub_out=$2 secret_out=$3
curve=$(openssl pkey -pubin -in "$kms" -noout -text | sed -n 's/^NIST CURVE: *//p')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$curve" -out "$tmp/priv.pem"
openssl pkey -in "$tmp/priv.pem" -pubout -out "$pub_out"
openssl pkeyutl -derive -inkey "$tmp/priv.pem" -peerkey "$kms" -out "$secret_out"
