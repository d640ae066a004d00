// Correct ECDH partner tool (Node crypto): a fresh key on the KMS key's
// curve, its public key as DER SubjectPublicKeyInfo, the raw Z.
// usage: node ecdh-raw.js KMS_PUBKEY_PEM PUBKEY_OUT SECRET_OUT
'use strict';
const crypto = require('crypto');
const fs = require('fs');

const [kmsPem, pubOut, secretOut] = process.argv.slice(2);
const kmsPublicKey = crypto.createPublicKey(fs.readFileSync(kmsPem));
const namedCurve = kmsPublicKey.asymmetricKeyDetails.namedCurve;
const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve });
const z = crypto.diffieHellman({ privateKey, publicKey: kmsPublicKey });
fs.writeFileSync(pubOut, publicKey.export({ type: 'spki', format: 'der' }));
fs.writeFileSync(secretOut, z);
