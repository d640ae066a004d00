#!/usr/bin/env bash
# Seeds 000 and 001: a third party encrypts a random key with the KMS RSA
# public key (rsautl -oaep = RSAES_OAEP_SHA_1, pkeyutl oaep sha256 =
# RSAES_OAEP_SHA_256), encrypts data with openssl enc -pbkdf2, and the key
# owner decrypts the key with `aws kms decrypt` and the data with openssl.
# KEY_ID may name an existing RSA_2048 ENCRYPT_DECRYPT key; otherwise one is
# created and scheduled for deletion on exit.
. "$(dirname "$0")/common.sh"

kid="${KEY_ID:-}"
if [ -z "$kid" ]; then
	step "create an RSA_2048 ENCRYPT_DECRYPT key"
	kid="$(new_key RSA_2048 ENCRYPT_DECRYPT "kmsconform seed 000/001")"
fi

step "1. the public key, DER → PEM"
kms get-public-key --key-id "$kid" --query PublicKey --output text | base64 -di | "$OPENSSL" rsa -pubin -inform DER -pubout -outform PEM -out pubkey.pem

step "2. a random key"
"$OPENSSL" rand -base64 32 > key.bin

step "3. wrap it: method 1 rsautl -oaep, method 2 pkeyutl oaep sha256"
"$OPENSSL" rsautl -encrypt -oaep -inkey pubkey.pem -pubin -in key.bin -out key.bin.enc 2>/dev/null
"$OPENSSL" pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in key.bin -pubin -inkey pubkey.pem -out keypke.bin.enc

step "4. encrypt the data"
head -c 100000 /dev/urandom > DATA
"$OPENSSL" enc -aes-256-cbc -salt -in DATA -out DATA.enc -pass file:./key.bin -pbkdf2

for method in 1 2; do
	if [ "$method" = 1 ]; then alg=RSAES_OAEP_SHA_1 blob=key.bin.enc; else alg=RSAES_OAEP_SHA_256 blob=keypke.bin.enc; fi
	step "6. method $method: aws kms decrypt --encryption-algorithm $alg"
	kms decrypt --key-id "$kid" --encryption-algorithm "$alg" --ciphertext-blob "fileb://$blob" --query Plaintext --output text | base64 -di > keyplaintext.bin
	cmp key.bin keyplaintext.bin
	step "7. method $method: openssl enc -d"
	"$OPENSSL" enc -d -aes-256-cbc -in DATA.enc -out DATA_plaintext -pass file:./keyplaintext.bin -pbkdf2
	cmp DATA DATA_plaintext
	ok "seed 000/001 method $method ($alg)"
done
