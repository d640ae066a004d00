#!/usr/bin/env bash
# Seed 001: seed 000's runbook plus its troubleshooting: the two
# "bad decrypt" causes it names are reproduced and their fixes applied.
source "$(dirname "$0")/lib.sh"
bash "$(dirname "$0")/seed000.sh"
set -x
openssl rand -base64 32 > key.bin
head -c 1000 /dev/urandom > DATA
# Cause 1: versions disagree on enc's default digest (md5 up to 1.0.2,
# sha256 after). The 1.0.2 side is played by an explicit -md md5.
openssl enc -aes-256-cbc -salt -md md5 -in DATA -out DATA.enc -pass file:./key.bin
if openssl enc -d -aes-256-cbc -in DATA.enc -out DATA_plaintext -pass file:./key.bin 2>err.txt && cmp -s DATA DATA_plaintext; then
  echo "seed 001: expected a bad decrypt with mismatched -md" >&2; exit 1
fi
# The fix: name the digest on both sides.
openssl enc -d -aes-256-cbc -md md5 -in DATA.enc -out DATA_plaintext -pass file:./key.bin
cmp DATA DATA_plaintext
# Cause 2: a key file written on Windows (CRLF) keeps \r in the password.
openssl enc -aes-256-cbc -salt -in DATA -out DATA.enc -pass file:./key.bin -pbkdf2
sed 's/$/\r/' key.bin > keyplaintext.bin
if openssl enc -d -aes-256-cbc -in DATA.enc -out DATA_plaintext -pass file:./keyplaintext.bin -pbkdf2 2>err.txt && cmp -s DATA DATA_plaintext; then
  echo "seed 001: expected a bad decrypt with a CRLF key file" >&2; exit 1
fi
# The fix, dos2unix keyplaintext.bin (done with sed where dos2unix is not installed).
sed -i 's/\r$//' keyplaintext.bin
openssl enc -d -aes-256-cbc -in DATA.enc -out DATA_plaintext -pass file:./keyplaintext.bin -pbkdf2
cmp DATA DATA_plaintext
set +x
echo "seed 001: OK"
