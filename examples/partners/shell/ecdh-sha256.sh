#!/bin/sh
# Broken ECDH partner tool: it "helpfully" hashes the shared secret with
# SHA-256 before writing it, where the raw Z was agreed.
# usage: ecdh-sha256.sh KMS_PUBKEY_PEM PUBKEY_OUT SECRET_OUT
set -eu
kms=$1 pub_out=$2 secret_out=$3
curve=$(openssl pkey -pubin -in "$kms" -noout -text | sed -n 's/^NIST CURVE: *//p')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$curve" -out "$tmp/priv.pem"
openssl pkey -in "$tmp/priv.pem" -pubout -outform DER -out "$pub_out"
openssl pkeyutl -derive -inkey "$tmp/priv.pem" -peerkey "$kms" | openssl dgst -sha256 -binary > "$secret_out"
