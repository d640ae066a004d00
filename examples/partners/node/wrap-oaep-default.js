// Broken key-material wrapping tool for RSAES_OAEP_SHA_256 imports:
// crypto.publicEncrypt without oaepHash is OAEP with SHA-1.
// Usage: node wrap-oaep-default.js WRAPPING_PUBKEY.pem MATERIAL OUT
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const [pem, input, output] = process.argv.slice(2);
fs.writeFileSync(output, crypto.publicEncrypt(
  { key: fs.readFileSync(pem), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING },
  fs.readFileSync(input)));
