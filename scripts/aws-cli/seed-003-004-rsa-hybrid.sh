#!/usr/bin/env bash
# Seeds 003 (second article) and 004: offline RSA hybrid encryption. The
# device encrypts a file with openssl enc under a random key, wraps the key
# with the KMS RSA_2048 public key (pkeyutl OAEP SHA-256, DER key), and the
# owner unwraps it with `aws kms decrypt` via the alias.
#
# Fixes to the seed text: `base64 -–decode` has an en-dash (`-–`), which
# base64 rejects; `--decode` is meant. Likewise `base64 –-wrap=0` is
# `--wrap=0`.
. "$(dirname "$0")/common.sh"

step "create-key RSA_2048 ENCRYPT_DECRYPT and alias"
kid="$(new_key RSA_2048 ENCRYPT_DECRYPT "Example RSA Encryption Key Pair")"
alias="$(unique_alias alias/example-rsa-key)"
kms create-alias --alias-name "$alias" --target-key-id "$kid"
CREATED_ALIASES+=("$alias")

step "get-public-key → public_key.der"
kms get-public-key --key-id "$alias" --output text --query PublicKey | base64 --decode > public_key.der

step "device: random key, sample file, openssl enc, pkeyutl wrap"
"$OPENSSL" rand -base64 32 > key.b64
head -c 200 /dev/urandom | base64 --wrap=0 > encrypt.me
"$OPENSSL" enc -aes-256-cbc -in encrypt.me -out encrypt.me.enc -pass file:./key.b64 2>/dev/null
"$OPENSSL" pkeyutl -in key.b64 -out key.b64.enc -inkey public_key.der -keyform DER -pubin -encrypt \
	-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256

step "owner: aws kms decrypt RSAES_OAEP_SHA_256, openssl enc -d"
kms decrypt --key-id "$alias" --ciphertext-blob fileb://key.b64.enc --encryption-algorithm RSAES_OAEP_SHA_256 \
	--output text --query Plaintext | base64 --decode > decrypted_key.b64
"$OPENSSL" enc -d -aes-256-cbc -in encrypt.me.enc -out decrypted.file -pass file:./decrypted_key.b64 2>/dev/null
cmp encrypt.me decrypted.file
ok "seed 003/004 RSA hybrid (RSAES_OAEP_SHA_256 via alias)"
