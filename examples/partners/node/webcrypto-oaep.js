// RSA-OAEP with WebCrypto (globalThis.crypto.subtle). The hash given to
// importKey is used for both the OAEP label hash and MGF1: 'SHA-256' is
// RSAES_OAEP_SHA_256, 'SHA-1' (pass it as the 4th argument) RSAES_OAEP_SHA_1.
// Usage: node webcrypto-oaep.js PUBKEY.der IN OUT [SHA-256|SHA-1]
'use strict';
const fs = require('fs');
const { subtle } = globalThis.crypto;

async function main() {
  const [der, input, output, hash = 'SHA-256'] = process.argv.slice(2);
  const key = await subtle.importKey('spki', fs.readFileSync(der), { name: 'RSA-OAEP', hash }, false, ['encrypt']);
  const ct = await subtle.encrypt({ name: 'RSA-OAEP' }, key, fs.readFileSync(input));
  fs.writeFileSync(output, Buffer.from(ct));
}
main().catch((e) => { console.error(e.message); process.exit(1); });
