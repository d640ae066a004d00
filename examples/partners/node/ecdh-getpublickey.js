// Broken ECDH partner tool (Node crypto.createECDH): the secret is right,
// but ecdh.getPublicKey() is the bare point 04||X||Y, not the DER
// SubjectPublicKeyInfo KMS DeriveSharedSecret takes.
// usage: node ecdh-getpublickey.js KMS_PUBKEY_PEM PUBKEY_OUT SECRET_OUT
'use strict';
const crypto = require('crypto');
const fs = require('fs');

const curves = { prime256v1: 'prime256v1', secp384r1: 'secp384r1', secp521r1: 'secp521r1' };
const [kmsPem, pubOut, secretOut] = process.argv.slice(2);
const kmsPublicKey = crypto.createPublicKey(fs.readFileSync(kmsPem));
const curve = curves[kmsPublicKey.asymmetricKeyDetails.namedCurve];
const jwk = kmsPublicKey.export({ format: 'jwk' });
const kmsPoint = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
const ecdh = crypto.createECDH(curve);
ecdh.generateKeys();
fs.writeFileSync(pubOut, ecdh.getPublicKey());
fs.writeFileSync(secretOut, ecdh.computeSecret(kmsPoint));
