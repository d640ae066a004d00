#!/usr/bin/env bash
# Seed 003, ECDH: Bob's KEY_AGREEMENT key in KMS, Alice's P-256 key in
# openssl; each derives the shared secret from the other's public key and
# the two secrets must be identical (diff -qs).
. "$(dirname "$0")/common.sh"

step "Bob: create-key ECC_NIST_P256 KEY_AGREEMENT and an alias"
kid="$(new_key ECC_NIST_P256 KEY_AGREEMENT "Example ECDH key pair")"
alias="$(unique_alias alias/example-ecdh-key)"
kms create-alias --alias-name "$alias" --target-key-id "$kid"
CREATED_ALIASES+=("$alias")

step "Alice: openssl ecparam P-256 and her DER public key"
"$OPENSSL" ecparam -name P-256 -genkey -out openssl_ecc_private_key.pem
chmod 600 openssl_ecc_private_key.pem
"$OPENSSL" ec -in openssl_ecc_private_key.pem -pubout -outform DER > openssl_ecc_public_key.bin.der 2>/dev/null

step "Bob: get-public-key, DER → PEM"
kms get-public-key --key-id "$alias" --output text --query PublicKey | base64 --decode > kms_ecdh_public_key.der
"$OPENSSL" ec -pubin -inform DER -outform PEM -in kms_ecdh_public_key.der -out kms_ecdh_public_key.pem 2>/dev/null

step "Alice: openssl pkeyutl -derive"
"$OPENSSL" pkeyutl -derive -inkey openssl_ecc_private_key.pem -peerkey kms_ecdh_public_key.pem > openssl.ss

step "Bob: aws kms derive-shared-secret"
kms derive-shared-secret --key-id "$alias" --public-key fileb://openssl_ecc_public_key.bin.der \
	--key-agreement-algorithm ECDH --output text --query SharedSecret | base64 --decode > kms.ss

diff -qs openssl.ss kms.ss
ok "seed 003 ECDH ($(wc -c < kms.ss) bytes)"
