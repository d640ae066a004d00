#!/usr/bin/env bash
# Seed 000 (and 001 without its troubleshooting): a partner encrypts DATA
# with a random key wrapped by a KMS RSA public key; the owner unwraps the
# key through KMS and decrypts DATA. Both wrapping methods of step 3.
source "$(dirname "$0")/lib.sh"
set -x
# Requirements: an RSA_2048 ENCRYPT_DECRYPT key.
kid=$(aws kms create-key --key-spec RSA_2048 --key-usage ENCRYPT_DECRYPT --query KeyMetadata.KeyId --output text --region "$REGION")
# 1 - the public key, as PEM.
aws kms get-public-key --key-id "$kid" --query PublicKey --output text --region "$REGION" | base64 -di | openssl rsa -pubin -inform DER -pubout -outform PEM -out pubkey.pem
# 2 - the partner's random key.
openssl rand -base64 32 > key.bin
# 3 - wrap it: method 1 (rsautl, OAEP SHA-1) and method 2 (pkeyutl, OAEP SHA-256).
openssl rsautl -encrypt -oaep -inkey pubkey.pem -pubin -in key.bin -out key.bin.enc
openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in key.bin -pubin -inkey pubkey.pem -out keypke.bin.enc
# 4 - encrypt the data.
head -c 100000 /dev/urandom > DATA
openssl enc -aes-256-cbc -salt -in DATA -out DATA.enc -pass file:./key.bin -pbkdf2
# 6 - the owner unwraps the key, method 1 then method 2.
aws kms decrypt --key-id "$kid" --encryption-algorithm RSAES_OAEP_SHA_1 --ciphertext-blob fileb://key.bin.enc --query Plaintext --output text --region "$REGION" | base64 -di > keyplaintext.bin
cmp key.bin keyplaintext.bin
aws kms decrypt --key-id "$kid" --encryption-algorithm RSAES_OAEP_SHA_256 --ciphertext-blob fileb://keypke.bin.enc --query Plaintext --output text --region "$REGION" | base64 -di > keyplaintext2.bin
cmp key.bin keyplaintext2.bin
# 7 - decrypt the data.
openssl enc -d -aes-256-cbc -in DATA.enc -out DATA_plaintext -pass file:./keyplaintext.bin -pbkdf2
cmp DATA DATA_plaintext
set +x
echo "seed 000: OK"
