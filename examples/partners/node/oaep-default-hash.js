// Broken: crypto.publicEncrypt without oaepHash defaults to SHA-1, while
// the tool is documented as RSAES_OAEP_SHA_256.
// Usage: node oaep-default-hash.js PUBKEY.pem IN OUT
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const [pem, input, output] = process.argv.slice(2);
const ct = crypto.publicEncrypt(
  { key: fs.readFileSync(pem), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING },
  fs.readFileSync(input));
fs.writeFileSync(output, ct);
