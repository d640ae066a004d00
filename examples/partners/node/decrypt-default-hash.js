// Broken consumer where RSAES_OAEP_SHA_256 was agreed:
// crypto.privateDecrypt with OAEP padding but no oaepHash uses SHA-1.
// Usage: node decrypt-default-hash.js PRIVKEY.pem IN OUT
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const [pem, input, output] = process.argv.slice(2);
const pt = crypto.privateDecrypt(
  { key: fs.readFileSync(pem), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING },
  fs.readFileSync(input));
fs.writeFileSync(output, pt);
