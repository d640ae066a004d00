#!/usr/bin/env bash
# Seed 002: generate-data-key-pair-without-plaintext (RSA_4096), the public
# key folded into PEM, openssl pkeyutl encrypts, `aws kms decrypt` with no
# key id recovers the private key, openssl pkeyutl decrypts, diff.
. "$(dirname "$0")/common.sh"

step "create a symmetric key"
KMS_CMK_ID="$(new_key SYMMETRIC_DEFAULT ENCRYPT_DECRYPT "kmsconform seed 002")"

step "generate-data-key-pair-without-plaintext RSA_4096"
kms generate-data-key-pair-without-plaintext --key-id "$KMS_CMK_ID" --key-pair-spec RSA_4096 > keypair.json

cat << EOF2 > public.key
-----BEGIN PUBLIC KEY-----
$(jq -r '.PublicKey' keypair.json | fold -w60)
-----END PUBLIC KEY-----
EOF2

echo "My top secret message" > ./input.txt
"$OPENSSL" pkeyutl -encrypt -pubin -inkey public.key -in ./input.txt -out ./input.txt.encrypted

step "decrypt the private key without --key-id"
jq -r '.PrivateKeyCiphertextBlob' keypair.json | base64 --decode > private.blob
cat << EOF2 > private.key
-----BEGIN PRIVATE KEY-----
$(kms decrypt --ciphertext-blob fileb://private.blob --output text --query Plaintext | fold -w60)
-----END PRIVATE KEY-----
EOF2
chmod 600 private.key

"$OPENSSL" pkeyutl -decrypt -inkey private.key -in ./input.txt.encrypted -out ./input.txt.decrypted
diff input.txt input.txt.decrypted
ok "seed 002 (generate-data-key-pair-without-plaintext, decrypt without key id)"
