// Broken ECDH partner tool (WebCrypto): deriveBits with a fixed length of
// 256 bits, copied from a P-256 sample, keeps only the first 32 bytes of Z
// on P-384 (48 bytes) and P-521 (66 bytes).
// usage: node webcrypto-ecdh-256bits.js KMS_PUBKEY_DER PUBKEY_OUT SECRET_OUT
'use strict';
const fs = require('fs');
const { subtle } = globalThis.crypto;

const curveOf = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

async function main() {
  const [kmsDer, pubOut, secretOut] = process.argv.slice(2);
  const der = fs.readFileSync(kmsDer);
  const namedCurve = curveOf[require('crypto').createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyDetails.namedCurve];
  const kmsKey = await subtle.importKey('spki', der, { name: 'ECDH', namedCurve }, false, []);
  const kp = await subtle.generateKey({ name: 'ECDH', namedCurve }, true, ['deriveBits']);
  const z = await subtle.deriveBits({ name: 'ECDH', public: kmsKey }, kp.privateKey, 256); // the mistake
  fs.writeFileSync(pubOut, Buffer.from(await subtle.exportKey('spki', kp.publicKey)));
  fs.writeFileSync(secretOut, Buffer.from(z));
}
main().catch((e) => { console.error(e.message); process.exit(1); });
