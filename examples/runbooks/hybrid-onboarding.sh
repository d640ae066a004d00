#!/bin/bash
# Hybrid onboarding: the partner encrypts DATA under a random password
# (openssl enc, PBKDF2) and wraps the password with the owner's KMS RSA
# public key (pkeyutl, OAEP SHA-256); the owner unwraps it with KMS Decrypt
# and decrypts DATA. Run it as it is; the kmsconform lines are comments.
#
#   kmsconform runbook --engines host,oracle examples/runbooks/hybrid-onboarding.sh
#
# kmsconform: key kid RSA_3072 ENCRYPT_DECRYPT
# kmsconform: file DATA 100000
set -eo pipefail

# kmsconform: role owner
# 1. The owner sends the KMS public key (PEM) to the partner.
aws kms get-public-key --key-id "$kid" --query PublicKey --output text | base64 -d > kms_public.der
openssl rsa -pubin -inform DER -in kms_public.der -pubout -outform PEM -out kms_public.pem

# kmsconform: role partner
# 2. The partner makes a password, encrypts DATA with it and wraps it.
openssl rand -hex 32 > password.txt
openssl enc -aes-256-cbc -pbkdf2 -iter 100000 -md sha256 -salt -in DATA -out DATA.enc -pass file:password.txt
openssl pkeyutl -encrypt -pubin -inkey kms_public.pem \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 \
  -in password.txt -out password.enc

# kmsconform: role owner
# 3. The owner unwraps the password with KMS and decrypts DATA.
aws kms decrypt --key-id "$kid" --encryption-algorithm RSAES_OAEP_SHA_256 \
  --ciphertext-blob fileb://password.enc --query Plaintext --output text | base64 -d > password.out
openssl enc -d -aes-256-cbc -pbkdf2 -iter 100000 -md sha256 -in DATA.enc -out DATA.out -pass file:password.out

# kmsconform: same password.txt password.out
# kmsconform: same DATA DATA.out
