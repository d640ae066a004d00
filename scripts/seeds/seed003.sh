#!/usr/bin/env bash
# Seed 003: ECDH between Alice (openssl) and Bob (a KMS KEY_AGREEMENT key):
# pkeyutl -derive and DeriveSharedSecret give the same secret.
source "$(dirname "$0")/lib.sh"
set -x
kid=$(aws kms create-key \
  --key-spec ECC_NIST_P256 \
  --key-usage KEY_AGREEMENT \
  --description "Example ECDH key pair" --query KeyMetadata.KeyId --output text)
alias="alias/example-ecdh-key-$RUN_ID"
aws kms create-alias \
    --alias-name "$alias" \
    --target-key-id "$kid"
openssl ecparam -name P-256 \
        -genkey -out openssl_ecc_private_key.pem
openssl ec -in openssl_ecc_private_key.pem \
        -pubout -outform DER \
        > openssl_ecc_public_key.bin.der
aws kms get-public-key \
    --key-id "$alias" \
    --output text \
    --query PublicKey | base64 --decode > kms_ecdh_public_key.der
openssl ec -pubin -inform DER -outform PEM \
        -in kms_ecdh_public_key.der \
        -out kms_ecdh_public_key.pem
openssl pkeyutl -derive \
-inkey openssl_ecc_private_key.pem \
-peerkey kms_ecdh_public_key.pem > openssl.ss
# The seed's fileb://path/to/... is a placeholder for the file made above.
aws kms derive-shared-secret \
--key-id "$alias" \
--public-key fileb://openssl_ecc_public_key.bin.der \
--key-agreement-algorithm ECDH \
--output text --query SharedSecret |base64 --decode > kms.ss
diff -qs openssl.ss kms.ss
set +x
echo "seed 003: OK"
