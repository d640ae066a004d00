#!/usr/bin/env bash
# Seed 004: hybrid encryption with a KMS RSA key pair: the DER public key is
# used directly by pkeyutl (-keyform DER, OAEP SHA-256), enc without
# -pbkdf2, KMS Decrypt RSAES_OAEP_SHA_256.
# Typos of the seed fixed here: `base64 -–decode` (an en-dash) is
# `base64 --decode`; `base64 –-wrap=0` is `base64 --wrap=0`; the enc commands'
# missing file names are encrypt.me / encrypted.bin / decrypted.file.
source "$(dirname "$0")/lib.sh"
set -x
kid=$(aws kms create-key --key-spec RSA_2048 \
    --key-usage ENCRYPT_DECRYPT \
    --description "Example RSA Encryption Key Pair" --query KeyMetadata.KeyId --output text)
alias="alias/example-rsa-key-$RUN_ID"
aws kms create-alias \
    --alias-name "$alias" \
    --target-key-id "$kid"
aws kms get-public-key \
    --key-id "$alias" \
    --output text \
    --query PublicKey | base64 --decode > public_key.der
openssl rand -base64 32 > key.b64
head -c 200 /dev/urandom | base64 --wrap=0 > encrypt.me
openssl enc -aes-256-cbc \
    -in encrypt.me -out encrypted.bin \
    -pass file:./key.b64
openssl pkeyutl \
    -in key.b64 -out key.b64.enc \
    -inkey public_key.der -keyform DER -pubin -encrypt \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
aws kms decrypt --key-id "$alias" \
    --ciphertext-blob fileb://key.b64.enc \
    --encryption-algorithm RSAES_OAEP_SHA_256 --output text \
    --query 'Plaintext' | base64 --decode > decrypted_key.b64
openssl enc -d -aes-256-cbc \
    -in encrypted.bin -out decrypted.file \
    -pass file:./decrypted_key.b64
cmp encrypt.me decrypted.file
set +x
echo "seed 004: OK"
