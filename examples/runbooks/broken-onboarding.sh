#!/bin/bash
# A broken onboarding runbook, kept broken on purpose: kmsconform must say
# where and why it breaks, on which openssl line, before and after running.
#
#   kmsconform runbook lint examples/runbooks/broken-onboarding.sh
#
# kmsconform: key kid RSA_2048 ENCRYPT_DECRYPT
# kmsconform: file DATA 3000
# kmsconform: expect fail parameter-refused when producer=*1.1.1* — 1.1.1 refuses rsa_oaep_md before rsa_padding_mode:oaep
# kmsconform: expect fail bad-decrypt — the owner decrypts without the partner's -pbkdf2
# kmsconform: expect fail mismatch — one time in 256 a wrong key's padding checks out and the bytes differ instead

# kmsconform: role owner
aws kms get-public-key --key-id "$kid" --query PublicKey --output text | base64 -d > kms_public.der

# kmsconform: role partner
openssl rand -base64 32 > pass.txt
openssl pkeyutl -encrypt -pubin -inkey kms_public.der -keyform DER -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_padding_mode:oaep -in pass.txt -out pass.enc
openssl enc -aes-256-cbc -pbkdf2 -in DATA -out DATA.enc -pass file:pass.txt

# kmsconform: role owner
aws kms decrypt --key-id "$kid" --encryption-algorithm RSAES_OAEP_SHA_256 --ciphertext-blob fileb://pass.enc --query Plaintext --output text | base64 -d > pass.out
openssl enc -d -aes-256-cbc -in DATA.enc -out DATA.out -pass file:pass.out

# kmsconform: same DATA DATA.out
