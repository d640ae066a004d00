// Correct: crypto.publicEncrypt with oaepHash 'sha256' (Node uses it for
// the label hash and MGF1), as KMS RSAES_OAEP_SHA_256 expects.
// Usage: node oaep-sha256.js PUBKEY.pem IN OUT
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const [pem, input, output] = process.argv.slice(2);
const ct = crypto.publicEncrypt(
  { key: fs.readFileSync(pem), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
  fs.readFileSync(input));
fs.writeFileSync(output, ct);
