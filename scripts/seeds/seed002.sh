#!/usr/bin/env bash
# Seed 002: a data key pair from GenerateDataKeyPairWithoutPlaintext; the
# public key made PEM with fold -w60, PKCS#1 v1.5 encryption with pkeyutl,
# the private key recovered by Decrypt without a key id, pkeyutl -decrypt.
# KEY_PAIR_SPEC (default RSA_4096, as in the seed) selects the pair.
source "$(dirname "$0")/lib.sh"
set -x
# The seed's `aws kms create-key -o json`: aws CLI v1 has no -o, so --output json.
KMS_CMK_ID=$(aws kms create-key --output json | jq -r '.KeyMetadata.KeyId')
aws kms generate-data-key-pair-without-plaintext \
    --key-id "$KMS_CMK_ID" \
    --key-pair-spec "${KEY_PAIR_SPEC:-RSA_4096}" > keypair.json
cat << EOF2 > public.key
-----BEGIN PUBLIC KEY-----
$(jq -r '.PublicKey' keypair.json | fold -w60)
-----END PUBLIC KEY-----
EOF2
echo "My top secret message" > ./input.txt
openssl pkeyutl -encrypt -pubin \
    -inkey public.key \
    -in ./input.txt \
    -out ./input.txt.encrypted
cat << EOF2 > private.key
-----BEGIN PRIVATE KEY-----
$(aws kms decrypt \
  --ciphertext-blob fileb://<(jq -r '.PrivateKeyCiphertextBlob' keypair.json | base64 --decode) \
  --output text \
  --query Plaintext | fold -w60)
-----END PRIVATE KEY-----
EOF2
openssl pkeyutl -decrypt \
    -inkey private.key \
    -in ./input.txt.encrypted \
    -out ./input.txt.decrypted
diff input.txt input.txt.decrypted
set +x
echo "seed 002: OK"
