// Correct ECDH partner tool (WebCrypto, globalThis.crypto.subtle): a fresh
// key on the KMS key's curve, exported as SPKI, and deriveBits over the
// whole field (P-521: 528 bits, a multiple of 8).
// usage: node webcrypto-ecdh.js KMS_PUBKEY_DER PUBKEY_OUT SECRET_OUT
'use strict';
const fs = require('fs');
const { subtle } = globalThis.crypto;

const bits = { 'P-256': 256, 'P-384': 384, 'P-521': 528 };
const curveOf = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

async function main() {
  const [kmsDer, pubOut, secretOut] = process.argv.slice(2);
  const der = fs.readFileSync(kmsDer);
  const namedCurve = curveOf[require('crypto').createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyDetails.namedCurve];
  const kmsKey = await subtle.importKey('spki', der, { name: 'ECDH', namedCurve }, false, []);
  const kp = await subtle.generateKey({ name: 'ECDH', namedCurve }, true, ['deriveBits']);
  const z = await subtle.deriveBits({ name: 'ECDH', public: kmsKey }, kp.privateKey, bits[namedCurve]);
  fs.writeFileSync(pubOut, Buffer.from(await subtle.exportKey('spki', kp.publicKey)));
  fs.writeFileSync(secretOut, Buffer.from(z));
}
main().catch((e) => { console.error(e.message); process.exit(1); });
